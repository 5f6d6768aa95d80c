"""Shared plumbing for CLI commands: the few parts a command uses, and the installation lookup.

A command needs the database, the installations and the clock (and `orders sync` a Saleor client), not
the web app: building only these here, and importing each command's feature code inside the command,
keeps `--help` and `rules list` fast (bench/cli_startup.py). The web app's parts are built by main.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperCommand

from ..kit.clock import Clock, utc_now
from .startup import load_settings, refuse

if TYPE_CHECKING:
    from ..installations.apl import InstallationStore
    from ..kit.db import Database
    from ..saleor.apl import AuthData
    from ..saleor.client import SaleorClientFactory
    from ..settings import Settings

T = TypeVar("T")

ApiUrlOption = typer.Option(
    None, "--saleor-api-url", help="Which installation (needed when there are several)."
)


class PlainUsage(TyperCommand):
    """Usage lines as click writes them (`rules import [OPTIONS] FILE`), not typer's `{FILE}`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [
            piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece
            for piece in super().collect_usage_pieces(ctx)
        ]


def run(coroutine_factory: Callable[[], Awaitable[T]]) -> T:
    async def runner() -> T:
        return await coroutine_factory()

    return asyncio.run(runner())


@dataclass
class CliParts:
    settings: Settings
    clock: Clock
    db: Database
    installations: InstallationStore
    _saleor: SaleorClientFactory | None = field(default=None, repr=False)

    @property
    def saleor(self) -> SaleorClientFactory:
        """A Saleor client factory, built on first use (only `orders sync` talks to Saleor)."""
        if self._saleor is None:
            from ..saleor.client import SaleorClientFactory

            self._saleor = SaleorClientFactory(
                self.settings.saleor_timeout_seconds, guarded=not self.settings.private_saleor_urls_allowed
            )
        return self._saleor

    async def aclose(self) -> None:
        if self._saleor is not None:
            await self._saleor.aclose()
        await self.db.dispose()


@asynccontextmanager
async def cli_parts(settings: Settings | None = None) -> AsyncIterator[CliParts]:
    """Settings checked, the database reached and migrated, and the parts a command uses."""
    from ..kit.preflight import database_problem

    settings = settings or load_settings()
    problem = await database_problem(settings.database_url)
    if problem is not None:
        refuse([problem])
    from ..installations.apl import InstallationStore
    from ..kit.crypto import TokenCipher
    from ..kit.db import Database
    from ..kit.db.migrate import upgrade_if_behind

    db = Database(settings.database_url)
    await upgrade_if_behind(db, settings.database_url)
    parts = CliParts(settings, utc_now, db, InstallationStore(db, TokenCipher(settings.secret_key)))
    try:
        yield parts
    finally:
        await parts.aclose()


NOT_INSTALLED = (
    "The app is not installed on any Saleor yet: install it from the Saleor dashboard first "
    "(README, 'Set-up'; to try it without a Saleor, see 'Trying it with the Saleor emulator')."
)


async def pick_installation(parts: CliParts, saleor_api_url: str | None) -> AuthData:
    """The installation named, or the only one; a clear error otherwise."""
    installations = await parts.installations.get_all()
    if saleor_api_url:
        for installation in installations:
            if installation.saleor_api_url == saleor_api_url:
                return installation
        known = ", ".join(i.saleor_api_url for i in installations) or "none"
        raise typer.BadParameter(
            f"no installation for {saleor_api_url} (installed: {known})", param_hint="--saleor-api-url"
        )
    if len(installations) == 1:
        return installations[0]
    if not installations:
        typer.echo(NOT_INSTALLED, err=True)
    else:
        urls = ", ".join(i.saleor_api_url for i in installations)
        typer.echo(f"Several installations ({urls}); choose one with --saleor-api-url.", err=True)
    raise typer.Exit(2)
