"""ORDER_CREATED of a follow-up order: the shopper paid for an accepted offer. Counted once.

Saleor copies the follow-up checkout's metadata (``follow-up-of``, ``offer-id``) to the order and the
line's metadata to its order line. The offer row takes the order's id only while it has none (one
conditional UPDATE), and the ``converted`` event is written in that same transaction, so redeliveries,
retries and several app processes count it exactly once. The event carries the follow-up checkout's id,
as the ``accepted`` event does, so analytics counts the accept and its payment as one take with the
ordered amount as revenue. The original order's metadata then says the offer was paid.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from ..insights import events as event_log
from ..insights.events import EventKind, NewEvent, OfferType
from ..kit.clock import Clock
from ..kit.db import Database
from ..saleor.apl import AuthData
from ..saleor.client import SaleorClientFactory
from ..saleor.results import Order, metadata_dict
from . import gateway
from . import order_metadata as om
from .repository import ACCEPTED, ACCEPTING, OPEN, PostPurchaseOfferRepository

log = logging.getLogger("saleor_upsell.postpurchase")


def offer_amount(order: Order, offer_id: str, variant_id: str) -> tuple[Decimal, str] | None:
    """What the order charges for the offer's line (gross × quantity), or None when it has none."""
    for line in order.lines:
        marked = metadata_dict(line.metadata).get(om.OFFER_ID) == offer_id
        if marked or (line.variant is not None and line.variant.id == variant_id and not line.metadata):
            gross = line.unit_price.gross
            return gross.amount * line.quantity, gross.currency
    return None


@dataclass(frozen=True, slots=True)
class RecordConversion:
    db: Database
    saleor: SaleorClientFactory
    clock: Clock

    async def __call__(self, installation: AuthData, order: Order) -> None:
        metadata = metadata_dict(order.metadata)
        original, offer_id = metadata.get(om.FOLLOW_UP_OF), metadata.get(om.OFFER_ID)
        if not original or not offer_id:
            return
        async with self.db.read() as session:
            offer = await PostPurchaseOfferRepository(session).get(offer_id)
        if offer is None or offer.installation_id != installation.id or offer.order_id != original:
            log.warning("follow-up order names an unknown offer", extra={"order_id": order.id})
            return
        paid = offer_amount(order, offer.id, offer.variant_id)
        if paid is None:
            log.info("follow-up order without the offer line", extra={"order_id": order.id})
            return
        amount, currency = paid
        now = self.clock()
        async with self.db.transaction() as session:
            repository = PostPurchaseOfferRepository(session)
            converted = await repository.mark_converted(offer.id, order.id, now)
            if converted:
                if offer.status in (OPEN, ACCEPTING):  # paid although the accept never finished
                    await repository.transition(
                        offer.id, offer.status, ACCEPTED, now, checkout_id=order.checkout_id
                    )
                event = NewEvent(
                    kind=EventKind.CONVERTED,
                    offer_type=OfferType.POST_PURCHASE,
                    rule_id=offer.rule_id,
                    checkout_id=order.checkout_id,
                    order_id=order.id,
                    channel_slug=offer.channel_slug,
                    variant_id=offer.variant_id,
                    amount=amount,
                    currency=currency,
                    details={"original_order_id": offer.order_id, "offer_id": offer.id},
                )
                await event_log.record(session, installation.id, [event], now)
        if not converted:
            return  # a redelivery, or another process counted it
        await gateway.write_order_metadata(
            self.saleor.for_auth(installation),
            offer.order_id,
            {om.OFFER_STATUS: "paid", om.OFFER_PAID_ORDER: order.id},
            best_effort=True,
        )
        log.info("post-purchase offer paid", extra={"offer_id": offer.id, "order_id": order.id})
