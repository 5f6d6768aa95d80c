"""The catalogue cache's stale-while-refreshing read (the product-page placement): an expired price is
answered at once and refreshed by one background call; a failed refresh keeps the old entry."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from saleor_upsell_app.rules.gateway import VariantPricingCache
from saleor_upsell_app.saleor.client import SaleorClientFactory
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.sample_data import APPLE_JUICE, POLO, TEE_S

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _offer_variant_calls(emulator: SaleorEmulator) -> int:
    return sum(1 for call in emulator.graphql_calls if "productVariants" in call.query)


async def test_expired_prices_are_answered_at_once_and_refreshed_once(
    emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    factory = SaleorClientFactory(5, guarded=False)  # the emulator listens on loopback
    client = factory.for_installation(emulator.api_url, installed.token)
    cache = VariantPricingCache(ttl_seconds=0.05)
    try:
        first = await cache.get_or_stale(client, "default-channel", [APPLE_JUICE])
        assert first[APPLE_JUICE].regular_price == Decimal("1.49")
        fetched = _offer_variant_calls(emulator)
        await asyncio.sleep(0.1)  # expired now

        emulator.fail_graphql(times=None)  # Saleor away: the page still gets the price it had
        stale = await asyncio.gather(
            *(cache.get_or_stale(client, "default-channel", [APPLE_JUICE]) for _ in range(5))
        )
        assert all(s[APPLE_JUICE].regular_price == Decimal("1.49") for s in stale)
        await asyncio.sleep(0.2)  # the one background refresh failed, the entry stays
        emulator.clear_failures()
        assert (await cache.get_or_stale(client, "default-channel", [APPLE_JUICE]))[APPLE_JUICE]
        await asyncio.sleep(0.2)
        # One failed refresh (possibly retried by the client) and one that worked: never one per view.
        refreshes = [c for c in emulator.graphql_calls[fetched:] if "productVariants" in c.query]
        assert 2 <= len(refreshes) <= 4 and refreshes[-1].status == 200
    finally:
        await factory.aclose()


async def test_the_cache_is_bounded(emulator: SaleorEmulator, installed: InstalledApp) -> None:
    factory = SaleorClientFactory(5, guarded=False)  # the emulator listens on loopback
    client = factory.for_installation(emulator.api_url, installed.token)
    cache = VariantPricingCache(max_entries=2)
    try:
        for variant in (APPLE_JUICE, TEE_S, POLO):
            await cache.get(client, "default-channel", [variant])
        assert len(cache._entries) == 2  # the oldest (the juice) went first
        assert ("default-channel", APPLE_JUICE) not in {(k[1], k[2]) for k in cache._entries}
    finally:
        await factory.aclose()
