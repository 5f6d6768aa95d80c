"""Parse the ``UpsellOrder`` fragment (ORDER_CREATED payload) into the engine's ``OrderSnapshot``.

Money arrives as JSON floats; it goes through ``Decimal(str(x))`` so 8.39 stays 8.39. Lines without a
variant (a product deleted since) cannot trigger anything and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..offers.models import OrderLine, OrderSnapshot


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def metadata_dict(items: Sequence[Mapping[str, Any]] | None) -> dict[str, str]:
    return {str(item["key"]): str(item["value"]) for item in items or ()}


def _line(data: Mapping[str, Any]) -> OrderLine | None:
    variant = data.get("variant")
    if not variant:
        return None
    product = variant.get("product") or {}
    category = product.get("category") or None
    return OrderLine(
        id=str(data["id"]),
        variant_id=str(variant["id"]),
        product_id=str(product.get("id", "")),
        category_id=str(category["id"]) if category else None,
        collection_ids=frozenset(str(c["id"]) for c in product.get("collections") or ()),
        quantity=int(data["quantity"]),
        unit_price=_decimal(data["unitPrice"]["gross"]["amount"]),
        metadata=metadata_dict(data.get("metadata")),
    )


def order_snapshot_from_payload(order: Mapping[str, Any]) -> OrderSnapshot:
    gross = order["total"]["gross"]
    channel = order["channel"]
    lines = tuple(line for data in order.get("lines") or () if (line := _line(data)) is not None)
    return OrderSnapshot(
        id=str(order["id"]),
        channel_slug=str(channel["slug"]),
        currency=str(channel.get("currencyCode") or gross["currency"]),
        status=str(order["status"]),
        lines=lines,
        total=_decimal(gross["amount"]),
        user_email=order.get("userEmail"),
        user_id=(order.get("user") or {}).get("id"),
        checkout_id=order.get("checkoutId"),
    )
