"""Order history import from Saleor (resumable, paged), feeding mining and analytics."""
