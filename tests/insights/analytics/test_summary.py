"""Analytics from events and orders in the database, on a hand-checked example."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from saleor_upsell_app.insights.analytics.aggregates import IsoWeek
from saleor_upsell_app.insights.analytics.lift import TREATMENT
from saleor_upsell_app.insights.analytics.service import analytics_summary
from saleor_upsell_app.insights.experiments import HOLDOUT, VerdictKind
from tests.insights.analytics.events_data import (
    CONTROL_TOTALS,
    MONDAY_W47,
    PLN,
    USD,
    record,
    seed_week,
    usd,
)
from tests.store import Store

SINCE = MONDAY_W47.replace(hour=0)
TWO_WEEKS = SINCE + timedelta(days=14)


async def test_counts_rates_revenue_and_order_value_per_rule_channel_and_week(store: Store) -> None:
    r1, r2 = await seed_week(store)

    summary = await analytics_summary(store.data.db, store.installation_id, SINCE, TWO_WEEKS)

    totals = summary.totals
    assert (totals.shown, totals.accepted, totals.declined, totals.removed, totals.converted) == (
        6,
        3,
        1,
        1,
        2,
    )
    assert totals.revenue == {"PLN": Decimal("40.00"), "USD": Decimal("16.00")}
    first, second = summary.by_rule
    assert (first.rule_id, first.totals.shown, first.totals.accepted) == (r1, 4, 2)
    assert first.totals.acceptance_rate == 0.5
    assert first.totals.revenue == {"USD": Decimal("16.00")}  # c2 accepted and converted: counted once
    assert (second.rule_id, second.totals.shown, second.totals.accepted) == (r2, 2, 1)
    assert second.totals.revenue == {"PLN": Decimal("40.00")}

    channels = {c.channel: c for c in summary.by_channel}
    assert set(channels) == {USD, PLN}
    usd_value = channels[USD].order_value["USD"]
    # 10+20+30+40 + 10+14+18 + 58 = 200 over 8 orders; the order from the week before is outside.
    assert (usd_value.orders, usd_value.total, usd_value.average) == (8, Decimal(200), Decimal(25))
    assert channels[PLN].order_value == {} and channels[PLN].totals.accepted == 1

    weeks = {w.week: w for w in summary.by_week}
    assert set(weeks) == {IsoWeek(2026, 47), IsoWeek(2026, 48)}
    assert (
        weeks[IsoWeek(2026, 47)].totals.shown == 4 and weeks[IsoWeek(2026, 47)].order_value["USD"].orders == 8
    )
    assert weeks[IsoWeek(2026, 48)].totals.revenue == {"PLN": Decimal("40.00")}
    assert len(summary.rule_weeks) == 2


async def test_experiment_units_are_the_checkouts_assigned_in_the_window(store: Store) -> None:
    await seed_week(store)
    # One more eligible checkout in the window that never became an order: a unit with revenue 0.
    await record(store, MONDAY_W47 + timedelta(hours=6), usd("eligible", None, "abandoned", currency="USD"))

    summary = await analytics_summary(store.data.db, store.installation_id, SINCE, TWO_WEEKS)

    measured = summary.experiment(USD, "USD")
    assert measured is not None
    assert [e.key for e in {c.channel: c for c in summary.by_channel}[USD].experiments] == [measured.key]
    offers, held = measured.tallies[TREATMENT], measured.tallies[HOLDOUT]
    # t0 was assigned three days before the window: not a unit of it (its order is in the window).
    assert (offers.units, offers.completions, offers.revenue) == (4, 3, Decimal(90))  # 20+30+40, abandoned
    assert (held.units, held.completions, held.revenue) == (3, 3, sum(Decimal(v) for v in CONTROL_TOTALS))
    assert measured.results.overall is not None
    rpc = measured.results.overall.revenue_per_checkout
    assert rpc.estimate == Decimal("22.5") - Decimal(14)
    assert measured.verdict is not None and measured.verdict.revenue is VerdictKind.NOT_ENOUGH_DATA
    assert measured.verdict.text.startswith("not enough data yet (7 checkouts")
    assert not summary.per_rule_lift_measured and summary.by_rule[0].experiments == ()

    # A window that starts earlier takes t0 in as well.
    earlier = await analytics_summary(
        store.data.db, store.installation_id, SINCE - timedelta(days=7), TWO_WEEKS
    )
    wider = earlier.experiment(USD, "USD")
    assert wider is not None and wider.tallies[TREATMENT].units == 5


async def test_one_week_window_leaves_out_the_next_week(store: Store) -> None:
    r1, _ = await seed_week(store)
    summary = await analytics_summary(store.data.db, store.installation_id, SINCE, SINCE + timedelta(days=7))
    assert [r.rule_id for r in summary.by_rule] == [r1]
    assert summary.totals.revenue == {"USD": Decimal("16.00")}
    with pytest.raises(ValueError):
        await analytics_summary(store.data.db, store.installation_id, SINCE, SINCE)
