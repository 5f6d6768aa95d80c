"""Saleor for post-purchase offers: the ORDER_CREATED order read into the engine's snapshot, the order
read fresh on accept, and the order writes (lines, line discount, confirmation, public metadata). The
follow-up checkout's operations are in follow_up.py. Saleor JSON stops here.

Money arrives as JSON floats; it is read through its text so 8.39 stays 8.39. Line prices are read in the
channel's price convention (net when its prices are entered without tax), like offer prices. Lines without
a variant (a product deleted since) cannot trigger anything and are left out of the snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..engine.types import OrderLine as EngineOrderLine
from ..engine.types import OrderSnapshot
from ..saleor.client import SaleorClient
from ..saleor.errors import SaleorApiError
from ..saleor.results import (
    Address,
    Order,
    OrderConfirmPayload,
    OrderLine,
    OrderLineDeletePayload,
    OrderLineDiscountUpdatePayload,
    OrderLinesCreatePayload,
    PostPurchaseOrderData,
    PurchaseLine,
    PurchaseOrder,
    UpdateMetadataPayload,
    entered_amount,
    metadata_dict,
    metadata_input,
)

log = logging.getLogger("saleor_upsell.postpurchase")


def _line(data: OrderLine, with_tax: bool) -> EngineOrderLine | None:
    variant = data.variant
    if variant is None:
        return None
    product = variant.product
    return EngineOrderLine(
        id=data.id,
        variant_id=variant.id,
        product_id=product.id,
        category_id=product.category.id if product.category else None,
        collection_ids=frozenset(c.id for c in product.collections or ()),
        quantity=data.quantity,
        unit_price=entered_amount(data.unit_price, with_tax),  # the convention offer prices are in
        metadata=metadata_dict(data.metadata),
    )


def order_snapshot(order: Order) -> OrderSnapshot:
    gross = order.total.gross
    with_tax = order.channel.prices_entered_with_tax
    return OrderSnapshot(
        id=order.id,
        channel_slug=order.channel.slug,
        currency=order.channel.currency_code or gross.currency,
        status=order.status,
        lines=tuple(line for data in order.lines if (line := _line(data, with_tax)) is not None),
        total=gross.amount,
        user_email=order.user_email,
        user_id=order.user.id if order.user else None,
        checkout_id=order.checkout_id,
    )


def order_snapshot_from_payload(order: Mapping[str, Any]) -> OrderSnapshot:
    """The engine's snapshot of an ORDER_CREATED ``order`` object."""
    return order_snapshot(Order.model_validate(order))


def ordered_products(order: Order) -> dict[str, str]:
    """Product id -> name of what the shopper bought (the "X" of a social-proof figure)."""
    products: dict[str, str] = {}
    for line in order.lines:
        if line.variant is not None:
            products[line.variant.product.id] = line.product_name or line.variant.product.id
    return products


async def write_order_metadata(
    client: SaleorClient, order_id: str, metadata: dict[str, str], *, best_effort: bool
) -> bool:
    """``updateMetadata`` on the order; with ``best_effort`` a failure is logged, not raised."""
    try:
        await client.mutation(
            "OrderUpdateMetadata", {"id": order_id, "input": metadata_input(metadata)}, UpdateMetadataPayload
        )
    except SaleorApiError as exc:
        if not best_effort:
            raise
        log.warning("order metadata not updated", extra={"order_id": order_id, "error": str(exc)})
        return False
    return True


async def delete_order_metadata(client: SaleorClient, order_id: str, keys: tuple[str, ...]) -> bool:
    """``deleteMetadata`` on the order, best effort (the sweep's "no price outlives its window")."""
    try:
        await client.mutation(
            "OrderDeleteMetadata", {"id": order_id, "keys": list(keys)}, UpdateMetadataPayload
        )
    except SaleorApiError as exc:
        log.warning("order metadata not deleted", extra={"order_id": order_id, "error": str(exc)})
        return False
    return True


async def fetch_order(client: SaleorClient, order_id: str) -> PurchaseOrder | None:
    return (await client.query("PostPurchaseOrder", {"id": order_id}, PostPurchaseOrderData)).order


def line_input(variant_id: str, override: Decimal) -> dict[str, Any]:
    return {"variantId": variant_id, "quantity": 1, "price": str(override), "forceNewLine": True}


async def add_order_lines(
    client: SaleorClient, order_id: str, lines: list[dict[str, Any]]
) -> list[PurchaseLine]:
    payload = await client.mutation(
        "OrderLinesCreate", {"id": order_id, "input": lines}, OrderLinesCreatePayload
    )
    return list(payload.order_lines or ())


def address_input(address: Address) -> dict[str, Any]:
    """An order's address (PostPurchaseAddress fragment) as AddressInput."""
    data = {
        key: value for key, value in address.model_dump(by_alias=True, exclude={"country"}).items() if value
    }
    if address.country is not None and address.country.code:
        data["country"] = address.country.code
    return data


async def discount_line(
    client: SaleorClient, line_id: str, amount: Decimal, reason: str
) -> PurchaseLine | None:
    """A FIXED discount on an order line (it replaces the promotion: see order_lines.py)."""
    payload = await client.mutation(
        "OrderLineDiscountUpdate",
        {"orderLineId": line_id, "input": {"valueType": "FIXED", "value": str(amount), "reason": reason}},
        OrderLineDiscountUpdatePayload,
    )
    return payload.order_line


async def delete_order_line(client: SaleorClient, line_id: str) -> None:
    await client.mutation("OrderLineDelete", {"id": line_id}, OrderLineDeletePayload)


async def confirm_order(client: SaleorClient, order_id: str) -> None:
    await client.mutation("OrderConfirm", {"id": order_id}, OrderConfirmPayload)
