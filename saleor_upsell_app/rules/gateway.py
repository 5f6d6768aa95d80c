"""Saleor's catalogue for rules and offers: channels, product search, and the pricing of offer variants
(read through the installation's app token, cached briefly: prices change rarely)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from decimal import Decimal

from ..engine.types import VariantPricing
from ..saleor.client import SaleorClient
from ..saleor.results import (
    ChannelInfo,
    ChannelsData,
    NetGrossMoney,
    OfferVariant,
    OfferVariantsData,
    ProductSearchData,
    SearchProduct,
)

PAGE_SIZE = 100  # Saleor's maximum for `first`


def _entered(money: NetGrossMoney | None, with_tax: bool) -> tuple[Decimal, str] | None:
    """The price as the merchant entered it: net when the channel enters prices without tax."""
    if money is None:
        return None
    part = money.net if not with_tax and money.net is not None else money.gross
    return part.amount, part.currency


def variant_pricing(node: OfferVariant, channel: str, with_tax: bool = True) -> VariantPricing | None:
    """The engine's pricing of an offer variant, or None when it is not sold in the channel.

    Amounts are in the channel's price convention (``with_tax``: prices entered with tax), the one in
    which Saleor reads a custom price and in which offer prices are stated (docs/pricing.md)."""
    pricing = node.pricing
    current = _entered(pricing.price, with_tax) if pricing else None
    regular = _entered(pricing.price_undiscounted, with_tax) if pricing else None
    if current is None or regular is None:
        return None
    product = node.product
    quantity = node.quantity_available
    return VariantPricing(
        variant_id=node.id,
        channel=channel,
        currency=regular[1],
        regular_price=regular[0],
        current_price=current[0],
        available=quantity is None or quantity > 0,
        name=product.name or node.name or node.id,
        product_id=product.id,
        thumbnail_url=product.thumbnail.url if product.thumbnail else None,
        category_id=product.category.id if product.category else None,
        collection_ids=frozenset(c.id for c in product.collections or ()),
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
            data = await client.query(
                "OfferVariants", {"ids": batch, "channel": channel, "first": len(batch)}, OfferVariantsData
            )
            fetched: dict[str, VariantPricing | None] = dict.fromkeys(batch)
            with_tax = data.channel.tax_configuration.prices_entered_with_tax if data.channel else True
            for edge in data.product_variants.edges if data.product_variants else ():
                pricing = variant_pricing(edge.node, channel, with_tax)
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


async def channels(client: SaleorClient) -> list[ChannelInfo]:
    data = await client.query("Channels", {}, ChannelsData)
    return list(data.channels or ())


async def search_products(client: SaleorClient, search: str, channel: str, first: int) -> list[SearchProduct]:
    variables = {"search": search, "channel": channel, "first": first}
    data = await client.query("ProductSearch", variables, ProductSearchData)
    return [edge.node for edge in data.products.edges] if data.products else []
