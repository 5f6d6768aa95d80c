from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.serve import serve_asgi

from .fake_app import FakeApp
from .replay import hook_from

FAST_RETRIES = (0.01, 0.01, 0.01, 0.01, 0.01)


@pytest.fixture
async def emu() -> AsyncIterator[SaleorEmulator]:
    async with SaleorEmulator(retry_delays=FAST_RETRIES) as emulator:
        yield emulator


@pytest.fixture
async def fake_app() -> AsyncIterator[FakeApp]:
    app = FakeApp()
    async with serve_asgi(app.asgi()) as base_url:
        app.base_url = base_url
        yield app


@pytest.fixture
async def installed(emu: SaleorEmulator, fake_app: FakeApp) -> InstalledApp:
    return await emu.install_app(f"{fake_app.base_url}/api/manifest")


# The instance of the captures' section "Vouchers, taxes and custom prices" (port 8800): its app was
# QXBwOjEx (identifier = id), had MANAGE_DISCOUNTS too and one CHECKOUT_UPDATED webhook with the
# project's subscription; Mighty Mug had no active promotion there.
CAPTURE_APP_PERMISSIONS = [
    "HANDLE_CHECKOUTS",
    "MANAGE_CHECKOUTS",
    "MANAGE_ORDERS",
    "MANAGE_PRODUCTS",
    "MANAGE_DISCOUNTS",
]


@pytest.fixture
async def capture_app() -> AsyncIterator[FakeApp]:
    hook = hook_from(
        "webhook-checkout-updated-by-app-custom-price-force-new-line.json",
        "CHECKOUT_UPDATED",
        "/api/webhooks/checkout-updated",
    )
    app = FakeApp(identifier="QXBwOjEx", permissions=list(CAPTURE_APP_PERMISSIONS), hooks=[hook])
    async with serve_asgi(app.asgi()) as base_url:
        app.base_url = base_url
        yield app


@pytest.fixture
async def capture_installed(emu: SaleorEmulator, capture_app: FakeApp) -> InstalledApp:
    emu.state.app_pks = itertools.count(11)
    mug = emu.state.variants[382]
    assert mug.promotion is not None
    mug.promotion.active = False
    installed = await emu.install_app(f"{capture_app.base_url}/api/manifest")
    assert installed.id == "QXBwOjEx"
    return installed
