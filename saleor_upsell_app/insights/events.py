"""The append-only offer event log: offered, declined, removed, accepted, converted, eligible...

Features write their events with :func:`record` inside the transaction of the state change they
describe, so an event is logged exactly when its change commits.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..kit.db.repository import Repository
from .models import OfferEvent


class EventKind(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REMOVED = "removed"
    CONVERTED = "converted"
    FAILED = "failed"
    EXPIRED = "expired"
    # Exposure: the first time a checkout could get an offer, and which holdout group it fell in.
    ELIGIBLE = "eligible"
    HELD_OUT = "held_out"


EXPOSURE_KINDS: tuple[str, ...] = (EventKind.ELIGIBLE, EventKind.HELD_OUT)


class OfferType(StrEnum):
    BUMP = "bump"
    UPGRADE = "upgrade"
    POST_PURCHASE = "post_purchase"


@dataclass(frozen=True, slots=True)
class NewEvent:
    kind: str  # EventKind
    offer_type: str  # OfferType
    rule_id: int | None = None
    checkout_id: str | None = None
    order_id: str | None = None
    channel_slug: str | None = None
    variant_id: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    holdout: bool = False
    details: dict[str, Any] | None = field(default=None)


_INSERT_EVENTS = insert(OfferEvent)


async def record(
    session: AsyncSession, installation_id: int, events: Sequence[NewEvent], now: datetime
) -> None:
    """Insert into the caller's transaction. A bulk insert: no ORM objects to track, this runs for every
    offer made."""
    if not events:
        return
    await session.execute(
        _INSERT_EVENTS,
        [
            {
                "installation_id": installation_id,
                "kind": str(event.kind),
                "offer_type": str(event.offer_type),
                "rule_id": event.rule_id,
                "checkout_id": event.checkout_id,
                "order_id": event.order_id,
                "channel_slug": event.channel_slug,
                "variant_id": event.variant_id,
                "amount": event.amount,
                "currency": event.currency,
                "holdout": event.holdout,
                "details": event.details,
                "occurred_at": now,
            }
            for event in events
        ],
    )


# PostgreSQL's per-event path (bumps/claims_postgres.py): the events go in as column arrays inside the
# statement of the state change they describe, gated on it (`FROM <gate>`: no row, no events).
# Parameters $1 installation id, $2 occurred at; the arrays follow from `first`.
_EVENT_ARRAY_TYPES = (
    "varchar", "varchar", "integer", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar",
    "boolean", "text",
)  # fmt: skip


def pg_insert_events(gate: str, first: int) -> str:
    """``INSERT INTO offer_events ... SELECT ... FROM gate, unnest(...)``, for a data-modifying CTE."""
    arrays = ", ".join(f"${first + n}::{kind}[]" for n, kind in enumerate(_EVENT_ARRAY_TYPES))
    return (
        "INSERT INTO offer_events (installation_id, kind, offer_type, rule_id, checkout_id, order_id, "
        "channel_slug, variant_id, amount, currency, holdout, details, occurred_at) "
        "SELECT $1::integer, e.kind, e.offer_type, e.rule_id, e.checkout_id, e.order_id, e.channel_slug, "
        "e.variant_id, e.amount, e.currency, e.holdout, e.details::json, $2::timestamptz "
        f"FROM {gate}, unnest({arrays}) AS e(kind, offer_type, rule_id, checkout_id, order_id, channel_slug, "
        "variant_id, amount, currency, holdout, details)"
    )


def pg_event_arrays(events: Sequence[NewEvent]) -> list[list[Any]]:
    """The column arrays of pg_insert_events, stored as record() stores them (amounts as text, details
    as JSON text: None as JSON null, as SQLAlchemy's JSON type writes it)."""
    return [
        [str(e.kind) for e in events],
        [str(e.offer_type) for e in events],
        [e.rule_id for e in events],
        [e.checkout_id for e in events],
        [e.order_id for e in events],
        [e.channel_slug for e in events],
        [e.variant_id for e in events],
        [None if e.amount is None else str(e.amount) for e in events],
        [e.currency for e in events],
        [e.holdout for e in events],
        [json.dumps(e.details) for e in events],
    ]


_RECORD = pg_insert_events("(SELECT) AS gate", 3)


async def pg_record(connection: Any, installation_id: int, events: Sequence[NewEvent], now: datetime) -> None:
    """PostgreSQL, one statement on the driver connection: record() outside any state change."""
    if events:
        await connection.execute(_RECORD, installation_id, now, *pg_event_arrays(events))


_RECORD_UNLESS_LOGGED = f"""
{
    pg_insert_events(
        "(SELECT WHERE NOT EXISTS (SELECT 1 FROM offer_events WHERE installation_id = $1"
        " AND checkout_id = $14 AND kind = ANY($15::varchar[]))) AS gate",
        3,
    )
}
"""


async def pg_record_unless_logged(
    connection: Any,
    installation_id: int,
    events: Sequence[NewEvent],
    now: datetime,
    checkout_id: str,
    kinds: tuple[str, ...],
) -> None:
    """PostgreSQL, one statement on the driver connection: log `events` unless the checkout already
    has an event of `kinds` (EventLog.exists then record, as one round trip)."""
    await connection.execute(
        _RECORD_UNLESS_LOGGED, installation_id, now, *pg_event_arrays(events), checkout_id, list(kinds)
    )


class EventLog(Repository):
    async def exists(self, installation_id: int, checkout_id: str, kinds: tuple[str, ...]) -> bool:
        return await self._any(installation_id, OfferEvent.checkout_id == checkout_id, kinds)

    async def order_has(self, installation_id: int, order_id: str, kinds: tuple[str, ...]) -> bool:
        return await self._any(installation_id, OfferEvent.order_id == order_id, kinds)

    async def _any(self, installation_id: int, about: ColumnElement[bool], kinds: tuple[str, ...]) -> bool:
        found = await self.session.scalar(
            select(OfferEvent.id)
            .where(OfferEvent.installation_id == installation_id, about, OfferEvent.kind.in_(kinds))
            .limit(1)
        )
        return found is not None

    async def rules_with(self, installation_id: int, checkout_id: str, kind: str) -> set[int | None]:
        """The rules of the checkout's events of ``kind``."""
        return set(
            await self.session.scalars(
                select(OfferEvent.rule_id).where(
                    OfferEvent.installation_id == installation_id,
                    OfferEvent.checkout_id == checkout_id,
                    OfferEvent.kind == kind,
                )
            )
        )

    async def list(
        self,
        installation_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kinds: tuple[str, ...] | None = None,
        exclude: tuple[str, ...] | None = None,
        channel: str | None = None,
    ) -> list[OfferEvent]:
        query = select(OfferEvent).where(OfferEvent.installation_id == installation_id)
        if since is not None:
            query = query.where(OfferEvent.occurred_at >= since)
        if until is not None:
            query = query.where(OfferEvent.occurred_at < until)
        if kinds is not None:
            query = query.where(OfferEvent.kind.in_(kinds))
        if exclude is not None:
            query = query.where(OfferEvent.kind.not_in(exclude))
        if channel is not None:
            query = query.where(OfferEvent.channel_slug == channel)
        return list(await self.session.scalars(query.order_by(OfferEvent.id)))

    async def about_order(
        self, installation_id: int, order_id: str, checkout_id: str | None, exclude: tuple[str, ...]
    ) -> builtins.list[OfferEvent]:
        """Events of one order and of the checkout it came from, oldest first."""
        about = OfferEvent.order_id == order_id
        if checkout_id:
            about = about | (OfferEvent.checkout_id == checkout_id)
        return list(
            await self.session.scalars(
                select(OfferEvent)
                .where(OfferEvent.installation_id == installation_id, about, OfferEvent.kind.not_in(exclude))
                .order_by(OfferEvent.occurred_at, OfferEvent.id)
            )
        )
