"""The append-only offer event log: offered, declined, removed, accepted, converted, eligible..."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .models import OfferEvent


@dataclass(frozen=True, slots=True)
class NewEvent:
    kind: str
    offer_type: str  # bump | upgrade | post_purchase
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


async def add_events(
    session: AsyncSession, installation_id: int, events: list[NewEvent], now: datetime
) -> None:
    """Insert into the caller's transaction, so an event is logged exactly when its state change
    commits. A bulk insert: no ORM objects to track, this runs for every offer made."""
    if not events:
        return
    await session.execute(
        _INSERT_EVENTS,
        [
            {
                "installation_id": installation_id,
                "kind": event.kind,
                "offer_type": event.offer_type,
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


class EventLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, installation_id: int, events: list[NewEvent], now: datetime) -> None:
        async with self._sessions() as session, session.begin():
            await add_events(session, installation_id, events, now)

    async def exists(self, installation_id: int, checkout_id: str, kinds: tuple[str, ...]) -> bool:
        return await self._any(installation_id, OfferEvent.checkout_id == checkout_id, kinds)

    async def order_has(self, installation_id: int, order_id: str, kinds: tuple[str, ...]) -> bool:
        return await self._any(installation_id, OfferEvent.order_id == order_id, kinds)

    async def _any(self, installation_id: int, about: ColumnElement[bool], kinds: tuple[str, ...]) -> bool:
        async with self._sessions() as session:
            found = await session.scalar(
                select(OfferEvent.id)
                .where(OfferEvent.installation_id == installation_id, about, OfferEvent.kind.in_(kinds))
                .limit(1)
            )
            return found is not None

    async def list(
        self, installation_id: int, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[OfferEvent]:
        query = select(OfferEvent).where(OfferEvent.installation_id == installation_id)
        if since is not None:
            query = query.where(OfferEvent.occurred_at >= since)
        if until is not None:
            query = query.where(OfferEvent.occurred_at < until)
        async with self._sessions() as session:
            return list(await session.scalars(query.order_by(OfferEvent.id)))
