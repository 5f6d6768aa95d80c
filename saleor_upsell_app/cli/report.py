"""`saleor-upsell report`: the weekly digest of offers — acceptance, revenue, lift, rules to look at."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .common import ApiUrlOption, cli_parts, pick_installation, run

if TYPE_CHECKING:
    from ..insights.analytics.weekly_report import WeeklyReport


def report(
    week: str | None = typer.Option(None, help="ISO week, e.g. 2026-W47; default: last complete week (UTC)."),
    png: Path | None = typer.Option(
        None, "--png", dir_okay=False, help="Also draw the report as a PNG chart."
    ),
    min_shown: int = typer.Option(50, "--min-shown", help="Flag low acceptance only with this many shown."),
    min_acceptance: float = typer.Option(
        0.05, "--min-acceptance", help="Flag rules accepted less often than this (0.05 = 5%)."
    ),
    saleor_api_url: str | None = ApiUrlOption,
) -> None:
    """Print the weekly digest per rule (and write it as a PNG chart with --png)."""
    from ..insights.analytics.service import weekly_report
    from ..insights.analytics.weekly_chart import write_weekly_chart
    from ..insights.analytics.weekly_report import (
        UnderperformanceRules,
        last_complete_week,
        parse_iso_week,
        render_text,
    )

    try:
        chosen_week = parse_iso_week(week) if week is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--week") from exc
    thresholds = UnderperformanceRules(min_shown=min_shown, min_acceptance_rate=min_acceptance)

    async def main() -> WeeklyReport:
        async with cli_parts() as parts:
            installation = await pick_installation(parts, saleor_api_url)
            target = chosen_week or last_complete_week(parts.clock())
            return await weekly_report(parts.db, installation.id, target, thresholds=thresholds)

    digest = run(main)
    typer.echo(render_text(digest), nl=False)
    if png is not None:
        write_weekly_chart(digest, png)
        typer.echo(f"chart written to {png}")
