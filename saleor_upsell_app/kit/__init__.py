"""Shared plumbing every feature uses: clock, crypto, logging, errors, database, retry."""
