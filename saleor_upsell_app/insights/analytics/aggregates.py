"""Per-rule weekly counts and average order values (pure). Lift and its intervals are not here: they
are insights/experiments (through lift.py), the one place statistics are computed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..events import EventKind

# ---------------------------------------------------------------------------------------------------------
# Per rule / channel / ISO week aggregates


# The kinds a rule's weekly figures count.
COUNTED_KINDS = (
    EventKind.OFFERED,
    EventKind.ACCEPTED,
    EventKind.DECLINED,
    EventKind.REMOVED,
    EventKind.CONVERTED,
)


@dataclass(frozen=True, slots=True)
class OfferEvent:
    kind: EventKind
    rule_id: int
    channel: str
    amount: Decimal
    currency: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class OrderRecord:
    channel: str
    total: Decimal
    currency: str
    placed_at: datetime


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def of(cls, moment: datetime) -> IsoWeek:
        calendar = moment.isocalendar()
        return cls(calendar.year, calendar.week)

    @property
    def monday(self) -> date:
        """The week's first day: what people read ("week of 16 Nov"), rather than "2026-W47"."""
        return date.fromisocalendar(self.year, self.week, 1)


@dataclass(frozen=True, slots=True, order=True)
class RuleWeekKey:
    rule_id: int
    channel: str
    week: IsoWeek


@dataclass(frozen=True, slots=True)
class RuleWeekStats:
    key: RuleWeekKey
    shown: int
    accepted: int
    declined: int
    removed: int
    converted: int
    acceptance_rate: float | None
    accepted_revenue: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, order=True)
class ChannelWeekCurrency:
    channel: str
    week: IsoWeek
    currency: str


@dataclass(frozen=True, slots=True)
class AverageOrderValue:
    key: ChannelWeekCurrency
    orders: int
    total: Decimal
    average: Decimal  # unrounded: presentation rounds per currency


def aggregate_offer_events(events: Iterable[OfferEvent]) -> list[RuleWeekStats]:
    """Counts per rule, channel and ISO week of ``occurred_at`` (pass times in the zone to report in).

    Revenue is the sum of accepted offers' amounts, kept per currency (never summed across currencies).
    """
    counts: dict[RuleWeekKey, dict[EventKind, int]] = defaultdict(lambda: dict.fromkeys(COUNTED_KINDS, 0))
    revenue: dict[RuleWeekKey, dict[str, Decimal]] = defaultdict(dict)
    for event in events:
        key = RuleWeekKey(event.rule_id, event.channel, IsoWeek.of(event.occurred_at))
        counts[key][event.kind] += 1
        if event.kind is EventKind.ACCEPTED:
            per_currency = revenue[key]
            per_currency[event.currency] = per_currency.get(event.currency, Decimal(0)) + event.amount
    return [_rule_week_stats(key, counts[key], revenue.get(key, {})) for key in sorted(counts)]


def _rule_week_stats(
    key: RuleWeekKey, counts: Mapping[EventKind, int], revenue: Mapping[str, Decimal]
) -> RuleWeekStats:
    shown = counts[EventKind.OFFERED]
    accepted = counts[EventKind.ACCEPTED]
    return RuleWeekStats(
        key=key,
        shown=shown,
        accepted=accepted,
        declined=counts[EventKind.DECLINED],
        removed=counts[EventKind.REMOVED],
        converted=counts[EventKind.CONVERTED],
        acceptance_rate=accepted / shown if shown else None,
        accepted_revenue=dict(sorted(revenue.items())),
    )


def average_order_values(orders: Iterable[OrderRecord]) -> list[AverageOrderValue]:
    """Average order value per channel, ISO week of ``placed_at`` and currency."""
    totals: dict[ChannelWeekCurrency, tuple[int, Decimal]] = {}
    for order in orders:
        key = ChannelWeekCurrency(order.channel, IsoWeek.of(order.placed_at), order.currency)
        count, total = totals.get(key, (0, Decimal(0)))
        totals[key] = (count + 1, total + order.total)
    return [
        AverageOrderValue(key=key, orders=count, total=total, average=total / count)
        for key, (count, total) in sorted(totals.items())
    ]
