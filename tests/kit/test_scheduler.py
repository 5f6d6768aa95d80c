"""The scheduler: each job once per period, however many schedulers (processes) share the database; a
failing job is recorded and does not stop the others."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from saleor_upsell_app.kit.db import Database
from saleor_upsell_app.kit.db.migrate import upgrade_to_head_async
from saleor_upsell_app.kit.scheduled_runs import ScheduledRun
from saleor_upsell_app.kit.scheduler import Job, Scheduler, daily, every, hourly, recent_runs, weekly

START = datetime(2026, 12, 2, 3, 59, 58, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_periods() -> None:
    assert hourly(START) == "2026-12-02T03" and daily(START) == "2026-12-02" and weekly(START) == "2026-W49"
    slot = every(60)
    assert slot(START) == slot(START.replace(second=0)) != slot(START + timedelta(seconds=2))
    with pytest.raises(ValueError):
        every(0)


async def test_each_job_runs_once_per_period_across_schedulers(db_url: str) -> None:
    await upgrade_to_head_async(db_url)
    db = Database(db_url)
    clock = Clock(START)
    ran: list[tuple[str, datetime]] = []

    def job(name: str) -> Job:
        async def run(now: datetime) -> None:
            ran.append((name, now))
            await asyncio.sleep(0.01)  # others tick meanwhile

        return Job(name, every(60), run)

    jobs = [job("guardrail"), job("digest")]
    schedulers = [Scheduler(db, jobs, clock, owner=f"process-{n}") for n in range(3)]
    try:
        for _ in range(3):  # three ticks of three schedulers in the same minute: one run of each job
            await asyncio.gather(*(s.run_due() for s in schedulers))
        clock.now = START + timedelta(seconds=5)  # the next minute: each job once more
        for _ in range(2):
            await asyncio.gather(*(s.run_due() for s in schedulers))
        assert sorted(ran) == [
            ("digest", START), ("digest", START + timedelta(seconds=5)),
            ("guardrail", START), ("guardrail", START + timedelta(seconds=5)),
        ]  # fmt: skip
        runs = await recent_runs(db, timedelta(days=1), clock.now)
        assert len(runs) == 4 and {r.status for r in runs} == {"done"}
        assert all(r.finished_at is not None for r in runs)
        assert {r.owner for r in runs} <= {"process-0", "process-1", "process-2"}
    finally:
        await db.dispose()


async def test_a_failing_job_is_recorded_and_the_others_run(sqlite_url: str) -> None:
    await upgrade_to_head_async(sqlite_url)
    db = Database(sqlite_url)
    done: list[str] = []

    async def broken(now: datetime) -> None:
        raise RuntimeError("Saleor is down")

    async def fine(now: datetime) -> None:
        done.append("fine")

    scheduler = Scheduler(db, [Job("broken", hourly, broken), Job("fine", hourly, fine)], Clock(START))
    try:
        assert await scheduler.run_due() == ["broken", "fine"]
        assert await scheduler.run_due() == []  # both ran for this hour (the failure is not retried)
        async with db.read() as session:
            rows = {r.job: r for r in await session.scalars(select(ScheduledRun))}
        assert rows["broken"].status == "failed" and rows["broken"].error == "RuntimeError: Saleor is down"
        assert rows["fine"].status == "done" and done == ["fine"]
    finally:
        await db.dispose()


async def test_the_loop_ticks_until_stopped(sqlite_url: str) -> None:
    await upgrade_to_head_async(sqlite_url)
    db = Database(sqlite_url)
    seen: list[datetime] = []
    clock = Clock(START)
    three = asyncio.Event()

    async def record(now: datetime) -> None:
        seen.append(now)
        clock.now += timedelta(seconds=1)  # each tick lands in a new one-second slot
        if len(seen) == 3:
            three.set()

    scheduler = Scheduler(db, [Job("tick", every(1), record)], clock, tick_seconds=0.01)
    task = asyncio.create_task(scheduler.run())
    try:
        await asyncio.wait_for(three.wait(), 10)
    finally:
        scheduler.stop()
        await asyncio.wait_for(task, 5)
        await db.dispose()
    assert seen[:3] == [START, START + timedelta(seconds=1), START + timedelta(seconds=2)]
