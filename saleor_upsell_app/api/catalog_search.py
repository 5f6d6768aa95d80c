"""Dashboard: search Saleor's catalogue (through the installation's app token) for the rule editor."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from ..saleor.errors import SaleorApiError
from . import conversions as convert
from . import types as t
from .context import ApiContext
from .errors import SALEOR_UNAVAILABLE, ApiError

MAX_RESULTS = 100  # Saleor's limit for `first`


def _money(node: Mapping[str, Any] | None) -> t.Money | None:
    gross = (node or {}).get("gross")
    if not gross:
        return None
    return convert.money(Decimal(str(gross["amount"])), str(gross["currency"]))


def _variant(node: Mapping[str, Any]) -> t.CatalogVariant:
    pricing = node.get("pricing") or {}
    quantity = node.get("quantityAvailable")
    return t.CatalogVariant(
        id=strawberry.ID(str(node["id"])),
        name=str(node.get("name") or ""),
        sku=node.get("sku"),
        price=_money(pricing.get("price")),
        regular_price=_money(pricing.get("priceUndiscounted")),
        quantity_available=int(quantity) if quantity is not None else None,
    )


def _product(node: Mapping[str, Any]) -> t.CatalogProduct:
    category = node.get("category") or {}
    return t.CatalogProduct(
        id=strawberry.ID(str(node["id"])),
        name=str(node["name"]),
        thumbnail_url=(node.get("thumbnail") or {}).get("url"),
        category_id=strawberry.ID(category["id"]) if category.get("id") else None,
        collection_ids=[strawberry.ID(c["id"]) for c in node.get("collections") or ()],
        variants=[_variant(v) for v in node.get("variants") or ()],
    )


async def catalog_search(
    info: Info[ApiContext, None], search: str, channel: str, first: int = 20
) -> list[t.CatalogProduct]:
    auth = await info.context.dashboard()
    client = info.context.services.saleor_client(auth.installation)
    variables = {"search": search, "channel": channel, "first": max(1, min(first, MAX_RESULTS))}
    try:
        data = await client.execute("ProductSearch", variables)
    except SaleorApiError as exc:
        raise ApiError(SALEOR_UNAVAILABLE, f"Saleor did not answer the search: {exc}") from exc
    return [_product(edge["node"]) for edge in (data.get("products") or {}).get("edges") or ()]
