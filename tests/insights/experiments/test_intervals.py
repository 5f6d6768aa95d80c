"""The statistics against independent references: numpy / scipy on the raw values, and the paper's formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize
from scipy import stats as scipy_stats

from saleor_upsell_app.insights.experiments import intervals


def _revenue(rng: np.random.Generator, n: int, completion: float) -> np.ndarray:
    done = rng.random(n) < completion
    return np.where(done, np.round(rng.lognormal(4.0, 0.8, size=n), 2), 0.0)


def _sums(values: np.ndarray) -> tuple[int, int, float, float]:
    return len(values), int((values > 0).sum()), float(values.sum()), float((values**2).sum())


def test_revenue_per_checkout_is_the_mean_over_all_units_with_its_standard_error() -> None:
    values = _revenue(np.random.default_rng(1), 500, 0.6)
    n, _, s, q = _sums(values)
    estimate = intervals.revenue_per_checkout(n, s, q)
    assert float(estimate.value) == pytest.approx(values.mean())
    assert float(estimate.variance) == pytest.approx(values.var(ddof=1) / n)


def test_welch_half_width_matches_scipy_welch_t_interval() -> None:
    rng = np.random.default_rng(2)
    treated, control = _revenue(rng, 900, 0.62), _revenue(rng, 100, 0.66)
    t, c = (intervals.revenue_per_checkout(*_sums(v)[:1], *_sums(v)[2:]) for v in (treated, control))
    half = float(intervals.welch_half_width(t.variance, len(treated), c.variance, len(control), 0.95))
    reference = scipy_stats.ttest_ind(treated, control, equal_var=False).confidence_interval(0.95)
    assert half == pytest.approx((reference.high - reference.low) / 2, rel=1e-9)


def test_completion_variance_is_agresti_caffo_and_never_zero() -> None:
    everything = intervals.completion_rate(40, 40)
    assert float(everything.value) == 1.0
    assert float(everything.variance) == pytest.approx((41 / 42) * (1 / 42) / 42)
    assert float(everything.variance) > 0


def test_average_order_value_delta_variance_is_close_to_welch_on_the_orders_alone() -> None:
    values = _revenue(np.random.default_rng(3), 4000, 0.6)
    estimate = intervals.average_order_value(*_sums(values))
    orders = values[values > 0]
    assert float(estimate.value) == pytest.approx(orders.mean())
    assert float(estimate.variance) == pytest.approx(orders.var(ddof=1) / len(orders), rel=0.01)


def test_too_few_units_give_no_variance_rather_than_a_fake_one() -> None:
    assert math.isnan(float(intervals.revenue_per_checkout(1, 5.0, 25.0).variance))
    assert math.isnan(float(intervals.completion_rate(1, 1).variance))
    assert math.isnan(float(intervals.average_order_value(5, 1, 5.0, 25.0).variance))
    assert math.isnan(float(intervals.revenue_per_checkout(0, 0.0, 0.0).value))


def _paper_half_width(unit_variance: float, n: float, alpha: float, rho2: float) -> float:
    # Waudby-Smith et al. (2021), the two-sided normal-mixture asymptotic confidence sequence.
    return math.sqrt(unit_variance) * math.sqrt(
        2 * (n * rho2 + 1) / (n * n * rho2) * math.log(math.sqrt(n * rho2 + 1) / alpha)
    )


def test_the_tuning_parameter_makes_the_sequence_narrowest_at_the_tuning_size() -> None:
    rho2 = intervals.mixture_rho_squared(0.05, 10_000)
    best = optimize.minimize_scalar(
        lambda r: _paper_half_width(1.0, 10_000, 0.05, r), bounds=(1e-7, 1e-1), method="bounded",
        options={"xatol": 1e-12},
    )  # fmt: skip
    assert rho2 == pytest.approx(best.x, rel=1e-3)
    # GrowthBook's closed-form approximation lands within 4% of the exact minimiser.
    approx = (-2 * math.log(0.05) + math.log(-2 * math.log(0.05) + 1)) / 10_000
    assert rho2 == pytest.approx(approx, rel=0.04)


def test_sequence_half_width_is_the_paper_formula_with_the_difference_variance_times_n() -> None:
    variance_of_difference, n = 0.0004, 5_000
    rho2 = intervals.mixture_rho_squared(0.05, 10_000)
    ours = float(intervals.sequence_half_width(variance_of_difference, n, 0.05, 10_000))
    assert ours == pytest.approx(_paper_half_width(variance_of_difference * n, n, 0.05, rho2))


def test_the_always_valid_interval_is_wider_than_the_fixed_one_everywhere_and_shrinks() -> None:
    n = np.unique(np.geomspace(2, 10**7, 400).astype(int)).astype(float)
    margin = intervals.mixture_margin(n, 0.05, 10_000)
    fixed = 1.959964 / np.sqrt(n)
    assert (margin > fixed).all()
    assert (np.diff(margin) < 0).all()
    # Narrowest relative to the fixed interval near the tuning size: about 1.55×.
    at_tuning = float(intervals.mixture_margin(10_000, 0.05, 10_000)) * 100 / 1.959964
    assert 1.5 < at_tuning < 1.6


def test_units_for_a_target_half_width_is_the_first_size_that_reaches_it() -> None:
    target = 0.5
    n = intervals.units_for_sequence_half_width(40.0, target, 0.05, 10_000)
    assert n is not None
    assert math.sqrt(40.0) * float(intervals.mixture_margin(n, 0.05, 10_000)) <= target
    assert math.sqrt(40.0) * float(intervals.mixture_margin(n - 1, 0.05, 10_000)) > target
    assert intervals.units_for_sequence_half_width(float("nan"), target, 0.05, 10_000) is None
    assert intervals.units_for_sequence_half_width(40.0, 0.0, 0.05, 10_000) is None


def test_bad_tuning_is_refused() -> None:
    with pytest.raises(ValueError):
        intervals.mixture_rho_squared(0.0, 10_000)
    with pytest.raises(ValueError):
        intervals.mixture_rho_squared(0.05, 0)
