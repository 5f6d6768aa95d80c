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
OFFER_STATUS = PREFIX + "offer-status"  # open | accepted | paid | declined | expired | failed
OFFER_RESULT = PREFIX + "offer-result"  # follow-up-checkout | added-to-order
OFFER_CHECKOUT = PREFIX + "offer-checkout"  # the follow-up checkout's id
OFFER_CHECKOUT_URL = PREFIX + "offer-checkout-url"  # where the shopper pays for it
OFFER_PAID_ORDER = PREFIX + "offer-paid-order"  # the order the follow-up checkout became
OFFER_AMOUNT_DUE = PREFIX + "offer-amount-due"  # same-order add-on: what the merchant still collects
# What disappears from the order when the offer ends unanswered: no price outlives its window.
PRICE_KEYS = (OFFER_PRICE, OFFER_REGULAR_PRICE, OFFER_TOKEN, OFFER_URL)
# On a follow-up checkout (copied by Saleor to its order) and its offer line: the order whose offer it
# fulfils and the offer's id. Its ORDER_CREATED makes no new offer; it is the offer's conversion.
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
