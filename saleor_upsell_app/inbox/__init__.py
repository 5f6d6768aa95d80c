"""The durable inbox: verified webhooks are stored first, processed by workers with retry and backoff."""
