"""Shared plumbing for CLI commands: the app's parts without workers, and the installation lookup."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import typer

from ..kit.db.migrate import upgrade_to_head_async
from ..main import Parts, compose
from ..saleor.apl import AuthData
from ..settings import load_settings

T = TypeVar("T")


def run(coroutine_factory: Callable[[], Awaitable[T]]) -> T:
    async def runner() -> T:
        return await coroutine_factory()

    return asyncio.run(runner())


@asynccontextmanager
async def cli_parts() -> AsyncIterator[Parts]:
    settings = load_settings()
    await upgrade_to_head_async(settings.database_url)  # alembic runs its own loop: not on ours
    parts = compose(settings)
    try:
        yield parts
    finally:
        await parts.aclose()


async def pick_installation(parts: Parts, saleor_api_url: str | None) -> AuthData:
    """The installation named, or the only one; a clear error otherwise."""
    installations = await parts.installations.get_all()
    if saleor_api_url:
        for installation in installations:
            if installation.saleor_api_url == saleor_api_url:
                return installation
        raise typer.BadParameter(f"no installation for {saleor_api_url}", param_hint="--saleor-api-url")
    if len(installations) == 1:
        return installations[0]
    if not installations:
        typer.echo(
            "The app is not installed on any Saleor yet: install it from the Saleor dashboard first.",
            err=True,
        )
    else:
        urls = ", ".join(i.saleor_api_url for i in installations)
        typer.echo(f"Several installations ({urls}); choose one with --saleor-api-url.", err=True)
    raise typer.Exit(2)
