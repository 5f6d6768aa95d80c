"""The default accept: a follow-up checkout for the same customer holding the offer at its signed price.

Found before it is made: the checkout carries the offer id in its public metadata, so an accept that is
retried, taken over after a crash, or resumed by the sweep reuses the checkout an earlier attempt made
(``checkouts(filter: {metadata})``) instead of creating a second one. Saleor copies the checkout's and
the line's metadata to the order it becomes, which is how the conversion is recognised
(postpurchase/conversion.py).

The line's custom price needs the app's token with HANDLE_CHECKOUTS; a catalogue promotion applies on
top of it (PROTOCOL "Money facts"), so the override is promotion-compensated and the line's unit price
read back: one correction when it came out dearer (the promotion ended meanwhile), never a raise. The
price is read in the channel's price convention (``entered_amount``): net when its prices are entered
without tax (Saleor then adds tax on top of the custom price), gross otherwise.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from ..saleor.client import SaleorClient
from ..saleor.errors import SaleorMutationError
from ..saleor.results import (
    CheckoutLinesDeletePayload,
    CheckoutLinesPayload,
    FollowUpCheckout,
    FollowUpCheckoutPayload,
    FollowUpLine,
    PostPurchaseCheckoutsData,
    PurchaseOrder,
    entered_amount,
    metadata_dict,
    metadata_input,
)
from . import gateway
from . import order_metadata as om
from .order_lines import PriceNotKept
from .repository import StoredOffer

log = logging.getLogger("saleor_upsell.postpurchase")

PRICE_REASON = "saleor-upsell post-purchase offer"


def checkout_metadata(order_id: str, offer_id: str) -> dict[str, str]:
    return {om.FOLLOW_UP_OF: order_id, om.OFFER_ID: offer_id}


async def find_checkout(client: SaleorClient, offer_id: str) -> FollowUpCheckout | None:
    """The follow-up checkout an earlier attempt made for this offer (checkouts(filter: metadata))."""
    data = await client.query(
        "PostPurchaseCheckouts", {"offerKey": om.OFFER_ID, "offerId": offer_id}, PostPurchaseCheckoutsData
    )
    edges = data.checkouts.edges if data.checkouts is not None else []
    return next((edge.node for edge in edges if metadata_dict(edge.node.metadata).get(om.OFFER_ID)), None)


def line_price(checkout: FollowUpCheckout, line: FollowUpLine) -> Decimal:
    """The line's unit price in the checkout channel's price convention (the one the offer price is in)."""
    return entered_amount(line.unit_price, checkout.channel.prices_entered_with_tax)


def offer_line(checkout: FollowUpCheckout, offer_id: str) -> FollowUpLine | None:
    return next(
        (line for line in checkout.lines if metadata_dict(line.metadata).get(om.OFFER_ID) == offer_id), None
    )


def _create_input(order: PurchaseOrder, offer: StoredOffer, override: Decimal) -> dict[str, Any]:
    linked = checkout_metadata(order.id, offer.id)
    data: dict[str, Any] = {
        "channel": order.channel.slug,
        "lines": [
            {
                "variantId": offer.variant_id,
                "quantity": 1,
                "price": str(override),
                "priceOverrideReason": PRICE_REASON,
                "metadata": metadata_input(linked),
            }
        ],
        "metadata": metadata_input(linked),
    }
    email = order.user_email or offer.customer_email
    if email:
        data["email"] = email
    for key, address in (
        ("shippingAddress", order.shipping_address),
        ("billingAddress", order.billing_address),
    ):
        if address is not None:
            data[key] = gateway.address_input(address)
    # The order's addresses are already in the customer's address book (or the shopper is a guest).
    if order.shipping_address is not None:
        data["saveShippingAddress"] = False
    if order.billing_address is not None:
        data["saveBillingAddress"] = False
    return data


async def _create(
    client: SaleorClient, order: PurchaseOrder, offer: StoredOffer, override: Decimal
) -> FollowUpCheckout:
    payload = await client.mutation(
        "PostPurchaseCheckoutCreate",
        {"input": _create_input(order, offer, override)},
        FollowUpCheckoutPayload,
    )
    if payload.checkout is None:
        raise RuntimeError("checkoutCreate succeeded but returned no checkout")
    return payload.checkout


async def _keep_delivery_method(
    client: SaleorClient, checkout: FollowUpCheckout, order: PurchaseOrder
) -> FollowUpCheckout:
    """The original order's shipping method, when this checkout still offers it; else the shopper picks."""
    wanted = order.delivery_method.id if order.delivery_method is not None else None
    chosen = checkout.delivery_method.id if checkout.delivery_method is not None else None
    available = {method.id for method in checkout.shipping_methods or ()}
    if wanted is None or chosen == wanted or wanted not in available:
        return checkout
    try:
        payload = await client.mutation(
            "PostPurchaseCheckoutDeliveryMethod",
            {"id": checkout.id, "deliveryMethodId": wanted},
            FollowUpCheckoutPayload,
        )
    except SaleorMutationError as exc:
        log.info("original delivery method not kept", extra={"checkout_id": checkout.id, "error": str(exc)})
        return checkout
    return payload.checkout or checkout


async def _keep_promise(
    client: SaleorClient, checkout: FollowUpCheckout, line: FollowUpLine, offer: StoredOffer
) -> FollowUpLine:
    observed = line_price(checkout, line)
    if observed <= offer.unit_price:
        return line
    # Dearer than promised: the promotion the override compensated for has ended. Send the promise itself.
    payload = await client.mutation(
        "CheckoutLinesUpdate",
        {"id": checkout.id, "lines": [{"lineId": line.id, "price": str(offer.unit_price)}]},
        CheckoutLinesPayload,
    )
    answer = payload.checkout
    updated = next((item for item in answer.lines if item.id == line.id), None) if answer else None
    if (
        answer is not None
        and updated is not None
        and entered_amount(updated.unit_price, answer.channel.prices_entered_with_tax) <= offer.unit_price
    ):
        return line.model_copy(update={"unit_price": updated.unit_price})
    await remove_offer_line(client, checkout.id, line.id)
    raise PriceNotKept(f"Saleor charged {observed} {offer.currency} instead of {offer.unit_price}")


async def open_checkout(
    client: SaleorClient, order: PurchaseOrder, offer: StoredOffer, override: Decimal
) -> tuple[FollowUpCheckout, FollowUpLine]:
    """The offer's follow-up checkout, found or created, with its delivery method and the promised price."""
    checkout = await find_checkout(client, offer.id)
    if checkout is None or offer_line(checkout, offer.id) is None:
        checkout = await _create(client, order, offer, override)
    else:
        log.info("follow-up checkout found again", extra={"offer_id": offer.id, "checkout_id": checkout.id})
    checkout = await _keep_delivery_method(client, checkout, order)
    line = offer_line(checkout, offer.id)
    if line is None:
        raise RuntimeError("the follow-up checkout has no line of the offer")
    return checkout, await _keep_promise(client, checkout, line, offer)


async def remove_offer_line(client: SaleorClient, checkout_id: str, line_id: str) -> None:
    await client.mutation(
        "PostPurchaseCheckoutLinesDelete",
        {"id": checkout_id, "linesIds": [line_id]},
        CheckoutLinesDeletePayload,
    )
