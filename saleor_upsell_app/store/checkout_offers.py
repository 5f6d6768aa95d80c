"""Exactly-once claims of offers on checkouts, and what became of them (applied, declined, removed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, select, update
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


def _claim(row: CheckoutOffer) -> OfferClaim:
    return OfferClaim(
        id=row.id,
        rule_id=row.rule_id,
        kind=row.kind,
        status=row.status,
        line_id=row.line_id,
        variant_id=row.variant_id,
        unit_price=row.unit_price,
        currency=row.currency,
        saleor_updated_at=row.saleor_updated_at,
    )


class CheckoutOfferRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], dialect: str) -> None:
        self._sessions = sessions
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    async def for_checkout(self, installation_id: int, checkout_id: str) -> list[OfferClaim]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(CheckoutOffer).where(
                    CheckoutOffer.installation_id == installation_id, CheckoutOffer.checkout_id == checkout_id
                )
            )
            return [_claim(row) for row in rows]

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
        statement = (
            self._insert(CheckoutOffer)
            .values(
                installation_id=installation_id,
                checkout_id=checkout_id,
                rule_id=rule_id,
                kind=kind,
                status=CLAIMED,
                variant_id=variant_id,
                unit_price=unit_price,
                currency=currency,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["installation_id", "checkout_id", "rule_id"])
            .returning(CheckoutOffer.id)
        )
        async with self._sessions() as session, session.begin():
            claim_id = (await session.execute(statement)).scalar_one_or_none()
            if claim_id is not None and events:
                add_events(session, installation_id, events, now)
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
        changes: dict[str, object] = {"status": status, "updated_at": now}
        if line_id is not None:
            changes["line_id"] = line_id
        if unit_price is not None:
            changes["unit_price"] = unit_price
        if saleor_updated_at is not None:
            changes["saleor_updated_at"] = saleor_updated_at
        async with self._sessions() as session, session.begin():
            updated = await session.scalar(
                update(CheckoutOffer)
                .where(CheckoutOffer.id == claim_id)
                .values(changes)
                .returning(CheckoutOffer.id)
            )
            if updated is not None:  # a claim deleted since (uninstall) logs nothing
                add_events(session, installation_id, events, now)
