"""Saleor writes for an accepted offer: the line on the same order, or a follow-up draft order.

The price the shopper was promised is checked on the line Saleor returns, because a catalogue promotion
is applied on top of a custom price (captures surprise 19). When the line came out dearer, a FIXED line
discount brings it down to the promise: ``orderLineDiscountUpdate`` *replaces* the promotion and counts
from the undiscounted (custom) price (surprise 20), so ``undiscounted - promise`` lands exactly on it.
It is only sent when it lowers the price. A line Saleor prices below the promise is kept as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..saleor.client import SaleorClient
from . import order_metadata as om
from .common import log
from .repository import StoredOffer

DISCOUNT_REASON = "saleor-upsell post-purchase offer price"


class PriceNotKept(Exception):
    """Saleor would charge more than the offer price and it could not be corrected; the line was removed."""


def _price(line: Mapping[str, Any]) -> Decimal:
    return Decimal(str(line["unitPrice"]["gross"]["amount"]))


def _line_input(offer: StoredOffer, override: Decimal) -> dict[str, Any]:
    return {"variantId": offer.variant_id, "quantity": 1, "price": str(override), "forceNewLine": True}


def _offer_line(lines: Any, variant_id: str) -> Mapping[str, Any] | None:
    return next((line for line in lines or () if (line.get("variant") or {}).get("id") == variant_id), None)


async def add_offer_line(
    client: SaleorClient, order: Mapping[str, Any], offer: StoredOffer, override: Decimal
) -> Mapping[str, Any]:
    """Add the offer line to the UNCONFIRMED ``order`` (read fresh) and make it cost the promised price.

    The offered variant was not in the order when the offer was made (the engine never offers what is
    already bought), so a line of it found now is ours from an attempt whose answer was lost: reuse it.
    """
    line = _offer_line(order.get("lines"), offer.variant_id)
    if line is None:
        payload = await client.mutate(
            "OrderLinesCreate",
            {"id": order["id"], "input": [_line_input(offer, override)]},
            "orderLinesCreate",
        )
        line = _offer_line(payload.get("orderLines"), offer.variant_id)
        if line is None:
            raise RuntimeError("orderLinesCreate succeeded but returned no line of the offered variant")
    return await _keep_promise(client, line, offer)


async def create_follow_up_order(
    client: SaleorClient, order: Mapping[str, Any], offer: StoredOffer, override: Decimal
) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """A draft order for the same customer, channel and addresses, holding only the offer line."""
    data: dict[str, Any] = {
        "channelId": order["channel"]["id"],
        "lines": [_line_input(offer, override)],
        "metadata": om.as_input({om.FOLLOW_UP_OF: str(order["id"]), om.OFFER_ID: offer.id}),
    }
    user = order.get("user")
    if user and user.get("id"):
        data["user"] = user["id"]
    if order.get("userEmail"):
        data["userEmail"] = order["userEmail"]
    for key in ("shippingAddress", "billingAddress"):
        if order.get(key):
            data[key] = address_input(order[key])
    payload = await client.mutate("DraftOrderCreate", {"input": data}, "draftOrderCreate")
    draft = payload["order"]
    line = _offer_line(draft.get("lines"), offer.variant_id)
    if line is None:
        raise RuntimeError("draftOrderCreate succeeded but returned no line of the offered variant")
    return draft, await _keep_promise(client, line, offer)


def address_input(address: Mapping[str, Any]) -> dict[str, Any]:
    """An order's address (PostPurchaseAddress fragment) as AddressInput."""
    data = {key: value for key, value in address.items() if key != "country" and value}
    country = (address.get("country") or {}).get("code")
    if country:
        data["country"] = country
    return data


async def _keep_promise(
    client: SaleorClient, line: Mapping[str, Any], offer: StoredOffer
) -> Mapping[str, Any]:
    observed = _price(line)
    if observed <= offer.unit_price:
        if observed < offer.unit_price:
            log.warning(
                "offer line cheaper than promised (a promotion changed); kept",
                extra={"offer_id": offer.id, "observed": str(observed), "promised": str(offer.unit_price)},
            )
        return line
    undiscounted = Decimal(str(line["undiscountedUnitPrice"]["gross"]["amount"]))
    discount = undiscounted - offer.unit_price
    if discount > 0:  # lowers the price (observed > promise), never raises it
        payload = await client.mutate(
            "OrderLineDiscountUpdate",
            {
                "orderLineId": line["id"],
                "input": {"valueType": "FIXED", "value": str(discount), "reason": DISCOUNT_REASON},
            },
            "orderLineDiscountUpdate",
        )
        updated: Mapping[str, Any] | None = payload.get("orderLine")
        if updated is not None and _price(updated) <= offer.unit_price:
            return updated
    await client.mutate("OrderLineDelete", {"id": line["id"]}, "orderLineDelete")
    raise PriceNotKept(f"Saleor charged {observed} {offer.currency} instead of {offer.unit_price}")
