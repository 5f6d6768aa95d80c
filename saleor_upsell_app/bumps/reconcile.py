"""Bookkeeping before a checkout is evaluated: claims a crash left half-done, upgrades the shopper deleted
(their original line put back), and offers the shopper removed (recorded as declined, never offered
again)."""

from __future__ import annotations

import logging
from datetime import datetime

from ..engine import metadata as md
from ..engine.types import CheckoutSnapshot, OfferKind
from ..insights.events import EventKind
from .apply import delete_original_of_upgrade
from .claims import ClaimStatus, OfferClaim
from .context import OnCheckout, checkout_event
from .gateway import CheckoutState
from .restore import deleted_upgrade, restore_upgrade

log = logging.getLogger("saleor_upsell.webhooks.checkout")


async def reconcile(on: OnCheckout, snapshot: CheckoutSnapshot, claims: list[OfferClaim]) -> list[OfferClaim]:
    """Finish or release claims a crash left between the database claim and the recorded result."""
    leftovers = [c for c in claims if c.status == ClaimStatus.CLAIMED]
    if not leftovers:
        return claims
    lines_by_rule = {
        marker.rule_id: line
        for line in snapshot.lines
        if (marker := md.read_marker(line.metadata)) is not None
    }
    for claim in leftovers:
        line = lines_by_rule.get(claim.rule_id)
        if line is None:
            await on.release(claim.id)
            continue
        if claim.kind == OfferKind.UPGRADE:
            await delete_original_of_upgrade(on, snapshot, line)
        await on.settle(claim.id, ClaimStatus.APPLIED, [], line_id=line.id)
    return await on.claims()


async def restore_deleted_upgrades(
    on: OnCheckout, state: CheckoutState, claims: list[OfferClaim]
) -> tuple[CheckoutState, list[OfferClaim]]:
    """Upgrades missing from a snapshot newer than the app's own write were deleted by the shopper (the
    stock storefront's revert): their originals go back in. Returns the checkout as it is afterwards."""
    line_ids = {line.id for line in state.snapshot.lines}
    todo = [
        claim
        for claim in claims
        if claim.status == ClaimStatus.RESTORING
        or (deleted_upgrade(claim, line_ids) and not _older_than_own_write(state.updated_at, claim))
    ]
    if not todo:
        return state, claims
    for claim in todo:
        state = await restore_upgrade(on, state, claim)
    return state, await on.claims()


def _older_than_own_write(saleor_time: datetime | None, claim: OfferClaim) -> bool:
    """A snapshot from before the app's own write proves nothing about the shopper."""
    return (
        saleor_time is not None
        and claim.saleor_updated_at is not None
        and saleor_time <= claim.saleor_updated_at
    )


async def record_declines(
    on: OnCheckout, snapshot: CheckoutSnapshot, saleor_time: datetime | None, claims: list[OfferClaim]
) -> list[OfferClaim]:
    """An applied offer line missing from a snapshot newer than the app's own write was removed by the
    shopper (the app's own events never reach this point)."""
    line_ids = {line.id for line in snapshot.lines}
    changed = False
    for claim in claims:
        if claim.status != ClaimStatus.APPLIED or claim.line_id in line_ids:
            continue
        if _older_than_own_write(saleor_time, claim):
            continue
        declined = checkout_event(EventKind.DECLINED, claim.kind, snapshot, claim.rule_id, claim.variant_id)
        await on.settle(claim.id, ClaimStatus.DECLINED, [declined])
        log.info("offer removed by shopper: declined", extra={**on.log_context, "rule_id": claim.rule_id})
        changed = True
    if not changed:
        return claims
    return await on.claims()
