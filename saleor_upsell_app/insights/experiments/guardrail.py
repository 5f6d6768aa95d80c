"""The completion guardrail: pause a rule whose checkouts complete significantly less often than the holdout.

The test is the always-valid (sequential) interval of the completion-rate difference, rule − holdout, at
level 1 − ``alpha``, over all of the rule's checkouts since its experiment started. The rule is paused when
the whole interval lies below −``harm_margin_points``: "we are 1 − alpha sure completion fell by more than
the margin". Because the interval is valid at every look at once, running this every day (or every hour)
keeps the chance of ever pausing a harmless rule at most ``alpha``: a harmless rule (true difference at
least −margin) is paused only if the interval misses the truth at some look, which has probability ≤ alpha.

With k ≥ 2 variants, each variant alone is tested at ``alpha / (2k)`` and the variants together at
``alpha / 2`` (Bonferroni: the chance of any false pause, rule or variant, stays ≤ alpha). Harmful variants
are paused and the others go on (when all are harmful, the rule is paused); when no single variant is
proven harmful but together they are, the rule is paused. A rule without variants is tested at alpha.
Pass the holdout and the variants still running: a paused variant's checkouts no longer count.

Nothing is decided before both arms have ``min_units_per_arm`` checkouts: below that the variance estimate
behind an asymptotic interval is too unsteady to trust.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import formatting, intervals
from .compare import Comparison, Difference, StatsSettings, arm_metrics, compare
from .units import HOLDOUT, ArmTally, pooled


@dataclass(frozen=True, slots=True)
class GuardrailPolicy:
    """``alpha``: the accepted chance of ever pausing a rule that does no harm (default 5%).
    ``harm_margin_points``: pause only when completion fell by more than this many percentage points
    (default 0: any drop the data prove). ``min_units_per_arm``: checkouts each arm needs first.
    ``tuning_units``: where the interval is narrowest (checkouts of both arms together)."""

    alpha: float = 0.05
    harm_margin_points: Decimal = Decimal(0)
    min_units_per_arm: int = 100
    tuning_units: int = 10_000

    def __post_init__(self) -> None:
        if not 0 < self.alpha <= 0.5:
            raise ValueError("alpha must be in (0, 0.5]")
        if not 0 <= self.harm_margin_points < 100:
            raise ValueError("the harm margin is in points, from 0 to 100")
        if self.min_units_per_arm < 2:
            raise ValueError("min_units_per_arm must be ≥ 2")
        if self.tuning_units < 1:
            raise ValueError("tuning_units must be ≥ 1")

    @property
    def margin(self) -> float:
        """The harm margin as a fraction (1 point = 0.01)."""
        return float(self.harm_margin_points) / 100


class GuardrailAction(StrEnum):
    WAIT = "wait"  # too few checkouts to judge
    KEEP = "keep"  # no proven harm
    PAUSE_RULE = "pause_rule"  # the rule's checkouts complete less often than the holdout's
    PAUSE_VARIANTS = "pause_variants"  # the rule as a whole is not proven harmful, some variants are


@dataclass(frozen=True, slots=True)
class GuardrailDecision:
    action: GuardrailAction
    reason: str  # one plain sentence for the merchant (dashboard, digest, the rule's pause record)
    comparison: Comparison | None  # the rule's variants together vs the holdout; None without a holdout
    harmful_variants: tuple[str, ...]  # variants to pause (all of them with PAUSE_RULE)


def harm_detected(
    treated_units: ArrayLike,
    treated_completions: ArrayLike,
    holdout_units: ArrayLike,
    holdout_completions: ArrayLike,
    *,
    alpha: float,
    margin: float,
    min_units_per_arm: int,
    tuning_units: float,
) -> NDArray[np.bool_]:
    """Element-wise: is the always-valid upper bound of (treated − holdout) completion below −margin?"""
    nt, nh = np.asarray(treated_units), np.asarray(holdout_units)
    treated = intervals.completion_rate(nt, treated_completions)
    held = intervals.completion_rate(nh, holdout_completions)
    half = intervals.sequence_half_width(treated.variance + held.variance, nt + nh, alpha, tuning_units)
    upper = treated.value - held.value + half
    enough = (nt >= min_units_per_arm) & (nh >= min_units_per_arm)
    with np.errstate(invalid="ignore"):
        return np.asarray(enough & (upper < -margin), dtype=np.bool_)


def guardrail_decision(
    tallies: Mapping[str, ArmTally],
    policy: GuardrailPolicy | None = None,
    *,
    holdout: str = HOLDOUT,
    locale: str = formatting.DEFAULT_LOCALE,
) -> GuardrailDecision:
    """What to do with a rule, from the tallies of its holdout and variants since its experiment began."""
    policy = policy or GuardrailPolicy()
    variants = sorted(arm for arm in tallies if arm != holdout)
    control = tallies.get(holdout)
    if control is None or not variants:
        return GuardrailDecision(GuardrailAction.WAIT, "No holdout to compare with yet.", None, ())
    rule = pooled(tallies, variants)
    k = len(variants)
    rule_alpha = policy.alpha if k == 1 else policy.alpha / 2
    variant_alpha = policy.alpha / (2 * k)
    settings = StatsSettings(confidence=1 - rule_alpha, tuning_units=policy.tuning_units)
    comparison = compare(arm_metrics("all", rule), arm_metrics(holdout, control), settings)
    if min(rule.units, control.units) < policy.min_units_per_arm:
        reason = (
            f"Too early to judge completion: {formatting.count(rule.units, locale)} checkouts with the rule "
            f"and {formatting.count(control.units, locale)} held out; each needs "
            f"{formatting.count(policy.min_units_per_arm, locale)}."
        )
        return GuardrailDecision(GuardrailAction.WAIT, reason, comparison, ())
    harmful = tuple(v for v in variants if k > 1 and _harmful(tallies[v], control, policy, variant_alpha))
    if len(harmful) == k or (not harmful and _harmful(rule, control, policy, rule_alpha)):
        return GuardrailDecision(
            GuardrailAction.PAUSE_RULE, _pause_reason("this rule", comparison, policy, locale), comparison,
            tuple(variants),
        )  # fmt: skip
    if harmful:
        per_variant = StatsSettings(confidence=1 - variant_alpha, tuning_units=policy.tuning_units)
        first = compare(
            arm_metrics(harmful[0], tallies[harmful[0]]), arm_metrics(holdout, control), per_variant
        )
        names = ", ".join(harmful)
        subject = f"variant {names}" if len(harmful) == 1 else f"variants {names}"
        reason = _pause_reason(subject, first, policy, locale)
        return GuardrailDecision(GuardrailAction.PAUSE_VARIANTS, reason, comparison, harmful)
    return GuardrailDecision(GuardrailAction.KEEP, _keep_reason(comparison, policy, locale), comparison, ())


def _harmful(treated: ArmTally, control: ArmTally, policy: GuardrailPolicy, alpha: float) -> bool:
    return bool(
        harm_detected(
            treated.units, treated.completions, control.units, control.completions,
            alpha=alpha, margin=policy.margin, min_units_per_arm=policy.min_units_per_arm,
            tuning_units=policy.tuning_units,
        )
    )  # fmt: skip


def _pause_reason(subject: str, comparison: Comparison, policy: GuardrailPolicy, locale: str) -> str:
    rate = comparison.completion_rate
    assert rate.estimate is not None and rate.always_valid is not None  # harm was detected on them
    treated, control = comparison.treatment, comparison.control
    assert treated.completion_rate is not None and control.completion_rate is not None
    margin = (
        f", beyond the {formatting.points(policy.harm_margin_points / 100, locale)}-point margin"
        if policy.harm_margin_points
        else ""
    )
    return (
        f"Paused {subject}: its checkouts completed {formatting.points(-rate.estimate, locale)} points less "
        f"often than held-out ones ({formatting.percent(treated.completion_rate, locale)} vs "
        f"{formatting.percent(control.completion_rate, locale)} over "
        f"{formatting.count(comparison.units, locale)} checkouts; "
        f"{_interval_label(comparison)} {_bounds(rate, locale)}{margin})."
    )


def _keep_reason(comparison: Comparison, policy: GuardrailPolicy, locale: str) -> str:
    rate = comparison.completion_rate
    margin = formatting.points(policy.harm_margin_points / 100, locale)
    what = (
        f"no drop in completion of more than {margin} points"
        if policy.harm_margin_points
        else "no significant drop in completion"
    )
    if rate.estimate is None or rate.always_valid is None:
        return f"Kept: {what}."
    return (
        f"Kept: {what} ({_signed(rate, locale)} points over {formatting.count(comparison.units, locale)} "
        f"checkouts; {_interval_label(comparison)} {_bounds(rate, locale)})."
    )


def _signed(difference: Difference, locale: str) -> str:
    assert difference.estimate is not None
    return formatting.signed_points(difference.estimate, locale)


def _bounds(difference: Difference, locale: str) -> str:
    assert difference.always_valid is not None
    return formatting.points_range(difference.always_valid.low, difference.always_valid.high, locale)


def _interval_label(comparison: Comparison) -> str:
    return f"always-valid {formatting.confidence_label(comparison.settings.confidence)} interval"
