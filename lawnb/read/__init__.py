"""lawnb.read."""
