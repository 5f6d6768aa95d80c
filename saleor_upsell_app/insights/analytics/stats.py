"""Pure statistics for the dashboard: lift against the random holdout, and per-rule weekly aggregates.

The record dataclasses live here so the storage layer can map its rows onto them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from scipy import stats as scipy_stats

from ..events import EventKind

# ---------------------------------------------------------------------------------------------------------
# Lift against the holdout


class LiftVerdict(StrEnum):
    NOT_ENOUGH_DATA = "not_enough_data"
    LIFT = "lift"
    DROP = "drop"
    NO_DETECTABLE_EFFECT = "no_detectable_effect"


@dataclass(frozen=True, slots=True)
class HoldoutLift:
    """Order value with offers (treated) vs held out (control); interval is Welch's t, two-sided."""

    treated_orders: int
    control_orders: int
    treated_mean: Decimal
    control_mean: Decimal
    difference: Decimal
    relative_lift: float | None
    interval_low: Decimal
    interval_high: Decimal
    verdict: LiftVerdict


def holdout_lift(
    treated: Sequence[Decimal | float],
    control: Sequence[Decimal | float],
    *,
    min_group_size: int = 30,
    max_inconclusive_half_width: float = 0.10,
    confidence: float = 0.95,
) -> HoldoutLift:
    """Difference of mean order value, relative lift and its confidence interval, with a plain verdict.

    Verdict "not enough data" when either group is smaller than ``min_group_size``, or when the interval
    is too wide to mean anything: it contains zero (half-width > |difference|) *and* its half-width is
    more than ``max_inconclusive_half_width`` (10%) of the control mean — then neither "it helped" nor
    "any effect is small" can be claimed. A narrow interval around zero is "no detectable effect".
    Means and differences are exact Decimals; the spread is estimated in floating point.
    """
    treated_values = [Decimal(str(v)) if isinstance(v, float) else v for v in treated]
    control_values = [Decimal(str(v)) if isinstance(v, float) else v for v in control]
    n_treated, n_control = len(treated_values), len(control_values)
    treated_mean = _mean(treated_values)
    control_mean = _mean(control_values)
    difference = treated_mean - control_mean
    relative = float(difference / control_mean) if control_mean != 0 else None

    if n_treated < max(min_group_size, 2) or n_control < max(min_group_size, 2):
        return HoldoutLift(
            n_treated, n_control, treated_mean, control_mean, difference, relative,
            difference, difference, LiftVerdict.NOT_ENOUGH_DATA,
        )  # fmt: skip

    half_width = Decimal(repr(_welch_half_width(treated_values, control_values, confidence)))
    verdict = _verdict(difference, half_width, control_mean, max_inconclusive_half_width)
    return HoldoutLift(
        n_treated, n_control, treated_mean, control_mean, difference, relative,
        difference - half_width, difference + half_width, verdict,
    )  # fmt: skip


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values) if values else Decimal(0)


def _welch_half_width(treated: Sequence[Decimal], control: Sequence[Decimal], confidence: float) -> float:
    var_treated = _sample_variance(treated)
    var_control = _sample_variance(control)
    se_treated_sq = var_treated / len(treated)
    se_control_sq = var_control / len(control)
    standard_error_sq = se_treated_sq + se_control_sq
    if standard_error_sq == 0.0:
        return 0.0
    # Welch–Satterthwaite degrees of freedom.
    dof = standard_error_sq**2 / (
        se_treated_sq**2 / (len(treated) - 1) + se_control_sq**2 / (len(control) - 1)
    )
    quantile = float(scipy_stats.t.ppf(0.5 + confidence / 2, dof))
    return quantile * math.sqrt(standard_error_sq)


def _sample_variance(values: Sequence[Decimal]) -> float:
    floats = [float(v) for v in values]
    mean = math.fsum(floats) / len(floats)
    return math.fsum((x - mean) ** 2 for x in floats) / (len(floats) - 1)


def _verdict(
    difference: Decimal, half_width: Decimal, control_mean: Decimal, max_inconclusive_half_width: float
) -> LiftVerdict:
    if half_width < difference.copy_abs():
        return LiftVerdict.LIFT if difference > 0 else LiftVerdict.DROP
    if half_width > control_mean.copy_abs() * Decimal(repr(max_inconclusive_half_width)):
        return LiftVerdict.NOT_ENOUGH_DATA
    return LiftVerdict.NO_DETECTABLE_EFFECT


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
