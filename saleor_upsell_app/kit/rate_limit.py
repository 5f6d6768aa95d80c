"""In-process token buckets, one per key (e.g. shop and client IP).

Each bucket holds at most ``burst`` tokens and refills at ``rate`` tokens per second; a call takes one.
At most ``max_keys`` buckets are kept (the least recently used is forgotten first), so a flood of new
keys costs bounded memory. Per process: behind a load balancer with N processes a client may get up to
N times the rate, which is what an in-process limit can promise.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class TokenBuckets:
    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def take(self, key: Hashable) -> bool:
        """Take one token from ``key``'s bucket; False (and nothing taken) when it is empty."""
        now = self._clock()
        tokens, at = self._buckets.pop(key, (self._burst, now))
        tokens = min(self._burst, tokens + (now - at) * self._rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return allowed

    def __len__(self) -> int:
        return len(self._buckets)
