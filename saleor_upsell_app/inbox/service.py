"""The inbox's face: enqueue, claim, finish, fail, and what the CLI shows. One transaction per call."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..kit.db import Database
from .repository import InboxRepository
from .types import ClaimedEvent, InboxRow, NewInboxEvent


class Inbox:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue_many(self, events: list[NewInboxEvent]) -> set[tuple[int, str]]:
        """Store verified events in one transaction; the (installation, dedupe key) pairs that were new."""
        async with self._db.transaction() as session:
            return await InboxRepository(session).enqueue_many(events)

    async def claim(
        self, *, worker_id: str, now: datetime, lease: timedelta, supersedable: frozenset[str], limit: int = 8
    ) -> list[ClaimedEvent]:
        async with self._db.transaction() as session:
            return await InboxRepository(session).claim(
                worker_id=worker_id, now=now, lease=lease, supersedable=supersedable, limit=limit
            )

    async def finish_many(self, events: list[ClaimedEvent], worker_id: str, now: datetime) -> None:
        if not events:
            return
        async with self._db.transaction() as session:
            await InboxRepository(session).finish_many(events, worker_id, now)

    async def fail(
        self,
        event: ClaimedEvent,
        worker_id: str,
        error: str,
        *,
        park: bool,
        retry_at: datetime,
        now: datetime,
    ) -> None:
        async with self._db.transaction() as session:
            await InboxRepository(session).fail(
                event, worker_id, error, park=park, retry_at=retry_at, now=now
            )

    async def retry_parked(self, event_id: int | None, now: datetime) -> int:
        """Put parked events (one, or all) back in the queue, e.g. after fixing what made them fail."""
        async with self._db.transaction() as session:
            return await InboxRepository(session).retry_parked(event_id, now)

    async def rows(self, status: str | None = None, limit: int = 100) -> list[InboxRow]:
        async with self._db.read() as session:
            return await InboxRepository(session).rows(status, limit)

    async def counts(self) -> dict[str, int]:
        async with self._db.read() as session:
            return await InboxRepository(session).counts()
