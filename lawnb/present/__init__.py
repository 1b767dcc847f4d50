"""lawnb.present."""
