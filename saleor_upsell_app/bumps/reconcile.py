"""Bookkeeping before a checkout is evaluated: claims a crash left half-done, and offers the shopper
removed (recorded as declined, never offered again)."""

from __future__ import annotations

import logging
from datetime import datetime

from ..engine import metadata as md
from ..engine.types import CheckoutSnapshot, OfferKind
from ..insights.events import EventKind
from .apply import delete_original_of_upgrade
from .claims import ClaimStatus, OfferClaim
from .context import OnCheckout, checkout_event

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
        if saleor_time is not None and claim.saleor_updated_at is not None:
            if saleor_time <= claim.saleor_updated_at:
                continue  # a snapshot from before our own write proves nothing
        declined = checkout_event(EventKind.DECLINED, claim.kind, snapshot, claim.rule_id, claim.variant_id)
        await on.settle(claim.id, ClaimStatus.DECLINED, [declined])
        log.info("offer removed by shopper: declined", extra={**on.log_context, "rule_id": claim.rule_id})
        changed = True
    if not changed:
        return claims
    return await on.claims()
