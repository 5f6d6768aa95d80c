"""Retry delays for inbox events (pure)."""

from __future__ import annotations

from datetime import timedelta


def retry_delay(attempts: int, base_seconds: float, max_seconds: float, jitter: float) -> timedelta:
    """Exponential backoff: base, 2*base, 4*base... capped; `jitter` in [0, 1) spreads retries apart."""
    exponent = max(attempts - 1, 0)
    delay = min(base_seconds * (2**exponent), max_seconds)
    return timedelta(seconds=delay * (0.8 + 0.4 * jitter))
