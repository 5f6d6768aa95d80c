"""`saleor-upsell mine`: turn the stored order history into pair suggestions for the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from .common import ApiUrlOption, cli_parts, pick_installation, run

if TYPE_CHECKING:
    from ..insights.suggestions.service import ChannelMining


def mine(
    channel: str | None = typer.Option(None, help="Only this channel (slug); default: every channel."),
    level: str = typer.Option(
        "product", metavar="product|variant", help="Pair products, or individual variants."
    ),
    min_support: int = typer.Option(20, "--min-support", help="Orders that must contain both items."),
    min_confidence: float = typer.Option(0.05, "--min-confidence", help="Share of A's orders that had B."),
    min_lift: float = typer.Option(1.0, "--min-lift", help="How much more often than chance (1 = chance)."),
    min_orders: int = typer.Option(100, "--min-orders", help="Fewer orders than this: cold-start fallbacks."),
    saleor_api_url: str | None = ApiUrlOption,
) -> None:
    """Mine frequently-bought-together pairs per channel and store them as suggestions.

    Re-running refreshes the evidence and keeps what the merchant accepted or dismissed.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from ..insights.suggestions.order_items import LEVELS
    from ..insights.suggestions.repository import Level
    from ..insights.suggestions.service import STEPS, MiningSettings, mine_suggestions
    from ..mining.pairs import PairThresholds

    if level not in LEVELS:
        raise typer.BadParameter("product or variant", param_hint="--level")
    try:
        thresholds = PairThresholds(min_support, min_confidence, min_lift)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    chosen_level = Level(level)
    settings = MiningSettings(level=chosen_level, thresholds=thresholds, min_orders=min_orders)

    async def main() -> list[ChannelMining]:
        async with cli_parts() as parts:
            installation = await pick_installation(parts, saleor_api_url)
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[step]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            ) as bar:
                tasks: dict[str, TaskID] = {}

                def show(slug: str, step: str, done: int, total: int) -> None:
                    if slug not in tasks:
                        tasks[slug] = bar.add_task(slug, total=total, step="")
                    following = STEPS[done] if done < len(STEPS) else "done"
                    bar.update(tasks[slug], completed=done, step=f"{step} ✓ → {following}")

                return await mine_suggestions(
                    parts.db, installation.id, settings, parts.clock(), channel=channel, on_step=show
                )

    results = run(main)
    if not results:
        typer.echo("No stored orders yet: run `saleor-upsell orders sync` first (or wait for new orders).")
    for result in results:
        typer.echo(result.message)
