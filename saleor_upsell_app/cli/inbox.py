"""`saleor-upsell inbox ...`: see what is waiting or parked, and put parked events back in the queue."""

from __future__ import annotations

import typer

from .common import PlainUsage, cli_parts, run

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None)


@app.command("list")
def list_events(
    status: str | None = typer.Option(None, help="pending | processing | done | parked | superseded"),
    limit: int = typer.Option(50, help="How many of the newest events to show."),
) -> None:
    """List inbox events, newest first, with their last error."""
    from ..inbox.service import Inbox

    async def main() -> None:
        async with cli_parts() as parts:
            inbox = Inbox(parts.db)
            counts = await inbox.counts()
            typer.echo("inbox: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "empty"))
            for row in await inbox.rows(status, limit):
                error = f"  last error: {row.last_error}" if row.last_error else ""
                typer.echo(
                    f"#{row.id} {row.status:<10} {row.event_type:<17} {row.subject_key} "
                    f"attempts={row.attempts} received={row.received_at:%Y-%m-%d %H:%M:%S}{error}"
                )

    run(main)


@app.command(cls=PlainUsage)
def retry(
    event_id: int | None = typer.Argument(
        None, metavar="EVENT_ID", help="A parked event's id; omit with --all."
    ),
    all_parked: bool = typer.Option(False, "--all", help="Retry every parked event."),
) -> None:
    """Put parked events back in the queue (after fixing what made them fail)."""
    if event_id is None and not all_parked:
        raise typer.BadParameter("give an event id or --all")
    from ..inbox.service import Inbox

    async def main() -> None:
        async with cli_parts() as parts:
            count = await Inbox(parts.db).retry_parked(event_id, parts.clock())
            typer.echo(f"{count} event(s) queued again")

    run(main)
