from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saleor_upsell_app.insights.analytics.stats import (
    EventKind,
    IsoWeek,
    LiftVerdict,
    OfferEvent,
    OrderRecord,
    aggregate_offer_events,
    average_order_values,
    holdout_lift,
)


def test_clear_lift_matches_hand_computed_welch_interval() -> None:
    # treated 20,21,22: mean 21, s² = (1+0+1)/2 = 1.  control 10,11,12: mean 11, s² = 1.
    # difference 10; relative lift 10/11.  SE² = 1/3 + 1/3 = 2/3, SE = 0.816497.
    # Welch df = (2/3)² / ((1/3)²/2 + (1/3)²/2) = (4/9) / (1/9) = 4.  t(0.975, 4) = 2.776445 (t table).
    # half-width = 2.776445 · 0.816497 = 2.266958 → interval [7.733042, 12.266958].
    result = holdout_lift(
        [Decimal(20), Decimal(21), Decimal(22)], [Decimal(10), Decimal(11), Decimal(12)], min_group_size=3
    )
    assert result.difference == Decimal(10)
    assert result.relative_lift == pytest.approx(10 / 11)
    assert float(result.interval_low) == pytest.approx(7.733042, abs=1e-5)
    assert float(result.interval_high) == pytest.approx(12.266958, abs=1e-5)
    assert result.verdict is LiftVerdict.LIFT


def test_wide_interval_through_zero_is_not_enough_data() -> None:
    # treated 12,14,16: mean 14, s² = 4.  control 9,10,11: mean 10, s² = 1.  difference 4.
    # SE² = 4/3 + 1/3 = 5/3, SE = 1.290994.  df = (25/9) / ((16/9)/2 + (1/9)/2) = 50/17 = 2.941.
    # t(0.975, 2.941) ≈ 3.21 > t(0.975, 3) = 3.182, so half-width > 3.18 · 1.29 = 4.11 > |4|: contains 0,
    # and 4.11 is far above 10% of the control mean (1.0).
    result = holdout_lift([14.0, 12.0, 16.0], [9.0, 10.0, 11.0], min_group_size=3)
    assert result.difference == Decimal(4)
    assert float(result.interval_low) < 0 < float(result.interval_high)
    assert float(result.interval_high - result.difference) > 4.1
    assert result.verdict is LiftVerdict.NOT_ENOUGH_DATA


def test_narrow_interval_through_zero_is_no_detectable_effect() -> None:
    # 100 orders each at ±1 around 50: difference 0,
    # half-width ≈ 2·sqrt(2·(100/99)/100) ≈ 0.28 < 5 (10% of 50).
    treated = [Decimal(49), Decimal(51)] * 50
    result = holdout_lift(treated, list(treated))
    assert result.difference == 0
    assert result.verdict is LiftVerdict.NO_DETECTABLE_EFFECT


def test_drop_is_reported() -> None:
    result = holdout_lift([Decimal(10)] * 15 + [Decimal(11)] * 15, [Decimal(20)] * 15 + [Decimal(21)] * 15)
    assert result.verdict is LiftVerdict.DROP and result.difference == Decimal(-10)


def test_small_group_is_not_enough_data() -> None:
    result = holdout_lift([Decimal(100)] * 29, [Decimal(1)] * 500, min_group_size=30)
    assert result.verdict is LiftVerdict.NOT_ENOUGH_DATA
    assert result.treated_orders == 29


def _at(day: int) -> datetime:
    return datetime(2025, 1, day, 12, tzinfo=UTC)


def _event(kind: EventKind, day: int, amount: str = "0", currency: str = "USD", rule: int = 1) -> OfferEvent:
    return OfferEvent(kind, rule, "web", Decimal(amount), currency, _at(day))


def test_events_are_aggregated_per_rule_channel_and_iso_week() -> None:
    # 2025-01-05 is a Sunday (ISO week 1); 2025-01-06 starts ISO week 2.
    events = [
        _event(EventKind.OFFERED, 5),
        _event(EventKind.OFFERED, 5),
        _event(EventKind.OFFERED, 5),
        _event(EventKind.ACCEPTED, 5, "9.99"),
        _event(EventKind.ACCEPTED, 5, "5.01"),
        _event(EventKind.ACCEPTED, 5, "7.00", currency="EUR"),
        _event(EventKind.DECLINED, 5),
        _event(EventKind.OFFERED, 6),
        _event(EventKind.OFFERED, 6, rule=2),
        _event(EventKind.REMOVED, 6),
    ]
    stats = aggregate_offer_events(events)
    assert [(s.key.rule_id, s.key.week) for s in stats] == [
        (1, IsoWeek(2025, 1)),
        (1, IsoWeek(2025, 2)),
        (2, IsoWeek(2025, 2)),
    ]
    first = stats[0]
    assert (first.shown, first.accepted, first.declined) == (3, 3, 1)
    assert first.acceptance_rate == 1.0
    assert first.accepted_revenue == {"EUR": Decimal("7.00"), "USD": Decimal("15.00")}
    assert stats[1].acceptance_rate == 0.0 and stats[1].removed == 1


def test_acceptance_rate_undefined_without_offers() -> None:
    assert aggregate_offer_events([_event(EventKind.CONVERTED, 5)])[0].acceptance_rate is None


def test_average_order_value_per_channel_week_currency() -> None:
    orders = [
        OrderRecord("web", Decimal("10.00"), "USD", _at(6)),
        OrderRecord("web", Decimal("20.01"), "USD", _at(7)),
        OrderRecord("web", Decimal("5.00"), "EUR", _at(7)),
    ]
    values = average_order_values(orders)
    assert [(v.key.currency, v.orders, v.average) for v in values] == [
        ("EUR", 1, Decimal("5.00")),
        ("USD", 2, Decimal("15.005")),
    ]
