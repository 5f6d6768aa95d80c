"""The storefront listing's reads, on one pooled connection in autocommit (no ORM session, no
transaction to begin and roll back): the checkout's claims and its latest verified webhook snapshot.

A listing is advisory (accepting reads the checkout from Saleor again and re-evaluates it), so it may be
answered from the snapshot Saleor last sent, as long as that snapshot is

- fresh: issued and received less than ``fresh_for`` ago. So a change to the checkout whose webhook is
  late or lost shows in the listing at most ``fresh_for`` after it was made (then Saleor is asked);
- not older than anything the app itself did to the checkout: no claim in flight (claimed, restoring),
  none moved since the snapshot arrived, and Saleor's ``updatedAt`` in it not before the one the app saw
  after its own mutation (the app's own echoes may never reach the inbox).

Otherwise (no snapshot, or not usable) the caller reads the checkout from Saleor, once.

On PostgreSQL both statements go to asyncpg directly on a pooled connection (prepared and cached by the
driver): SQLAlchemy's execution layer cost more than the statements themselves (0.54 vs 0.17 ms of
CPU for the pair, bench/RESULTS.md). Other databases take the same selects through SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, select

from ..inbox.models import InboxEvent
from ..kit.db import Database
from . import claims_postgres
from .claims import CLAIMS_OF_CHECKOUT, ClaimStatus, OfferClaim
from .gateway import CheckoutState, checkout_event, checkout_state

# How old a webhook snapshot may be and still answer a listing (see the module docstring).
SNAPSHOT_FRESH_FOR = timedelta(seconds=30)
SNAPSHOT_EVENTS = ("CHECKOUT_CREATED", "CHECKOUT_UPDATED")

_INBOX = cast(Table, InboxEvent.__table__)
_LATEST_SNAPSHOT = (
    select(_INBOX.c.payload, _INBOX.c.issued_at, _INBOX.c.received_at)
    .where(
        _INBOX.c.installation_id == bindparam("installation_id"),
        _INBOX.c.subject_key == bindparam("subject_key"),
        _INBOX.c.event_type.in_(SNAPSHOT_EVENTS),
        _INBOX.c.issued_at >= bindparam("since"),
        _INBOX.c.received_at >= bindparam("since"),
    )
    .order_by(_INBOX.c.issued_at.desc(), _INBOX.c.id.desc())
    .limit(1)
)
_IN_FLIGHT = frozenset({ClaimStatus.CLAIMED, ClaimStatus.RESTORING})

# The same select as asyncpg text ($n parameters).
_PG_LATEST_SNAPSHOT = (
    f"SELECT payload, issued_at, received_at FROM {_INBOX.name} "
    "WHERE installation_id = $1 AND subject_key = $2 AND event_type = ANY($3::text[]) "
    "AND issued_at >= $4 AND received_at >= $4 ORDER BY issued_at DESC, id DESC LIMIT 1"
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    state: CheckoutState
    received_at: datetime


@dataclass(frozen=True, slots=True)
class ListingReads:
    claims: list[OfferClaim]
    snapshot: Snapshot | None  # None: none fresh enough in the inbox


async def listing_reads(
    db: Database,
    installation_id: int,
    checkout_id: str,
    now: datetime,
    fresh_for: timedelta = SNAPSHOT_FRESH_FOR,
) -> ListingReads:
    if db.dialect == "postgresql":
        return await _pg_listing_reads(db, installation_id, checkout_id, now, fresh_for)
    params = {"installation_id": installation_id, "checkout_id": checkout_id}
    async with db.engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        rows = await connection.execute(CLAIMS_OF_CHECKOUT, params)
        claims = [OfferClaim(**row._mapping) for row in rows]
        if fresh_for <= timedelta(0):
            return ListingReads(claims, None)
        found = (
            (
                await connection.execute(
                    _LATEST_SNAPSHOT,
                    {
                        "installation_id": installation_id,
                        "subject_key": f"checkout:{checkout_id}",
                        "since": now - fresh_for,
                    },
                )
            )
            .mappings()
            .first()
        )
    return ListingReads(claims, _snapshot(found))


async def _pg_listing_reads(
    db: Database, installation_id: int, checkout_id: str, now: datetime, fresh_for: timedelta
) -> ListingReads:
    async with db.driver() as driver:  # no transaction: each statement commits on its own
        claims = await claims_postgres.for_checkout(driver, installation_id, checkout_id)
        found = None
        if fresh_for > timedelta(0):
            found = await driver.fetchrow(
                _PG_LATEST_SNAPSHOT,
                installation_id,
                f"checkout:{checkout_id}",
                list(SNAPSHOT_EVENTS),
                now - fresh_for,
            )
    return ListingReads(claims, _snapshot(found))


def _snapshot(found: Any) -> Snapshot | None:
    if found is None:
        return None
    checkout = checkout_event(found["payload"]).checkout
    if checkout is None:
        return None
    return Snapshot(checkout_state(checkout, found["issued_at"]), found["received_at"])


def snapshot_usable(snapshot: Snapshot, claims: Sequence[OfferClaim]) -> bool:
    """Whether the snapshot is not older than anything the app did to the checkout (module docstring)."""
    seen_by_saleor = snapshot.state.updated_at
    for claim in claims:
        if claim.status in _IN_FLIGHT:
            return False
        if claim.updated_at is None or claim.updated_at >= snapshot.received_at:
            return False
        if claim.saleor_updated_at is not None and (
            seen_by_saleor is None or seen_by_saleor < claim.saleor_updated_at
        ):
            return False
    return True
