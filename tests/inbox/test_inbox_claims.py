"""The inbox claim on a real database: one event per subject at a time, newest snapshot wins, events of a
subject in the order Saleor issued them, and many workers at once without losing or repeating one."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from saleor_upsell_app.inbox.repository import ClaimedEvent, NewInboxEvent
from saleor_upsell_app.inbox.service import Inbox as InboxService
from saleor_upsell_app.inbox.worker import InboxWorker, WorkerConfig

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)
SNAPSHOTS = frozenset({"CHECKOUT_UPDATED"})
Inbox = tuple[InboxService, int]  # the inbox, and the id of the installation its events belong to


def event(installation_id: int, event_type: str, subject: str, n: int) -> NewInboxEvent:
    return NewInboxEvent(
        installation_id=installation_id,
        event_type=event_type,
        dedupe_key=f"{subject}-{n}",
        subject_key=subject,
        issued_at=T0 + timedelta(seconds=n),
        payload=f'{{"n": {n}}}',
        received_at=T0,
    )


async def claim(repository: InboxService, worker: str, at: datetime = T0) -> list[ClaimedEvent]:
    return await repository.claim(worker_id=worker, now=at, lease=LEASE, supersedable=SNAPSHOTS)


async def test_newest_snapshot_is_claimed_and_older_ones_superseded(inbox: Inbox) -> None:
    repository, installation_id = inbox
    await repository.enqueue_many(
        [event(installation_id, "CHECKOUT_UPDATED", "checkout:A", n) for n in (1, 2, 3)]
        + [event(installation_id, "CHECKOUT_UPDATED", "checkout:B", 4)]
    )
    claimed = await claim(repository, "w1")
    by_subject = {c.subject_key: c for c in claimed}
    assert set(by_subject) == {"checkout:A", "checkout:B"}
    assert json.loads(by_subject["checkout:A"].payload) == {"n": 3}
    assert len(by_subject["checkout:A"].superseded_ids) == 2
    assert by_subject["checkout:A"].attempts == 1
    counts = await repository.counts()
    assert counts == {"processing": 2, "superseded": 2}


async def test_a_subject_is_held_until_its_event_is_finished(inbox: Inbox) -> None:
    repository, installation_id = inbox
    await repository.enqueue_many([event(installation_id, "ORDER_CREATED", "order:1", 1)])
    first = await claim(repository, "w1")
    await repository.enqueue_many([event(installation_id, "ORDER_CREATED", "order:1", 2)])
    assert await claim(repository, "w2") == []  # order:1 is leased by w1
    await repository.finish_many(first, "w1", T0)
    second = await claim(repository, "w2")
    assert [json.loads(c.payload) for c in second] == [{"n": 2}]


async def test_events_that_are_not_snapshots_are_claimed_oldest_first(inbox: Inbox) -> None:
    repository, installation_id = inbox
    await repository.enqueue_many([event(installation_id, "ORDER_CREATED", "order:1", n) for n in (2, 1, 3)])
    seen = []
    while claimed := await claim(repository, "w1"):
        seen += [json.loads(c.payload)["n"] for c in claimed]
        await repository.finish_many(claimed, "w1", T0)
    assert seen == [1, 2, 3]


async def test_an_expired_lease_lets_another_worker_take_over(inbox: Inbox) -> None:
    repository, installation_id = inbox
    await repository.enqueue_many([event(installation_id, "ORDER_CREATED", "order:1", 1)])
    assert len(await claim(repository, "crashed")) == 1
    assert await claim(repository, "w2", T0 + LEASE / 2) == []
    retaken = await claim(repository, "w2", T0 + LEASE + timedelta(seconds=1))
    assert [(json.loads(c.payload), c.attempts) for c in retaken] == [({"n": 1}, 2)]


@pytest.mark.parametrize("event_type", ["ORDER_CREATED", "CHECKOUT_UPDATED"])
async def test_many_workers_at_once_process_each_subject_in_order(
    inbox: Inbox, event_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Eight workers (as in two app processes) race over 40 subjects while new events keep arriving:
    nothing is lost, no subject goes backwards in time, and no claim fails (e.g. on a deadlock)."""
    repository, installation_id = inbox
    processed: dict[str, list[int]] = {}
    in_flight: set[str] = set()
    overlaps: list[str] = []

    async def handler(claimed: ClaimedEvent) -> None:
        if claimed.subject_key in in_flight:
            overlaps.append(claimed.subject_key)
        in_flight.add(claimed.subject_key)
        await asyncio.sleep(0.002)
        processed.setdefault(claimed.subject_key, []).append(json.loads(claimed.payload)["n"])
        in_flight.discard(claimed.subject_key)

    config = WorkerConfig(
        poll_interval=0.01, max_attempts=3, backoff_base=0.01, backoff_max=0.01, lease_seconds=60
    )
    workers = [
        InboxWorker(repository, {event_type: handler}, SNAPSHOTS, config, lambda: datetime.now(UTC))
        for _ in range(8)
    ]
    tasks = [asyncio.create_task(worker.run()) for worker in workers]
    subjects = [f"s:{i}" for i in range(40)]
    rounds = 6
    with caplog.at_level(logging.WARNING, logger="saleor_upsell.inbox"):
        for n in range(rounds):  # each round: one new event per subject, issued later than the last
            batch = [
                NewInboxEvent(
                    installation_id=installation_id,
                    event_type=event_type,
                    dedupe_key=f"{subject}-{n}",
                    subject_key=subject,
                    issued_at=T0 + timedelta(seconds=n),
                    payload=f'{{"n": {n}}}',
                    received_at=datetime.now(UTC),
                )
                for subject in subjects
            ]
            await repository.enqueue_many(batch)
            for worker in workers:
                worker.wake()
            await asyncio.sleep(0.02)
        for _ in range(500):
            counts = await repository.counts()
            if counts.get("pending", 0) == 0 and counts.get("processing", 0) == 0:
                break
            await asyncio.sleep(0.02)
    for worker in workers:
        worker.stop()
    await asyncio.gather(*tasks)

    assert overlaps == []
    warnings = [(r.message, getattr(r, "error", "")) for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == []  # e.g. "inbox claim failed" on a deadlock
    for subject in subjects:
        seen = processed[subject]
        assert seen == sorted(seen), (subject, seen)  # never an older snapshot after a newer one
        assert seen[-1] == rounds - 1  # the newest event is always processed
        if event_type == "ORDER_CREATED":
            assert seen == list(range(rounds))  # not snapshots: every event, once
    counts = await repository.counts()
    assert counts.get("done", 0) + counts.get("superseded", 0) == len(subjects) * rounds
