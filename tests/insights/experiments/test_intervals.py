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


def _sums(values: np.ndarray) -> tuple[int, int, float, float, float]:
    n, c = len(values), int((values > 0).sum())
    return n, c, float(values.sum()), float((values**2).sum()), float((values**3).sum())


def _rpc(values: np.ndarray) -> intervals.Estimate:
    n, _, s, q, r = _sums(values)
    return intervals.revenue_per_checkout(n, s, q, r)


def test_revenue_per_checkout_is_the_mean_over_all_units_with_its_variance_and_skew() -> None:
    values = _revenue(np.random.default_rng(1), 500, 0.6)
    estimate = _rpc(values)
    assert float(estimate.value) == pytest.approx(values.mean())
    assert float(estimate.variance) == pytest.approx(values.var(ddof=1) / 500)
    assert float(estimate.third) == pytest.approx(scipy_stats.kstat(values, 3) / 500**2)


def test_without_skew_the_fixed_interval_is_scipy_welch_t_interval() -> None:
    rng = np.random.default_rng(2)
    treated, control = _revenue(rng, 900, 0.62), _revenue(rng, 100, 0.66)
    t, c = (e._replace(third=np.float64(0)) for e in (_rpc(treated), _rpc(control)))
    low, high = intervals.fixed_interval(t, c, len(treated), len(control), 0.95)
    reference = scipy_stats.ttest_ind(treated, control, equal_var=False).confidence_interval(0.95)
    assert (float(low), float(high)) == pytest.approx((reference.low, reference.high), rel=1e-9)


def test_a_skewed_holdout_widens_the_interval_on_its_long_side_only() -> None:
    rng = np.random.default_rng(2)
    treated, control = _revenue(rng, 900, 0.62), _revenue(rng, 100, 0.66)
    t, c = _rpc(treated), _rpc(control)
    low, high = intervals.fixed_interval(t, c, len(treated), len(control), 0.95)
    welch = scipy_stats.ttest_ind(treated, control, equal_var=False)
    reference = welch.confidence_interval(0.95)
    # The holdout's mean is right-skewed, so the difference is left-skewed: only the lower bound moves.
    se = math.sqrt(treated.var(ddof=1) / 900 + control.var(ddof=1) / 100)
    skew = (scipy_stats.kstat(treated, 3) / 900**2 - scipy_stats.kstat(control, 3) / 100**2) / se**3
    quantile = scipy_stats.t.ppf(0.975, welch.df)
    shift = skew * (2 * quantile**2 + 1) / 6
    assert shift < 0
    assert float(high) == pytest.approx(reference.high, rel=1e-9)
    assert float(low) == pytest.approx(reference.low + se * shift, rel=1e-9)


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
    assert float(estimate.third) == pytest.approx(scipy_stats.kstat(orders, 3) / len(orders) ** 2, rel=0.01)


def test_too_few_units_give_no_variance_rather_than_a_fake_one() -> None:
    assert math.isnan(float(intervals.revenue_per_checkout(1, 5.0, 25.0, 125.0).variance))
    assert math.isnan(float(intervals.completion_rate(1, 1).variance))
    assert math.isnan(float(intervals.average_order_value(5, 1, 5.0, 25.0, 125.0).variance))
    assert math.isnan(float(intervals.revenue_per_checkout(0, 0.0, 0.0, 0.0).value))
    one = intervals.revenue_per_checkout(1, 5.0, 25.0, 125.0)
    low, high = intervals.fixed_interval(one, one, 1, 1, 0.95)
    assert math.isnan(float(low)) and math.isnan(float(high))


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
