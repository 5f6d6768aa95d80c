"""Catalogue pricing of offer variants, read from Saleor and cached briefly (prices change rarely)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .offers.models import VariantPricing
from .saleor.client import SaleorClient

PAGE_SIZE = 100  # Saleor's maximum for `first`


def _money(node: Mapping[str, Any] | None) -> tuple[Decimal, str] | None:
    gross = (node or {}).get("gross")
    if not gross:
        return None
    return Decimal(str(gross["amount"])), str(gross["currency"])


def variant_pricing_from_node(node: Mapping[str, Any], channel: str) -> VariantPricing | None:
    pricing = node.get("pricing") or {}
    current = _money(pricing.get("price"))
    regular = _money(pricing.get("priceUndiscounted"))
    if current is None or regular is None:
        return None  # not sold in this channel
    product = node.get("product") or {}
    quantity = node.get("quantityAvailable")
    return VariantPricing(
        variant_id=str(node["id"]),
        channel=channel,
        currency=regular[1],
        regular_price=regular[0],
        current_price=current[0],
        available=quantity is None or int(quantity) > 0,
        name=str(product.get("name") or node.get("name") or node["id"]),
        product_id=str(product.get("id", "")),
        thumbnail_url=(product.get("thumbnail") or {}).get("url"),
        category_id=(product.get("category") or {}).get("id"),
        collection_ids=frozenset(c["id"] for c in product.get("collections") or ()),
    )


class VariantPricingCache:
    def __init__(self, ttl_seconds: float = 30.0) -> None:
        self._ttl = ttl_seconds
        self._entries: dict[tuple[str, str, str], tuple[float, VariantPricing | None]] = {}

    async def get(
        self, client: SaleorClient, channel: str, variant_ids: Iterable[str]
    ) -> dict[str, VariantPricing]:
        now = time.monotonic()
        found: dict[str, VariantPricing] = {}
        missing: list[str] = []
        for variant_id in dict.fromkeys(variant_ids):
            entry = self._entries.get((client.api_url, channel, variant_id))
            if entry is not None and entry[0] > now:
                if entry[1] is not None:
                    found[variant_id] = entry[1]
            else:
                missing.append(variant_id)
        for start in range(0, len(missing), PAGE_SIZE):
            batch = missing[start : start + PAGE_SIZE]
            data = await client.execute(
                "OfferVariants", {"ids": batch, "channel": channel, "first": len(batch)}
            )
            fetched: dict[str, VariantPricing | None] = dict.fromkeys(batch)
            for edge in (data.get("productVariants") or {}).get("edges") or ():
                pricing = variant_pricing_from_node(edge["node"], channel)
                if pricing is not None:
                    fetched[pricing.variant_id] = pricing
            for variant_id, pricing in fetched.items():
                # Unknown or unsold variants are cached too, so a broken rule does not cost a query per event.
                self._entries[(client.api_url, channel, variant_id)] = (now + self._ttl, pricing)
                if pricing is not None:
                    found[variant_id] = pricing
        return found

    def clear(self) -> None:
        self._entries.clear()
