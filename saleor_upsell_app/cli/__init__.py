"""`saleor-upsell` command line: serve, migrate, inbox, rules, orders, mine, report.

Each command imports its feature code when it runs, so `--help` and `--version` start at once.
"""

from __future__ import annotations

import typer

from . import inbox, mine, orders, report, rules, serve


def _version(show: bool) -> None:
    if show:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"saleor-upsell {version('saleor-upsell')}")
        except PackageNotFoundError:  # running from a checkout that was never installed
            typer.echo("saleor-upsell (not installed)")
        raise typer.Exit()


app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: no `<bool>` after flags, and no rich import to show it
    pretty_exceptions_enable=False,  # a plain traceback, never the local variables (settings hold secrets)
    help="Order bumps, upgrades and post-purchase offers for Saleor.",
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Order bumps, upgrades and post-purchase offers for Saleor."""


app.command()(serve.serve)
app.command()(serve.migrate)
app.add_typer(inbox.app, name="inbox", help="Look at and retry events in the durable inbox.")
app.add_typer(rules.app, name="rules", help="Import and list offer rules.")
app.add_typer(orders.app, name="orders", help="Import past orders from Saleor (resumable).")
app.command("mine")(mine.mine)
app.command("report")(report.report)


def main() -> None:
    app()
