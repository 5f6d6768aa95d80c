"""`saleor-upsell serve` and `saleor-upsell migrate`."""

from __future__ import annotations

import typer
import uvicorn

from ..kit.db.migrate import upgrade_to_head
from ..settings import load_settings

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Server processes (each runs its own inbox workers)."),
) -> None:
    """Start the app (applies pending migrations first)."""
    settings = load_settings()
    upgrade_to_head(settings.database_url)
    typer.echo(f"saleor-upsell on http://{host}:{port} (APP_URL={settings.app_url})", err=True)
    uvicorn.run(
        "saleor_upsell_app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=True,
    )


@app.command()
def migrate() -> None:
    """Apply database migrations (DATABASE_URL)."""
    settings = load_settings()
    upgrade_to_head(settings.database_url)
    typer.echo("database is up to date")
