"""The weekly digest as a PNG: offers shown vs accepted per rule, and acceptance rate against the bar."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

# A bare Figure (no pyplot): no display needed, no global figure state kept between reports.
from matplotlib.figure import Figure

from .weekly_report import WeeklyReport, format_revenue

_FLAGGED, _OK, _SHOWN = "#c0392b", "#2e86c1", "#bfc9ca"


def write_weekly_chart(report: WeeklyReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(weekly_chart_png(report))
    return path


def weekly_chart_png(report: WeeklyReport) -> bytes:
    buffer = BytesIO()
    weekly_figure(report).savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def weekly_figure(report: WeeklyReport) -> Figure:
    rules = report.rules
    title = f"Upsell offers, week of {report.week.monday:%-d %B %Y}"
    if not any(r.totals.shown for r in rules):
        # Nothing was shown: a sentence, not empty axes (an x-axis from -0.04 to 0.04 "offers").
        figure = Figure(figsize=(8, 2.5))
        figure.suptitle(title)
        figure.text(
            0.5, 0.45, "No data: no offers were shown this week.", ha="center", va="center", fontsize=14
        )
        return figure
    labels = [f"#{r.rule_id} {r.name[:28]}" for r in rules]
    positions = list(range(len(labels)))
    height = max(3.0, 1.0 + 0.55 * len(labels))
    figure = Figure(figsize=(12, height))
    counts_axis, rate_axis = figure.subplots(1, 2, sharey=True)
    figure.suptitle(f"{title}: revenue {format_revenue(report.summary.totals.revenue)}")
    shown = [r.totals.shown for r in rules]
    accepted = [r.totals.accepted for r in rules]
    counts_axis.barh([p + 0.2 for p in positions], shown, height=0.4, color=_SHOWN, label="shown")
    counts_axis.barh([p - 0.2 for p in positions], accepted, height=0.4, color=_OK, label="accepted")
    counts_axis.set_yticks(positions, labels)
    counts_axis.invert_yaxis()
    counts_axis.set_xlabel("offers")
    counts_axis.legend(loc="lower right")

    rates = [100 * (r.totals.acceptance_rate or 0.0) for r in rules]
    colours = [_FLAGGED if r.underperforming else _OK for r in rules]
    rate_axis.barh(positions, rates, color=colours)
    limit = 100 * report.thresholds.min_acceptance_rate
    rate_axis.axvline(limit, color=_FLAGGED, linestyle="--", linewidth=1, label=f"flag below {limit:.0f}%")
    rate_axis.set_xlabel("acceptance rate (%)  —  red: underperforming")
    rate_axis.set_xlim(0, max(100.0, *rates))
    rate_axis.legend(loc="lower right")
    figure.tight_layout()
    return figure
