"""Pair mining from order history (pure: no HTTP, no DB, no clock)."""
