"""The durable inbox: verified webhooks are stored first (enqueue), then claimed, finished or failed by
workers with retry and backoff. It knows no event type: the worker is given a handler per event name."""
