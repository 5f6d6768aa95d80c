from __future__ import annotations

import pytest

from tests.api.client import Api
from tests.conftest import AppUnderTest
from tests.emulator.emulator import SaleorEmulator
from tests.emulator.install import InstalledApp


@pytest.fixture
async def api(app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp) -> Api:
    return Api(app, emulator, installed)
