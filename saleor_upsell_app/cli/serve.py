"""`saleor-upsell serve` and `saleor-upsell migrate`."""

from __future__ import annotations

import os
import socket

import typer

from .startup import ready_settings, refuse


def _port_in_use(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, found before anything slow is imported."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Server processes (each runs its own inbox workers)."),
) -> None:
    """Start the app (applies pending migrations first).

    Unless APP_URL is set (environment or .env), it follows the port: http://localhost:PORT.
    """
    settings = ready_settings()
    port_taken = _port_in_use(host, port)
    if port_taken:
        refuse(
            [
                f"port {port} on {host} is already in use ({port_taken}): another instance? "
                f"Choose another port: --port {port + 1} (make run PORT={port + 1})"
            ]
        )
    if "app_url" not in settings.model_fields_set:
        # The server process(es) uvicorn starts read their settings again: hand them the same URL.
        settings = settings.model_copy(update={"app_url": f"http://localhost:{port}"})
        os.environ["APP_URL"] = settings.app_url
    from ..kit.db.migrate import upgrade_to_head
    from .server import run

    upgrade_to_head(settings.database_url)
    typer.echo(f"saleor-upsell on http://{host}:{port} (APP_URL={settings.app_url})", err=True)
    run(  # uvicorn without its idle ticks (cli/server.py)
        "saleor_upsell_app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=True,
    )


def migrate() -> None:
    """Apply database migrations (DATABASE_URL)."""
    settings = ready_settings()
    from ..kit.db.migrate import upgrade_to_head

    upgrade_to_head(settings.database_url)
    typer.echo("database is up to date")
