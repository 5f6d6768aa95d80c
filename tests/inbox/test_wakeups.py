"""Idle inbox workers: polls back off while nothing happens, a wake-up or a due retry still gets the
event at once, an enqueue wakes one idle worker (not all of them), and on PostgreSQL an enqueue in one
process wakes the others (LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from saleor_upsell_app.inbox.notify import InboxSignal, asyncpg_dsn
from saleor_upsell_app.inbox.repository import ClaimedEvent
from saleor_upsell_app.inbox.worker import InboxWorker, WorkerConfig, wake_idle
from tests.conftest import postgres_database
from tests.inbox.test_inbox_claims import SNAPSHOTS, Inbox, event


class CountingInbox:
    """The real inbox, counting the claims the worker makes."""

    def __init__(self, inner: object) -> None:
        self._inner = inner
        self.claims = 0

    async def claim(self, **kwargs: object) -> list[ClaimedEvent]:
        self.claims += 1
        return await self._inner.claim(**kwargs)  # type: ignore[attr-defined,no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def _config(**overrides: float) -> WorkerConfig:
    values = {
        "poll_interval": 0.02,
        "max_attempts": 5,
        "backoff_base": 0.3,
        "backoff_max": 0.3,
        "lease_seconds": 60,
        "idle_poll_max": 5.0,
    }
    return WorkerConfig(**{**values, **overrides})  # type: ignore[arg-type]


def _now() -> datetime:
    return datetime.now(UTC)


async def _until(condition: object, timeout: float) -> float:
    started = time.perf_counter()
    while not condition():  # type: ignore[operator]
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        await asyncio.sleep(0.002)
    return time.perf_counter() - started


async def test_idle_polls_back_off_and_a_wake_up_still_gets_the_event_at_once(inbox: Inbox) -> None:
    repository, installation_id = inbox
    counting = CountingInbox(repository)
    done: list[str] = []

    async def handler(claimed: ClaimedEvent) -> None:
        done.append(claimed.subject_key)

    config = _config(idle_poll_max=30.0)
    worker = InboxWorker(counting, {"CHECKOUT_UPDATED": handler}, SNAPSHOTS, config, _now)  # type: ignore[arg-type]
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.sleep(3.0)
        # A fixed 20 ms poll would have claimed ~150 times; doubling waits from 20 ms: 20+40+...+1280 ms,
        # so the next poll is seconds away when the event comes.
        assert counting.claims <= 9, counting.claims
        await repository.enqueue_many([event(installation_id, "CHECKOUT_UPDATED", "c:1", 1)])
        worker.wake()
        assert await _until(lambda: done == ["c:1"], timeout=5.0) < 1.0
    finally:
        worker.stop()
        await task


async def test_a_retry_is_not_left_waiting_for_the_idle_poll(inbox: Inbox) -> None:
    repository, installation_id = inbox
    attempts: list[float] = []

    async def handler(claimed: ClaimedEvent) -> None:
        attempts.append(time.perf_counter())
        if len(attempts) == 1:
            raise RuntimeError("Saleor is briefly away")

    config = _config(idle_poll_max=30.0)
    worker = InboxWorker(repository, {"CHECKOUT_UPDATED": handler}, SNAPSHOTS, config, _now)
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.sleep(0.8)  # idle long enough for the wait to have grown
        await repository.enqueue_many([event(installation_id, "CHECKOUT_UPDATED", "c:1", 1)])
        worker.wake()
        await _until(lambda: len(attempts) == 2, timeout=5.0)
        # The backoff is 0.3 s with jitter; the second attempt comes then, not at a 30 s poll.
        assert attempts[1] - attempts[0] < 1.0
    finally:
        worker.stop()
        await task


async def test_the_idle_ceiling_is_asked_each_time() -> None:
    calls: list[int] = []

    class Empty:
        async def claim(self, **kwargs: object) -> list[ClaimedEvent]:
            return []

        async def finish_many(self, *args: object) -> None:
            return None

    def ceiling() -> float:
        calls.append(1)
        return 0.02  # e.g. the listener is down: keep the short poll

    worker = InboxWorker(Empty(), {}, SNAPSHOTS, _config(), _now, ceiling)  # type: ignore[arg-type]
    task = asyncio.create_task(worker.run())
    await asyncio.sleep(0.5)
    worker.stop()
    await task
    assert len(calls) >= 10  # ~every 20 ms: the ceiling held the wait short


def test_only_postgresql_urls_get_a_listener() -> None:
    assert asyncpg_dsn("sqlite+aiosqlite:///x.sqlite3") is None
    assert asyncpg_dsn("postgresql+asyncpg://u:p@127.0.0.1:5432/db") == "postgresql://u:p@127.0.0.1:5432/db"


@pytest.mark.postgres
async def test_notify_wakes_other_processes_listeners_and_is_coalesced() -> None:
    async with postgres_database() as url:
        dsn = asyncpg_dsn(url)
        assert dsn is not None
        woken = {"a": 0, "b": 0}

        def wake(name: str) -> object:
            return lambda: woken.__setitem__(name, woken[name] + 1)

        a = InboxSignal(dsn, wake("a"), min_interval=0.05)
        b = InboxSignal(dsn, wake("b"), min_interval=0.05)
        tasks = [asyncio.create_task(s.run()) for s in (a, b)]
        try:
            await _until(lambda: a.listening and b.listening, timeout=10)
            await asyncio.sleep(0.1)
            before = dict(woken)
            a.notify()
            # Woken by the NOTIFY (no poll runs here); how fast is bench/idle_bench.py's business.
            await _until(lambda: woken["b"] > before["b"], timeout=5.0)
            for _ in range(200):  # a burst of enqueues: a couple of NOTIFYs, not 200
                a.notify()
                await asyncio.sleep(0)
            await asyncio.sleep(0.3)
            assert a.sent <= 4, a.sent
            assert b.sent == 0 and woken["b"] >= before["b"] + 2
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await a.aclose()
            await b.aclose()
        assert not a.listening


async def test_a_wake_up_during_a_claim_is_not_lost(inbox: Inbox) -> None:
    repository, installation_id = inbox
    done: list[str] = []
    workers: list[InboxWorker] = []

    class LateCommit(CountingInbox):
        """The claim finds nothing, and an event commits (and wakes the worker) just after it looked."""

        async def claim(self, **kwargs: object) -> list[ClaimedEvent]:
            found = await super().claim(**kwargs)
            if self.claims == 1:
                await repository.enqueue_many([event(installation_id, "CHECKOUT_UPDATED", "c:late", 1)])
                workers[0].wake()
            return found

    async def handler(claimed: ClaimedEvent) -> None:
        done.append(claimed.subject_key)

    config = _config(poll_interval=30.0, idle_poll_max=30.0)  # no poll would find it in time
    worker = InboxWorker(LateCommit(repository), {"CHECKOUT_UPDATED": handler}, SNAPSHOTS, config, _now)  # type: ignore[arg-type]
    workers.append(worker)
    task = asyncio.create_task(worker.run())
    try:
        await _until(lambda: done == ["c:late"], timeout=2.0)
    finally:
        worker.stop()
        await task


async def _idle(workers: list[InboxWorker]) -> None:
    """Until every worker waits for work (its first, empty claim done)."""
    await _until(lambda: all(worker.idle for worker in workers), timeout=30)


async def test_an_enqueue_wakes_one_idle_worker_not_all(inbox: Inbox) -> None:
    repository, installation_id = inbox
    done: list[str] = []

    async def handler(claimed: ClaimedEvent) -> None:
        done.append(claimed.subject_key)

    config = _config(poll_interval=30.0, idle_poll_max=30.0)  # no poll runs during the test
    inboxes = [CountingInbox(repository) for _ in range(3)]
    workers = [InboxWorker(i, {"CHECKOUT_UPDATED": handler}, SNAPSHOTS, config, _now) for i in inboxes]  # type: ignore[arg-type]
    tasks = [asyncio.create_task(worker.run()) for worker in workers]
    try:
        await _idle(workers)
        before = [i.claims for i in inboxes]
        await repository.enqueue_many([event(installation_id, "CHECKOUT_UPDATED", "c:1", 1)])
        assert wake_idle(workers)
        await _until(lambda: done == ["c:1"], timeout=30)
        await _idle(workers)
        claims = [i.claims - b for i, b in zip(inboxes, before, strict=True)]
        assert sorted(claims) == [0, 0, 2]  # one worker: its claim, and the empty one after it
        # Two enqueues in a row, before any woken worker ran: two different workers are woken.
        await repository.enqueue_many(
            [event(installation_id, "CHECKOUT_UPDATED", f"c:{n}", n) for n in (2, 3)]
        )
        assert wake_idle(workers) and wake_idle(workers)
        await _until(lambda: sorted(done) == ["c:1", "c:2", "c:3"], timeout=30)
    finally:
        for worker in workers:
            worker.stop()
        await asyncio.gather(*tasks)


async def test_with_no_idle_worker_every_worker_is_told_and_the_caller_asks_for_help(inbox: Inbox) -> None:
    repository, _ = inbox
    workers = [InboxWorker(repository, {}, SNAPSHOTS, _config(), _now) for _ in range(2)]
    assert not any(worker.idle for worker in workers)  # not started: none waits for work
    assert not wake_idle(workers)
    assert all(worker._wakeup.is_set() for worker in workers)  # their next wait ends at once
    assert not wake_idle([])  # no workers in this process (RUN_WORKERS=false)


@pytest.mark.postgres
async def test_a_worker_in_its_idle_wait_is_woken_by_another_engines_notify(
    inbox: Inbox, db_url: str
) -> None:
    dsn = asyncpg_dsn(db_url)
    if dsn is None:
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    repository, installation_id = inbox
    done: list[str] = []
    own_wakeups: list[int] = []

    async def handler(claimed: ClaimedEvent) -> None:
        done.append(claimed.subject_key)

    config = _config(poll_interval=30.0, idle_poll_max=30.0)  # no poll would find the event
    worker = InboxWorker(repository, {"CHECKOUT_UPDATED": handler}, SNAPSHOTS, config, _now)
    listener = InboxSignal(dsn, worker.wake)  # the worker's process
    sender = InboxSignal(dsn, lambda: own_wakeups.append(1))  # another process, with no workers
    tasks = [asyncio.create_task(task) for task in (worker.run(), listener.run(), sender.run())]
    try:
        await _until(lambda: listener.listening and sender.listening, timeout=30)
        await _idle([worker])
        woken_on_connect = len(own_wakeups)
        await repository.enqueue_many([event(installation_id, "CHECKOUT_UPDATED", "c:1", 1)])
        assert not wake_idle([])
        sender.notify()
        await _until(lambda: done == ["c:1"], timeout=30)
        assert len(own_wakeups) == woken_on_connect  # a process's own NOTIFY does not come back to it
    finally:
        worker.stop()
        for task in tasks[1:]:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await listener.aclose()
        await sender.aclose()
