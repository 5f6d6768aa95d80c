"""Per-arm metrics and differences: exact estimates, both intervals, arms and pairs of variants."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from scipy import stats as scipy_stats

from saleor_upsell_app.insights.experiments import (
    HOLDOUT,
    ArmTally,
    StatsSettings,
    Unit,
    arm_metrics,
    compare,
    experiment_results,
    tally,
)


def _units(arm: str, totals: list[str], abandoned: int) -> list[Unit]:
    return [Unit(arm, True, Decimal(t)) for t in totals] + [Unit(arm, False)] * abandoned


def test_metrics_count_abandoned_checkouts_in_revenue_per_checkout_but_not_in_order_value() -> None:
    metrics = arm_metrics("A", tally(_units("A", ["30.00", "50.00"], 2))["A"])
    assert metrics.units == 4
    assert metrics.completion_rate == Decimal("0.5")
    assert metrics.revenue_per_checkout == Decimal("20")
    assert metrics.average_order_value == Decimal("40")


def test_an_offer_that_raises_order_value_but_loses_orders_shows_as_a_revenue_loss() -> None:
    # Treated: 50 of 100 complete at 90.00; holdout: 70 of 100 at 80.00. Order value is up, revenue down.
    tallies = tally(_units("A", ["90.00"] * 50, 50) + _units(HOLDOUT, ["80.00"] * 35 + ["80.00"] * 35, 30))
    result = experiment_results(tallies)
    assert result.overall is not None
    assert result.overall.average_order_value.estimate == Decimal("10")
    assert result.overall.revenue_per_checkout.estimate == Decimal("45") - Decimal("56")
    assert result.overall.completion_rate.estimate == Decimal("-0.2")


def test_empty_and_tiny_arms_give_no_figures_rather_than_made_up_ones() -> None:
    empty = arm_metrics("A", ArmTally())
    assert empty.completion_rate is empty.revenue_per_checkout is empty.average_order_value is None
    lone = tally([Unit("A", True, Decimal(5))])["A"]
    one = compare(arm_metrics("A", lone), arm_metrics(HOLDOUT, ArmTally()))
    assert one.revenue_per_checkout.estimate is None
    two = tally(_units("A", ["5.00"], 0) + _units(HOLDOUT, ["4.00"], 1))
    small = compare(arm_metrics("A", two["A"]), arm_metrics(HOLDOUT, two[HOLDOUT]))
    assert small.revenue_per_checkout.estimate == Decimal(3)
    assert small.revenue_per_checkout.fixed_horizon is None  # one unit in A: no variance


def _random_units(rng: np.random.Generator, arm: str, n: int, completion: float, mean: float) -> list[Unit]:
    units = []
    for _ in range(n):
        if rng.random() < completion:
            units.append(Unit(arm, True, Decimal(f"{rng.lognormal(np.log(mean), 0.7):.2f}")))
        else:
            units.append(Unit(arm, False))
    return units


def test_intervals_contain_welch_on_the_raw_values_and_the_sequence_is_wider() -> None:
    rng = np.random.default_rng(7)
    units = _random_units(rng, "A", 1800, 0.6, 85.0) + _random_units(rng, HOLDOUT, 200, 0.66, 80.0)
    result = experiment_results(tally(units))
    assert result.overall is not None
    rpc = result.overall.revenue_per_checkout
    values = {arm: np.array([float(u.revenue) for u in units if u.arm == arm]) for arm in ("A", HOLDOUT)}
    reference = scipy_stats.ttest_ind(values["A"], values[HOLDOUT], equal_var=False).confidence_interval(0.95)
    assert rpc.fixed_horizon is not None and rpc.always_valid is not None
    # The skewed holdout widens the lower side (test_intervals checks by how much); the upper is Welch's.
    assert float(rpc.fixed_horizon.low) < reference.low
    assert float(rpc.fixed_horizon.high) == pytest.approx(reference.high, rel=1e-9)
    assert rpc.always_valid.low < rpc.fixed_horizon.low and rpc.always_valid.high > rpc.fixed_horizon.high
    assert result.overall.average_order_value.always_valid is None  # descriptive only
    rate = result.overall.completion_rate
    assert rate.fixed_horizon is not None and rate.estimate is not None
    assert rate.fixed_horizon.contains(rate.estimate)


def test_several_variants_are_each_compared_with_the_holdout_and_with_each_other() -> None:
    rng = np.random.default_rng(8)
    units = (
        _random_units(rng, HOLDOUT, 100, 0.6, 80.0)
        + _random_units(rng, "B", 300, 0.6, 90.0)
        + _random_units(rng, "A", 300, 0.6, 80.0)
        + _random_units(rng, "C", 300, 0.6, 70.0)
    )
    result = experiment_results(tally(units), StatsSettings(confidence=0.9, tuning_units=5_000))
    assert [a.arm for a in result.arms] == [HOLDOUT, "A", "B", "C"]
    assert [(c.treatment.arm, c.control.arm) for c in result.versus_holdout] == [
        ("A", HOLDOUT), ("B", HOLDOUT), ("C", HOLDOUT),
    ]  # fmt: skip
    assert [(c.treatment.arm, c.control.arm) for c in result.between_variants] == [
        ("B", "A"), ("C", "A"), ("C", "B"),
    ]  # fmt: skip
    assert result.overall is not None and result.overall.treatment.units == 900
    assert result.overall.settings.confidence == 0.9
    b_vs_a = result.between_variants[0].average_order_value
    arms = {a.arm: a for a in result.arms}
    assert arms["B"].average_order_value is not None and arms["A"].average_order_value is not None
    assert b_vs_a.estimate == arms["B"].average_order_value - arms["A"].average_order_value


def test_a_single_variant_is_the_overall_comparison_and_no_holdout_means_no_lift() -> None:
    units = _random_units(np.random.default_rng(9), HOLDOUT, 50, 0.6, 80.0) + _random_units(
        np.random.default_rng(10), "A", 50, 0.6, 80.0
    )
    result = experiment_results(tally(units))
    assert result.overall == result.versus_holdout[0]
    without = experiment_results(tally([u for u in units if u.arm == "A"]))
    assert without.overall is None and without.versus_holdout == () and len(without.arms) == 1


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        StatsSettings(confidence=1.0)
    with pytest.raises(ValueError):
        StatsSettings(tuning_units=0)
