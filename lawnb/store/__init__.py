"""lawnb.store."""
