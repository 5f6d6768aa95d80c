"""What every checkout-offer use case works on: one checkout of one installation, and how each of its
state changes is written (the claim and its events in one transaction, never held across a Saleor call)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..engine.types import CheckoutSnapshot
from ..insights import events as event_log
from ..insights.events import NewEvent
from ..kit.clock import Clock
from ..kit.db import Database
from . import claims_postgres
from .claims import ClaimRepository, ClaimStatus, OfferClaim
from .gateway import CheckoutLines


@dataclass(slots=True)
class OnCheckout:
    db: Database
    installation_id: int
    lines: CheckoutLines  # Saleor's line mutations on this checkout
    clock: Clock
    log_context: dict[str, Any] = field(default_factory=dict)

    @property
    def checkout_id(self) -> str:
        return self.lines.checkout_id

    @property
    def on_driver(self) -> bool:
        """PostgreSQL: the per-event statements run on the driver connection (bumps/claims_postgres.py)."""
        return self.db.dialect == "postgresql"

    async def claims(self) -> list[OfferClaim]:
        if self.on_driver:
            async with self.db.driver() as connection:
                return await claims_postgres.for_checkout(connection, self.installation_id, self.checkout_id)
        async with self.db.read() as session:
            return await ClaimRepository(session).for_checkout(self.installation_id, self.checkout_id)

    async def settle(
        self,
        claim_id: int,
        status: ClaimStatus,
        events: list[NewEvent],
        *,
        line_id: str | None = None,
        saleor_updated_at: datetime | None = None,
    ) -> None:
        """Move a claim on and log its events with it (a claim deleted since by an uninstall logs
        nothing)."""
        now = self.clock()
        if self.on_driver:
            async with self.db.driver() as connection:
                await claims_postgres.transition(
                    connection,
                    self.installation_id,
                    claim_id,
                    status,
                    now,
                    events,
                    line_id=line_id,
                    saleor_updated_at=saleor_updated_at,
                )
            return
        async with self.db.transaction() as session:
            moved = await ClaimRepository(session).transition(
                claim_id, status, now, line_id=line_id, saleor_updated_at=saleor_updated_at
            )
            if moved:
                await event_log.record(session, self.installation_id, events, now)

    async def release(self, claim_id: int) -> None:
        """Undo a claim whose mutation failed, so a retry can succeed."""
        async with self.db.transaction() as session:
            await ClaimRepository(session).release(claim_id)

    async def log(self, events: list[NewEvent]) -> None:
        if self.on_driver:
            async with self.db.driver() as connection:
                await event_log.pg_record(connection, self.installation_id, events, self.clock())
            return
        async with self.db.transaction() as session:
            await event_log.record(session, self.installation_id, events, self.clock())


def checkout_event(
    kind: str,
    offer_type: str,
    snapshot: CheckoutSnapshot,
    rule_id: int | None,
    variant_id: str | None,
    *,
    amount: Decimal | None = None,
    holdout: bool = False,
    details: dict[str, Any] | None = None,
) -> NewEvent:
    return NewEvent(
        kind=kind,
        offer_type=offer_type,
        rule_id=rule_id,
        checkout_id=snapshot.id,
        channel_slug=snapshot.channel_slug,
        variant_id=variant_id,
        amount=amount,
        currency=snapshot.currency if amount is not None else None,
        holdout=holdout,
        details=details,
    )
