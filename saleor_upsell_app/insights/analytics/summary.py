"""Offer analytics from the event log and the order history (pure: rows in, figures out): shown,
accepted, declined, acceptance rate, revenue and average order value per rule, channel and ISO week, and
lift against the holdout. How offers are counted: offer_counts.py; how lift is measured: holdout_groups.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..orders import CompactOrder
from .holdout_groups import LiftSettings, holdout_groups, lift_by_currency
from .offer_counts import EventRow, OfferTotals, offer_events_for_stats
from .stats import (
    AverageOrderValue,
    HoldoutLift,
    IsoWeek,
    RuleWeekStats,
    aggregate_offer_events,
    average_order_values,
)
from .stats import OrderRecord as StatsOrder


@dataclass(frozen=True, slots=True)
class OrderValue:
    orders: int
    total: Decimal

    @property
    def average(self) -> Decimal:
        return self.total / self.orders if self.orders else Decimal(0)


@dataclass(frozen=True, slots=True)
class RuleAnalytics:
    rule_id: int
    totals: OfferTotals
    lift: Mapping[str, HoldoutLift]  # per currency; empty when the holdout events do not name rules


@dataclass(frozen=True, slots=True)
class ChannelAnalytics:
    channel: str
    totals: OfferTotals
    order_value: Mapping[str, OrderValue]  # per currency
    lift: Mapping[str, HoldoutLift]  # per currency


@dataclass(frozen=True, slots=True)
class WeekAnalytics:
    week: IsoWeek
    totals: OfferTotals
    order_value: Mapping[str, OrderValue]


@dataclass(frozen=True, slots=True)
class AnalyticsSummary:
    since: datetime | None  # None: from the beginning
    until: datetime | None  # None: up to now
    totals: OfferTotals
    order_value: Mapping[str, OrderValue]
    lift: Mapping[str, HoldoutLift]  # all channels together, per currency
    by_rule: list[RuleAnalytics]
    by_channel: list[ChannelAnalytics]
    by_week: list[WeekAnalytics]
    rule_weeks: list[RuleWeekStats]  # the finest grain: rule × channel × ISO week
    order_values: list[AverageOrderValue]  # channel × ISO week × currency
    # Per-rule lift needs `eligible`/`held_out` events that name the rules the checkout matched
    # (details["rule_ids"]); without them only channel-level lift can be measured.
    per_rule_lift_measured: bool


def _order_values(values: Iterable[AverageOrderValue], key: Any) -> dict[Any, dict[str, OrderValue]]:
    grouped: dict[Any, dict[str, OrderValue]] = defaultdict(dict)
    for value in values:
        per_currency = grouped[key(value)]
        before = per_currency.get(value.key.currency, OrderValue(0, Decimal(0)))
        per_currency[value.key.currency] = OrderValue(
            before.orders + value.orders, before.total + value.total
        )
    return grouped


def summarize(
    events: Sequence[EventRow],
    exposures: Sequence[EventRow],
    orders: Sequence[CompactOrder],
    *,
    since: datetime | None,
    until: datetime | None,
    lift_settings: LiftSettings | None = None,
) -> AnalyticsSummary:
    """`events` and `orders` within [since, until); `exposures` may start earlier (a checkout opened
    before the window can still become an order inside it)."""
    settings = lift_settings or LiftSettings()
    rule_weeks = aggregate_offer_events(offer_events_for_stats(events))
    order_values = average_order_values(
        StatsOrder(o.channel_slug, o.total, o.currency, o.created_at) for o in orders
    )
    by_rule: dict[int, OfferTotals] = defaultdict(OfferTotals)
    by_channel: dict[str, OfferTotals] = defaultdict(OfferTotals)
    by_week: dict[IsoWeek, OfferTotals] = defaultdict(OfferTotals)
    for stats in rule_weeks:
        totals = OfferTotals.of(stats)
        by_rule[stats.key.rule_id] += totals
        by_channel[stats.key.channel] += totals
        by_week[stats.key.week] += totals
    channel_values = _order_values(order_values, lambda v: v.key.channel)
    week_values = _order_values(order_values, lambda v: v.key.week)
    overall_values = _order_values(order_values, lambda v: None).get(None, {})
    groups = holdout_groups(exposures, orders)
    per_rule_measured = any((e.details or {}).get("rule_ids") for e in exposures)
    channels = sorted(set(by_channel) | set(channel_values))
    return AnalyticsSummary(
        since=since,
        until=until,
        totals=sum(by_rule.values(), OfferTotals()),
        order_value=overall_values,
        lift=lift_by_currency(groups, settings),
        by_rule=[
            RuleAnalytics(
                rule,
                totals,
                lift_by_currency(holdout_groups(exposures, orders, rule=rule), settings)
                if per_rule_measured
                else {},
            )
            for rule, totals in sorted(by_rule.items())
        ],
        by_channel=[
            ChannelAnalytics(
                channel,
                by_channel.get(channel, OfferTotals()),
                channel_values.get(channel, {}),
                lift_by_currency(groups, settings, channel),
            )
            for channel in channels
        ],
        by_week=[
            WeekAnalytics(week, by_week.get(week, OfferTotals()), week_values.get(week, {}))
            for week in sorted(set(by_week) | set(week_values))
        ],
        rule_weeks=rule_weeks,
        order_values=order_values,
        per_rule_lift_measured=per_rule_measured,
    )
