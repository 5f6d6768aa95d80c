"""Order history import through the emulated Saleor: paging, resuming after an outage, no duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from graphql import build_schema, parse, validate
from saleor_upsell_app.insights.history.sync import SyncInterrupted, SyncProgress, SyncRange, sync_orders
from saleor_upsell_app.insights.history.sync_state import SyncStateRepository
from saleor_upsell_app.kit.retry import RetryPolicy
from saleor_upsell_app.saleor.apl import AuthData
from saleor_upsell_app.saleor.operations import operation_text
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from tests.conftest import AppUnderTest
from tests.insights.history.emulator_orders import place_orders
from tests.paths import SALEOR_SCHEMA

SCHEMA = SALEOR_SCHEMA
START = datetime(2026, 9, 1, tzinfo=UTC)
FAST = RetryPolicy(attempts=3, base_seconds=0.0, max_seconds=0.0)


async def no_sleep(_: float) -> None:
    return None


async def sync(
    app: AppUnderTest, installation: AuthData, sync_range: SyncRange, **options: Any
) -> SyncProgress:
    parts = app.parts
    client = parts.saleor.for_auth(installation)
    return await sync_orders(parts.db, client, installation.id, sync_range, clock=parts.clock, **options)


async def sync_state(app: AppUnderTest, installation: AuthData, key: str) -> Any:
    async with app.parts.db.read() as session:
        return await SyncStateRepository(session).get(installation.id, key)


async def installation_of(app: AppUnderTest, emulator: SaleorEmulator) -> AuthData:
    installation = await app.data.installations.get(emulator.api_url)
    assert installation is not None
    return installation


def history_calls(emulator: SaleorEmulator) -> list[dict[str, object]]:
    return [c.body["variables"] for c in emulator.graphql_calls if "OrderHistory" in c.query]  # type: ignore[index]


def test_order_history_query_is_valid_against_saleor_schema() -> None:
    schema = build_schema(SCHEMA.read_text())
    assert validate(schema, parse(operation_text("OrderHistory"))) == []


async def test_interrupted_import_resumes_and_stores_every_order_once(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    placed = place_orders(emulator, 250, start=START)
    installation = await installation_of(app, emulator)
    seen: list[SyncProgress] = []

    def saleor_goes_down_after_page_two(progress: SyncProgress) -> None:
        seen.append(progress)
        if progress.pages == 2:
            emulator.fail_graphql(None)  # every request fails until cleared

    with pytest.raises(SyncInterrupted) as stopped:
        await sync(
            app, installation, SyncRange(), retry=FAST, sleep=no_sleep,
            on_progress=saleor_goes_down_after_page_two,
        )  # fmt: skip
    assert stopped.value.progress.fetched == 200
    assert [c.status for c in emulator.graphql_calls[-3:]] == [503, 503, 503]  # retried, then gave up
    assert len(await app.data.orders.list(installation.id)) == 200
    assert seen[-1].total == 250

    emulator.clear_failures()
    resumed = await sync(app, installation, SyncRange(), retry=FAST, sleep=no_sleep)

    assert (resumed.resumed_from, resumed.fetched, resumed.new, resumed.pages) == (200, 250, 50, 1)
    assert resumed.done
    stored = await app.data.orders.list(installation.id)
    assert sorted(o.order_id for o in stored) == sorted(o.id for o in placed)
    # The resumed run asked for the page after the stored cursor, not for the first page again.
    assert history_calls(emulator)[-1]["after"] is not None
    first = next(o for o in stored if o.order_id == placed[0].id)
    assert first.total == placed[0].total_amount
    assert first.lines[0][:3] == [
        placed[0].lines[0].variant_obj.id,
        placed[0].lines[0].variant_obj.product.id,
        1,
    ]  # type: ignore[union-attr]
    assert first.lines[0][4] is not None  # category, for same-category cold start


async def test_rerun_and_restart_never_duplicate_and_pick_up_new_orders(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    place_orders(emulator, 120, start=START)
    installation = await installation_of(app, emulator)
    first = await sync(app, installation, SyncRange(), sleep=no_sleep)
    assert (first.fetched, first.new, first.pages) == (120, 120, 2)

    again = await sync(app, installation, SyncRange(), sleep=no_sleep)
    assert (again.new, again.pages) == (0, 1)  # continues after the cursor: nothing new

    place_orders(emulator, 7, start=START + timedelta(days=30))
    newer = await sync(app, installation, SyncRange(), sleep=no_sleep)
    assert (newer.new, newer.fetched) == (7, 127)

    restarted = await sync(app, installation, SyncRange(), restart=True, sleep=no_sleep)
    assert (restarted.resumed_from, restarted.fetched, restarted.new, restarted.pages) == (0, 127, 0, 2)
    assert len(await app.data.orders.list(installation.id)) == 127


async def test_short_outage_is_retried_with_backoff(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    place_orders(emulator, 30, start=START)
    installation = await installation_of(app, emulator)
    delays: list[float] = []

    async def record_sleep(seconds: float) -> None:
        delays.append(seconds)

    emulator.fail_graphql(2)
    result = await sync(
        app, installation, SyncRange(), retry=RetryPolicy(attempts=4, base_seconds=1.0),
        sleep=record_sleep,
    )  # fmt: skip
    assert (result.fetched, result.new, result.done) == (30, 30, True)
    assert len(delays) == 2 and delays[1] > delays[0]  # exponential (jitter stays within ±20%)


async def test_range_and_channel_select_orders_and_name_their_own_import(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    usd = place_orders(emulator, 48, start=START)  # hourly over two days
    place_orders(emulator, 10, start=START, channel="channel-pln")
    installation = await installation_of(app, emulator)
    day_one = SyncRange(since=START, until=START + timedelta(hours=23, minutes=59), channel="default-channel")

    result = await sync(app, installation, day_one, sleep=no_sleep)

    stored = await app.data.orders.list(installation.id)
    assert sorted(o.order_id for o in stored) == sorted(o.id for o in usd[:24])
    assert {o.channel_slug for o in stored} == {"default-channel"}
    assert {o.currency for o in stored} == {"USD"} and all(o.total > Decimal(0) for o in stored)
    assert result.total == 24
    state = await sync_state(app, installation, day_one.key)
    assert state.done and state.fetched == 24
    other = await sync_state(app, installation, SyncRange().key)
    assert other.fetched == 0 and other.cursor is None
