"""lawnb.analyse."""
