"""Inbox table access: enqueue (deduplicated), claim (leased, per subject), finish, retry, park."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..store.models import InboxEvent, SubjectLease

PENDING, PROCESSING, DONE, PARKED, SUPERSEDED = "pending", "processing", "done", "parked", "superseded"


@dataclass(frozen=True, slots=True)
class NewInboxEvent:
    installation_id: int
    event_type: str
    dedupe_key: str
    subject_key: str
    issued_at: datetime
    payload: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    id: int
    installation_id: int
    event_type: str
    subject_key: str
    issued_at: datetime
    payload: dict[str, Any]
    attempts: int
    superseded_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class InboxRow:
    id: int
    installation_id: int
    event_type: str
    subject_key: str
    status: str
    attempts: int
    issued_at: datetime
    received_at: datetime
    next_attempt_at: datetime
    last_error: str | None


_UNNEST_INSERT = text(
    """
    INSERT INTO inbox_events (installation_id, event_type, dedupe_key, subject_key, issued_at, payload,
                              status, attempts, next_attempt_at, received_at)
    SELECT i, t, d, s, ia, p, 'pending', 0, r, r
    FROM unnest(CAST(:installation_id AS integer[]), CAST(:event_type AS varchar[]),
                CAST(:dedupe_key AS varchar[]), CAST(:subject_key AS varchar[]),
                CAST(:issued_at AS timestamptz[]), CAST(:payload AS text[]),
                CAST(:received_at AS timestamptz[]))
         AS batch(i, t, d, s, ia, p, r)
    ON CONFLICT (installation_id, dedupe_key) DO NOTHING
    RETURNING installation_id, dedupe_key
    """
)


def _insert_for(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class InboxRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], dialect: str) -> None:
        self._sessions = sessions
        self._dialect = dialect
        self._insert = _insert_for(dialect)

    async def enqueue_many(self, events: list[NewInboxEvent]) -> set[tuple[int, str]]:
        """Store verified events in one transaction; returns the (installation, dedupe key) pairs that
        were new. A delivery already stored (Saleor's retry, a replay) is skipped by the unique key."""
        unique = list({(e.installation_id, e.dedupe_key): e for e in events}.values())
        if self._dialect == "postgresql":
            rows = await self._insert_unnest(unique)
        else:
            rows = await self._insert_rows(unique)
        return {(row.installation_id, row.dedupe_key) for row in rows}

    async def _insert_rows(self, events: list[NewInboxEvent]) -> list[Any]:
        statement = (
            self._insert(InboxEvent)
            .on_conflict_do_nothing(index_elements=["installation_id", "dedupe_key"])
            .returning(InboxEvent.installation_id, InboxEvent.dedupe_key)
        )
        parameters = [
            {
                "installation_id": e.installation_id,
                "event_type": e.event_type,
                "dedupe_key": e.dedupe_key,
                "subject_key": e.subject_key,
                "issued_at": e.issued_at,
                "payload": e.payload,
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": e.received_at,
                "received_at": e.received_at,
            }
            for e in events
        ]
        async with self._sessions() as session, session.begin():
            return list((await session.execute(statement, parameters)).all())

    async def _insert_unnest(self, events: list[NewInboxEvent]) -> list[Any]:
        """PostgreSQL: the whole batch as column arrays in one statement (the ingest hot path)."""
        columns = {
            "installation_id": [e.installation_id for e in events],
            "event_type": [e.event_type for e in events],
            "dedupe_key": [e.dedupe_key for e in events],
            "subject_key": [e.subject_key for e in events],
            "issued_at": [e.issued_at for e in events],
            "payload": [e.payload for e in events],
            "received_at": [e.received_at for e in events],
        }
        async with self._sessions() as session, session.begin():
            result = await session.execute(_UNNEST_INSERT, columns)
            return list(result.all())

    async def claim(
        self, *, worker_id: str, now: datetime, lease: timedelta, supersedable: frozenset[str], limit: int = 8
    ) -> list[ClaimedEvent]:
        """Lease due events, at most one per subject (checkout/order) across all workers and processes.

        For a subject whose events are snapshots (`supersedable`), only the newest waiting event is
        processed and the older ones are marked superseded.
        """
        due = or_(
            and_(InboxEvent.status == PENDING, InboxEvent.next_attempt_at <= now),
            and_(InboxEvent.status == PROCESSING, InboxEvent.locked_until < now),
        )
        candidates_query = (
            select(InboxEvent.id, InboxEvent.installation_id, InboxEvent.subject_key, InboxEvent.event_type)
            .where(due)
            .order_by(InboxEvent.issued_at, InboxEvent.id)
            .limit(limit * 4)
        )
        if self._dialect == "postgresql":
            candidates_query = candidates_query.with_for_update(skip_locked=True)
        claimed: list[ClaimedEvent] = []
        async with self._sessions() as session, session.begin():
            candidates = (await session.execute(candidates_query)).all()
            seen_subjects: set[str] = set()
            for candidate in candidates:
                subject = f"{candidate.installation_id}:{candidate.subject_key}"
                if subject in seen_subjects or len(claimed) >= limit:
                    continue
                seen_subjects.add(subject)
                if not await self._lease_subject(session, subject, worker_id, now, now + lease):
                    continue
                event = await self._pick_for_subject(session, candidate, due, supersedable, now)
                if event is None:
                    await self._release(session, subject, worker_id)
                    continue
                row, superseded = event
                row.status = PROCESSING
                row.locked_by = worker_id
                row.locked_until = now + lease
                row.attempts += 1
                claimed.append(
                    ClaimedEvent(
                        id=row.id,
                        installation_id=row.installation_id,
                        event_type=row.event_type,
                        subject_key=row.subject_key,
                        issued_at=row.issued_at,
                        payload=json.loads(row.payload),
                        attempts=row.attempts,
                        superseded_ids=superseded,
                    )
                )
        return claimed

    async def _pick_for_subject(
        self, session: AsyncSession, candidate: Any, due: Any, supersedable: frozenset[str], now: datetime
    ) -> tuple[InboxEvent, tuple[int, ...]] | None:
        rows = list(
            await session.scalars(
                select(InboxEvent)
                .where(
                    InboxEvent.installation_id == candidate.installation_id,
                    InboxEvent.subject_key == candidate.subject_key,
                    due,
                )
                .order_by(InboxEvent.issued_at, InboxEvent.id)
            )
        )
        if not rows:
            return None
        if candidate.event_type not in supersedable:
            return rows[0], ()
        newest, older = rows[-1], rows[:-1]
        for row in older:
            row.status = SUPERSEDED
            row.finished_at = now
            row.last_error = f"superseded by event {newest.id}"
        return newest, tuple(row.id for row in older)

    async def _lease_subject(
        self, session: AsyncSession, subject: str, owner: str, now: datetime, expires_at: datetime
    ) -> bool:
        statement = (
            self._insert(SubjectLease)
            .values(subject_key=subject, owner=owner, expires_at=expires_at)
            .on_conflict_do_update(
                index_elements=["subject_key"],
                set_={"owner": owner, "expires_at": expires_at},
                where=SubjectLease.expires_at < now,
            )
        )
        result = await session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _release(self, session: AsyncSession, subject: str, owner: str) -> None:
        await session.execute(
            delete(SubjectLease).where(SubjectLease.subject_key == subject, SubjectLease.owner == owner)
        )

    async def finish(self, event: ClaimedEvent, worker_id: str, now: datetime) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(InboxEvent)
                .where(InboxEvent.id == event.id, InboxEvent.locked_by == worker_id)
                .values(status=DONE, finished_at=now, locked_until=None, last_error=None)
            )
            await self._release(session, f"{event.installation_id}:{event.subject_key}", worker_id)

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
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(InboxEvent)
                .where(InboxEvent.id == event.id, InboxEvent.locked_by == worker_id)
                .values(
                    status=PARKED if park else PENDING,
                    next_attempt_at=retry_at,
                    locked_until=None,
                    last_error=error[:4000],
                    finished_at=now if park else None,
                )
            )
            await self._release(session, f"{event.installation_id}:{event.subject_key}", worker_id)

    async def retry_parked(self, event_id: int | None, now: datetime) -> int:
        """Put parked events (one, or all) back in the queue, e.g. after fixing what made them fail."""
        statement = update(InboxEvent).where(InboxEvent.status == PARKED)
        if event_id is not None:
            statement = statement.where(InboxEvent.id == event_id)
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                statement.values(status=PENDING, next_attempt_at=now, attempts=0, finished_at=None)
            )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def rows(self, status: str | None = None, limit: int = 100) -> list[InboxRow]:
        query = select(InboxEvent).order_by(InboxEvent.id.desc()).limit(limit)
        if status is not None:
            query = query.where(InboxEvent.status == status)
        async with self._sessions() as session:
            return [
                InboxRow(
                    id=row.id,
                    installation_id=row.installation_id,
                    event_type=row.event_type,
                    subject_key=row.subject_key,
                    status=row.status,
                    attempts=row.attempts,
                    issued_at=row.issued_at,
                    received_at=row.received_at,
                    next_attempt_at=row.next_attempt_at,
                    last_error=row.last_error,
                )
                for row in await session.scalars(query)
            ]

    async def counts(self) -> dict[str, int]:
        async with self._sessions() as session:
            result = await session.execute(
                select(InboxEvent.status, func.count()).group_by(InboxEvent.status)
            )
            return {status: count for status, count in result.all()}
