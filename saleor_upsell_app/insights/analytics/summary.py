"""Offer analytics from the event log and the order history (pure: rows in, figures out): shown,
accepted, declined, acceptance rate, revenue and average order value per rule, channel and ISO week, and
experiments against the holdout (revenue per eligible checkout, completion, AOV). How offers are counted:
offer_counts.py; how lift is measured: lift.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..experiments import StatsSettings, VerdictSettings
from ..experiments.formatting import DEFAULT_LOCALE
from ..orders import CompactOrder
from .aggregates import (
    AverageOrderValue,
    IsoWeek,
    RuleWeekStats,
    aggregate_offer_events,
    average_order_values,
)
from .aggregates import OrderRecord as StatsOrder
from .lift import Experiment, experiments
from .offer_counts import EventRow, OfferTotals, offer_events_for_stats


@dataclass(frozen=True, slots=True)
class OrderValue:
    orders: int
    total: Decimal

    @property
    def average(self) -> Decimal:
        return self.total / self.orders if self.orders else Decimal(0)


@dataclass(frozen=True, slots=True)
class LiftSettings:
    """How experiments are judged: the intervals' level and tuning, the verdicts' precision, the locale
    of their sentences."""

    stats: StatsSettings = field(default_factory=StatsSettings)
    verdicts: VerdictSettings = field(default_factory=VerdictSettings)
    locale: str = DEFAULT_LOCALE


@dataclass(frozen=True, slots=True)
class RuleAnalytics:
    rule_id: int
    totals: OfferTotals
    experiments: tuple[Experiment, ...]  # per channel and currency; empty when exposures name no rules


@dataclass(frozen=True, slots=True)
class ChannelAnalytics:
    channel: str
    totals: OfferTotals
    order_value: Mapping[str, OrderValue]  # per currency
    experiments: tuple[Experiment, ...]  # all rules together, per currency


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
    experiments: tuple[Experiment, ...]  # every channel × currency × (all rules, each rule)
    by_rule: list[RuleAnalytics]
    by_channel: list[ChannelAnalytics]
    by_week: list[WeekAnalytics]
    rule_weeks: list[RuleWeekStats]  # the finest grain: rule × channel × ISO week
    order_values: list[AverageOrderValue]  # channel × ISO week × currency
    # Per-rule lift needs `eligible`/`held_out` events that name the rules the checkout matched
    # (details["rule_ids"]); without them only channel-level lift can be measured.
    per_rule_lift_measured: bool

    def experiment(self, channel: str, currency: str, rule_id: int | None = None) -> Experiment | None:
        return next(
            (
                e
                for e in self.experiments
                if (e.key.channel, e.key.currency, e.key.rule_id) == (channel, currency, rule_id)
            ),
            None,
        )


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
    unit_orders: Sequence[CompactOrder],
    *,
    since: datetime | None,
    until: datetime | None,
    lift_settings: LiftSettings | None = None,
) -> AnalyticsSummary:
    """`events` and `orders` within [since, until); `exposures`: the checkouts assigned in the window,
    and `unit_orders` the orders of those checkouts, whenever they were placed (a checkout assigned
    inside the window can complete after it)."""
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
    measured = tuple(
        experiments(
            exposures,
            unit_orders,
            locale=settings.locale,
            stats=settings.stats,
            verdicts=settings.verdicts,
        )
    )
    per_rule_measured = any((e.details or {}).get("rule_ids") for e in exposures)
    channels = sorted(set(by_channel) | set(channel_values) | {e.key.channel for e in measured})
    return AnalyticsSummary(
        since=since,
        until=until,
        totals=sum(by_rule.values(), OfferTotals()),
        order_value=overall_values,
        experiments=measured,
        by_rule=[
            RuleAnalytics(
                rule, by_rule.get(rule, OfferTotals()), tuple(e for e in measured if e.key.rule_id == rule)
            )
            for rule in sorted(set(by_rule) | {e.key.rule_id for e in measured if e.key.rule_id is not None})
        ],
        by_channel=[
            ChannelAnalytics(
                channel,
                by_channel.get(channel, OfferTotals()),
                channel_values.get(channel, {}),
                tuple(e for e in measured if e.key.channel == channel and e.key.rule_id is None),
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
