"""Inbox table access inside the caller's transaction: enqueue (deduplicated), claim (leased, per
subject), finish, retry, park. The inbox knows no event type: payloads are kept as the raw JSON text."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import String, and_, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..kit.db.repository import Repository
from .models import InboxEvent, SubjectLease
from .types import ClaimedEvent, InboxDepth, InboxRow, NewInboxEvent, distinct_deliveries


class InboxStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    PARKED = "parked"
    SUPERSEDED = "superseded"


PENDING, PROCESSING, DONE, PARKED, SUPERSEDED = (
    InboxStatus.PENDING,
    InboxStatus.PROCESSING,
    InboxStatus.DONE,
    InboxStatus.PARKED,
    InboxStatus.SUPERSEDED,
)


def lease_key(installation_id: int, subject_key: str) -> str:
    """A subject's row in subject_leases (the claim's candidate scan builds the same key in SQL)."""
    return f"{installation_id}:{subject_key}"


def _choose(
    by_subject: dict[str, list[Any]], subjects: dict[str, Any], supersedable: frozenset[str]
) -> tuple[list[Any], dict[int, int]]:
    """The event to process per subject: the newest snapshot (older ones superseded: old id -> new id)
    or, for events that are not snapshots, the oldest. A subject with nothing due gets nothing."""
    chosen: list[Any] = []
    superseded: dict[int, int] = {}
    for key, rows in by_subject.items():
        if not rows:
            continue  # processed by someone else since the candidates were read
        if subjects[key].event_type in supersedable:
            superseded.update({row.id: rows[-1].id for row in rows[:-1]})
            chosen.append(rows[-1])
        else:
            chosen.append(rows[0])
    return chosen, superseded


def _due(now: datetime) -> Any:
    return or_(
        and_(InboxEvent.status == PENDING, InboxEvent.next_attempt_at <= now),
        and_(InboxEvent.status == PROCESSING, InboxEvent.locked_until < now),
    )


_CLAIM_COLUMNS = (
    InboxEvent.id,
    InboxEvent.installation_id,
    InboxEvent.event_type,
    InboxEvent.subject_key,
    InboxEvent.issued_at,
    InboxEvent.payload,
    InboxEvent.attempts,
)


class InboxRepository(Repository):
    async def enqueue_many(self, events: list[NewInboxEvent]) -> set[tuple[int, str]]:
        """Store verified events in one transaction; returns the (installation, dedupe key) pairs that
        were new. A delivery already stored (Saleor's retry, a replay) is skipped by the unique key."""
        unique = distinct_deliveries(events)
        rows = await self._insert_rows(unique)  # (PostgreSQL's ingest runs inbox/postgres.enqueue_many)
        return {(row.installation_id, row.dedupe_key) for row in rows}

    async def _insert_rows(self, events: list[NewInboxEvent]) -> list[Any]:
        statement = (
            self.insert(InboxEvent)
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
        session = self.session
        return list((await session.execute(statement, parameters)).all())

    async def claim(
        self, *, worker_id: str, now: datetime, lease: timedelta, supersedable: frozenset[str], limit: int = 8
    ) -> list[ClaimedEvent]:
        """Lease due events, at most one per subject (checkout/order) across all workers and processes.

        For a subject whose events are snapshots (`supersedable`), only the newest waiting event is
        processed and the older ones are marked superseded. One transaction of at most six statements,
        however many events it claims: this runs for every batch a worker takes.
        """
        due = _due(now)
        # No row locks here: the subject lease is the only lock a claim takes before it writes, so two
        # claims can't each hold a row the other waits for (FOR UPDATE SKIP LOCKED candidates did
        # deadlock against the lease upsert). Subjects leased by others are left out of the scan.
        leased_elsewhere = (
            select(SubjectLease.subject_key)
            .where(
                SubjectLease.subject_key
                == cast(InboxEvent.installation_id, String) + ":" + InboxEvent.subject_key,
                SubjectLease.expires_at >= now,
            )
            .exists()
        )
        candidates_query = (
            select(InboxEvent.installation_id, InboxEvent.subject_key, InboxEvent.event_type)
            .where(due, ~leased_elsewhere)
            .order_by(InboxEvent.issued_at, InboxEvent.id)
            .limit(limit * 4)
        )
        session = self.session
        subjects: dict[str, Any] = {}  # lease key -> first candidate, in issue order
        for candidate in (await session.execute(candidates_query)).all():
            subjects.setdefault(lease_key(candidate.installation_id, candidate.subject_key), candidate)
            if len(subjects) >= limit:
                break
        if not subjects:
            return []
        leased = await self._lease_subjects(session, sorted(subjects), worker_id, now, now + lease)
        if not leased:
            return []
        by_subject = await self._due_rows_by_subject(session, subjects, leased, due)
        chosen, superseded = _choose(by_subject, subjects, supersedable)
        await self._mark(session, chosen, superseded, worker_id, now, now + lease)
        idle = [key for key, subject_rows in by_subject.items() if not subject_rows]
        if idle:
            await self._release(session, idle, worker_id)
        return [
            ClaimedEvent(
                id=row.id,
                installation_id=row.installation_id,
                event_type=row.event_type,
                subject_key=row.subject_key,
                issued_at=row.issued_at,
                payload=row.payload,
                attempts=row.attempts + 1,
                superseded_ids=tuple(old for old, new in superseded.items() if new == row.id),
            )
            for row in chosen
        ]

    async def _due_rows_by_subject(
        self, session: AsyncSession, subjects: dict[str, Any], leased: list[str], due: Any
    ) -> dict[str, list[Any]]:
        """Every due event of the leased subjects, oldest first, by lease key."""
        rows = await session.execute(
            select(*_CLAIM_COLUMNS)
            .where(
                InboxEvent.subject_key.in_({subjects[key].subject_key for key in leased}),
                InboxEvent.installation_id.in_({subjects[key].installation_id for key in leased}),
                due,
            )
            .order_by(InboxEvent.issued_at, InboxEvent.id)
        )
        by_subject: dict[str, list[Any]] = {key: [] for key in leased}
        for row in rows:
            key = lease_key(row.installation_id, row.subject_key)
            if key in by_subject:
                by_subject[key].append(row)
        return by_subject

    async def _mark(
        self,
        session: AsyncSession,
        chosen: list[Any],
        superseded: dict[int, int],
        worker_id: str,
        now: datetime,
        locked_until: datetime,
    ) -> None:
        if chosen:
            await session.execute(
                update(InboxEvent)
                .where(InboxEvent.id.in_([row.id for row in chosen]))
                .values(
                    status=PROCESSING,
                    locked_by=worker_id,
                    locked_until=locked_until,
                    attempts=InboxEvent.attempts + 1,
                )
            )
        if superseded:
            await session.execute(  # bulk update by primary key
                update(InboxEvent),
                [
                    {
                        "id": old,
                        "status": SUPERSEDED,
                        "finished_at": now,
                        "last_error": f"superseded by event {new}",
                    }
                    for old, new in superseded.items()
                ],
            )

    async def _lease_subjects(
        self, session: AsyncSession, keys: list[str], owner: str, now: datetime, expires_at: datetime
    ) -> list[str]:
        """Take the leases that are free or expired; returns the keys now held by `owner`.

        Keys come sorted, so two claims racing for overlapping subjects lock them in the same order."""
        statement = self.insert(SubjectLease).values(
            [{"subject_key": key, "owner": owner, "expires_at": expires_at} for key in keys]
        )
        statement = statement.on_conflict_do_update(
            index_elements=["subject_key"],
            set_={"owner": statement.excluded.owner, "expires_at": statement.excluded.expires_at},
            where=SubjectLease.expires_at < now,
        ).returning(SubjectLease.subject_key)
        return list((await session.scalars(statement)).all())

    async def _release(self, session: AsyncSession, keys: list[str], owner: str) -> None:
        await session.execute(
            delete(SubjectLease).where(SubjectLease.subject_key.in_(keys), SubjectLease.owner == owner)
        )

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        """The next due events' ids, in claim order (reads no column that could fail to load)."""
        query = select(InboxEvent.id).where(_due(now)).order_by(InboxEvent.id).limit(limit)
        return list((await self.session.scalars(query)).all())

    async def load(self, event_id: int) -> None:
        """Read what a claim reads of one event; raises if the stored row cannot be loaded."""
        await self.session.execute(select(*_CLAIM_COLUMNS).where(InboxEvent.id == event_id))

    async def park_unreadable(self, event_id: int, error: str, now: datetime) -> None:
        await self.session.execute(
            update(InboxEvent)
            .where(InboxEvent.id == event_id)
            .values(status=PARKED, locked_until=None, last_error=error[:4000], finished_at=now)
        )

    async def finish_many(self, events: list[ClaimedEvent], worker_id: str, now: datetime) -> None:
        """Mark a batch done and free its subjects."""
        if not events:
            return
        session = self.session
        # Lease rows first, in key order, as a claim takes them: no lock-order cycle with a claim
        # taking over an expired lease.
        await self._release(
            session, sorted(lease_key(e.installation_id, e.subject_key) for e in events), worker_id
        )
        await session.execute(
            update(InboxEvent)
            .where(InboxEvent.id.in_([event.id for event in events]), InboxEvent.locked_by == worker_id)
            .values(status=DONE, finished_at=now, locked_until=None, last_error=None)
        )

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
        session = self.session
        await self._release(session, [lease_key(event.installation_id, event.subject_key)], worker_id)
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

    async def retry_parked(self, event_id: int | None, now: datetime) -> int:
        """Put parked events (one, or all) back in the queue, e.g. after fixing what made them fail."""
        statement = update(InboxEvent).where(InboxEvent.status == PARKED)
        if event_id is not None:
            statement = statement.where(InboxEvent.id == event_id)
        session = self.session
        result = await session.execute(
            statement.values(status=PENDING, next_attempt_at=now, attempts=0, finished_at=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def rows(self, status: str | None = None, limit: int = 100) -> list[InboxRow]:
        query = select(InboxEvent).order_by(InboxEvent.id.desc()).limit(limit)
        if status is not None:
            query = query.where(InboxEvent.status == status)
        session = self.session
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

    async def depth(self) -> InboxDepth:
        """Counts of the statuses that need attention (done rows, which only grow, are not counted)."""
        waiting = (PENDING, PROCESSING, PARKED)
        session = self.session
        result = await session.execute(
            select(InboxEvent.status, func.count())
            .where(InboxEvent.status.in_(waiting))
            .group_by(InboxEvent.status)
        )
        counts = {status: count for status, count in result.all()}
        oldest = await session.scalar(
            select(func.min(InboxEvent.received_at)).where(InboxEvent.status.in_((PENDING, PROCESSING)))
        )
        return InboxDepth(
            pending=counts.get(PENDING, 0),
            processing=counts.get(PROCESSING, 0),
            parked=counts.get(PARKED, 0),
            oldest_pending_received_at=oldest,
        )

    async def counts(self) -> dict[str, int]:
        session = self.session
        result = await session.execute(select(InboxEvent.status, func.count()).group_by(InboxEvent.status))
        return {status: count for status, count in result.all()}
