"""Plain-language verdicts on a comparison, from its always-valid intervals (the dashboard is looked at
every day, so only an interval that stays valid under repeated looks may say "raises" or "lowers").

Revenue per checkout decides the headline:
- the interval excludes 0: "raises (lowers) revenue per checkout by $0.42 (95% interval $0.10–$0.74)";
- it contains 0 and is narrower than ± ``revenue_precision`` of the control's revenue per checkout: "no
  detectable change in revenue per checkout (95% interval −$0.31 to $0.40)" — any effect is that small;
- otherwise (or before ``min_units_per_arm`` in each arm): "not enough data yet (n checkouts; about m
  more needed)", m being the projected checkouts, at the current split and spread, for the interval to
  shrink to that precision.
Completion follows: "completion down 3.1 points (95% interval −5.0 to −1.2 points)", "completion
unchanged" (interval within ± ``completion_precision_points``), or "effect on completion not yet known".
The text starts in lower case so the caller can put the rule or variant name in front.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ...engine.money import format_money
from . import formatting, intervals
from .compare import Comparison, Difference


class VerdictKind(StrEnum):
    RAISES = "raises"
    LOWERS = "lowers"
    NO_DETECTABLE_EFFECT = "no_detectable_effect"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True, slots=True)
class VerdictSettings:
    revenue_precision: Decimal = Decimal("0.10")  # of the control's revenue per checkout
    completion_precision_points: Decimal = Decimal(2)
    min_units_per_arm: int = 100

    def __post_init__(self) -> None:
        if not 0 < self.revenue_precision < 10:
            raise ValueError("revenue_precision is a fraction of revenue per checkout, e.g. 0.10")
        if not 0 < self.completion_precision_points < 100:
            raise ValueError("completion_precision_points must be between 0 and 100")
        if self.min_units_per_arm < 2:
            raise ValueError("min_units_per_arm must be ≥ 2")


@dataclass(frozen=True, slots=True)
class Verdict:
    revenue: VerdictKind  # on revenue per checkout
    completion: VerdictKind
    text: str
    checkouts: int  # both arms
    more_checkouts_needed: int | None  # with NOT_ENOUGH_DATA, when it can be projected


def verdict(
    comparison: Comparison,
    currency: str,
    *,
    locale: str = formatting.DEFAULT_LOCALE,
    settings: VerdictSettings | None = None,
) -> Verdict:
    settings = settings or VerdictSettings()
    n = comparison.units
    rpc = comparison.revenue_per_checkout
    target = _revenue_target(comparison, settings)
    if min(comparison.treatment.units, comparison.control.units) < settings.min_units_per_arm:
        return _not_enough(comparison, target, settings, locale)
    interval = rpc.always_valid
    if rpc.estimate is None or interval is None:
        return _not_enough(comparison, target, settings, locale)
    label = _label(comparison)
    if interval.excludes_zero():
        kind = VerdictKind.RAISES if rpc.estimate > 0 else VerdictKind.LOWERS
        verb = "raises" if kind is VerdictKind.RAISES else "lowers"
        headline = (
            f"{verb} revenue per checkout by {format_money(abs(rpc.estimate), currency, locale)} "
            f"({label} {formatting.money_range(interval.low, interval.high, currency, locale)})"
        )
    elif target is not None and interval.half_width <= target:
        kind = VerdictKind.NO_DETECTABLE_EFFECT
        headline = (
            f"no detectable change in revenue per checkout "
            f"({label} {formatting.money_range(interval.low, interval.high, currency, locale)})"
        )
    else:
        return _not_enough(comparison, target, settings, locale)
    completion, completion_text = _completion(comparison.completion_rate, label, settings, locale)
    return Verdict(kind, completion, f"{headline}; {completion_text}", n, None)


def _label(comparison: Comparison) -> str:
    return f"{formatting.confidence_label(comparison.settings.confidence)} interval"


def _revenue_target(comparison: Comparison, settings: VerdictSettings) -> Decimal | None:
    base = comparison.control.revenue_per_checkout or comparison.treatment.revenue_per_checkout
    return abs(base) * settings.revenue_precision if base else None


def _not_enough(
    comparison: Comparison, target: Decimal | None, settings: VerdictSettings, locale: str
) -> Verdict:
    n = comparison.units
    more = _more_needed(comparison, target, settings)
    checkouts = f"{formatting.count(n, locale)} checkout{'' if n == 1 else 's'}"
    tail = f"; about {formatting.count(_about(more), locale)} more needed" if more else ""
    return Verdict(
        VerdictKind.NOT_ENOUGH_DATA,
        VerdictKind.NOT_ENOUGH_DATA,
        f"not enough data yet ({checkouts}{tail})",
        n,
        more,
    )


def _more_needed(comparison: Comparison, target: Decimal | None, settings: VerdictSettings) -> int | None:
    """Checkouts still needed, at the current split and spread, for the interval to reach the target and
    for the smaller arm to reach ``min_units_per_arm``. Needs a spread to project from (≥ 2 per arm)."""
    unit_variance = comparison.revenue_per_checkout.unit_variance
    if target is None or unit_variance is None or not math.isfinite(unit_variance):
        return None
    stats = comparison.settings
    needed = intervals.units_for_sequence_half_width(
        unit_variance, float(target), stats.alpha, stats.tuning_units
    )
    if needed is None:
        return None
    n = comparison.units
    smaller_share = min(comparison.treatment.units, comparison.control.units) / n
    needed = max(needed, math.ceil(settings.min_units_per_arm / smaller_share))
    return max(needed - n, 1)


def _about(n: int) -> int:
    """Two significant figures: 5,634 → 5,600; 87 → 87."""
    if n < 100:
        return n
    scale = int(10 ** (len(str(n)) - 2))
    return (n + scale // 2) // scale * scale


def _completion(
    rate: Difference, label: str, settings: VerdictSettings, locale: str
) -> tuple[VerdictKind, str]:
    interval = rate.always_valid
    if rate.estimate is None or interval is None:
        return VerdictKind.NOT_ENOUGH_DATA, "effect on completion not yet known"
    bounds = formatting.points_range(interval.low, interval.high, locale)
    if interval.excludes_zero():
        up = rate.estimate > 0
        size = formatting.points(abs(rate.estimate), locale)
        return (
            VerdictKind.RAISES if up else VerdictKind.LOWERS,
            f"completion {'up' if up else 'down'} {size} points ({label} {bounds})",
        )
    if interval.half_width * 100 <= settings.completion_precision_points:
        return VerdictKind.NO_DETECTABLE_EFFECT, "completion unchanged"
    return VerdictKind.NOT_ENOUGH_DATA, f"effect on completion not yet known ({label} {bounds})"
