"""Saleor writes for an offer accepted on the same (UNCONFIRMED) order: the line and its price check.

The price the shopper was promised is checked on the line Saleor returns, because a catalogue promotion
is applied on top of a custom price (captures surprise 19). When the line came out dearer, a FIXED line
discount brings it down to the promise: ``orderLineDiscountUpdate`` *replaces* the promotion and counts
from the undiscounted (custom) price (surprise 20), so ``undiscounted - promise`` lands exactly on it.
It is only sent when it lowers the price. A line Saleor prices below the promise is kept as it is.
Prices are read in the order channel's price convention (``entered_amount``): net when its prices are
entered without tax, gross otherwise, like the offer price and the custom price sent.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from ..kit.errors import AppError
from ..saleor.client import SaleorClient
from ..saleor.results import PurchaseLine, PurchaseOrder, entered_amount
from . import gateway
from .repository import StoredOffer

log = logging.getLogger("saleor_upsell.postpurchase")

DISCOUNT_REASON = "saleor-upsell post-purchase offer price"


class PriceNotKept(AppError):
    """Saleor would charge more than the offer price and it could not be corrected; the line was removed."""

    code = "PRICE_NOT_KEPT"
    status = 409


def _offer_line(lines: list[PurchaseLine], variant_id: str) -> PurchaseLine | None:
    return next((line for line in lines if line.variant is not None and line.variant.id == variant_id), None)


async def add_offer_line(
    client: SaleorClient, order: PurchaseOrder, offer: StoredOffer, override: Decimal
) -> PurchaseLine:
    """Add the offer line to the UNCONFIRMED ``order`` (read fresh) and make it cost the promised price.

    The offered variant was not in the order when the offer was made (the engine never offers what is
    already bought), so a line of it found now is ours from an attempt whose answer was lost: reuse it.
    """
    line = _offer_line(order.lines, offer.variant_id)
    if line is None:
        created = await gateway.add_order_lines(
            client, order.id, [gateway.line_input(offer.variant_id, override)]
        )
        line = _offer_line(created, offer.variant_id)
        if line is None:
            raise RuntimeError("orderLinesCreate succeeded but returned no line of the offered variant")
    return await _keep_promise(client, line, offer, order.channel.prices_entered_with_tax)


async def _keep_promise(
    client: SaleorClient, line: PurchaseLine, offer: StoredOffer, with_tax: bool
) -> PurchaseLine:
    observed = entered_amount(line.unit_price, with_tax)
    if observed <= offer.unit_price:
        if observed < offer.unit_price:
            log.warning(
                "offer line cheaper than promised (a promotion changed); kept",
                extra={"offer_id": offer.id, "observed": str(observed), "promised": str(offer.unit_price)},
            )
        return line
    discount = entered_amount(line.undiscounted_unit_price, with_tax) - offer.unit_price
    if discount > 0:  # lowers the price (observed > promise), never raises it
        updated = await gateway.discount_line(client, line.id, discount, DISCOUNT_REASON)
        if updated is not None and entered_amount(updated.unit_price, with_tax) <= offer.unit_price:
            return updated
    await gateway.delete_order_line(client, line.id)
    raise PriceNotKept(f"Saleor charged {observed} {offer.currency} instead of {offer.unit_price}")
