"""lawnb.extract."""
