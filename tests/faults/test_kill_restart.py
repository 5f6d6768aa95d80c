"""The app SIGKILLed (a real uvicorn process) after a burst of 2xx and before processing, and again in
the middle of its mutations, then restarted on the same database: every event is processed once, no
bump is doubled and none is lost."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from asyncio.subprocess import Process
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from saleor_upsell_app.inbox.service import Inbox
from saleor_upsell_app.kit.db import Database
from saleor_upsell_app.rules.service import create_rule
from saleor_upsell_app.tables import CheckoutOffer, Installation
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.sample_data import TEE_S, bump_rule
from tests.bumps.helpers import offer_lines
from tests.conftest import TEST_SECRET, free_port

ROOT = Path(__file__).resolve().parents[2]  # this checkout: the subprocess imports its code


def _environment(database_url: str, port: int, **overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = {
        "environment": "test",
        "app_url": f"http://127.0.0.1:{port}",
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "log_level": "WARNING",
        "inbox_poll_interval_seconds": 0.05,
        "inbox_idle_poll_max_seconds": 0.2,
        "inbox_backoff_base_seconds": 0.05,
        "inbox_backoff_max_seconds": 0.5,
        "inbox_lease_seconds": 2,
        "jwks_refetch_min_interval_seconds": 0,
        "rule_cache_seconds": 0,
        "tune_gc": False,
    } | overrides
    env = {
        key.upper(): str(value).lower() if isinstance(value, bool) else str(value)
        for key, value in values.items()
    }
    return {**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


@asynccontextmanager
async def served(database_url: str, port: int, **overrides: Any) -> AsyncIterator[Process]:
    """The app in its own process (uvicorn), until SIGKILLed by the test or stopped at the end."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "uvicorn", "saleor_upsell_app.main:create_app", "--factory", "--host", "127.0.0.1"),
        *("--port", str(port), "--log-level", "warning"),
        cwd=ROOT,
        env=_environment(database_url, port, **overrides),
    )
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                assert process.returncode is None, "the app exited at start-up"
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/api/manifest")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the app did not start")
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


async def kill(process: Process) -> None:
    process.send_signal(signal.SIGKILL)
    await process.wait()


async def _idle(inbox: Inbox, emulator: SaleorEmulator, timeout: float = 60) -> dict[str, int]:
    deadline = asyncio.get_running_loop().time() + timeout
    quiet = 0
    while quiet < 3:
        assert asyncio.get_running_loop().time() < deadline, await inbox.counts()
        await emulator.drain()
        counts = await inbox.counts()
        quiet = quiet + 1 if counts.get("pending", 0) + counts.get("processing", 0) == 0 else 0
        await asyncio.sleep(0.1)
    return await inbox.counts()


async def _claims(db: Database) -> list[tuple[str, str, str | None]]:
    async with db.read() as session:
        offers = await session.scalars(select(CheckoutOffer).order_by(CheckoutOffer.checkout_id))
        return [(offer.checkout_id, offer.status, offer.line_id) for offer in offers]


@pytest.mark.parametrize("moment", ["after-2xx-before-processing", "mid-mutation"])
async def test_killed_and_restarted_every_event_is_processed_once(
    db_url: str, emulator: SaleorEmulator, moment: str
) -> None:
    port = free_port()
    db = Database(db_url)
    inbox = Inbox(db)
    try:
        async with served(db_url, port, run_workers=moment == "mid-mutation") as first:
            await emulator.install_app(f"http://127.0.0.1:{port}/api/manifest")
            async with db.transaction() as session:
                installation = await session.scalar(select(Installation))
                assert installation is not None
                await create_rule(session, installation.id, bump_rule(), datetime.now(UTC))
            if moment == "mid-mutation":
                # Saleor takes each bump, then its answer hangs: the kill lands between the two.
                emulator.fail_graphql(times=None, status=None, delay=8, after=True, only="checkoutLinesAdd")
            checkouts = [await emulator.shopper.create_checkout([(TEE_S, 1)]) for _ in range(12)]
            await emulator.drain()  # every delivery answered 2xx (Saleor would retry anything else)
            assert all(d.status == 200 for d in emulator.deliveries_for("CHECKOUT_CREATED"))
            if moment == "mid-mutation":
                for _ in range(200):  # until the bumps have reached Saleor
                    added = [c for c in emulator.graphql_calls if "checkoutLinesAdd" in c.query]
                    if len(added) >= 2:
                        break
                    await asyncio.sleep(0.05)
            await kill(first)
        emulator.clear_failures()
        async with served(db_url, port):
            counts = await _idle(inbox, emulator)
        assert counts == {"done": 12}, counts
        for checkout in checkouts:
            lines = offer_lines(await emulator.shopper.checkout(checkout["id"]))
            assert len(lines) == 1, (checkout["id"], lines)
        claims = await _claims(db)
        assert [status for _, status, _ in claims] == ["applied"] * 12
        held = {
            line["id"] for c in checkouts for line in offer_lines(await emulator.shopper.checkout(c["id"]))
        }
        assert {line_id for _, _, line_id in claims} == held  # the app knows each bump is its own
    finally:
        await db.dispose()
