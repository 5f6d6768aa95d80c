"""`saleor-upsell orders sync` and `saleor-upsell mine` as a merchant runs them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from saleor_upsell_app.cli import app as cli
from saleor_upsell_app.cli.common import CliParts
from saleor_upsell_app.saleor.errors import SaleorUnavailable
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from tests.conftest import TEST_SECRET, AppUnderTest, make_settings
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


async def test_the_cli_reaches_no_internal_saleor_where_the_app_would_not(tmp_path: Path) -> None:
    """`orders sync` talks to Saleor too: in production its client has the app's address guard."""
    seen: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(1)
        writer.close()

    listener = await asyncio.start_server(handle, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/graphql/"
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "http://127.0.0.1:9")
    guarded = settings.model_copy(update={"allow_private_saleor_urls": False})
    parts = CliParts(guarded, clock=None, db=None, installations=None)  # type: ignore[arg-type]
    client = parts.saleor.single_use(url, "t" * 30)
    try:
        with pytest.raises(SaleorUnavailable) as refused:
            await client.execute("AppId")
        assert refused.value.may_have_applied is False and "non-public" in str(refused.value)
        assert seen == []
    finally:
        await client.aclose()
        listener.close()
