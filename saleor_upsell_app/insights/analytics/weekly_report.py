"""The weekly digest: per rule acceptance, revenue and its experiment's verdict (revenue per eligible
checkout and completion against the holdout), with underperforming rules flagged (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ...engine.money import quantize
from ..experiments import VerdictKind
from .aggregates import IsoWeek
from .lift import Experiment
from .offer_counts import OfferTotals
from .summary import AnalyticsSummary


@dataclass(frozen=True, slots=True)
class UnderperformanceRules:
    """A rule underperforms when, over enough shows, few shoppers take it, or when it measurably lowers
    revenue per eligible checkout or completion against the holdout (the always-valid interval is
    below zero)."""

    min_shown: int = 50
    min_acceptance_rate: float = 0.05


@dataclass(frozen=True, slots=True)
class RuleReport:
    rule_id: int
    name: str
    totals: OfferTotals
    experiments: tuple[Experiment, ...]
    problems: tuple[str, ...]

    @property
    def underperforming(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True, slots=True)
class PauseNote:
    """A rule the completion guardrail paused during the week."""

    rule_id: int
    name: str
    channel: str
    reason: str
    paused_at: datetime


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    week: IsoWeek
    summary: AnalyticsSummary
    rules: tuple[RuleReport, ...]
    thresholds: UnderperformanceRules
    pauses: tuple[PauseNote, ...] = ()

    @property
    def underperforming(self) -> tuple[RuleReport, ...]:
        return tuple(r for r in self.rules if r.underperforming)


def parse_iso_week(text: str) -> IsoWeek:
    """ "2026-W47" (or "2026W47") → IsoWeek(2026, 47)."""
    try:
        year, week = text.upper().replace("-", "").split("W")
        monday = datetime.fromisocalendar(int(year), int(week), 1)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not an ISO week like 2026-W47") from exc
    return IsoWeek.of(monday)


def iso_week_range(week: IsoWeek) -> tuple[datetime, datetime]:
    """Monday 00:00 UTC of the week, and of the week after (the end is excluded)."""
    monday = datetime.fromisocalendar(week.year, week.week, 1).replace(tzinfo=UTC)
    return monday, monday + timedelta(days=7)


def last_complete_week(now: datetime) -> IsoWeek:
    return IsoWeek.of(now.astimezone(UTC) - timedelta(days=7))


def format_money(amount: Decimal, currency: str) -> str:
    return f"{currency} {quantize(amount, currency):,}" if currency else f"{amount:,}"


def format_revenue(revenue: Mapping[str, Decimal]) -> str:
    return ", ".join(format_money(a, c) for c, a in sorted(revenue.items())) or "0"


def format_rate(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.1%}"


def rule_problems(
    totals: OfferTotals, experiments: tuple[Experiment, ...], thresholds: UnderperformanceRules
) -> tuple[str, ...]:
    problems = []
    rate = totals.acceptance_rate
    if totals.shown >= thresholds.min_shown and rate is not None and rate < thresholds.min_acceptance_rate:
        problems.append(
            f"acceptance {rate:.1%} is below {thresholds.min_acceptance_rate:.0%} over {totals.shown} shown"
        )
    for measured in experiments:
        found = measured.verdict
        if found is None:
            continue
        if VerdictKind.LOWERS in (found.revenue, found.completion):
            problems.append(f"{measured.key.channel} ({measured.key.currency}): {found.text}")
    return tuple(problems)


def build_weekly_report(
    summary: AnalyticsSummary,
    week: IsoWeek,
    rule_names: Mapping[int, str],
    thresholds: UnderperformanceRules | None = None,
    pauses: tuple[PauseNote, ...] = (),
) -> WeeklyReport:
    chosen = thresholds or UnderperformanceRules()
    rules = tuple(
        RuleReport(
            rule.rule_id,
            rule_names.get(rule.rule_id, f"rule #{rule.rule_id} (deleted)"),
            rule.totals,
            rule.experiments,
            rule_problems(rule.totals, rule.experiments, chosen),
        )
        for rule in summary.by_rule
    )
    return WeeklyReport(week, summary, rules, chosen, pauses)


def describe_experiment(measured: Experiment) -> str:
    """The verdict sentence, then the arms' sizes: "raises revenue per checkout by $0.42 (…); completion
    unchanged — 9,000 checkouts with offers, 1,000 held out"."""
    arms = measured.results.arms
    held = sum(a.units for a in arms if a.arm == "holdout")
    treated = sum(a.units for a in arms if a.arm != "holdout")
    sizes = f"{treated:,} checkouts with offers, {held:,} held out"
    if measured.verdict is None:
        return f"not measured yet — {sizes}"
    return f"{measured.verdict.text} — {sizes}"


def render_text(report: WeeklyReport) -> str:
    summary = report.summary
    since, until = iso_week_range(report.week)
    last_day = until - timedelta(days=1)
    totals = summary.totals
    lines = [
        f"Upsell weekly report, week of {since:%-d %B %Y} ({since:%Y-%m-%d} to {last_day:%Y-%m-%d}, UTC)",
        "",
        f"Offers: {totals.shown} shown, {totals.accepted} accepted ({format_rate(totals.acceptance_rate)}), "
        f"{totals.declined} declined, {totals.removed} removed; revenue {format_revenue(totals.revenue)}",
    ]
    for channel in summary.by_channel:
        values = ", ".join(
            f"{v.orders} orders, average {format_money(v.average, c)}"
            for c, v in sorted(channel.order_value.items())
        )
        lines.append(f"Channel {channel.channel}: {values or 'no orders'}")
        for measured in channel.experiments:
            lines.append(f"  offers vs holdout ({measured.key.currency}): {describe_experiment(measured)}")
        if not channel.experiments:
            lines.append("  offers vs holdout: not measured (no eligible or held-out checkouts)")
    lines += ["", "Per rule:"]
    if not report.rules:
        lines.append("  no offers shown this week")
    for rule in report.rules:
        flag = "!! " if rule.underperforming else "   "
        t = rule.totals
        lines.append(
            f"{flag}#{rule.rule_id} {rule.name}: {t.shown} shown, {t.accepted} accepted "
            f"({format_rate(t.acceptance_rate)}), {t.declined} declined, revenue {format_revenue(t.revenue)}"
        )
        for measured in rule.experiments:
            where = f"{measured.key.channel}, {measured.key.currency}"
            lines.append(f"     vs holdout ({where}): {describe_experiment(measured)}")
        if not rule.experiments:
            lines.append(
                "     vs holdout: not measured per rule (holdout events do not name rules)"
                if not summary.per_rule_lift_measured
                else "     vs holdout: not measured (no eligible or held-out checkouts of this rule)"
            )
        for problem in rule.problems:
            lines.append(f"     underperforming: {problem}")
    lines += ["", f"Paused by the completion guardrail: {len(report.pauses)}"]
    for pause in report.pauses:
        lines.append(
            f"!! #{pause.rule_id} {pause.name} ({pause.channel}, {pause.paused_at:%Y-%m-%d %H:%M} UTC)"
        )
        lines.append(f"     {pause.reason}")
    flagged = report.underperforming
    limits = report.thresholds
    lines += [
        "",
        f"Underperforming rules: {len(flagged)}"
        + (f" ({', '.join(f'#{r.rule_id}' for r in flagged)})" if flagged else "")
        + f". A rule is flagged when its acceptance is below {limits.min_acceptance_rate:.0%} "
        f"with at least {limits.min_shown} shown, or when it lowers revenue per checkout or completion "
        "against the holdout.",
    ]
    return "\n".join(lines) + "\n"
