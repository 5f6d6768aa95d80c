"""Making an offer on a checkout, exactly once: claim it, add the line, keep the price, record it.

The claim (a unique row per checkout and rule) is written before the mutation. It is released when the
mutation surely did not reach Saleor, so a retry can succeed; when it may have landed (a timeout, a
reset or a 5xx after sending, the process stopped mid-call) the claim is kept, and the next attempt
reconciles it from the checkout's lines (reconcile.py: the line's metadata names the rule). An offer
Saleor refuses as configured is kept as failed. The shopper never pays more than the offer price: Saleor
applies catalogue promotions and the shopper's voucher on top of a custom price, so the line's
``unitPrice`` is read back (in the channel's price convention) and checked by
``engine.pricing.check_offer_price``: a promotion is corrected once, a voucher is the shopper's and kept,
a price above the promise that cannot be fixed takes the line out again.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

from ..engine import metadata as md
from ..engine.pricing import (
    CorrectPrice,
    KeepPrice,
    PriceOutcome,
    WithdrawOffer,
    check_offer_price,
)
from ..engine.types import AddBump, CheckoutLine, CheckoutSnapshot, OfferKind, SwapUpgrade
from ..insights import events as event_log
from ..insights.events import EventKind, NewEvent
from ..saleor.errors import SaleorGraphQLError, SaleorMutationError, SaleorUnavailable
from . import claims_postgres
from .claims import ClaimRepository, ClaimStatus
from .context import OnCheckout, checkout_event
from .gateway import CheckoutState, offer_line_input

log = logging.getLogger("saleor_upsell.webhooks.checkout")


async def apply_offer(
    on: OnCheckout,
    snapshot: CheckoutSnapshot,
    decision: AddBump | SwapUpgrade,
    event_kind: str = EventKind.OFFERED,
    exposure: NewEvent | None = None,
) -> str | None:
    """Add a bump, or swap in an upgrade, exactly once; returns the new line's id.

    None when the offer was claimed elsewhere or could not be made. ``event_kind`` is logged with it:
    "offered" when the app decided, "accepted" when a shopper did (storefront). ``exposure`` (the
    checkout's eligible/held_out event) is logged with the claim.
    """
    upgrade = isinstance(decision, SwapUpgrade)
    kind = OfferKind.UPGRADE if upgrade else OfferKind.BUMP
    variant_id = decision.to_variant_id if isinstance(decision, SwapUpgrade) else decision.variant_id
    claim_id = await _claim(on, snapshot, decision, kind, variant_id, exposure)
    if claim_id is None:
        return None  # another delivery or process already made this offer
    line_input = offer_line_input(
        variant_id,
        decision.quantity,
        price=str(decision.override_price),
        reason=decision.price_override_reason,
        metadata=decision.metadata,
    )
    added = await _add_offer_line(on, snapshot, claim_id, decision.rule_id, kind, line_input)
    if added is None:
        return None
    line, state = added
    if not await keep_offer_price(
        on, snapshot, claim_id, decision, line, decision.override_price, state.snapshot
    ):
        return None
    details = {"regular_price": str(decision.regular_price), "line_id": line.id}
    if isinstance(decision, SwapUpgrade):
        # The upgrade line is in place at the right price: now take the original out.
        state = await on.lines.delete([decision.line_id]) or state
        details["from_variant_id"] = decision.from_variant_id
    event = checkout_event(
        event_kind, kind, snapshot, decision.rule_id, variant_id, amount=decision.unit_price, details=details
    )
    await on.settle(
        claim_id, ClaimStatus.APPLIED, [event], line_id=line.id, saleor_updated_at=state.updated_at
    )
    log.info(
        "upgrade swapped in" if upgrade else "bump added",
        extra={**on.log_context, "rule_id": decision.rule_id},
    )
    return line.id


async def _claim(
    on: OnCheckout,
    snapshot: CheckoutSnapshot,
    decision: AddBump | SwapUpgrade,
    kind: OfferKind,
    variant_id: str,
    exposure: NewEvent | None,
) -> int | None:
    now = on.clock()
    original_variant_id = decision.from_variant_id if isinstance(decision, SwapUpgrade) else None
    original_quantity = decision.quantity if isinstance(decision, SwapUpgrade) else None
    if on.on_driver:
        async with on.db.driver() as connection:
            return await claims_postgres.claim(
                connection,
                on.installation_id,
                snapshot.id,
                rule_id=decision.rule_id,
                kind=kind,
                variant_id=variant_id,
                unit_price=decision.unit_price,
                currency=decision.currency,
                now=now,
                original_variant_id=original_variant_id,
                original_quantity=original_quantity,
                events=[exposure] if exposure is not None else [],
            )
    async with on.db.transaction() as session:
        claim_id = await ClaimRepository(session).claim(
            on.installation_id,
            snapshot.id,
            rule_id=decision.rule_id,
            kind=kind,
            variant_id=variant_id,
            unit_price=decision.unit_price,
            currency=decision.currency,
            now=now,
            original_variant_id=original_variant_id,
            original_quantity=original_quantity,
        )
        if claim_id is not None and exposure is not None:
            await event_log.record(session, on.installation_id, [exposure], now)
    return claim_id


async def _add_offer_line(
    on: OnCheckout,
    snapshot: CheckoutSnapshot,
    claim_id: int,
    rule_id: int,
    kind: OfferKind,
    line_input: dict[str, object],
) -> tuple[CheckoutLine, CheckoutState] | None:
    try:
        state = await on.lines.add([line_input])
    except (SaleorMutationError, SaleorGraphQLError) as exc:
        # The offer cannot be made as configured (unknown variant, missing permission...): keep the
        # claim as failed so it is not retried for ever, and tell the merchant through the log.
        failed = checkout_event(
            EventKind.FAILED,
            kind,
            snapshot,
            rule_id,
            str(line_input["variantId"]),
            details={"error": str(exc)},
        )
        await on.settle(claim_id, ClaimStatus.FAILED, [failed])
        log.error("offer could not be added", extra={**on.log_context, "rule_id": rule_id, "error": str(exc)})
        return None
    except SaleorUnavailable as exc:
        if exc.may_have_applied:
            log.warning(
                "offer mutation unanswered; claim kept for the retry to reconcile",
                extra={**on.log_context, "rule_id": rule_id, "error": str(exc)},
            )
        else:
            await on.release(claim_id)  # never reached Saleor: let the retry claim again
        raise
    except asyncio.CancelledError:
        raise  # stopped mid-call: the mutation may have landed; the claim stays for reconcile
    except BaseException:
        await on.release(claim_id)
        raise
    if state is None:
        await on.release(claim_id)
        return None
    known = {line.id for line in snapshot.lines}
    for line in state.snapshot.lines:
        marker = md.read_marker(line.metadata)
        if line.id not in known and marker is not None and marker.rule_id == rule_id:
            return line, state
    raise RuntimeError(f"Saleor accepted the offer line for rule {rule_id} but it is not in the checkout")


def _shopper_discount(checkout: CheckoutSnapshot) -> bool:
    """The checkout carries a discount of the shopper's own: a voucher code, or a checkout-level
    discount (an order promotion) that Saleor takes from every line, offer lines included."""
    return checkout.voucher_code is not None or checkout.discount > 0


async def keep_offer_price(
    on: OnCheckout,
    snapshot: CheckoutSnapshot,
    claim_id: int,
    decision: AddBump | SwapUpgrade,
    line: CheckoutLine,
    sent: Decimal,
    answer: CheckoutSnapshot | None = None,
) -> bool:
    """The price check: the shopper never pays more than the offer price. ``answer`` is the checkout as
    the add mutation returned it (its voucher code tells a voucher from a promotion; prices are in the
    channel's price convention, so tax is neither). At most one correction, then keep or take out."""
    voucher = _shopper_discount(answer or snapshot)
    verdict = check_offer_price(
        decision.unit_price, sent, line.unit_price, decision.currency, voucher=voucher, corrected=False
    )
    observed = line.unit_price
    if isinstance(verdict, CorrectPrice):
        state = await on.lines.update([{"lineId": line.id, "price": str(verdict.override)}])
        updated = next((x for x in state.snapshot.lines if x.id == line.id), None) if state else None
        if updated is not None and state is not None:
            observed = updated.unit_price
            verdict = check_offer_price(
                decision.unit_price,
                verdict.override,
                observed,
                decision.currency,
                voucher=_shopper_discount(state.snapshot),
                corrected=True,
            )
            if isinstance(verdict, KeepPrice):
                log.warning(
                    "offer price corrected after a promotion",
                    extra={
                        **on.log_context,
                        "rule_id": decision.rule_id,
                        "observed": str(line.unit_price),
                        "target": str(decision.unit_price),
                        "override": str(sent),
                        "charged": str(observed),
                    },
                )
        else:
            verdict = WithdrawOffer("the corrected offer line is gone")
    if isinstance(verdict, KeepPrice):
        if verdict.outcome is not PriceOutcome.EXACT:
            log.info(
                "offer kept below its price: " + verdict.outcome,
                extra={**on.log_context, "rule_id": decision.rule_id, "charged": str(observed)},
            )
        return True
    message = verdict.message if isinstance(verdict, WithdrawOffer) else "not corrected"
    await on.lines.delete([line.id])
    kind = OfferKind.UPGRADE if isinstance(decision, SwapUpgrade) else OfferKind.BUMP
    failed = checkout_event(
        EventKind.FAILED,
        kind,
        snapshot,
        decision.rule_id,
        None,
        details={"error": message},
    )
    await on.settle(claim_id, ClaimStatus.FAILED, [failed])
    log.error(
        "offer line removed: Saleor charged an unexpected price",
        extra={
            **on.log_context,
            "rule_id": decision.rule_id,
            "observed": str(observed),
            "target": str(decision.unit_price),
        },
    )
    return False


async def delete_original_of_upgrade(
    on: OnCheckout, snapshot: CheckoutSnapshot, upgrade_line: CheckoutLine
) -> None:
    """After a crash between the swap's add and delete: take the original line out (once)."""
    marker = md.read_marker(upgrade_line.metadata)
    if marker is None or marker.original_variant_id is None:
        return
    originals = [
        line.id
        for line in snapshot.lines
        if line.variant_id == marker.original_variant_id and md.read_marker(line.metadata) is None
    ]
    if originals:
        await on.lines.delete(originals[:1])
