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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, select

from ..inbox.models import InboxEvent
from ..kit.db import Database
from .claims import ClaimStatus, OfferClaim
from .gateway import CheckoutState, checkout_event, checkout_state
from .models import CheckoutOffer

# How old a webhook snapshot may be and still answer a listing (see the module docstring).
SNAPSHOT_FRESH_FOR = timedelta(seconds=30)
SNAPSHOT_EVENTS = ("CHECKOUT_CREATED", "CHECKOUT_UPDATED")

_OFFERS = cast(Table, CheckoutOffer.__table__)
_INBOX = cast(Table, InboxEvent.__table__)
_CLAIMS = select(*(_OFFERS.c[name] for name in OfferClaim.__dataclass_fields__)).where(
    _OFFERS.c.installation_id == bindparam("installation_id"),
    _OFFERS.c.checkout_id == bindparam("checkout_id"),
)
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
    params = {"installation_id": installation_id, "checkout_id": checkout_id}
    async with db.engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        rows = await connection.execute(_CLAIMS, params)
        claims = [OfferClaim(**row._mapping) for row in rows]
        if fresh_for <= timedelta(0):
            return ListingReads(claims, None)
        found = (
            await connection.execute(
                _LATEST_SNAPSHOT,
                {
                    "installation_id": installation_id,
                    "subject_key": f"checkout:{checkout_id}",
                    "since": now - fresh_for,
                },
            )
        ).first()
    snapshot = None
    if found is not None:
        checkout = checkout_event(found.payload).checkout
        if checkout is not None:
            snapshot = Snapshot(checkout_state(checkout, found.issued_at), found.received_at)
    return ListingReads(claims, snapshot)


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
