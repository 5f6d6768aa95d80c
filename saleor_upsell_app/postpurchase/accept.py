"""Carrying out an accept the row already claimed (``accepting``): the same code for the shopper's click,
for a click that takes over an accept whose process died, and for the sweep that resumes one.

Every step can run again without doing anything twice: the follow-up checkout is looked up by the
offer id in its metadata before one is created (follow_up.py), and a line of the offered variant found
on the same order is the one an earlier attempt added (order_lines.py). So "checkout created, then the
process died before the shopper was redirected" ends with the same single checkout, whoever resumes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ..engine.money import quantize
from ..engine.pricing import override_for_target
from ..insights import events as event_log
from ..insights.events import EventKind, NewEvent, OfferType
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import Database
from ..rules.gateway import VariantPricingCache
from ..saleor.client import SaleorClient, SaleorClientFactory
from ..saleor.errors import SaleorApiError, SaleorMutationError, SaleorUnavailable
from ..saleor.results import entered_amount
from . import follow_up, gateway
from . import order_metadata as om
from .config import PostPurchaseConfig
from .errors import OfferFailed, OfferNotFound, OfferTryAgain
from .order_lines import PriceNotKept, add_offer_line
from .repository import (
    ACCEPTED,
    ACCEPTING,
    FAILED,
    OPEN,
    OfferStatus,
    PostPurchaseOfferRepository,
    StoredOffer,
)

log = logging.getLogger("saleor_upsell.postpurchase")

Result = Literal["follow_up_checkout", "added_to_order"]
FOLLOW_UP_CHECKOUT: Result = "follow_up_checkout"
ADDED_TO_ORDER: Result = "added_to_order"


@dataclass(frozen=True, slots=True)
class AcceptOutcome:
    result: Result
    offer_id: str
    order_id: str
    order_number: str | None
    product_name: str
    unit_price: Decimal
    currency: str
    line_id: str
    checkout_id: str | None = None
    checkout_url: str | None = None
    # Same order: what the merchant still collects for the add-on (the order was paid without it).
    amount_due: Decimal | None = None
    details: dict[str, Any] = field(default_factory=dict)


def product_name(offer: StoredOffer) -> str:
    return str(offer.presentation.get("product_name") or "this item")


def outcome_json(outcome: AcceptOutcome) -> dict[str, Any]:
    return {
        "result": outcome.result,
        "line_id": outcome.line_id,
        "unit_price": str(outcome.unit_price),
        "checkout_id": outcome.checkout_id,
        "amount_due": str(outcome.amount_due) if outcome.amount_due is not None else None,
    }


def stored_outcome(offer: StoredOffer, config: PostPurchaseConfig) -> AcceptOutcome | None:
    """The outcome of an accept that already finished (a double click gets the same answer)."""
    data = offer.outcome
    if offer.status != ACCEPTED or data.get("result") not in (FOLLOW_UP_CHECKOUT, ADDED_TO_ORDER):
        return None
    checkout_id = offer.checkout_id  # None again once an unpaid checkout was released
    due = data.get("amount_due")
    return AcceptOutcome(
        result=data["result"],
        offer_id=offer.id,
        order_id=offer.order_id,
        order_number=offer.order_number,
        product_name=product_name(offer),
        unit_price=Decimal(str(data.get("unit_price") or offer.unit_price)),
        currency=offer.currency,
        line_id=str(data.get("line_id") or ""),
        checkout_id=checkout_id,
        checkout_url=config.checkout_url(offer.channel_slug, checkout_id) if checkout_id else None,
        amount_due=Decimal(due) if due else None,
    )


def offer_event(kind: str, offer: StoredOffer, amount: Decimal | None = None, **details: Any) -> NewEvent:
    return NewEvent(
        kind=kind,
        offer_type=OfferType.POST_PURCHASE,
        rule_id=offer.rule_id,
        order_id=offer.order_id,
        checkout_id=details.pop("checkout_id", None),
        channel_slug=offer.channel_slug,
        variant_id=offer.variant_id,
        amount=amount,
        currency=offer.currency if amount is not None else None,
        details=details or None,
    )


def _outcome_metadata(outcome: AcceptOutcome) -> dict[str, str]:
    if outcome.result == ADDED_TO_ORDER:
        metadata = {om.OFFER_STATUS: ACCEPTED, om.OFFER_RESULT: "added-to-order"}
        if outcome.amount_due is not None:
            metadata[om.OFFER_AMOUNT_DUE] = str(outcome.amount_due)
        return metadata
    metadata = {om.OFFER_STATUS: ACCEPTED, om.OFFER_RESULT: "follow-up-checkout"}
    if outcome.checkout_id:
        metadata[om.OFFER_CHECKOUT] = outcome.checkout_id
    if outcome.checkout_url:
        metadata[om.OFFER_CHECKOUT_URL] = outcome.checkout_url
    return metadata


@dataclass(frozen=True, slots=True)
class Acceptor:
    db: Database
    installations: InstallationStore
    saleor: SaleorClientFactory
    catalogue: VariantPricingCache
    config: PostPurchaseConfig
    clock: Clock

    async def move(
        self,
        offer: StoredOffer,
        from_status: OfferStatus,
        to_status: OfferStatus,
        *,
        events: list[NewEvent] | None = None,
        outcome: dict[str, Any] | None = None,
        must_be_open_at: datetime | None = None,
        untouched_since: datetime | None = None,
        checkout_id: str | None = None,
    ) -> bool:
        """One transition, its events logged in the same transaction."""
        now = self.clock() if must_be_open_at is None else must_be_open_at
        async with self.db.transaction() as session:
            moved = await PostPurchaseOfferRepository(session).transition(
                offer.id,
                from_status,
                to_status,
                now,
                outcome=outcome,
                must_be_open_at=must_be_open_at,
                untouched_since=untouched_since,
                checkout_id=checkout_id,
            )
            if moved and events:
                await event_log.record(session, offer.installation_id, events, now)
        return moved

    async def finish(self, offer: StoredOffer) -> AcceptOutcome:
        """Carry out the accept of ``offer``, which this caller holds in ``accepting``."""
        installation = await self.installations.get_by_id(offer.installation_id)
        if installation is None:
            await self.move(offer, ACCEPTING, FAILED, outcome={"error": "installation gone"})
            raise OfferNotFound("installation gone")
        client = self.saleor.for_auth(installation)
        try:
            outcome = await self._apply(client, offer)
        except SaleorUnavailable as exc:
            # Back to open: a later click (or the sweep) finds whatever this attempt already made.
            await self.move(offer, ACCEPTING, OPEN)
            log.warning(
                "offer accept postponed: Saleor unavailable", extra={"offer_id": offer.id, "error": str(exc)}
            )
            raise OfferTryAgain(str(exc)) from exc
        except (SaleorApiError, PriceNotKept, OfferFailed) as exc:
            await self.move(
                offer,
                ACCEPTING,
                FAILED,
                events=[offer_event(EventKind.FAILED, offer, error=str(exc))],
                outcome={"error": str(exc)},
            )
            await gateway.write_order_metadata(
                client, offer.order_id, {om.OFFER_STATUS: FAILED}, best_effort=True
            )
            log.error("offer accept failed", extra={"offer_id": offer.id, "error": str(exc)})
            raise OfferFailed(str(exc)) from exc
        except BaseException:
            await self.move(offer, ACCEPTING, OPEN)
            raise
        # The same-order add-on is revenue now (it is part of the order); a follow-up checkout's is counted
        # when its order arrives (conversion.py), so an unpaid checkout adds no revenue.
        amount = outcome.unit_price if outcome.result == ADDED_TO_ORDER else None
        extra = {"amount_due": str(outcome.amount_due)} if outcome.amount_due is not None else {}
        accepted = offer_event(
            EventKind.ACCEPTED,
            offer,
            amount,
            result=outcome.result,
            line_id=outcome.line_id,
            checkout_id=outcome.checkout_id,
            **extra,
        )
        await self.move(
            offer,
            ACCEPTING,
            ACCEPTED,
            events=[accepted],
            outcome=outcome_json(outcome),
            checkout_id=outcome.checkout_id,
        )
        await gateway.write_order_metadata(
            client, offer.order_id, _outcome_metadata(outcome), best_effort=True
        )
        log.info("post-purchase offer accepted", extra={"offer_id": offer.id, "result": outcome.result})
        return outcome

    async def _apply(self, client: SaleorClient, offer: StoredOffer) -> AcceptOutcome:
        order = await gateway.fetch_order(client, offer.order_id)
        if order is None:
            raise OfferFailed("the order no longer exists")
        override = await self._override_price(client, offer)
        same_order = bool(offer.presentation.get("add_to_same_order")) and self.config.same_order(
            order.channel.slug, order.status
        )
        if same_order:
            try:
                line = await add_offer_line(client, order, offer, override)
            except SaleorMutationError as exc:
                if "NOT_EDITABLE" not in exc.codes:
                    raise
                # Confirmed between our read and the mutation: a follow-up checkout collects it instead.
            else:
                with_tax = order.channel.prices_entered_with_tax
                return AcceptOutcome(
                    ADDED_TO_ORDER,
                    offer.id,
                    offer.order_id,
                    offer.order_number,
                    product_name(offer),
                    entered_amount(line.unit_price, with_tax),
                    offer.currency,
                    line.id,
                    # What the shopper is charged for it: tax included.
                    amount_due=line.unit_price.gross.amount,
                )
        if not self.config.pays_by_checkout(order.channel.slug):
            raise OfferFailed("no storefront checkout is configured for this channel")
        checkout, checkout_line = await follow_up.open_checkout(client, order, offer, override)
        return AcceptOutcome(
            FOLLOW_UP_CHECKOUT,
            offer.id,
            offer.order_id,
            offer.order_number,
            product_name(offer),
            follow_up.line_price(checkout, checkout_line),
            offer.currency,
            checkout_line.id,
            checkout_id=checkout.id,
            checkout_url=self.config.checkout_url(order.channel.slug, checkout.id),
        )

    async def _override_price(self, client: SaleorClient, offer: StoredOffer) -> Decimal:
        """The custom price that makes Saleor charge the promised price under today's promotions."""
        pricing = (await self.catalogue.get(client, offer.channel_slug, [offer.variant_id])).get(
            offer.variant_id
        )
        if pricing is None or not pricing.available:
            raise OfferFailed("the offered item is no longer available")
        currency = offer.currency
        return override_for_target(
            offer.unit_price,
            quantize(pricing.regular_price, currency),
            quantize(pricing.current_price, currency),
            currency,
        )
