"""What every command does first: read the settings and reach the database, or say in plain words why
not (the setting, the fix) and stop with EXIT_CONFIG. This is the one place configuration mistakes are
rendered for an operator; a settings check only has to raise. Nothing slow is imported before it."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from ..settings import Settings

EXIT_CONFIG = 78  # sysexits.h EX_CONFIG: a configuration error


def refuse(lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(f"configuration error: {line}", err=True)
    raise typer.Exit(EXIT_CONFIG)


def load_settings() -> Settings:
    """The settings, or a few plain lines naming each wrong setting."""
    from pydantic import ValidationError

    from ..settings import Settings, describe_settings_error

    try:
        return Settings()
    except ValidationError as exc:
        refuse(describe_settings_error(exc))


def ready_settings() -> Settings:
    """The settings, checked, and a database that accepts a connection."""
    from ..kit.preflight import database_problem

    settings = load_settings()
    problem = asyncio.run(database_problem(settings.database_url))
    if problem is not None:
        refuse([problem])
    return settings
