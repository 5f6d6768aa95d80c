"""Experiment statistics (pure: no I/O, no database, no clock; numbers in, figures and sentences out).

A rule's experiment is its eligible checkouts, each assigned to the holdout or to one of the rule's
variants. From per-arm tallies (units, completions, Σ revenue, Σ revenue², Σ revenue³; one currency):
- ``experiment_results``: per-arm metrics and treatment − control differences with a fixed-horizon and an
  always-valid 95% interval (each variant vs the holdout, all variants vs the holdout, variant vs variant);
- ``guardrail_decision``: pause a rule (or a variant) whose checkouts complete significantly less often
  than the holdout's, under the sequential test, with the reason in plain words;
- ``verdict``: "raises revenue per checkout by $0.42 (95% interval $0.10–$0.74); completion unchanged";
- ``assign_variant`` / ``assign_arm``: stable, uniform variant assignment per rule.
The method, its tuning and what the simulation measured: docs/experiments.md.
"""

from .assignment import VariantWeight, assign_arm, assign_variant
from .compare import (
    ArmMetrics,
    Comparison,
    Difference,
    ExperimentResults,
    Interval,
    Metric,
    StatsSettings,
    arm_metrics,
    compare,
    experiment_results,
)
from .guardrail import GuardrailAction, GuardrailDecision, GuardrailPolicy, guardrail_decision, harm_detected
from .units import HOLDOUT, ArmTally, Unit, pooled, tally
from .verdicts import Verdict, VerdictKind, VerdictSettings, verdict

__all__ = [
    "HOLDOUT",
    "ArmMetrics",
    "ArmTally",
    "Comparison",
    "Difference",
    "ExperimentResults",
    "GuardrailAction",
    "GuardrailDecision",
    "GuardrailPolicy",
    "Interval",
    "Metric",
    "StatsSettings",
    "Unit",
    "VariantWeight",
    "Verdict",
    "VerdictKind",
    "VerdictSettings",
    "arm_metrics",
    "assign_arm",
    "assign_variant",
    "compare",
    "experiment_results",
    "guardrail_decision",
    "harm_detected",
    "pooled",
    "tally",
    "verdict",
]
