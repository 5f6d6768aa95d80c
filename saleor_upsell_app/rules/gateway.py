"""Saleor's catalogue for rules and offers: channels, product search, and the pricing of offer variants
(read through the installation's app token, cached briefly: prices change rarely)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from decimal import Decimal

from ..engine.types import VariantPricing
from ..saleor.client import SaleorClient
from ..saleor.results import (
    CatalogGroupsData,
    ChannelInfo,
    ChannelsData,
    NamedGroup,
    NetGrossMoney,
    OfferVariant,
    OfferVariantsData,
    ProductSearchData,
    SearchProduct,
)

PAGE_SIZE = 100  # Saleor's maximum for `first`
log = logging.getLogger("saleor_upsell.catalogue")


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
    """Pricing per (Saleor, channel, variant), kept ``ttl_seconds``; at most ``max_entries`` (the oldest
    go first), since storefront placements look up variants that shoppers' pages name."""

    def __init__(self, ttl_seconds: float = 30.0, max_entries: int = 100_000) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._entries: dict[tuple[str, str, str], tuple[float, VariantPricing | None]] = {}
        self._refreshing: set[tuple[str, str, str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def get_or_stale(
        self, client: SaleorClient, channel: str, variant_ids: Iterable[str]
    ) -> dict[str, VariantPricing]:
        """Like :meth:`get`, but an expired entry is answered at once while one background task
        refreshes it: a surface that only shows prices (the product-page placement) never waits for
        Saleor once it has seen a variant. Accepting an offer re-prices it through :meth:`get`."""
        now = time.monotonic()
        found: dict[str, VariantPricing] = {}
        missing: list[str] = []
        stale: list[str] = []
        for variant_id in dict.fromkeys(variant_ids):
            key = (client.api_url, channel, variant_id)
            entry = self._entries.get(key)
            if entry is None:
                missing.append(variant_id)
                continue
            if entry[0] <= now and key not in self._refreshing:
                stale.append(variant_id)
                self._refreshing.add(key)
            if entry[1] is not None:
                found[variant_id] = entry[1]
        if stale:
            task = asyncio.create_task(self._refresh(client, channel, stale))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if missing:
            found.update(await self.get(client, channel, missing))
        return found

    async def _refresh(self, client: SaleorClient, channel: str, variant_ids: list[str]) -> None:
        try:
            await self.get(client, channel, variant_ids)
        except Exception as exc:  # a failed refresh keeps the old entry; the next view retries
            log.info("catalogue refresh failed", extra={"channel": channel, "error": str(exc)})
        finally:
            for variant_id in variant_ids:
                self._refreshing.discard((client.api_url, channel, variant_id))

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
                key = (client.api_url, channel, variant_id)
                if key not in self._entries and len(self._entries) >= self._max:
                    del self._entries[next(iter(self._entries))]
                self._entries[key] = (now + self._ttl, pricing)
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


async def catalog_groups(
    client: SaleorClient, search: str | None, ids: list[str] | None, channel: str | None, first: int
) -> tuple[list[NamedGroup], list[NamedGroup]]:
    """Categories and collections named like ``search`` or with these ``ids`` (both None: the first ones)."""
    variables = {"search": search or None, "ids": ids, "channel": channel, "first": first}
    data = await client.query("CatalogGroups", variables, CatalogGroupsData)
    categories = [edge.node for edge in data.categories.edges] if data.categories else []
    collections = [edge.node for edge in data.collections.edges] if data.collections else []
    return categories, collections
