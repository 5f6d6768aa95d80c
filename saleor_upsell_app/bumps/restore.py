"""An upgrade the shopper deleted is reverted: the stock storefront's only control is "delete", so deleting
an upgraded line puts the shopper's original line back (same variant and quantity, at its catalogue
price) and records a decline, exactly once.

Exactly once, also with racing events and processes: the claim moves ``applied -> restoring`` with a
conditional update before anything is sent (only one delivery passes), the restored line carries
``REVERTED_FROM`` (the upgrade line's id), and ``restoring -> declined`` is conditional too (one decline
logged). A Saleor failure moves the claim back to ``applied`` (the retry starts over, on a fresh read).
A claim found ``restoring`` belongs to a process still at work, or to one that died half-way: younger
than ``TAKE_OVER_AFTER`` the event is retried later (:class:`RestoreInProgress`); older, it is finished
from a fresh read of the checkout, so a stale snapshot never adds the original twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from ..engine import metadata as md
from ..engine.types import CheckoutLine, CheckoutSnapshot, OfferKind
from ..insights import events as event_log
from ..insights.events import EventKind, NewEvent
from ..kit.errors import AppError
from .claims import ClaimRepository, ClaimStatus, OfferClaim
from .context import OnCheckout, checkout_event
from .gateway import CheckoutState, offer_line_input

log = logging.getLogger("saleor_upsell.webhooks.checkout")

# Marks the line restored in place of an upgrade with the upgrade line's id (storefront revert too).
REVERTED_FROM = md.PREFIX + "reverted-from"
# A restore still `restoring` after this long was left by a process that died: another one finishes it.
TAKE_OVER_AFTER = timedelta(seconds=30)


class RestoreInProgress(AppError):
    """Another process is restoring this upgrade's original right now; the event is retried later."""

    code = "RESTORE_IN_PROGRESS"
    status = 503


def restored_line(snapshot: CheckoutSnapshot, upgrade_line_id: str | None) -> CheckoutLine | None:
    return next(
        (line for line in snapshot.lines if line.metadata.get(REVERTED_FROM) == upgrade_line_id), None
    )


def deleted_upgrade(claim: OfferClaim, line_ids: set[str]) -> bool:
    """An applied upgrade whose line is gone and whose original the app knows how to put back."""
    return (
        claim.kind == OfferKind.UPGRADE
        and claim.status == ClaimStatus.APPLIED
        and claim.line_id not in line_ids
        and claim.original_variant_id is not None
    )


async def _move(on: OnCheckout, claim: OfferClaim, expected: ClaimStatus, status: ClaimStatus) -> bool:
    async with on.db.transaction() as session:
        return await ClaimRepository(session).move(claim.id, expected, status, on.clock())


async def _finish(on: OnCheckout, claim: OfferClaim, event: NewEvent) -> bool:
    """restoring -> declined with its event, once (False: someone else finished it)."""
    now = on.clock()
    async with on.db.transaction() as session:
        moved = await ClaimRepository(session).move(
            claim.id, ClaimStatus.RESTORING, ClaimStatus.DECLINED, now
        )
        if moved:
            await event_log.record(session, on.installation_id, [event], now)
    return moved


async def restore_upgrade(on: OnCheckout, state: CheckoutState, claim: OfferClaim) -> CheckoutState:
    """Put back the line ``claim``'s upgrade replaced (claim ``applied`` with its line gone, or
    ``restoring``); returns the checkout as it is afterwards."""
    if claim.status == ClaimStatus.APPLIED:
        if not await _move(on, claim, ClaimStatus.APPLIED, ClaimStatus.RESTORING):
            return state  # another delivery or process got there first
    elif claim.updated_at is not None and on.clock() - claim.updated_at < TAKE_OVER_AFTER:
        raise RestoreInProgress(f"the original of upgrade rule {claim.rule_id} is being restored")
    try:
        # A fresh read, not the event's snapshot: only Saleor knows whether an earlier attempt (whose
        # answer was lost) already put the original back.
        fresh = await on.lines.fetch()
        if fresh is None:
            return state  # the checkout is gone
        state, line = await _put_back(on, fresh, claim)
    except BaseException:
        await _move(on, claim, ClaimStatus.RESTORING, ClaimStatus.APPLIED)  # the retry starts over
        raise
    declined = checkout_event(
        EventKind.DECLINED,
        OfferKind.UPGRADE,
        state.snapshot,
        claim.rule_id,
        claim.variant_id,
        details={
            "reason": "upgrade deleted by the shopper",
            "restored_line_id": line.id if line is not None else None,
            "restored_variant_id": claim.original_variant_id,
        },
    )
    if await _finish(on, claim, declined):
        log.info(
            "upgrade deleted by shopper: original restored, declined",
            extra={**on.log_context, "rule_id": claim.rule_id},
        )
    return state


async def _put_back(
    on: OnCheckout, state: CheckoutState, claim: OfferClaim
) -> tuple[CheckoutState, CheckoutLine | None]:
    line = restored_line(state.snapshot, claim.line_id)
    if line is not None or claim.original_variant_id is None:
        return state, line
    original = offer_line_input(
        claim.original_variant_id,
        claim.original_quantity or 1,
        metadata={REVERTED_FROM: claim.line_id or ""},
    )
    after = await on.lines.add([original])
    if after is None:
        return state, None  # the checkout is gone
    return after, restored_line(after.snapshot, claim.line_id)
