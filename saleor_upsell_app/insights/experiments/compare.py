"""Per-arm metrics and treatment − control differences with both intervals, for one currency.

Metrics per arm: units (eligible checkouts), completion rate, revenue per checkout (the primary metric:
it counts abandoned checkouts as 0, so an offer that costs orders shows as a loss) and average order
value (over completed checkouts; descriptive, because the treatment itself changes which checkouts
complete, so it gets no always-valid interval and decides nothing).

Point estimates are exact ``Decimal`` quotients of the exact sums; interval bounds are estimate ±
a half-width computed in floating point (see ``intervals``). Nothing is rounded here: presentation rounds
money per currency. Completion rates and their differences are fractions (0.05 = 5 points).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import combinations

from . import intervals
from .units import HOLDOUT, ArmTally, pooled


class Metric(StrEnum):
    """Each value is also the attribute of ``ArmMetrics`` and ``Comparison`` that holds the metric."""

    REVENUE_PER_CHECKOUT = "revenue_per_checkout"
    COMPLETION_RATE = "completion_rate"
    AVERAGE_ORDER_VALUE = "average_order_value"


@dataclass(frozen=True, slots=True)
class StatsSettings:
    """``confidence`` of both intervals; ``tuning_units``: the checkouts (both arms together) at which the
    always-valid interval is narrowest — about where decisions are expected (see docs/experiments.md)."""

    confidence: float = 0.95
    tuning_units: int = 10_000

    def __post_init__(self) -> None:
        if not 0.5 <= self.confidence < 1:
            raise ValueError("confidence must be in [0.5, 1)")
        if self.tuning_units < 1:
            raise ValueError("tuning_units must be ≥ 1")

    @property
    def alpha(self) -> float:
        return 1 - self.confidence


@dataclass(frozen=True, slots=True)
class ArmMetrics:
    arm: str
    tally: ArmTally
    completion_rate: Decimal | None  # None without units
    revenue_per_checkout: Decimal | None  # None without units
    average_order_value: Decimal | None  # None without completions

    @property
    def units(self) -> int:
        return self.tally.units

    @property
    def completions(self) -> int:
        return self.tally.completions

    def value(self, metric: Metric) -> Decimal | None:
        value: Decimal | None = getattr(self, metric.value)
        return value


@dataclass(frozen=True, slots=True)
class Interval:
    low: Decimal
    high: Decimal

    @property
    def half_width(self) -> Decimal:
        return (self.high - self.low) / 2

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True, slots=True)
class Difference:
    """treatment − control for one metric. Intervals are None until both arms can estimate a variance."""

    metric: Metric
    estimate: Decimal | None
    relative: Decimal | None  # estimate / control value
    fixed_horizon: Interval | None  # Welch, skewness-corrected (delta method for AOV): one planned look
    always_valid: Interval | None  # confidence sequence: any number of looks (None for AOV)
    unit_variance: float | None  # Var(estimate) × units of both arms: projects the checkouts still needed


@dataclass(frozen=True, slots=True)
class Comparison:
    treatment: ArmMetrics
    control: ArmMetrics
    settings: StatsSettings
    revenue_per_checkout: Difference
    completion_rate: Difference
    average_order_value: Difference

    @property
    def units(self) -> int:
        """Checkouts in both arms: the n of the always-valid interval."""
        return self.treatment.units + self.control.units

    def difference(self, metric: Metric) -> Difference:
        difference: Difference = getattr(self, metric.value)
        return difference


@dataclass(frozen=True, slots=True)
class ExperimentResults:
    """A rule's experiment: every arm; all variants together vs the holdout (``overall``: the rule's
    effect); each variant vs the holdout; each pair of variants (the later name vs the earlier)."""

    arms: tuple[ArmMetrics, ...]  # the holdout first, then the variants by name
    overall: Comparison | None  # None without a holdout arm or without variants
    versus_holdout: tuple[Comparison, ...]
    between_variants: tuple[Comparison, ...]


def arm_metrics(arm: str, tally: ArmTally) -> ArmMetrics:
    n, c = tally.units, tally.completions
    return ArmMetrics(
        arm=arm,
        tally=tally,
        completion_rate=Decimal(c) / n if n else None,
        revenue_per_checkout=tally.revenue / n if n else None,
        average_order_value=tally.revenue / c if c else None,
    )


def compare(treatment: ArmMetrics, control: ArmMetrics, settings: StatsSettings | None = None) -> Comparison:
    """treatment − control on the three metrics, with both intervals."""
    settings = settings or StatsSettings()
    t, c = treatment.tally, control.tally
    rpc = (
        intervals.revenue_per_checkout(t.units, *_money_sums(t)),
        intervals.revenue_per_checkout(c.units, *_money_sums(c)),
    )
    rate = (
        intervals.completion_rate(t.units, t.completions),
        intervals.completion_rate(c.units, c.completions),
    )
    aov = (
        intervals.average_order_value(t.units, t.completions, *_money_sums(t)),
        intervals.average_order_value(c.units, c.completions, *_money_sums(c)),
    )
    return Comparison(
        treatment=treatment,
        control=control,
        settings=settings,
        revenue_per_checkout=_difference(Metric.REVENUE_PER_CHECKOUT, treatment, control, *rpc, settings),
        completion_rate=_difference(Metric.COMPLETION_RATE, treatment, control, *rate, settings),
        average_order_value=_difference(Metric.AVERAGE_ORDER_VALUE, treatment, control, *aov, settings),
    )


def experiment_results(
    tallies: Mapping[str, ArmTally], settings: StatsSettings | None = None, *, holdout: str = HOLDOUT
) -> ExperimentResults:
    """Everything the dashboard and the digest show for one rule in one currency."""
    settings = settings or StatsSettings()
    variants = sorted(arm for arm in tallies if arm != holdout)
    metrics = {arm: arm_metrics(arm, tallies[arm]) for arm in variants}
    control = arm_metrics(holdout, tallies[holdout]) if holdout in tallies else None
    overall: Comparison | None = None
    versus: tuple[Comparison, ...] = ()
    if control is not None and variants:
        single = len(variants) == 1
        together = metrics[variants[0]] if single else arm_metrics("all", pooled(tallies, variants))
        overall = compare(together, control, settings)
        versus = tuple(compare(metrics[arm], control, settings) for arm in variants)
    pairs = combinations(variants, 2)
    return ExperimentResults(
        arms=((control,) if control else ()) + tuple(metrics[arm] for arm in variants),
        overall=overall,
        versus_holdout=versus,
        between_variants=tuple(compare(metrics[b], metrics[a], settings) for a, b in pairs),
    )


def _difference(
    metric: Metric,
    treatment: ArmMetrics,
    control: ArmMetrics,
    treated: intervals.Estimate,
    held: intervals.Estimate,
    settings: StatsSettings,
) -> Difference:
    value_t, value_c = treatment.value(metric), control.value(metric)
    if value_t is None or value_c is None:
        return Difference(metric, None, None, None, None, None)
    estimate = value_t - value_c
    relative = estimate / value_c if value_c else None
    variance = float(treated.variance + held.variance)
    if not math.isfinite(variance):
        return Difference(metric, estimate, relative, None, None, None)
    units = treatment.units + control.units
    orders = metric is Metric.AVERAGE_ORDER_VALUE  # its degrees of freedom come from the orders
    low, high = intervals.fixed_interval(
        treated,
        held,
        treatment.completions if orders else treatment.units,
        control.completions if orders else control.units,
        settings.confidence,
    )
    centre = float(treated.value - held.value)
    fixed = _between(estimate, float(low) - centre, float(high) - centre)
    sequential = None
    if metric is not Metric.AVERAGE_ORDER_VALUE:
        half = float(intervals.sequence_half_width(variance, units, settings.alpha, settings.tuning_units))
        sequential = _between(estimate, -half, half)
    return Difference(
        metric=metric,
        estimate=estimate,
        relative=relative,
        fixed_horizon=fixed,
        always_valid=sequential,
        unit_variance=variance * units,
    )


def _money_sums(tally: ArmTally) -> tuple[float, float, float]:
    return float(tally.revenue), float(tally.revenue_squared), float(tally.revenue_cubed)


def _between(estimate: Decimal, below: float, above: float) -> Interval | None:
    """estimate + below … estimate + above, exact around the Decimal estimate; None if undefined."""
    if not (math.isfinite(below) and math.isfinite(above)):
        return None
    return Interval(estimate + Decimal(repr(below)), estimate + Decimal(repr(above)))
