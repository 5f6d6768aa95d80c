"""Inbox workers: asyncio tasks in each app process that claim, process, retry and park events."""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from ..kit.clock import Clock
from ..kit.db import DATABASE_UNAVAILABLE
from ..kit.errors import AppError, DependencyError
from ..kit.metrics import INBOX_PROCESSING_SECONDS, INBOX_WORKER_ERRORS
from ..kit.retry import backoff_seconds
from .service import Inbox
from .types import ClaimedEvent

log = logging.getLogger("saleor_upsell.inbox")

Handler = Callable[[ClaimedEvent], Awaitable[None]]

# The longest a worker waits after failing steps in a row (the database away, a bug) before it tries
# again: short enough that it resumes soon after an outage ends.
MAX_FAILURE_WAIT = 30.0


class PermanentError(AppError):
    """The event can never succeed as it is (e.g. a payload the app cannot read): park it at once."""

    code = "PERMANENT"


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    poll_interval: float
    max_attempts: int
    backoff_base: float
    backoff_max: float
    lease_seconds: float
    # While idle the wait between polls doubles from poll_interval up to this (see InboxWorker.run).
    idle_poll_max: float | None = None


def is_permanent(exc: BaseException) -> bool:
    """An event that failed so can never succeed as stored: a payload that does not read (an AppError
    with a 4xx status says the input is at fault, e.g. a malformed snapshot), or no handler for it."""
    if isinstance(exc, PermanentError | ValidationError | RecursionError | UnicodeError):
        return True
    return isinstance(exc, AppError) and 400 <= exc.status < 500


def wake_idle(workers: Sequence[InboxWorker]) -> bool:
    """After one enqueue: wake one idle worker, so one claim looks for the event, not a herd of them
    (every other worker claiming too, and finding nothing, costs CPU and slows the one that wins).
    False when none was idle: then every worker is claiming or processing and claims again before it
    waits; each is marked so that a claim which started before the event committed is followed by
    another one at once. The caller then asks other processes for help (inbox/notify.py)."""
    for worker in workers:
        if worker.idle:
            worker.wake()
            return True
    for worker in workers:
        worker.wake()
    return False


def _context(event: ClaimedEvent) -> dict[str, object]:
    return {"event_id": event.id, "event": event.event_type, "subject": event.subject_key}


class InboxWorker:
    def __init__(
        self,
        repository: Inbox,
        handlers: Mapping[str, Handler],
        supersedable: frozenset[str],
        config: WorkerConfig,
        clock: Clock,
        idle_ceiling: Callable[[], float] | None = None,
    ) -> None:
        self._repository = repository
        self._handlers = handlers
        self._supersedable = supersedable
        self._config = config
        self._clock = clock
        self._wakeup = asyncio.Event()
        # The longest idle wait right now: `idle_ceiling()` when given (main.py: long while another
        # process's enqueue reaches this one by LISTEN/NOTIFY, short otherwise), else the config's.
        self._idle_ceiling = idle_ceiling or (lambda: config.idle_poll_max or config.poll_interval)
        self._retry_due: float | None = None  # loop time of this worker's earliest scheduled retry
        # True while the worker waits for work and no wake-up has been handed to it yet (wake_idle).
        self.idle = False
        self._stopping = False
        self.worker_id = f"w-{uuid.uuid4().hex[:12]}"

    def wake(self) -> None:
        """Claim again now (or, mid-claim, once more right after it): an event may have been enqueued."""
        self.idle = False  # taken: the next wake_idle picks another worker
        self._wakeup.set()

    def stop(self) -> None:
        self._stopping = True
        self._wakeup.set()

    async def run(self) -> None:
        """Claim and process until stopped. With nothing to do, wait for a wake-up (an enqueue in this
        process, or a NOTIFY from another one) or a poll; the wait doubles while polls find nothing,
        from poll_interval up to the idle ceiling, and never past this worker's next scheduled retry.
        A wake-up or any work resets it. So an idle process costs next to nothing, and the poll is only
        the fallback for what no wake-up announces (an expired lease of a process that died).

        It never ends on an error: each is logged with its context, and the loop backs off (growing
        with the failures in a row, at most MAX_FAILURE_WAIT) before it goes on."""
        loop = asyncio.get_running_loop()
        wait = self._config.poll_interval
        failures = 0  # steps failed in a row
        while not self._stopping:
            # Cleared before the claim, not after: a wake-up that arrives while the claim runs (an
            # event committed just after the claim looked) is kept, and the wait below ends at once.
            self._wakeup.clear()
            try:
                processed = await self.run_once()
                failures = 0
            except DATABASE_UNAVAILABLE as exc:
                # Database away: nothing is lost (events stay in the table); wait and try again.
                INBOX_WORKER_ERRORS.labels("database_unavailable").inc()
                log.warning("inbox claim failed, database unavailable", extra={"error": str(exc)})
                processed, failures = 0, failures + 1
            except Exception as exc:  # a bug or an unreadable row: log it, and keep the worker alive
                INBOX_WORKER_ERRORS.labels("step").inc()
                log.exception(
                    "inbox worker step failed", extra={"worker": self.worker_id, "error": repr(exc)}
                )
                processed, failures = 0, failures + 1
            if processed or self._stopping:
                wait = self._config.poll_interval
                continue
            timeout = wait
            if failures:
                backoff = backoff_seconds(
                    failures, self._config.backoff_base, self._config.backoff_max, random.random()
                )
                timeout = max(self._config.poll_interval, min(backoff, MAX_FAILURE_WAIT))
            elif self._retry_due is not None:
                timeout = min(timeout, max(0.0, self._retry_due - loop.time()))
            self.idle = True
            try:
                await asyncio.wait_for(self._wakeup.wait(), timeout=timeout)
            except TimeoutError:
                if self._retry_due is not None and self._retry_due <= loop.time():
                    self._retry_due = None
                wait = min(max(wait * 2, self._config.poll_interval), self._idle_ceiling())
            else:
                wait = self._config.poll_interval
            finally:
                self.idle = False

    async def run_once(self) -> int:
        now = self._clock()
        claimed = await self._repository.claim(
            worker_id=self.worker_id,
            now=now,
            lease=timedelta(seconds=self._config.lease_seconds),
            supersedable=self._supersedable,
        )
        outcomes = await asyncio.gather(*(self._process(event) for event in claimed))
        handled = [event for event, ok in zip(claimed, outcomes, strict=True) if ok]
        # One transaction finishes the batch. The price: a subject's next event waits for the batch's
        # slowest one (at most the Saleor timeout), not only for its own.
        try:
            await self._repository.finish_many(handled, self.worker_id, self._clock())
        except Exception as exc:
            # The leases expire and the events are processed again; handlers are idempotent.
            INBOX_WORKER_ERRORS.labels("finish").inc()
            log.warning(
                "could not mark events done; they will be retried",
                extra={"events": [event.id for event in handled], "error": repr(exc)},
            )
        else:
            for event in handled:
                log.info(
                    "inbox event processed",
                    extra={**_context(event), "attempt": event.attempts},
                )
        return len(claimed)

    async def _process(self, event: ClaimedEvent) -> bool:
        """Run the event's handler; False (and the failure recorded) when it did not succeed."""
        handler = self._handlers.get(event.event_type)
        started = time.perf_counter()
        try:
            if handler is None:
                raise PermanentError(f"no handler for {event.event_type}")
            await handler(event)
        except Exception as exc:  # every failure is recorded; nothing verified is dropped
            parked = await self._record_failure(event, exc, _context(event))
            self._observe(event, started, "parked" if parked else "retry")
            return False
        self._observe(event, started, "done")
        return True

    @staticmethod
    def _observe(event: ClaimedEvent, started: float, outcome: str) -> None:
        elapsed = time.perf_counter() - started
        INBOX_PROCESSING_SECONDS.labels(event.event_type, outcome).observe(elapsed)

    async def _record_failure(self, event: ClaimedEvent, exc: Exception, context: dict[str, object]) -> bool:
        """Log and store the failure (retry later, or park); True when the event was parked."""
        now = self._clock()
        park = is_permanent(exc) or event.attempts >= self._config.max_attempts
        delay = timedelta(
            seconds=backoff_seconds(
                event.attempts, self._config.backoff_base, self._config.backoff_max, random.random()
            )
        )
        error = f"{type(exc).__name__}: {exc}"
        level = logging.WARNING if isinstance(exc, DependencyError | OperationalError) else logging.ERROR
        log.log(
            level,
            "inbox event parked" if park else "inbox event failed, will retry",
            exc_info=level == logging.ERROR,
            extra={**context, "attempt": event.attempts, "error": error},
        )
        if not park:
            due = asyncio.get_running_loop().time() + delay.total_seconds()
            self._retry_due = due if self._retry_due is None else min(self._retry_due, due)
        try:
            await self._repository.fail(
                event, self.worker_id, error, park=park, retry_at=now + delay, now=now
            )
        except Exception as record_error:
            INBOX_WORKER_ERRORS.labels("record_failure").inc()
            log.warning(
                "could not record failure; the lease will expire and the event is retried",
                extra={**context, "error": repr(record_error)},
            )
            return False
        return park
