"""The offer claims of the per-event path on PostgreSQL, run on the driver connection
(kit.db.Database.driver): reading a checkout's claims, making a claim with its exposure event, and moving
a claim on with its events are one statement each, committing on their own. The meaning is that of
ClaimRepository plus insights.events.record in one transaction (the SQLite path).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..insights.events import NewEvent, pg_event_arrays, pg_insert_events
from .claims import ClaimStatus, OfferClaim

_FIELDS = ", ".join(OfferClaim.__dataclass_fields__)  # the claim's fields, by name
_FOR_CHECKOUT = f"SELECT {_FIELDS} FROM checkout_offers WHERE installation_id = $1 AND checkout_id = $2"

# $1 installation, $2 now, then the claim's columns from $3; the events' arrays from $12.
_CLAIM = f"""
WITH claimed AS (
    INSERT INTO checkout_offers (installation_id, checkout_id, rule_id, kind, status, variant_id, unit_price,
                                 currency, original_variant_id, original_quantity, created_at, updated_at)
    VALUES ($1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $2, $2)
    ON CONFLICT (installation_id, checkout_id, rule_id) DO NOTHING
    RETURNING id
), logged AS ({pg_insert_events("claimed", 12)})
SELECT id FROM claimed
"""

# $1 installation, $2 now, $3 claim id, $4 status, $5-$7 kept unless given; the events' arrays from $8.
_TRANSITION = f"""
WITH moved AS (
    UPDATE checkout_offers
    SET status = $4, updated_at = $2, line_id = coalesce($5, line_id),
        unit_price = coalesce($6, unit_price), saleor_updated_at = coalesce($7, saleor_updated_at)
    WHERE id = $3
    RETURNING id
), logged AS ({pg_insert_events("moved", 8)})
SELECT id FROM moved
"""


async def for_checkout(connection: Any, installation_id: int, checkout_id: str) -> list[OfferClaim]:
    rows = await connection.fetch(_FOR_CHECKOUT, installation_id, checkout_id)
    return [OfferClaim(**{**row, "unit_price": Decimal(row["unit_price"])}) for row in rows]


async def claim(
    connection: Any,
    installation_id: int,
    checkout_id: str,
    *,
    rule_id: int,
    kind: str,
    variant_id: str,
    unit_price: Decimal,
    currency: str,
    now: datetime,
    original_variant_id: str | None,
    original_quantity: int | None,
    events: Sequence[NewEvent],
) -> int | None:
    """Insert the claim, and log `events` only if it was new; None if this offer was already claimed."""
    claim_id: int | None = await connection.fetchval(
        _CLAIM,
        installation_id,
        now,
        checkout_id,
        rule_id,
        kind,
        ClaimStatus.CLAIMED.value,
        variant_id,
        str(unit_price),
        currency,
        original_variant_id,
        original_quantity,
        *pg_event_arrays(events),
    )
    return claim_id


async def transition(
    connection: Any,
    installation_id: int,
    claim_id: int,
    status: ClaimStatus,
    now: datetime,
    events: Sequence[NewEvent],
    *,
    line_id: str | None = None,
    saleor_updated_at: datetime | None = None,
) -> bool:
    """Move the claim on and log `events` with it; False (nothing logged) when the claim is gone."""
    moved = await connection.fetchval(
        _TRANSITION,
        installation_id,
        now,
        claim_id,
        status.value,
        line_id,
        None,
        saleor_updated_at,
        *pg_event_arrays(events),
    )
    return moved is not None
