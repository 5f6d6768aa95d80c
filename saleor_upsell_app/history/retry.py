"""Calling Saleor again after 5xx/timeouts, with exponential backoff, before giving up."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from ..inbox.backoff import retry_delay
from ..saleor.errors import SaleorUnavailable

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

log = logging.getLogger("saleor_upsell.history")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 6  # in all, the first call included
    base_seconds: float = 1.0
    max_seconds: float = 30.0


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    sleep: Sleep = asyncio.sleep,
    on_retry: Callable[[int, SaleorUnavailable], None] | None = None,
) -> T:
    """`call()`, repeated while Saleor is unavailable; the last SaleorUnavailable is raised when out of tries.

    Other errors (permission, invalid query) are not retried: asking again would give the same answer.
    """
    attempt = 1
    while True:
        try:
            return await call()
        except SaleorUnavailable as exc:
            if attempt >= policy.attempts:
                raise
            if on_retry is not None:
                on_retry(attempt, exc)
            delay = retry_delay(attempt, policy.base_seconds, policy.max_seconds, random.random())
            log.warning("Saleor unavailable, retrying", extra={"attempt": attempt, "error": str(exc)})
            await sleep(delay.total_seconds())
            attempt += 1
