"""Fixtures: the app on a real port with a settable clock, installed into the emulated Saleor."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from tests.postpurchase.helpers import SettableClock, Shop, browser_client


@pytest.fixture
async def shop(app_factory: Callable[..., Any], emulator: SaleorEmulator) -> AsyncIterator[Shop]:
    clock = SettableClock()
    async with app_factory(clock=clock) as app:
        await emulator.install_app(app.manifest_url)
        async with browser_client(app) as http:
            yield Shop(app, emulator, clock, http)
