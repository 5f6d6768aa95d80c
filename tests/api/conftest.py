from __future__ import annotations

import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from tests.api.client import Api
from tests.conftest import AppUnderTest


@pytest.fixture
async def api(app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp) -> Api:
    return Api(app, emulator, installed)
