"""Per-rule weekly counts and average order values."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from saleor_upsell_app.insights.analytics.aggregates import (
    EventKind,
    IsoWeek,
    OfferEvent,
    OrderRecord,
    aggregate_offer_events,
    average_order_values,
)


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


def test_a_week_is_named_by_its_monday() -> None:
    assert IsoWeek(2026, 47).monday.isoformat() == "2026-11-16"
    assert IsoWeek(2021, 1).monday.isoformat() == "2021-01-04"  # ISO week 1 of 2021 starts in January
