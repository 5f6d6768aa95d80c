"""The completion guardrail: pauses proven harm, waits for data, respects the margin, handles variants."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from saleor_upsell_app.insights.experiments import (
    HOLDOUT,
    ArmTally,
    GuardrailAction,
    GuardrailPolicy,
    guardrail_decision,
    harm_detected,
)


def arm(units: int, completions: int, order_value: str = "80") -> ArmTally:
    """A tally whose orders all have the same value (enough for completion; revenue is incidental)."""
    value = Decimal(order_value)
    return ArmTally(units, completions, value * completions, value**2 * completions, value**3 * completions)


def test_a_clear_drop_in_completion_pauses_the_rule_and_says_why() -> None:
    decision = guardrail_decision({HOLDOUT: arm(1_000, 660), "A": arm(9_000, 5_400)})
    assert decision.action is GuardrailAction.PAUSE_RULE
    assert decision.harmful_variants == ("A",)
    assert decision.reason.startswith("Paused this rule: its checkouts completed 6.0 points less often")
    assert "60.0% vs 66.0% over 10,000 checkouts" in decision.reason
    assert "always-valid 95% interval" in decision.reason
    assert decision.comparison is not None
    interval = decision.comparison.completion_rate.always_valid
    assert interval is not None and interval.high < 0


def test_the_same_rates_are_kept() -> None:
    decision = guardrail_decision({HOLDOUT: arm(1_000, 650), "A": arm(9_000, 5_850)})
    assert decision.action is GuardrailAction.KEEP
    assert decision.reason.startswith("Kept: no significant drop in completion (0.0 points over 10,000")


def test_a_rule_that_raises_completion_is_never_paused() -> None:
    decision = guardrail_decision({HOLDOUT: arm(1_000, 500), "A": arm(9_000, 6_300)})
    assert decision.action is GuardrailAction.KEEP


def test_an_observed_drop_the_data_cannot_prove_yet_is_not_paused() -> None:
    # 6 points lower, but on 4,000 checkouts the always-valid interval still reaches above 0.
    small = guardrail_decision({HOLDOUT: arm(400, 264), "A": arm(3_600, 2_160)})
    assert small.action is GuardrailAction.KEEP
    # The fixed-horizon interval alone would have called it, which is why it is not what decides.
    assert small.comparison is not None
    fixed = small.comparison.completion_rate.fixed_horizon
    assert fixed is not None and fixed.high < 0


def test_nothing_is_decided_before_each_arm_has_its_minimum() -> None:
    decision = guardrail_decision({HOLDOUT: arm(99, 99), "A": arm(5_000, 0)})
    assert decision.action is GuardrailAction.WAIT
    assert decision.reason == (
        "Too early to judge completion: 5,000 checkouts with the rule and 99 held out; each needs 100."
    )
    assert guardrail_decision({"A": arm(5_000, 10)}).action is GuardrailAction.WAIT
    assert guardrail_decision({HOLDOUT: arm(5_000, 10)}).action is GuardrailAction.WAIT


def test_the_harm_margin_spares_drops_smaller_than_it() -> None:
    tallies = {HOLDOUT: arm(5_000, 3_300), "A": arm(45_000, 28_350)}  # 66% → 63%: 3 points
    assert guardrail_decision(tallies).action is GuardrailAction.PAUSE_RULE
    lenient = guardrail_decision(tallies, GuardrailPolicy(harm_margin_points=Decimal(3)))
    assert lenient.action is GuardrailAction.KEEP
    assert lenient.reason.startswith("Kept: no drop in completion of more than 3.0 points")
    middle = guardrail_decision(tallies, GuardrailPolicy(harm_margin_points=Decimal("0.5")))
    assert middle.action is GuardrailAction.PAUSE_RULE
    assert "beyond the 0.5-point margin" in middle.reason


def test_a_stricter_alpha_needs_more_evidence() -> None:
    tallies = {HOLDOUT: arm(700, 462), "A": arm(6_300, 3_780)}  # 66% → 60%
    assert guardrail_decision(tallies).action is GuardrailAction.PAUSE_RULE
    assert guardrail_decision(tallies, GuardrailPolicy(alpha=0.001)).action is GuardrailAction.KEEP


def test_one_harmful_variant_is_paused_and_the_others_go_on() -> None:
    tallies = {HOLDOUT: arm(2_000, 1_320), "A": arm(9_000, 5_940), "B": arm(9_000, 4_950)}  # B: 55%
    decision = guardrail_decision(tallies)
    assert decision.action is GuardrailAction.PAUSE_VARIANTS
    assert decision.harmful_variants == ("B",)
    assert decision.reason.startswith("Paused variant B: its checkouts completed 11.0 points less often")
    assert "always-valid 98.75% interval -15.1 to -6.9 points" in decision.reason  # alpha / (2 k) each


def test_every_variant_harmful_pauses_the_rule() -> None:
    tallies = {HOLDOUT: arm(2_000, 1_320), "A": arm(9_000, 4_950), "B": arm(9_000, 4_950)}
    decision = guardrail_decision(tallies)
    assert decision.action is GuardrailAction.PAUSE_RULE
    assert decision.harmful_variants == ("A", "B")


def test_harm_spread_over_variants_pauses_the_rule_when_no_single_one_is_proven() -> None:
    # Each variant 3 points lower: alone (α/4) not proven, together (α/2, twice the data) proven.
    tallies = {HOLDOUT: arm(4_000, 2_640), "A": arm(5_000, 3_150), "B": arm(5_000, 3_150)}
    assert not harm_detected(5_000, 3_150, 4_000, 2_640, alpha=0.0125, margin=0.0, min_units_per_arm=100,
                             tuning_units=10_000)  # fmt: skip
    decision = guardrail_decision(tallies)
    assert decision.action is GuardrailAction.PAUSE_RULE
    assert decision.harmful_variants == ("A", "B")


def test_the_reason_is_written_in_the_merchants_locale() -> None:
    decision = guardrail_decision({HOLDOUT: arm(1_000, 660), "A": arm(9_000, 5_400)}, locale="de_DE")
    assert "6,0 points" in decision.reason and "10.000 checkouts" in decision.reason


def test_the_vectorised_test_is_the_scalar_decision() -> None:
    rng = np.random.default_rng(5)
    holdout_units = rng.integers(50, 3_000, size=300)
    treated_units = holdout_units * 9
    holdout_done = rng.binomial(holdout_units, 0.65)
    treated_done = rng.binomial(treated_units, rng.uniform(0.55, 0.7, size=300))
    flags = harm_detected(treated_units, treated_done, holdout_units, holdout_done, alpha=0.05, margin=0.0,
                          min_units_per_arm=100, tuning_units=10_000)  # fmt: skip
    decisions = [
        guardrail_decision({HOLDOUT: arm(int(nh), int(ch)), "A": arm(int(nt), int(ct))}).action
        for nh, ch, nt, ct in zip(holdout_units, holdout_done, treated_units, treated_done, strict=True)
    ]
    assert 20 < flags.sum() < 280  # both outcomes occur
    assert [d is GuardrailAction.PAUSE_RULE for d in decisions] == flags.tolist()


def test_policy_refuses_nonsense() -> None:
    for bad in (
        {"alpha": 0.0},
        {"alpha": 0.6},
        {"harm_margin_points": Decimal(-1)},
        {"min_units_per_arm": 1},
    ):
        with pytest.raises(ValueError):
            GuardrailPolicy(**bad)  # type: ignore[arg-type]
