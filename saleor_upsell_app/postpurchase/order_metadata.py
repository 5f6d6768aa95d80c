"""The order's public metadata keys a thank-you page reads to render the offer (and its outcome).

Public metadata on purpose: the storefront reads the order with the shopper's own access, and nothing
here is secret beyond the offer link, which is only useful to whoever can already see the order.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..engine.metadata import PREFIX

OFFER_ID = PREFIX + "offer-id"
OFFER_VARIANT = PREFIX + "offer-variant"
OFFER_PRICE = PREFIX + "offer-price"
OFFER_REGULAR_PRICE = PREFIX + "offer-regular-price"
OFFER_CURRENCY = PREFIX + "offer-currency"
OFFER_EXPIRES_AT = PREFIX + "offer-expires-at"
OFFER_TOKEN = PREFIX + "offer-token"
OFFER_URL = PREFIX + "offer-url"
OFFER_HEADLINE = PREFIX + "offer-headline"
OFFER_STATUS = PREFIX + "offer-status"  # open | accepted | declined | expired | failed
OFFER_RESULT = PREFIX + "offer-result"  # added-to-order | follow-up-order
OFFER_FOLLOW_UP_ORDER = PREFIX + "offer-follow-up-order"  # the draft order's id
# On a follow-up draft order: the order whose offer it fulfils (its ORDER_CREATED makes no new offer).
FOLLOW_UP_OF = PREFIX + "follow-up-of"


def offer_metadata(
    *,
    offer_id: str,
    variant_id: str,
    unit_price: Decimal,
    regular_price: Decimal,
    currency: str,
    expires_at: datetime,
    token: str,
    url: str,
    headline: str,
) -> dict[str, str]:
    return {
        OFFER_ID: offer_id,
        OFFER_VARIANT: variant_id,
        OFFER_PRICE: str(unit_price),
        OFFER_REGULAR_PRICE: str(regular_price),
        OFFER_CURRENCY: currency,
        OFFER_EXPIRES_AT: expires_at.isoformat(),
        OFFER_TOKEN: token,
        OFFER_URL: url,
        OFFER_HEADLINE: headline,
        OFFER_STATUS: "open",
    }
