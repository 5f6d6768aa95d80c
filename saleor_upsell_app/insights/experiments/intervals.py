"""The statistics, on arrays: per-arm estimates, and the two intervals for a treatment − control difference.

Every function here takes floats or numpy arrays of equal shape and works element-wise, so the same code
answers one dashboard question and, in the simulation bench, every look of hundreds of experiments at once.
Undefined values (too few units for a variance) come out as NaN, and a NaN interval never decides anything.

**Fixed-horizon interval** (valid when the data are looked at once, at a size chosen in advance): Welch's
t interval for revenue per checkout and completion rate, the delta method (normal) for average order value.

**Always-valid interval** (a confidence sequence: valid however often, and whenever, the data are looked
at): the asymptotic confidence sequence of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas, "Time-uniform
central limit theory and asymptotic confidence sequences" (arXiv:2103.06476, 2021; Annals of Statistics
2024), with Robbins' normal-mixture boundary (Howard, Ramdas, McAuliffe and Sekhon, Annals of Statistics
2021). For n units whose effect estimate has variance V, the half-width is

    sqrt(V·n) · sqrt( 2 (n ρ² + 1) / (n² ρ²) · log( sqrt(n ρ² + 1) / α ) )

and the probability that the true difference ever leaves the interval, over all n, is at most α
(asymptotically). ``V·n`` is the per-unit variance of the difference-in-means (the efficient influence
function of a randomised experiment: σ_T²/π_T + σ_C²/π_C), which is how GrowthBook applies the same
boundary. ρ is the tuning parameter: it sets the sample size ``tuning_units`` at which the sequence is
narrowest (there about 1.55× the fixed-horizon interval at 95%); we take the exact minimiser
ρ² = (−W₋₁(−α² e^(α²−1)) − 1) / tuning_units (W₋₁: the lower branch of Lambert's W).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special
from scipy import stats as scipy_stats

Floats = NDArray[np.float64]


class Estimate(NamedTuple):
    """Per-arm estimate and the variance of that estimate (not of one unit)."""

    value: Floats
    variance: Floats


def _floats(x: ArrayLike) -> Floats:
    return np.asarray(x, dtype=np.float64)


def revenue_per_checkout(units: ArrayLike, revenue: ArrayLike, revenue_squared: ArrayLike) -> Estimate:
    """Mean revenue over all units (abandoned ones count 0) and its variance s²/n."""
    n, s, q = _floats(units), _floats(revenue), _floats(revenue_squared)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, s / n, np.nan)
        sample_variance = np.where(n > 1, np.maximum(q - s * s / n, 0.0) / (n - 1), np.nan)
        return Estimate(mean, sample_variance / n)


def completion_rate(units: ArrayLike, completions: ArrayLike) -> Estimate:
    """Completed / units; the variance uses Agresti–Caffo's p̃ = (c+1)/(n+2), so it is never 0."""
    n, c = _floats(units), _floats(completions)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, c / n, np.nan)
        smoothed = (c + 1) / (n + 2)
        variance = np.where(n > 1, smoothed * (1 - smoothed) / (n + 2), np.nan)
        return Estimate(rate, variance)


def average_order_value(
    units: ArrayLike, completions: ArrayLike, revenue: ArrayLike, revenue_squared: ArrayLike
) -> Estimate:
    """Revenue / completions, a ratio of two means over units; delta-method variance.

    With a = Σy/c, Var(â) ≈ Σ(yᵢ − a·xᵢ)² / (n−1) / (n·p²) = (Σy² − (Σy)²/c) · n / ((n−1)·c²), which
    counts the randomness of how many checkouts completed (nearly equal to Welch on the orders alone).
    """
    n, c, s, q = _floats(units), _floats(completions), _floats(revenue), _floats(revenue_squared)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(c > 0, s / c, np.nan)
        residual = np.maximum(q - s * s / c, 0.0)
        variance = np.where((c > 1) & (n > 1), residual * n / ((n - 1) * c * c), np.nan)
        return Estimate(mean, variance)


def welch_half_width(
    variance_treatment: ArrayLike,
    units_treatment: ArrayLike,
    variance_control: ArrayLike,
    units_control: ArrayLike,
    confidence: float,
) -> Floats:
    """Half-width of Welch's t interval; the variances are of the two estimates (Satterthwaite df)."""
    vt, vc = _floats(variance_treatment), _floats(variance_control)
    nt, nc = _floats(units_treatment), _floats(units_control)
    with np.errstate(divide="ignore", invalid="ignore"):
        total = vt + vc
        dof = total * total / (vt * vt / (nt - 1) + vc * vc / (nc - 1))
        # Both variances 0 (e.g. no revenue anywhere): nothing varies, the interval is a point.
        dof = np.where(total > 0, dof, np.inf)
        quantile = scipy_stats.t.ppf(0.5 + confidence / 2, np.where(np.isnan(dof), 1.0, dof))
        return np.where(np.isnan(dof), np.nan, quantile * np.sqrt(total))


def normal_half_width(variance: ArrayLike, confidence: float) -> Floats:
    """Half-width of the normal interval z·sqrt(variance) (the delta method's)."""
    quantile = float(scipy_stats.norm.ppf(0.5 + confidence / 2))
    return quantile * np.sqrt(_floats(variance))


@lru_cache(maxsize=64)
def mixture_rho_squared(alpha: float, tuning_units: float) -> float:
    """ρ² that makes the normal-mixture confidence sequence narrowest at ``tuning_units`` units."""
    if not 0 < alpha < 1:
        raise ValueError("alpha must be in (0, 1)")
    if tuning_units <= 0:
        raise ValueError("tuning_units must be positive")
    branch = special.lambertw(-(alpha**2) * math.exp(alpha**2 - 1), k=-1).real
    return float((-branch - 1) / tuning_units)


def mixture_margin(units: ArrayLike, alpha: float, tuning_units: float) -> Floats:
    """The normal-mixture boundary for unit variance at ``units`` observations (decreasing in units)."""
    n = _floats(units)
    rho2 = mixture_rho_squared(alpha, tuning_units)
    with np.errstate(divide="ignore", invalid="ignore"):
        grown = n * rho2 + 1
        margin = np.sqrt(2 * grown * np.log(np.sqrt(grown) / alpha) / (n * n * rho2))
        return np.where(n > 0, margin, np.nan)


def sequence_half_width(
    variance_of_difference: ArrayLike, units: ArrayLike, alpha: float, tuning_units: float
) -> Floats:
    """Half-width of the always-valid interval for a difference whose estimate has that variance."""
    v, n = _floats(variance_of_difference), _floats(units)
    return np.sqrt(v * n) * mixture_margin(n, alpha, tuning_units)


def units_for_sequence_half_width(
    unit_variance: float, target_half_width: float, alpha: float, tuning_units: float
) -> int | None:
    """Fewest units at which the always-valid half-width is ≤ target, for this per-unit variance.

    None when it cannot be reached (no variance estimate, or a target of 0). The boundary decreases
    in the number of units, so a doubling search and a bisection find it.
    """
    if not (math.isfinite(unit_variance) and unit_variance >= 0 and target_half_width > 0):
        return None
    if unit_variance == 0:
        return 1

    def wide(n: int) -> bool:
        return math.sqrt(unit_variance) * float(mixture_margin(n, alpha, tuning_units)) > target_half_width

    high = 1
    while wide(high):
        high *= 2
        if high > 10**15:
            return None
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if wide(middle) else (low, middle)
    return high
