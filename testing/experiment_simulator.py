"""A shopper simulator for experiment statistics: synthetic eligible checkouts with a known true effect.

Each day brings ``checkouts_per_day`` eligible checkouts; each is assigned to an arm at random in
proportion to the arms' shares (the holdout and a rule's variants), completes with its arm's probability,
and when it completes its order total is lognormal with its arm's mean (rounded to cents). The truth is
therefore known: completion p, average order value m and revenue per checkout p·m per arm.

Two ways to produce the same model:
- ``simulate_tallies``: vectorised (numpy), many experiments at once; returns cumulative per-arm sums
  (units, completions, Σ revenue, Σ revenue², Σ revenue³) at the end of every day, the looks;
- ``simulate_units``: one experiment as a stream of ``Unit`` records, day by day, to feed the pure code
  one unit at a time (and to check that the vectorised path decides exactly what the scalar API decides).
The evaluation helpers apply the package's own array functions to those sums.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from saleor_upsell_app.insights.experiments import HOLDOUT, GuardrailPolicy, Unit, harm_detected, intervals
from saleor_upsell_app.insights.experiments.compare import Metric

Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ArmModel:
    name: str
    share: float  # of eligible checkouts
    completion: float  # probability that a checkout becomes an order
    mean_order_value: float  # of completed orders

    @property
    def revenue_per_checkout(self) -> float:
        return self.completion * self.mean_order_value


@dataclass(frozen=True, slots=True)
class Scenario:
    arms: tuple[ArmModel, ...]  # arms[0] is the holdout
    checkouts_per_day: int
    days: int
    order_value_sigma: float = 0.7  # lognormal shape: coefficient of variation ≈ 0.8

    @property
    def horizon(self) -> int:
        return self.checkouts_per_day * self.days

    def index(self, name: str) -> int:
        return [arm.name for arm in self.arms].index(name)

    def true_difference(self, metric: Metric, treatment: str, control: str = HOLDOUT) -> float:
        t, c = self.arms[self.index(treatment)], self.arms[self.index(control)]
        if metric is Metric.REVENUE_PER_CHECKOUT:
            return t.revenue_per_checkout - c.revenue_per_checkout
        if metric is Metric.COMPLETION_RATE:
            return t.completion - c.completion
        return t.mean_order_value - c.mean_order_value


def rule_scenario(
    *,
    holdout_share: float = 0.10,
    checkouts_per_day: int = 300,
    days: int = 60,
    baseline_completion: float = 0.65,
    completion_effect: float = 0.0,
    mean_order_value: float = 80.0,
    order_value_effect: float = 0.0,
) -> Scenario:
    """A rule with one variant: the treated arm completes ``completion_effect`` more (−0.05 = 5 points
    fewer) and orders ``order_value_effect`` more on average (0.10 = +10%)."""
    return Scenario(
        arms=(
            ArmModel(HOLDOUT, holdout_share, baseline_completion, mean_order_value),
            ArmModel(
                "A",
                1 - holdout_share,
                baseline_completion + completion_effect,
                mean_order_value * (1 + order_value_effect),
            ),
        ),
        checkouts_per_day=checkouts_per_day,
        days=days,
    )


def with_variants(scenario: Scenario, variants: Sequence[ArmModel]) -> Scenario:
    """The scenario's holdout with other treated arms (their shares are of all checkouts)."""
    return replace(scenario, arms=(scenario.arms[0], *variants))


@dataclass(frozen=True, slots=True)
class Tallies:
    """Cumulative sums at the end of each day: arrays of shape (experiments, days, arms)."""

    units: Floats
    completions: Floats
    revenue: Floats
    revenue_squared: Floats
    revenue_cubed: Floats


def simulate_tallies(scenario: Scenario, experiments: int, seed: int, *, chunk: int = 50) -> Tallies:
    rng = np.random.default_rng(seed)
    parts = [
        _simulate_chunk(scenario, min(chunk, experiments - start), rng)
        for start in range(0, experiments, chunk)
    ]
    return Tallies(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Tallies)))


def _simulate_chunk(scenario: Scenario, experiments: int, rng: np.random.Generator) -> Tallies:
    shares = np.array([arm.share for arm in scenario.arms])
    cells = experiments * scenario.days
    units = rng.multinomial(scenario.checkouts_per_day, shares / shares.sum(), size=cells)  # (cells, arms)
    completions = np.empty_like(units)
    revenue = np.zeros(units.shape)
    squared = np.zeros(units.shape)
    cubed = np.zeros(units.shape)
    sigma = scenario.order_value_sigma
    for a, arm in enumerate(scenario.arms):
        completions[:, a] = rng.binomial(units[:, a], arm.completion)
        values = _order_values(rng, int(completions[:, a].sum()), arm.mean_order_value, sigma)
        cell = np.repeat(np.arange(cells), completions[:, a])
        revenue[:, a] = np.bincount(cell, weights=values, minlength=cells)
        squared[:, a] = np.bincount(cell, weights=values**2, minlength=cells)
        cubed[:, a] = np.bincount(cell, weights=values**3, minlength=cells)
    shape = (experiments, scenario.days, len(scenario.arms))
    return Tallies(
        *(
            np.cumsum(x.reshape(shape).astype(np.float64), axis=1)
            for x in (units, completions, revenue, squared, cubed)
        )
    )


def _order_values(rng: np.random.Generator, size: int, mean: float, sigma: float) -> Floats:
    values = rng.lognormal(math.log(mean) - sigma * sigma / 2, sigma, size=size)
    return np.round(values, 2)


def simulate_units(scenario: Scenario, seed: int) -> Iterator[list[Unit]]:
    """One experiment, one list of units per day, in arrival order."""
    rng = np.random.default_rng(seed)
    shares = np.array([arm.share for arm in scenario.arms])
    cumulative = np.cumsum(shares / shares.sum())
    for _ in range(scenario.days):
        arms = np.minimum(
            np.searchsorted(cumulative, rng.random(scenario.checkouts_per_day), side="right"), len(shares) - 1
        )
        done = rng.random(scenario.checkouts_per_day)
        day: list[Unit] = []
        for a, u in zip(arms.tolist(), done.tolist(), strict=True):
            arm = scenario.arms[a]
            if u < arm.completion:
                value = _order_values(rng, 1, arm.mean_order_value, scenario.order_value_sigma)[0]
                day.append(Unit(arm.name, True, Decimal(f"{value:.2f}")))
            else:
                day.append(Unit(arm.name, False))
        yield day


# ---------------------------------------------------------------------------------------------------------
# Evaluation: the package's array functions over every (experiment, look)


@dataclass(frozen=True, slots=True)
class Intervals:
    """treatment − control at every look, arrays (experiments, days): the estimate, the fixed-horizon
    interval's bounds and the always-valid interval's half-width (NaN for average order value)."""

    estimate: Floats
    fixed_low: Floats
    fixed_high: Floats
    sequential_half: Floats

    def fixed_covers(self, truth: float) -> NDArray[np.bool_]:
        """Covered at each look; a look without an interval (too few units) covers by definition."""
        with np.errstate(invalid="ignore"):
            return np.asarray(~((truth < self.fixed_low) | (truth > self.fixed_high)), dtype=np.bool_)

    def sequence_covers(self, truth: float) -> NDArray[np.bool_]:
        with np.errstate(invalid="ignore"):
            return np.asarray(~(np.abs(self.estimate - truth) > self.sequential_half), dtype=np.bool_)


def difference_intervals(
    tallies: Tallies,
    metric: Metric,
    treatment: int,
    control: int,
    *,
    confidence: float = 0.95,
    tuning_units: float = 10_000,
) -> Intervals:
    def estimate(arm: int) -> intervals.Estimate:
        n, c = tallies.units[..., arm], tallies.completions[..., arm]
        s, q, r = (
            tallies.revenue[..., arm],
            tallies.revenue_squared[..., arm],
            tallies.revenue_cubed[..., arm],
        )
        if metric is Metric.REVENUE_PER_CHECKOUT:
            return intervals.revenue_per_checkout(n, s, q, r)
        if metric is Metric.COMPLETION_RATE:
            return intervals.completion_rate(n, c)
        return intervals.average_order_value(n, c, s, q, r)

    t, c = estimate(treatment), estimate(control)
    nt, nc = tallies.units[..., treatment], tallies.units[..., control]
    if metric is Metric.AVERAGE_ORDER_VALUE:
        dof_t, dof_c = tallies.completions[..., treatment], tallies.completions[..., control]
    else:
        dof_t, dof_c = nt, nc
    low, high = intervals.fixed_interval(t, c, dof_t, dof_c, confidence)
    if metric is Metric.AVERAGE_ORDER_VALUE:
        sequential = np.full_like(low, np.nan)
    else:
        sequential = intervals.sequence_half_width(
            t.variance + c.variance, nt + nc, 1 - confidence, tuning_units
        )
    return Intervals(t.value - c.value, low, high, sequential)


def first_look(flags: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Index of the first True look per experiment, −1 when never."""
    any_true = flags.any(axis=1)
    return np.where(any_true, flags.argmax(axis=1), -1).astype(np.int64)


def guardrail_pauses(
    tallies: Tallies, policy: GuardrailPolicy, treatment: int = 1, holdout: int = 0
) -> NDArray[np.bool_]:
    """The guardrail's test (``harm_detected``, what ``guardrail_decision`` runs) at every look."""
    return harm_detected(
        tallies.units[..., treatment],
        tallies.completions[..., treatment],
        tallies.units[..., holdout],
        tallies.completions[..., holdout],
        alpha=policy.alpha,
        margin=policy.margin,
        min_units_per_arm=policy.min_units_per_arm,
        tuning_units=policy.tuning_units,
    )


def naive_pauses(
    tallies: Tallies, treatment: int, control: int, *, confidence: float = 0.95
) -> NDArray[np.bool_]:
    """The broken guardrail: the fixed-horizon interval's upper bound below 0, checked at every look."""
    d = difference_intervals(tallies, Metric.COMPLETION_RATE, treatment, control, confidence=confidence)
    with np.errstate(invalid="ignore"):
        return np.asarray(d.fixed_high < 0, dtype=np.bool_)


def percentile_checkouts(first: NDArray[np.int64], checkouts_per_day: int, q: float) -> float | None:
    """The q-th percentile (0–100) of checkouts until the first True look; None when more than 100 − q
    percent of experiments never got there (it lies beyond the horizon)."""
    days = np.where(first >= 0, first + 1, np.inf)
    value = float(np.percentile(days, q, method="higher"))
    return None if math.isinf(value) else value * checkouts_per_day
