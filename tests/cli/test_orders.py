"""`saleor-upsell orders sync` and `saleor-upsell mine` as a merchant runs them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from click.testing import Result
from typer.testing import CliRunner

from saleor_upsell_app.cli import app as cli
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from tests.conftest import TEST_SECRET, AppUnderTest
from tests.insights.history.emulator_orders import place_orders


async def invoke(*args: str) -> Result:
    # Each command runs its own event loop; the emulator keeps serving on the test's loop meanwhile.
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_sync_then_mine_from_the_command_line(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    place_orders(emulator, 150, start=datetime(2026, 10, 1, tzinfo=UTC))
    place_orders(emulator, 5, start=datetime(2026, 8, 1, tzinfo=UTC))
    monkeypatch.setenv("DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("ENVIRONMENT", "test")

    synced = await invoke("orders", "sync", "--since", "2026-09-01", "--channel", "default-channel")
    assert synced.exit_code == 0, synced.output
    assert "150 of 150 orders imported; 150 new in this run, in 2 page(s)." in synced.output

    again = await invoke("orders", "sync", "--since", "2026-09-01", "--channel", "default-channel")
    assert "150 of 150 orders imported (resumed after 150); 0 new in this run" in again.output

    mined = await invoke("mine", "--min-support", "10", "--min-orders", "100")
    assert mined.exit_code == 0, mined.output
    assert "default-channel:" in mined.output and "mined from 150 orders" in mined.output

    cold = await invoke("mine", "--min-orders", "1000", "--level", "variant")
    assert "not enough orders (150 of 1000 needed)" in cold.output
    assert "category_best_seller" in cold.output

    bad = await invoke("orders", "sync", "--since", "yesterday")
    assert bad.exit_code == 2
