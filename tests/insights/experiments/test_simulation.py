"""The shopper simulation, small: 200 experiments per setting with a fixed seed (the bench runs ≥ 500).

Tolerances leave room for the noise of 200 experiments (a standard error of about 1.5 points on a 95%
coverage) and still fail a wrong method: the fixed-horizon interval peeked at daily covers ~67% of the
time and "pauses" ~20% of harmless rules, far outside them.
"""

from __future__ import annotations

import numpy as np

from saleor_upsell_app.insights.experiments import (
    GuardrailAction,
    GuardrailPolicy,
    Metric,
    guardrail_decision,
    tally,
)
from testing.experiment_simulator import (
    Tallies,
    difference_intervals,
    first_look,
    guardrail_pauses,
    naive_pauses,
    percentile_checkouts,
    rule_scenario,
    simulate_tallies,
    simulate_units,
)

EXPERIMENTS = 200
POLICY = GuardrailPolicy()


def guard(t: Tallies) -> np.ndarray:
    return guardrail_pauses(t, POLICY)


def test_both_intervals_cover_the_true_difference_and_daily_peeking_at_the_fixed_one_does_not() -> None:
    scenario = rule_scenario(order_value_effect=0.10, completion_effect=-0.02)  # 10% holdout, 60 days
    t = simulate_tallies(scenario, EXPERIMENTS, seed=1)
    for metric in Metric:
        truth = scenario.true_difference(metric, "A")
        d = difference_intervals(t, metric, 1, 0)
        assert d.fixed_covers(truth)[:, -1].mean() >= 0.91, metric
        assert d.fixed_covers(truth).all(axis=1).mean() <= 0.85, metric  # peeking breaks it
        if metric is not Metric.AVERAGE_ORDER_VALUE:
            assert d.sequence_covers(truth).all(axis=1).mean() >= 0.93, metric


def test_the_guardrail_rarely_pauses_a_harmless_rule_and_the_peeking_method_often_does() -> None:
    t = simulate_tallies(rule_scenario(days=90), EXPERIMENTS, seed=2)
    ours = guard(t).any(axis=1).mean()
    peeking = naive_pauses(t, 1, 0).any(axis=1).mean()
    assert ours < POLICY.alpha
    assert peeking > 2 * POLICY.alpha


def test_a_five_point_drop_in_completion_is_paused_within_the_stated_checkouts() -> None:
    # docs/experiments.md: with the default 10% holdout, median ≈ 7,500 and 90% within ≈ 17,000 checkouts.
    scenario = rule_scenario(checkouts_per_day=100, days=300, completion_effect=-0.05)
    first = first_look(guard(simulate_tallies(scenario, EXPERIMENTS, seed=3)))
    median = percentile_checkouts(first, scenario.checkouts_per_day, 50)
    p90 = percentile_checkouts(first, scenario.checkouts_per_day, 90)
    assert median is not None and 5_000 <= median <= 11_000
    assert p90 is not None and p90 <= 24_000


def test_units_fed_one_at_a_time_decide_what_the_vectorised_path_decides() -> None:
    scenario = rule_scenario(checkouts_per_day=300, days=30, completion_effect=-0.08)
    actions = []
    for seed in (4, 5):
        running: dict = {}
        for day in simulate_units(scenario, seed):
            for unit in day:
                running = tally([unit], running)
            decision = guardrail_decision(running)
            arrays = Tallies(*(
                np.array([[[float(getattr(running[arm.name], f)) for arm in scenario.arms]]])
                for f in ("units", "completions", "revenue", "revenue_squared", "revenue_cubed")
            ))  # fmt: skip
            assert (decision.action is GuardrailAction.PAUSE_RULE) == bool(guard(arrays)[0, 0])
            actions.append(decision.action)
    assert GuardrailAction.PAUSE_RULE in actions and GuardrailAction.KEEP in actions
