"""Calling a flaky dependency again with exponential backoff (tenacity), before giving up.

``RetryPolicy`` says how often and how long; :func:`with_retries` retries only the exception types it is
told to (asking again after a permission error or an invalid query would give the same answer).
Delays double from ``base_seconds`` up to ``max_seconds``, spread by ±20% so retries do not align.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_base

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

log = logging.getLogger("saleor_upsell.retry")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 6  # in all, the first call included
    base_seconds: float = 1.0
    max_seconds: float = 30.0


def backoff_seconds(attempt: int, base_seconds: float, max_seconds: float, jitter: float) -> float:
    """base, 2*base, 4*base... capped at ``max_seconds``; ``jitter`` in [0, 1) scales it by 0.8-1.2."""
    delay = min(base_seconds * 2.0 ** max(attempt - 1, 0), max_seconds)
    return delay * (0.8 + 0.4 * jitter)


class _Backoff(wait_base):
    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy

    def __call__(self, retry_state: RetryCallState) -> float:
        policy = self._policy
        return backoff_seconds(
            retry_state.attempt_number, policy.base_seconds, policy.max_seconds, random.random()
        )


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    retry_on: type[BaseException] | tuple[type[BaseException], ...],
    *,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """``call()``, repeated while it raises ``retry_on``; the last such error is raised when out of tries."""

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        log.warning("call failed, retrying", extra={"attempt": state.attempt_number, "error": str(error)})

    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.attempts),
        wait=_Backoff(policy),
        retry=retry_if_exception_type(retry_on),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    return await retrying(call)
