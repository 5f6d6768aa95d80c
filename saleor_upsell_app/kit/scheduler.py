"""One in-process scheduler, safe with several app processes on one database: each job runs once per
period across all of them.

A job has a name, a period function (the moment → the period it falls in, e.g. "2026-12-02T03" for an
hourly job) and a coroutine. Every tick, each process tries to insert the row (job, period) into
``scheduled_runs``; the unique constraint lets exactly one insert succeed, and only that process runs the
job for the period, then marks the row done (or failed, with the error). A process that crashes mid-run
leaves the row ``running``: the period is not run twice, the next period runs as usual.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from .clock import Clock
from .db import Database
from .db.repository import insert_for
from .scheduled_runs import ScheduledRun

log = logging.getLogger("saleor_upsell.scheduler")

Period = Callable[[datetime], str]


def hourly(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H")


def daily(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def weekly(moment: datetime) -> str:
    """The ISO week (UTC), e.g. 2026-W49: a weekly job runs in the first tick of each week."""
    calendar = moment.astimezone(UTC).isocalendar()
    return f"{calendar.year}-W{calendar.week:02d}"


def every(seconds: float) -> Period:
    """Fixed slots of ``seconds`` since the epoch (tests and short periods)."""
    if seconds <= 0:
        raise ValueError("a period must be positive")
    return lambda moment: f"{seconds:g}s:{int(moment.timestamp() // seconds)}"


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    period: Period
    run: Callable[[datetime], Awaitable[None]]  # given the moment of the tick that claimed it


def process_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Scheduler:
    def __init__(
        self,
        db: Database,
        jobs: Sequence[Job],
        clock: Clock,
        *,
        tick_seconds: float = 30.0,
        owner: str | None = None,
    ) -> None:
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError("job names must be unique")
        self._db = db
        self._jobs = list(jobs)
        self._clock = clock
        self._tick = tick_seconds
        self.owner = owner or process_owner()
        self._stop = asyncio.Event()

    async def claim(self, job: Job, period: str, now: datetime) -> bool:
        """True for the one process whose insert of (job, period) succeeded."""
        async with self._db.transaction() as session:
            bind = session.bind
            assert bind is not None
            statement = (
                insert_for(bind.dialect.name)(ScheduledRun)
                .values(job=job.name, period=period, owner=self.owner, status="running", started_at=now)
                .on_conflict_do_nothing(index_elements=["job", "period"])
            )
            result = await session.execute(statement)
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _finish(self, job: Job, period: str, error: str | None) -> None:
        async with self._db.transaction() as session:
            await session.execute(
                update(ScheduledRun)
                .where(ScheduledRun.job == job.name, ScheduledRun.period == period)
                .values(status="failed" if error else "done", error=error, finished_at=self._clock())
            )

    async def run_due(self) -> list[str]:
        """One tick: run every job whose current period no process has claimed yet. Returns their names."""
        ran = []
        for job in self._jobs:
            now = self._clock()
            period = job.period(now)
            if not await self.claim(job, period, now):
                continue
            error = None
            try:
                await job.run(now)
            except Exception as exc:  # a failing job must not stop the others or the loop
                log.exception("scheduled job failed", extra={"job": job.name, "period": period})
                error = f"{type(exc).__name__}: {exc}"[:2000]
            await self._finish(job, period, error)
            log.info(
                "scheduled job ran",
                extra={"job": job.name, "period": period, "owner": self.owner, "failed": error is not None},
            )
            ran.append(job.name)
        return ran

    async def run(self) -> None:
        """Tick until stopped. A database hiccup skips a tick; it does not end the loop."""
        while not self._stop.is_set():
            try:
                await self.run_due()
            except Exception:
                log.exception("scheduler tick failed")
            try:
                # Jittered, so that which process claims a period varies and ticks do not pile up.
                await asyncio.wait_for(self._stop.wait(), timeout=self._tick * random.uniform(0.5, 1.5))
            except TimeoutError:
                pass

    def stop(self) -> None:
        self._stop.set()


async def recent_runs(db: Database, since: timedelta, now: datetime) -> list[ScheduledRun]:
    """The runs started in the last ``since`` (newest first), for health pages and tests."""
    async with db.read() as session:
        rows = await session.scalars(
            select(ScheduledRun)
            .where(ScheduledRun.started_at >= now - since)
            .order_by(ScheduledRun.started_at.desc(), ScheduledRun.id.desc())
        )
        return list(rows)
