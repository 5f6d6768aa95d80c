"""Simulation bench for the experiment statistics (saleor_upsell_app/insights/experiments).

    .venv/bin/python bench/experiments_sim.py --experiments 500

Synthetic checkouts with a known true effect (testing/experiment_simulator.py: baseline completion 65%,
lognormal order values with mean $80 and σ 0.7) go through the package's own functions, with a look at
the end of every simulated day. Per setting, over ``--experiments`` experiments:
- coverage: how often the 95% fixed-horizon interval covers the true difference at the planned end, and
  how often the always-valid interval covers it at every daily look at once (the guarantee it makes);
- the guardrail (always-valid interval, α = 5%) against the broken method (the fixed-horizon interval
  checked every day): how often each pauses a rule that does no harm;
- how many checkouts the guardrail needs to pause a rule that costs 5 points of completion;
- how many checkouts the verdict needs to say "raises revenue per checkout" for a +10% lift;
- a cross-check: experiments streamed one unit at a time through ``tally`` / ``guardrail_decision`` /
  ``experiment_results`` decide exactly what the vectorised path decides.
Prints markdown for bench/RESULTS.md; exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from saleor_upsell_app.insights.experiments import (  # noqa: E402
    HOLDOUT,
    ArmTally,
    GuardrailAction,
    GuardrailPolicy,
    Metric,
    StatsSettings,
    experiment_results,
    guardrail_decision,
    tally,
)
from testing.experiment_simulator import (  # noqa: E402
    ArmModel,
    Scenario,
    Tallies,
    difference_intervals,
    first_look,
    guardrail_pauses,
    naive_pauses,
    percentile_checkouts,
    rule_scenario,
    simulate_tallies,
    simulate_units,
    with_variants,
)

POLICY = GuardrailPolicy()
COVERAGE_TARGET = 0.94
failures: list[str] = []


def check(ok: bool, what: str) -> str:
    if not ok:
        failures.append(what)
    return "yes" if ok else "**NO**"


def guard(t: Tallies, policy: GuardrailPolicy = POLICY) -> NDArray[np.bool_]:
    return guardrail_pauses(t, policy)


def describe(s: Scenario) -> str:
    holdout = s.arms[0].share
    return f"{holdout:.0%} holdout, {s.checkouts_per_day:,}/day × {s.days} days ({s.horizon:,} checkouts)"


def coverage_rows(name: str, s: Scenario, t: Tallies, treatment: str, control: str = HOLDOUT) -> list[str]:
    rows = []
    for metric in Metric:
        truth = s.true_difference(metric, treatment, control)
        d = difference_intervals(t, metric, s.index(treatment), s.index(control))
        fixed_end = float(d.fixed_covers(truth)[:, -1].mean())
        fixed_all = float(d.fixed_covers(truth).all(axis=1).mean())
        if metric is Metric.AVERAGE_ORDER_VALUE:
            seq = "—"
            ok = check(fixed_end >= COVERAGE_TARGET, f"{name} {metric} fixed coverage {fixed_end:.3f}")
        else:
            seq_all = float(d.sequence_covers(truth).all(axis=1).mean())
            seq = f"{seq_all:.1%}"
            ok = check(
                fixed_end >= COVERAGE_TARGET and seq_all >= COVERAGE_TARGET,
                f"{name} {metric} coverage fixed {fixed_end:.3f} / sequential {seq_all:.3f}",
            )
        rows.append(
            f"| {name} | {treatment} − {control} | {metric.value} | {truth:+.3f} | {fixed_end:.1%} | "
            f"{seq} | {fixed_all:.1%} | {ok} |"
        )
    return rows


def section_coverage(n: int, seed: int) -> list[str]:
    out = [
        f"### Interval coverage (target ≥ 94%; {n:,} experiments per setting, standard error ≈ "
        f"{100 * (0.95 * 0.05 / n) ** 0.5:.1f} points)",
        "",
        "Fixed = Welch, widened on its skewed side (delta method for AOV), at the planned end (the last "
        "day); always-valid = the "
        "confidence sequence covering at *every* daily look at once; the last column is the fixed-horizon "
        "interval asked for the same every-look guarantee (what peeking at it daily would need).",
        "",
        "| setting | difference | metric | true | fixed, at end | always-valid, every look | "
        "fixed, every look | ≥ 94% |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    null = rule_scenario()
    out += coverage_rows(f"no effect, {describe(null)}", null, simulate_tallies(null, n, seed), "A")
    lift = rule_scenario(order_value_effect=0.10, completion_effect=-0.02)
    out += coverage_rows(
        f"AOV +10%, completion −2 pts, {describe(lift)}", lift, simulate_tallies(lift, n, seed + 1), "A"
    )
    small = rule_scenario(holdout_share=0.05, checkouts_per_day=100, days=60, order_value_effect=0.05)
    out += coverage_rows(f"AOV +5%, {describe(small)}", small, simulate_tallies(small, n, seed + 2), "A")
    ab = ab_scenario()
    t = simulate_tallies(ab, n, seed + 3)
    out += coverage_rows(f"A/B, {describe(ab)}", ab, t, "B")
    out += coverage_rows(f"A/B, {describe(ab)}", ab, t, "B", "A")
    return out


def ab_scenario() -> Scenario:
    base = rule_scenario()
    return with_variants(
        base,
        [ArmModel("A", 0.45, 0.65, 80.0), ArmModel("B", 0.45, 0.63, 88.0)],  # B: AOV +10%, −2 points
    )


def section_false_pauses(n: int, seed: int) -> list[str]:
    out = [
        "### Guardrail false pauses: rules that do no harm, looked at every day (target < α = 5%)",
        "",
        "| setting | guardrail (always-valid) | broken: fixed-horizon interval every day | < 5% |",
        "|---|---:|---:|---|",
    ]
    settings = [
        rule_scenario(),
        rule_scenario(days=180),
        rule_scenario(holdout_share=0.05),
        rule_scenario(checkouts_per_day=30, days=180),
        rule_scenario(order_value_effect=0.10),
    ]
    names = ["", "", "", " (low traffic)", " (AOV +10%, completion unchanged)"]
    for i, (s, label) in enumerate(zip(settings, names, strict=True)):
        t = simulate_tallies(s, n, seed + 10 + i)
        ours = float(guard(t).any(axis=1).mean())
        naive = float(naive_pauses(t, 1, 0).any(axis=1).mean())
        ok = check(ours < POLICY.alpha, f"false pause {ours:.3f} in {describe(s)}")
        out.append(f"| {describe(s)}{label} | {ours:.1%} | {naive:.1%} | {ok} |")
    check(naive > POLICY.alpha, "the broken method should visibly exceed α in the last setting")
    return out


def section_ab_guardrail(n: int, seed: int) -> list[str]:
    """The scalar decision on A/B tallies at every look (variants tested at α/2k, the rule at α/2)."""
    s = with_variants(rule_scenario(), [ArmModel("A", 0.45, 0.65, 80.0), ArmModel("B", 0.45, 0.65, 88.0)])
    harmful = with_variants(
        rule_scenario(), [ArmModel("A", 0.45, 0.65, 80.0), ArmModel("B", 0.45, 0.55, 80.0)]
    )
    out = [
        "### Guardrail with two variants (scalar `guardrail_decision` at every daily look)",
        "",
        "| setting | any false pause | B paused | A paused | B paused after (median / p90 checkouts) |",
        "|---|---:|---:|---:|---|",
    ]
    for label, scenario, offset in (("no harm (B: AOV +10%)", s, 20), ("B: −10 pts completion", harmful, 21)):
        t = simulate_tallies(scenario, n, seed + offset)
        rule_paused = np.zeros((n, scenario.days), dtype=bool)
        a_paused = np.zeros_like(rule_paused)
        b_paused = np.zeros_like(rule_paused)
        for e in range(n):
            for d in range(scenario.days):
                decision = guardrail_decision(tallies_at(t, scenario, e, d))
                rule_paused[e, d] = decision.action is GuardrailAction.PAUSE_RULE
                a_paused[e, d] = "A" in decision.harmful_variants
                b_paused[e, d] = "B" in decision.harmful_variants
        any_pause = float((rule_paused | a_paused | b_paused).any(axis=1).mean())
        first_b = first_look(b_paused)
        timing = (
            f"{fmt(percentile_checkouts(first_b, scenario.checkouts_per_day, 50))} / "
            f"{fmt(percentile_checkouts(first_b, scenario.checkouts_per_day, 90))}"
        )
        if offset == 20:
            verdict_cell = f"{any_pause:.1%} ({check(any_pause < POLICY.alpha, 'A/B false pause')} < 5%)"
        else:
            check(float(a_paused.any(axis=1).mean()) < POLICY.alpha, "A/B: the harmless variant A paused")
            verdict_cell = "—"
        out.append(
            f"| {label}, {describe(scenario)} | {verdict_cell} | {b_paused.any(axis=1).mean():.1%} | "
            f"{a_paused.any(axis=1).mean():.1%} | {timing} |"
        )
    return out


def tallies_at(t: Tallies, s: Scenario, e: int, d: int) -> dict[str, ArmTally]:
    """The scalar tallies of one experiment at one look (sums rounded back to cents)."""
    result = {}
    for a, arm in enumerate(s.arms):
        result[arm.name] = ArmTally(
            int(t.units[e, d, a]),
            int(t.completions[e, d, a]),
            Decimal(f"{t.revenue[e, d, a]:.2f}"),
            Decimal(f"{t.revenue_squared[e, d, a]:.4f}"),
            Decimal(f"{t.revenue_cubed[e, d, a]:.6f}"),
        )
    return result


def fmt(value: float | None) -> str:
    return "beyond the horizon" if value is None else f"{value:,.0f}"


def section_detection(n: int, seed: int) -> list[str]:
    out = [
        "### Checkouts until the guardrail pauses a rule that costs 5 points of completion (65% → 60%)",
        "",
        "Checkouts counted over both arms (every eligible checkout of the rule), looks every 100 checkouts.",
        "",
        "| holdout | paused within horizon | median | 90th percentile | horizon |",
        "|---:|---:|---:|---:|---:|",
    ]
    for i, share in enumerate((0.05, 0.10, 0.20)):
        s = rule_scenario(holdout_share=share, checkouts_per_day=100, days=600, completion_effect=-0.05)
        t = simulate_tallies(s, n, seed + 30 + i)
        first = first_look(guard(t))
        paused = float((first >= 0).mean())
        med = percentile_checkouts(first, s.checkouts_per_day, 50)
        p90 = percentile_checkouts(first, s.checkouts_per_day, 90)
        out.append(f"| {share:.0%} | {paused:.1%} | {fmt(med)} | {fmt(p90)} | {s.horizon:,} |")
        if share == 0.10:
            check(med is not None and p90 is not None, "10% holdout: 5-point drop not paused by p90")
    return out


def section_lift(n: int, seed: int) -> list[str]:
    out = [
        '### Checkouts until the verdict says "raises revenue per checkout" (true lift +10%: AOV +10%)',
        "",
        "The always-valid interval's lower bound above 0, each arm ≥ 100 checkouts; looks every 500.",
        "",
        '| holdout | said within horizon | median | 90th percentile | horizon | ever said "lowers" |',
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for i, share in enumerate((0.05, 0.10, 0.20)):
        s = rule_scenario(holdout_share=share, checkouts_per_day=500, days=300, order_value_effect=0.10)
        t = simulate_tallies(s, n, seed + 40 + i)
        d = difference_intervals(t, Metric.REVENUE_PER_CHECKOUT, 1, 0)
        enough = (t.units[..., 1] >= 100) & (t.units[..., 0] >= 100)
        with np.errstate(invalid="ignore"):
            raises = enough & (d.estimate - d.sequential_half > 0)
            lowers = enough & (d.estimate + d.sequential_half < 0)
        first = first_look(raises)
        out.append(
            f"| {share:.0%} | {(first >= 0).mean():.1%} | {fmt(percentile_checkouts(first, 500, 50))} | "
            f"{fmt(percentile_checkouts(first, 500, 90))} | {s.horizon:,} | {lowers.any(axis=1).mean():.1%} |"
        )
    return out


def section_tuning(n: int, seed: int) -> list[str]:
    out = [
        "### The tuning parameter (checkouts at which the always-valid interval is narrowest)",
        "",
        "10% holdout. False pauses: no effect, 300/day × 180 days; detection: 5-point drop, looks every 100.",
        "",
        "| tuning_units | false pauses | median to pause | 90th percentile |",
        "|---:|---:|---:|---:|",
    ]
    null = simulate_tallies(rule_scenario(days=180), n, seed + 50)
    drop_s = rule_scenario(checkouts_per_day=100, days=400, completion_effect=-0.05)
    drop = simulate_tallies(drop_s, n, seed + 51)
    for tuning in (2_500, 10_000, 40_000):
        tuned = replace(POLICY, tuning_units=tuning)
        false = float(guard(null, tuned).any(axis=1).mean())
        first = first_look(guard(drop, tuned))
        out.append(
            f"| {tuning:,} | {false:.1%} | {fmt(percentile_checkouts(first, 100, 50))} | "
            f"{fmt(percentile_checkouts(first, 100, 90))} |"
        )
    return out


def section_cross_check(experiments: int, seed: int) -> list[str]:
    """Units streamed one at a time through the scalar API vs the vectorised functions on the same units."""
    s = rule_scenario(checkouts_per_day=300, days=40, completion_effect=-0.06)
    looks = mismatched = 0
    widest_gap = 0.0
    for e in range(experiments):
        running: dict[str, ArmTally] = {}
        days: list[dict[str, ArmTally]] = []
        for day in simulate_units(s, seed + 1000 + e):
            for unit in day:
                running = tally([unit], running)
            days.append(running)
        arrays = Tallies(
            *(
                np.array([[[float(getattr(d.get(arm.name, ArmTally()), f)) for arm in s.arms] for d in days]])
                for f in ("units", "completions", "revenue", "revenue_squared", "revenue_cubed")
            )
        )
        vector_pause = guard(arrays)[0]
        vector_rpc = difference_intervals(arrays, Metric.REVENUE_PER_CHECKOUT, 1, 0)
        for d, tallies in enumerate(days):
            looks += 1
            scalar = guardrail_decision(tallies)
            mismatched += (scalar.action is GuardrailAction.PAUSE_RULE) != bool(vector_pause[d])
            rpc = experiment_results(tallies, StatsSettings()).overall
            assert rpc is not None
            interval = rpc.revenue_per_checkout.always_valid
            if interval is not None:
                gap = abs(float(interval.half_width) - float(vector_rpc.sequential_half[0, d]))
                widest_gap = max(widest_gap, gap)
    ok = check(mismatched == 0 and widest_gap < 1e-6, "scalar and vectorised paths disagree")
    return [
        "### Cross-check: one unit at a time through the scalar API vs the vectorised path",
        "",
        f"{experiments} experiments × {s.days} daily looks ({describe(s)}, completion −6 points), every "
        f"unit fed through `tally`, then `guardrail_decision` and `experiment_results` at each look: "
        f"{looks:,} looks, {mismatched} pause decisions differing from `harm_detected` on the same sums, "
        f"largest difference in the revenue-per-checkout interval half-width {widest_gap:.1e}: {ok}.",
    ]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        cpu = next(
            line.split(":", 1)[1].strip() for line in lscpu.splitlines() if line.startswith("Model name")
        )
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiments", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument(
        "--coverage-experiments", type=int, default=5000, help="per coverage setting (cheap; more = precise)"
    )
    parser.add_argument("--cross-check", type=int, default=10, help="experiments streamed unit by unit")
    args = parser.parse_args()
    started = time.perf_counter()
    cpu_started = time.process_time()
    load_start = os.getloadavg()
    lines = [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}; load average at start "
        f"{load_start[0]:.2f} / {load_start[1]:.2f} / {load_start[2]:.2f}; "
        f"{args.experiments} experiments per setting ({max(args.coverage_experiments, args.experiments)} "
        f"for coverage), seed {args.seed}.",
        "",
    ]
    sections: list[Callable[[], list[str]]] = [
        lambda: section_coverage(max(args.coverage_experiments, args.experiments), args.seed),
        lambda: section_false_pauses(args.experiments, args.seed),
        lambda: section_detection(args.experiments, args.seed),
        lambda: section_lift(args.experiments, args.seed),
        lambda: section_tuning(args.experiments, args.seed),
        lambda: section_ab_guardrail(args.experiments, args.seed),
        lambda: section_cross_check(args.cross_check, args.seed),
    ]
    for section in sections:
        t0 = time.perf_counter()
        lines += section()
        lines += ["", f"<sub>{time.perf_counter() - t0:.1f} s</sub>", ""]
        print("\n".join(lines), flush=True)
        lines = []
    load_end = os.getloadavg()
    print(
        f"Total {time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu_started:.0f} s CPU; "
        f"load average at end {load_end[0]:.2f} / {load_end[1]:.2f} / {load_end[2]:.2f}."
    )
    if failures:
        print("\nTargets missed:\n- " + "\n- ".join(failures))
        return 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
