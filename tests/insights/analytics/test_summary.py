"""Analytics from events and orders in the database, on a hand-checked example."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from scipy import stats as scipy_stats

from saleor_upsell_app.insights.analytics.holdout_groups import LiftSettings
from saleor_upsell_app.insights.analytics.service import analytics_summary
from saleor_upsell_app.insights.analytics.stats import IsoWeek, LiftVerdict
from tests.insights.analytics.events_data import (
    CONTROL_TOTALS,
    MONDAY_W47,
    PLN,
    TREATED_TOTALS,
    USD,
    seed_week,
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


async def test_lift_against_holdout_with_confidence_interval(store: Store) -> None:
    await seed_week(store)

    small_groups_allowed = LiftSettings(min_group_size=3)
    summary = await analytics_summary(
        store.data.db, store.installation_id, SINCE, TWO_WEEKS, lift_settings=small_groups_allowed
    )

    lift = summary.lift["USD"]
    assert {c.channel: c.lift for c in summary.by_channel}[USD]["USD"] == lift
    # Treated (eligible) 10, 20, 30, 40 → 25; held out 10, 14, 18 → 14: 11 more per order (+78.6%).
    assert (lift.treated_orders, lift.control_orders) == (4, 3)  # t0 was assigned before the window
    assert (lift.treated_mean, lift.control_mean, lift.difference) == (Decimal(25), Decimal(14), Decimal(11))
    assert lift.relative_lift == pytest.approx(11 / 14)
    # Welch's interval, as scipy computes it independently.
    reference = scipy_stats.ttest_ind(
        [float(v) for v in TREATED_TOTALS], [float(v) for v in CONTROL_TOTALS], equal_var=False
    ).confidence_interval(0.95)
    assert float(lift.interval_low) == pytest.approx(reference.low, rel=1e-9)
    assert float(lift.interval_high) == pytest.approx(reference.high, rel=1e-9)
    assert lift.interval_low < 0 < lift.interval_high
    # An interval this wide (about ±20 on a 14 average) says nothing: "not enough data".
    assert lift.verdict is LiftVerdict.NOT_ENOUGH_DATA
    assert not summary.per_rule_lift_measured and summary.by_rule[0].lift == {}

    default = await analytics_summary(store.data.db, store.installation_id, SINCE, TWO_WEEKS)
    assert default.lift["USD"].verdict is LiftVerdict.NOT_ENOUGH_DATA  # 4 and 3 orders are < 30 per group


async def test_one_week_window_leaves_out_the_next_week(store: Store) -> None:
    r1, _ = await seed_week(store)
    summary = await analytics_summary(store.data.db, store.installation_id, SINCE, SINCE + timedelta(days=7))
    assert [r.rule_id for r in summary.by_rule] == [r1]
    assert summary.totals.revenue == {"USD": Decimal("16.00")}
    with pytest.raises(ValueError):
        await analytics_summary(store.data.db, store.installation_id, SINCE, SINCE)
