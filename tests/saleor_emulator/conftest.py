from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.serve import serve_asgi

from .fake_app import FakeApp

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
