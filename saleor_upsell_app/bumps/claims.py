"""Exactly-once claims of offers on checkouts, and what became of them (applied, declined, removed).

The claim is the unique (installation, checkout, rule) row, inserted before the mutation; the use case
logs the claim's events in the same transaction. Statements are prebuilt once per dialect: this runs
for every offer made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select, update

from ..kit.db.repository import Repository, insert_for
from .models import CheckoutOffer


class ClaimStatus(StrEnum):
    """claimed -> applied -> (declined | removed | converted); failed when the offer could not be made.
    An upgrade the shopper deleted goes applied -> restoring -> declined while its original comes back."""

    CLAIMED = "claimed"
    APPLIED = "applied"
    RESTORING = "restoring"
    DECLINED = "declined"
    REMOVED = "removed"
    CONVERTED = "converted"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OfferClaim:
    id: int
    rule_id: int
    kind: str  # engine.types.OfferKind
    status: str  # ClaimStatus
    line_id: str | None
    variant_id: str
    unit_price: Decimal
    currency: str
    saleor_updated_at: datetime | None
    original_variant_id: str | None = None  # upgrades: the shopper's line it replaced
    original_quantity: int | None = None
    updated_at: datetime | None = None  # when the status last moved


_OFFERS = cast(Table, CheckoutOffer.__table__)
CLAIMS_OF_CHECKOUT = select(
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
    "original_variant_id",
    "original_quantity",
    "created_at",
    "updated_at",
)


@cache
def _claim_statement(dialect: str) -> Any:
    # Built once per dialect: the offer hot path then skips statement construction and cache-key generation.
    return (
        insert_for(dialect)(_OFFERS)
        .values({column: bindparam(column) for column in _CLAIM_COLUMNS})
        .on_conflict_do_nothing(index_elements=["installation_id", "checkout_id", "rule_id"])
        .returning(_OFFERS.c.id)
    )


class ClaimRepository(Repository):
    async def for_checkout(self, installation_id: int, checkout_id: str) -> list[OfferClaim]:
        rows = await self.session.execute(
            CLAIMS_OF_CHECKOUT, {"installation_id": installation_id, "checkout_id": checkout_id}
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
        original_variant_id: str | None = None,
        original_quantity: int | None = None,
    ) -> int | None:
        """Insert the claim; None if this offer was already claimed for this checkout (by anyone, ever)."""
        parameters = {
            "installation_id": installation_id,
            "checkout_id": checkout_id,
            "rule_id": rule_id,
            "kind": kind,
            "status": ClaimStatus.CLAIMED.value,
            "variant_id": variant_id,
            "unit_price": unit_price,
            "currency": currency,
            "original_variant_id": original_variant_id,
            "original_quantity": original_quantity,
            "created_at": now,
            "updated_at": now,
        }
        statement = _claim_statement(self.dialect)
        claim_id: int | None = (await self.session.execute(statement, parameters)).scalar_one_or_none()
        return claim_id

    async def release(self, claim_id: int) -> None:
        """Undo a claim whose mutation failed, so a retry can succeed."""
        await self.session.execute(
            delete(CheckoutOffer).where(
                CheckoutOffer.id == claim_id, CheckoutOffer.status == ClaimStatus.CLAIMED.value
            )
        )

    async def move(self, claim_id: int, expected: ClaimStatus, status: ClaimStatus, now: datetime) -> bool:
        """Move the claim from ``expected`` to ``status``; False when it is not (or no longer) in
        ``expected``: another delivery or process got there first (the one gate racing events pass)."""
        moved = await self.session.execute(
            update(_OFFERS)
            .where(_OFFERS.c.id == claim_id, _OFFERS.c.status == expected.value)
            .values(status=status.value, updated_at=now)
            .returning(_OFFERS.c.id)
        )
        return moved.scalar_one_or_none() is not None

    async def transition(
        self,
        claim_id: int,
        status: ClaimStatus,
        now: datetime,
        *,
        line_id: str | None = None,
        unit_price: Decimal | None = None,
        saleor_updated_at: datetime | None = None,
    ) -> bool:
        """Move the claim to ``status``; False when the claim is gone (deleted with its installation)."""
        parameters = {
            "claim_id": claim_id,
            "new_status": status.value,
            "at": now,
            "new_line_id": line_id,
            "new_unit_price": unit_price,
            "new_saleor_updated_at": saleor_updated_at,
        }
        return await self.session.scalar(_TRANSITION, parameters) is not None


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
