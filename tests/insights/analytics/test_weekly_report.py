"""The weekly digest: its text, the underperformance flags, the PNG chart, and the CLI command."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saleor_upsell_app.cli import app as cli
from saleor_upsell_app.insights.analytics.aggregates import IsoWeek
from saleor_upsell_app.insights.analytics.service import weekly_report
from saleor_upsell_app.insights.analytics.weekly_chart import weekly_figure, write_weekly_chart
from saleor_upsell_app.insights.analytics.weekly_report import (
    UnderperformanceRules,
    iso_week_range,
    last_complete_week,
    parse_iso_week,
    render_text,
)
from tests.conftest import TEST_SECRET
from tests.insights.analytics.events_data import seed_week
from tests.store import Store

W47 = IsoWeek(2026, 47)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_iso_weeks() -> None:
    assert parse_iso_week("2026-W47") == parse_iso_week("2026w47") == W47
    assert iso_week_range(W47) == (datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))
    assert last_complete_week(datetime(2026, 11, 25, 12, tzinfo=UTC)) == W47
    assert last_complete_week(datetime(2026, 11, 23, 0, 30, tzinfo=UTC)) == W47  # Monday: last week is done
    with pytest.raises(ValueError):
        parse_iso_week("2026-11-16")


async def test_report_text_per_rule(store: Store) -> None:
    r1, _ = await seed_week(store)

    text = render_text(await weekly_report(store.data.db, store.installation_id, W47))

    assert text.startswith("Upsell weekly report, week of 16 November 2026 (2026-11-16 to 2026-11-22, UTC)\n")
    assert "Offers: 4 shown, 2 accepted (50.0%), 1 declined, 1 removed; revenue USD 16.00" in text
    assert "Channel default-channel: 8 orders, average USD 25.00" in text
    # t0 was assigned before the week: 3 + 3 units. Per eligible checkout, not per order.
    assert (
        "  offers vs holdout (USD): not enough data yet (6 checkouts; about 1,500 more needed)"
        " — 3 checkouts with offers, 3 held out" in text
    )
    assert f"   #{r1} Mug with a tee: 4 shown, 2 accepted (50.0%), 1 declined, revenue USD 16.00" in text
    assert "Socks" not in text  # rule 2 showed nothing in W47
    assert "Underperforming rules: 0." in text


async def test_low_acceptance_over_enough_shows_is_flagged(store: Store) -> None:
    r1, _ = await seed_week(store)
    strict = UnderperformanceRules(min_shown=4, min_acceptance_rate=0.6)

    report = await weekly_report(store.data.db, store.installation_id, W47, thresholds=strict)

    assert [r.rule_id for r in report.underperforming] == [r1]
    text = render_text(report)
    assert f"!! #{r1} Mug with a tee" in text
    assert "underperforming: acceptance 50.0% is below 60% over 4 shown" in text
    assert f"Underperforming rules: 1 (#{r1})" in text
    # Too few shows for the bar: not flagged, however low the rate.
    lenient = UnderperformanceRules(min_shown=5, min_acceptance_rate=0.6)
    assert (
        await weekly_report(store.data.db, store.installation_id, W47, thresholds=lenient)
    ).underperforming == ()


async def test_chart_is_a_png(store: Store, tmp_path: Path) -> None:
    await seed_week(store)
    report = await weekly_report(store.data.db, store.installation_id, W47)

    path = write_weekly_chart(report, tmp_path / "charts" / "w47.png")

    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 5_000
    assert len(weekly_figure(report).axes) == 2  # counts and rates
    empty = await weekly_report(store.data.db, store.installation_id, IsoWeek(2026, 10))
    assert write_weekly_chart(empty, tmp_path / "empty.png").read_bytes().startswith(PNG_SIGNATURE)
    # A week without offers says so instead of drawing an axis from -0.04 to 0.04 "offers".
    nothing = weekly_figure(empty)
    assert nothing.axes == []
    assert [t.get_text() for t in nothing.texts] == [
        "Upsell offers, week of 2 March 2026",
        "No data: no offers were shown this week.",
    ]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_report_command(
    store: Store, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_week(store)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("ENVIRONMENT", "test")
    png = tmp_path / "report.png"

    # The command runs its own event loop: keep it off the test's loop.
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["report", "--week", "2026-W47", "--png", str(png)]
    )

    assert result.exit_code == 0, result.output
    assert "Upsell weekly report, week of 16 November 2026" in result.output
    assert "2 accepted (50.0%)" in result.output
    assert png.read_bytes().startswith(PNG_SIGNATURE)
    bad = await asyncio.to_thread(CliRunner().invoke, cli, ["report", "--week", "last"])
    assert bad.exit_code == 2
