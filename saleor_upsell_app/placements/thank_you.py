"""THANK_YOU: the order's post-purchase offer. This is the ONE place placements read post-purchase
offers from (re-point it here when post-purchase changes its lookup); accepting and declining then go
through post-purchase's own shopper actions with the signed token issued here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..kit.db import Database
from ..postpurchase.repository import OPEN, PostPurchaseOfferRepository
from ..postpurchase.tokens import OfferLinks


@dataclass(frozen=True, slots=True)
class ThankYouOffer:
    offer_id: str
    order_id: str
    rule_id: int
    channel_slug: str
    variant_id: str
    product_name: str
    headline: str
    benefits: tuple[str, ...]
    unit_price: Decimal
    regular_price: Decimal
    currency: str
    expires_at: datetime
    status: str  # post-purchase's OfferStatus
    token: str  # the signed capability post-purchase's accept and decline take
    url: str  # the app's own offer page for it

    def open_at(self, now: datetime) -> bool:
        return self.status == OPEN and now < self.expires_at


async def thank_you_offer(
    db: Database, links: OfferLinks, installation_id: int, order_id: str
) -> ThankYouOffer | None:
    """The order's post-purchase offer (open or answered), or None: none made (or held out)."""
    async with db.read() as session:
        offer = await PostPurchaseOfferRepository(session).for_order(installation_id, order_id)
    if offer is None:
        return None
    shown = offer.presentation
    token = links.token(installation_id, offer.id, offer.order_id, offer.expires_at)
    return ThankYouOffer(
        offer_id=offer.id,
        order_id=offer.order_id,
        rule_id=offer.rule_id,
        channel_slug=offer.channel_slug,
        variant_id=offer.variant_id,
        product_name=str(shown.get("product_name") or "this item"),
        headline=str(shown.get("headline") or "One more thing?"),
        benefits=tuple(str(b) for b in shown.get("benefits") or ()),
        unit_price=offer.unit_price,
        regular_price=offer.regular_price,
        currency=offer.currency,
        expires_at=offer.expires_at,
        status=offer.status,
        token=token,
        url=links.url(token),
    )
