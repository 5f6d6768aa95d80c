"""Test doubles shared by tests/ and bench/: the Saleor emulator."""
