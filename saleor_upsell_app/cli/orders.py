"""`saleor-upsell orders sync`: import past orders from Saleor for mining and analytics (resumable)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

import typer

from .common import ApiUrlOption, cli_parts, pick_installation, run

if TYPE_CHECKING:
    from ..insights.history.sync import SyncProgress

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None)


def parse_moment(value: str | None, *, end_of_day: bool) -> datetime | None:
    """A date (YYYY-MM-DD, the whole day in UTC) or an ISO date-time (UTC when it names no zone)."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or ISO date-time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command()
def sync(
    since: str | None = typer.Option(None, help="Orders created on or after this date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, help="Orders created on or before this date (YYYY-MM-DD)."),
    channel: str | None = typer.Option(None, help="Only this channel (slug); default: all channels."),
    restart: bool = typer.Option(False, "--restart", help="Start this import over instead of resuming."),
    saleor_api_url: str | None = ApiUrlOption,
) -> None:
    """Import past orders page by page; an interrupted import continues where it stopped."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    from ..insights.history.sync import SyncInterrupted, SyncRange, sync_orders

    class OrdersPerSecond(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("-- orders/s" if speed is None else f"{speed:,.0f} orders/s")

    sync_range = SyncRange(
        since=parse_moment(since, end_of_day=False),
        until=parse_moment(until, end_of_day=True),
        channel=channel,
    )
    console = Console(stderr=True)

    async def main() -> SyncProgress:
        async with cli_parts() as parts:
            installation = await pick_installation(parts, saleor_api_url)
            with Progress(
                TextColumn("[bold]orders"),
                BarColumn(),
                MofNCompleteColumn(),
                OrdersPerSecond(),
                TextColumn("{task.fields[new]} new"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=console,
            ) as bar:
                task = bar.add_task("orders", total=None, new=0)

                def show(progress: SyncProgress) -> None:
                    if progress.pages == 0:
                        bar.reset(task, total=progress.total, completed=progress.fetched, new=0)
                    else:
                        bar.update(task, total=progress.total, completed=progress.fetched, new=progress.new)

                return await sync_orders(
                    parts.db,
                    parts.saleor.for_auth(installation),
                    installation.id,
                    sync_range,
                    clock=parts.clock,
                    restart=restart,
                    on_progress=show,
                )

    try:
        result = run(main)
    except SyncInterrupted as exc:
        typer.echo(
            f"Saleor is unavailable ({exc.cause}); {exc.progress.fetched} orders are stored. "
            "Run the same command again to continue.",
            err=True,
        )
        raise typer.Exit(1) from exc
    resumed = f" (resumed after {result.resumed_from})" if result.resumed_from else ""
    typer.echo(
        f"{result.fetched} of {result.total or 0} orders imported{resumed}; "
        f"{result.new} new in this run, in {result.pages} page(s)."
    )
