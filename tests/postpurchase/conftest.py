"""Fixtures: the app on a real port with a settable clock, installed into the emulated Saleor."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from tests.postpurchase.helpers import CHANNEL, CHECKOUT_URL, SettableClock, Shop, browser_client


@pytest.fixture
def shop_settings() -> dict[str, Any]:
    """The merchant's post-purchase settings: the storefront checkout URL, same-order add-ons allowed."""
    return {
        "post_purchase_checkout_urls": {CHANNEL: CHECKOUT_URL},
        "post_purchase_same_order_channels": [CHANNEL],
    }


@pytest.fixture
async def shop(
    app_factory: Callable[..., Any], emulator: SaleorEmulator, shop_settings: dict[str, Any]
) -> AsyncIterator[Shop]:
    clock = SettableClock()
    async with app_factory(clock=clock, **shop_settings) as app:
        await emulator.install_app(app.manifest_url)
        async with browser_client(app) as http:
            yield Shop(app, emulator, clock, http)
