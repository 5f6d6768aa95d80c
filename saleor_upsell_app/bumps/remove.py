"""Taking a discounted bump back out when its trigger left, and splitting units beyond its allowed
quantity back to a regular-price line."""

from __future__ import annotations

import logging

from ..engine.metadata import PREFIX
from ..engine.types import CheckoutSnapshot, OfferKind, RemoveBump, SplitBumpQuantity
from ..insights.events import EventKind
from .claims import ClaimStatus, OfferClaim
from .context import OnCheckout, checkout_event
from .gateway import offer_line_input

log = logging.getLogger("saleor_upsell.webhooks.checkout")

SPLIT_FROM = PREFIX + "split-from"  # marks the regular-price line split off a bump line (idempotency)


async def remove_bump(
    on: OnCheckout, snapshot: CheckoutSnapshot, decision: RemoveBump, claims: list[OfferClaim]
) -> None:
    await on.lines.delete([decision.line_id])
    claim = next((c for c in claims if c.rule_id == decision.rule_id), None)
    event = checkout_event(
        EventKind.REMOVED,
        OfferKind.BUMP,
        snapshot,
        decision.rule_id,
        claim.variant_id if claim else None,
        details={"reason": str(decision.reason), "message": decision.message},
    )
    if claim is not None:
        await on.settle(claim.id, ClaimStatus.REMOVED, [event])
    else:
        await on.log([event])
    log.info("bump removed: " + decision.message, extra={**on.log_context, "rule_id": decision.rule_id})


async def split_bump(on: OnCheckout, snapshot: CheckoutSnapshot, decision: SplitBumpQuantity) -> None:
    already_split = any(line.metadata.get(SPLIT_FROM) == decision.line_id for line in snapshot.lines)
    if not already_split:
        # Add the excess first: if the trim below fails, the retry sees this marker and only trims.
        excess = offer_line_input(
            decision.variant_id, decision.excess, metadata={SPLIT_FROM: decision.line_id}
        )
        await on.lines.add([excess])
    await on.lines.update([{"lineId": decision.line_id, "quantity": decision.keep}])
    log.info("bump quantity split", extra={**on.log_context, "rule_id": decision.rule_id})
