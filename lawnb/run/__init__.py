"""lawnb.run."""
