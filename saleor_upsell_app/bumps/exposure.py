"""Exposure: the first time a checkout could get an offer it is logged ``eligible`` or ``held_out``
(the random holdout), so lift can be measured between the two groups."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..engine.holdout import in_holdout
from ..engine.types import AddBump, CheckoutSnapshot, Evaluation, SkipReason, SwapUpgrade
from ..insights.events import (
    EXPOSURE_KINDS,
    EventKind,
    EventLog,
    NewEvent,
    OfferType,
    pg_record_unless_logged,
)
from .claims import OfferClaim
from .context import OnCheckout, checkout_event


def exposure_event(
    snapshot: CheckoutSnapshot, evaluation: Evaluation, holdout_percent: Decimal, claims: list[OfferClaim]
) -> NewEvent | None:
    """``eligible`` or ``held_out``, the first time this checkout could get an offer; None once the
    checkout has offers or when nothing fits."""
    if claims or not (evaluation.decisions or evaluation.offers or evaluation.holdout):
        return None
    held_out = evaluation.holdout or in_holdout(snapshot.id, holdout_percent)
    # Which rules could have fired, so lift can also be measured per rule.
    rule_ids = {d.rule_id for d in evaluation.decisions if isinstance(d, AddBump | SwapUpgrade)}
    rule_ids |= {o.rule_id for o in evaluation.offers}
    rule_ids |= {s.rule_id for s in evaluation.skips if s.reason == SkipReason.HOLDOUT and s.rule_id}
    # The A/B variant each rule showed (the analysis reads the arm recorded here, never a fresh hash).
    actions = [d for d in evaluation.decisions if isinstance(d, AddBump)]
    actions += [o.action for o in evaluation.offers if isinstance(o.action, AddBump)]
    arms = {str(a.rule_id): a.arm for a in actions if a.arm is not None}
    event = checkout_event(
        EventKind.HELD_OUT if held_out else EventKind.ELIGIBLE,
        OfferType.BUMP,
        snapshot,
        None,
        None,
        holdout=held_out,
        # Stored as text, as the rule ids have always been written into the log's details.
        details={"rule_ids": sorted(str(rule_id) for rule_id in rule_ids)} | ({"arms": arms} if arms else {}),
    )
    # The currency of the unit even if it never becomes an order (analytics groups units per currency).
    return replace(event, currency=snapshot.currency)


async def record_exposure_once(on: OnCheckout, exposure: NewEvent) -> None:
    if on.on_driver:  # PostgreSQL: the check and the insert in one statement
        async with on.db.driver() as connection:
            await pg_record_unless_logged(
                connection, on.installation_id, [exposure], on.clock(), on.checkout_id, EXPOSURE_KINDS
            )
        return
    async with on.db.read() as session:
        if await EventLog(session).exists(on.installation_id, on.checkout_id, EXPOSURE_KINDS):
            return
    await on.log([exposure])
