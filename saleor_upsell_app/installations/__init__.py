"""Installations: the APL implementation (saleor.apl.APL on the database) and APP_DELETED."""
