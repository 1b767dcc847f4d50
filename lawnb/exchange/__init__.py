"""lawnb.exchange."""
