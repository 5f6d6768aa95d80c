"""The inbox's face: enqueue, claim, finish, fail, and what the CLI shows. One transaction per call."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from ..kit.db import DATABASE_UNAVAILABLE, Database
from . import postgres
from .repository import InboxRepository
from .types import ClaimedEvent, InboxDepth, InboxRow, NewInboxEvent

log = logging.getLogger("saleor_upsell.inbox")


class Inbox:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue_many(self, events: list[NewInboxEvent]) -> set[tuple[int, str]]:
        """Store verified events in one transaction; the (installation, dedupe key) pairs that were new."""
        if self._db.dialect == "postgresql":  # one statement on the driver connection
            async with self._db.driver() as connection:
                return await postgres.enqueue_many(connection, events)
        async with self._db.transaction() as session:
            return await InboxRepository(session).enqueue_many(events)

    async def claim(
        self, *, worker_id: str, now: datetime, lease: timedelta, supersedable: frozenset[str], limit: int = 8
    ) -> list[ClaimedEvent]:
        """Lease due events (InboxRepository.claim). A claim failing for a reason other than the
        database being away is looked into: due rows that cannot be loaded are parked, so one unreadable
        row cannot stop every claim; the error is raised again when no such row is found."""
        try:
            if self._db.dialect == "postgresql":  # one statement on the driver connection
                async with self._db.driver() as connection:
                    return await postgres.claim(
                        connection,
                        worker_id=worker_id,
                        now=now,
                        lease=lease,
                        supersedable=supersedable,
                        limit=limit,
                    )
            async with self._db.transaction() as session:
                return await InboxRepository(session).claim(
                    worker_id=worker_id, now=now, lease=lease, supersedable=supersedable, limit=limit
                )
        except DATABASE_UNAVAILABLE:
            raise
        except Exception:
            if not await self._park_unreadable(now, limit * 4):
                raise
            return []

    async def _park_unreadable(self, now: datetime, limit: int) -> int:
        async with self._db.read() as session:
            ids = await InboxRepository(session).due_ids(now, limit)
        parked = 0
        for event_id in ids:
            try:
                async with self._db.read() as session:
                    await InboxRepository(session).load(event_id)
            except DATABASE_UNAVAILABLE:
                raise
            except Exception as exc:
                error = f"unreadable row: {type(exc).__name__}: {exc}"
                log.error("inbox event parked", extra={"event_id": event_id, "error": error})
                async with self._db.transaction() as session:
                    await InboxRepository(session).park_unreadable(event_id, error, now)
                parked += 1
        return parked

    async def finish_many(self, events: list[ClaimedEvent], worker_id: str, now: datetime) -> None:
        if not events:
            return
        if self._db.dialect == "postgresql":  # one statement on the driver connection
            async with self._db.driver() as connection:
                await postgres.finish_many(connection, events, worker_id, now)
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

    async def depth(self) -> InboxDepth:
        async with self._db.read() as session:
            return await InboxRepository(session).depth()

    async def counts(self) -> dict[str, int]:
        async with self._db.read() as session:
            return await InboxRepository(session).counts()
