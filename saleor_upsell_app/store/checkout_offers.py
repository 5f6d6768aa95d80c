"""Exactly-once claims of offers on checkouts, and what became of them (applied, declined, removed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .events import NewEvent, add_events
from .models import CheckoutOffer

CLAIMED, APPLIED, DECLINED, REMOVED, CONVERTED, FAILED = (
    "claimed",
    "applied",
    "declined",
    "removed",
    "converted",
    "failed",
)


@dataclass(frozen=True, slots=True)
class OfferClaim:
    id: int
    rule_id: int
    kind: str
    status: str
    line_id: str | None
    variant_id: str
    unit_price: Decimal
    currency: str
    saleor_updated_at: datetime | None


_OFFERS = cast(Table, CheckoutOffer.__table__)
_CLAIMS_OF_CHECKOUT = select(
    *(_OFFERS.c[field] for field in OfferClaim.__dataclass_fields__)  # the claim's fields, by name
).where(
    _OFFERS.c.installation_id == bindparam("installation_id"),
    _OFFERS.c.checkout_id == bindparam("checkout_id"),
)
_CLAIM_COLUMNS = (
    "installation_id",
    "checkout_id",
    "rule_id",
    "kind",
    "status",
    "variant_id",
    "unit_price",
    "currency",
    "created_at",
    "updated_at",
)


class CheckoutOfferRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], dialect: str) -> None:
        self._sessions = sessions
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # Built once: the offer hot path then skips statement construction and cache-key generation.
        self._claim = (
            insert(_OFFERS)
            .values({column: bindparam(column) for column in _CLAIM_COLUMNS})
            .on_conflict_do_nothing(index_elements=["installation_id", "checkout_id", "rule_id"])
            .returning(_OFFERS.c.id)
        )

    async def for_checkout(self, installation_id: int, checkout_id: str) -> list[OfferClaim]:
        async with self._sessions() as session:
            rows = await session.execute(
                _CLAIMS_OF_CHECKOUT, {"installation_id": installation_id, "checkout_id": checkout_id}
            )
            return [OfferClaim(**row._mapping) for row in rows]

    async def claim(
        self,
        installation_id: int,
        checkout_id: str,
        *,
        rule_id: int,
        kind: str,
        variant_id: str,
        unit_price: Decimal,
        currency: str,
        now: datetime,
        events: list[NewEvent] | None = None,
    ) -> int | None:
        """Insert the claim; None if this offer was already claimed for this checkout (by anyone, ever).

        `events` are logged in the same transaction, only when the claim is new."""
        parameters = {
            "installation_id": installation_id,
            "checkout_id": checkout_id,
            "rule_id": rule_id,
            "kind": kind,
            "status": CLAIMED,
            "variant_id": variant_id,
            "unit_price": unit_price,
            "currency": currency,
            "created_at": now,
            "updated_at": now,
        }
        async with self._sessions() as session, session.begin():
            claim_id: int | None = (await session.execute(self._claim, parameters)).scalar_one_or_none()
            if claim_id is not None and events:
                await add_events(session, installation_id, events, now)
            return claim_id

    async def release(self, claim_id: int) -> None:
        """Undo a claim whose mutation failed, so a retry can succeed."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(CheckoutOffer).where(CheckoutOffer.id == claim_id, CheckoutOffer.status == CLAIMED)
            )

    async def transition(
        self,
        installation_id: int,
        claim_id: int,
        status: str,
        now: datetime,
        *,
        events: list[NewEvent],
        line_id: str | None = None,
        unit_price: Decimal | None = None,
        saleor_updated_at: datetime | None = None,
    ) -> None:
        parameters = {
            "claim_id": claim_id,
            "new_status": status,
            "at": now,
            "new_line_id": line_id,
            "new_unit_price": unit_price,
            "new_saleor_updated_at": saleor_updated_at,
        }
        async with self._sessions() as session, session.begin():
            updated = await session.scalar(_TRANSITION, parameters)
            if updated is not None:  # a claim deleted since (uninstall) logs nothing
                await add_events(session, installation_id, events, now)


def _keep_unless_given(column: str) -> Any:
    """SET column = the new value, or the current one when the caller passes None."""
    return func.coalesce(bindparam(f"new_{column}", type_=_OFFERS.c[column].type), _OFFERS.c[column])


_TRANSITION = (
    update(_OFFERS)
    .where(_OFFERS.c.id == bindparam("claim_id"))
    .values(
        status=bindparam("new_status"),
        updated_at=bindparam("at", type_=_OFFERS.c.updated_at.type),
        line_id=_keep_unless_given("line_id"),
        unit_price=_keep_unless_given("unit_price"),
        saleor_updated_at=_keep_unless_given("saleor_updated_at"),
    )
    .returning(_OFFERS.c.id)
)
