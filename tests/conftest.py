"""Shared fixtures: databases (SQLite and PostgreSQL), the Saleor emulator, and the app on a real port.

Integration tests take `db_url` (parametrised over SQLite and PostgreSQL), `emulator`, and `app`
(an `AppUnderTest` served with uvicorn on a free loopback port, installed into the emulator).
PostgreSQL tests are skipped when no server answers on 127.0.0.1:5432, unless REQUIRE_POSTGRES=1 (CI).
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI

from saleor_upsell_app.kit.clock import Clock, utc_now
from saleor_upsell_app.main import Parts, create_app
from saleor_upsell_app.settings import Settings
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.serve import serve_asgi
from tests.data import AppData

PG_ADMIN_DSN = os.environ.get("TEST_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
FAST_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)


def _postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _postgres_available() or os.environ.get("REQUIRE_POSTGRES") == "1":
        return
    skip = pytest.mark.skip(
        reason="PostgreSQL not reachable on 127.0.0.1:5432 (set REQUIRE_POSTGRES=1 to fail)"
    )
    for item in items:
        if "postgres" in item.keywords or "[postgresql" in item.nodeid:
            item.add_marker(skip)


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"upsell_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'upsell.sqlite3'}"
    else:
        async with postgres_database() as url:
            yield url


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'upsell.sqlite3'}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(database_url: str, app_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "app_url": app_url,
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "log_json": True,
        "log_level": "WARNING",
        "inbox_workers": 2,
        "inbox_poll_interval_seconds": 0.05,
        "inbox_backoff_base_seconds": 0.05,
        "inbox_backoff_max_seconds": 0.5,
        "inbox_lease_seconds": 10,
        "jwks_refetch_min_interval_seconds": 0,
        "rule_cache_seconds": 0,
        "tune_gc": False,
        # Scheduled jobs (guardrail, mining, digest) would change what tests seed; their tests turn it on.
        "run_scheduler": False,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class AppUnderTest:
    base_url: str
    app: FastAPI
    settings: Settings

    @property
    def parts(self) -> Parts:
        parts: Parts = self.app.state.parts
        return parts

    @property
    def data(self) -> AppData:
        """The app's data through its real repositories (seeding and reading back in tests)."""
        return AppData(self.parts)

    @property
    def manifest_url(self) -> str:
        return f"{self.base_url}/api/manifest"

    async def wait_idle(self, emulator: SaleorEmulator | None = None, timeout: float = 15.0) -> None:
        """Until Saleor has delivered everything and the inbox has nothing waiting or in progress.

        Processing can make Saleor send more webhooks, so both sides are checked until both are quiet.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        quiet_rounds = 0
        while quiet_rounds < 3:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"inbox not idle: {await self.parts.inbox.counts()}")
            if emulator is not None:
                await emulator.drain()
            counts = await self.parts.inbox.counts()
            busy = counts.get("pending", 0) + counts.get("processing", 0)
            quiet_rounds = quiet_rounds + 1 if busy == 0 else 0
            await asyncio.sleep(0.05)


@asynccontextmanager
async def run_app(
    database_url: str, *, clock: Clock = utc_now, port: int | None = None, **overrides: Any
) -> AsyncIterator[AppUnderTest]:
    """The real app (migrations, inbox workers) served by uvicorn on a loopback port."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = make_settings(database_url, base_url, **overrides)
    app = create_app(settings, clock=clock)
    async with serve_asgi(app, host="127.0.0.1", port=port):
        yield AppUnderTest(base_url, app, settings)


@pytest.fixture
async def emulator() -> AsyncIterator[SaleorEmulator]:
    async with SaleorEmulator(retry_delays=FAST_RETRIES) as emu:
        yield emu


@pytest.fixture
async def app(db_url: str) -> AsyncIterator[AppUnderTest]:
    async with run_app(db_url) as running:
        yield running


@pytest.fixture
async def installed(app: AppUnderTest, emulator: SaleorEmulator) -> InstalledApp:
    """The app installed into the emulated Saleor through the real register flow."""
    return await emulator.install_app(app.manifest_url)


@pytest.fixture
def app_factory(db_url: str) -> Callable[..., Any]:
    """For tests that need several app processes (or a restart) on the same database."""

    def factory(**overrides: Any) -> Any:
        return run_app(db_url, **overrides)

    return factory


@pytest.fixture
async def api(app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp) -> Any:
    """The app's /graphql as the dashboard and storefronts call it (tests/api/client.py)."""
    from tests.api.client import Api

    return Api(app, emulator, installed)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Any]:
    """The app's parts on a migrated database with one installation, no HTTP (tests/store.py)."""
    from tests.store import store_services

    async with store_services(db_url) as ready:
        yield ready
