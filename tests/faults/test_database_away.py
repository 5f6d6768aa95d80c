"""The database going away while webhooks arrive and workers run (PostgreSQL through a TCP proxy this
test starts and cuts; the shared server itself is never touched): webhooks answer 503 during the
outage, never 500, and after it every event that got a 2xx is processed, once."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.sample_data import TEE_S
from tests.bumps.helpers import add_rule, offer_lines
from tests.conftest import postgres_database, run_app
from tests.faults.proxy import TcpProxy

pytestmark = pytest.mark.postgres


async def test_webhooks_get_503_while_the_database_is_away_and_nothing_acknowledged_is_lost(
    emulator: SaleorEmulator,
) -> None:
    async with postgres_database() as direct_url, TcpProxy("127.0.0.1", 5432).running() as proxy:
        url = direct_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
        async with run_app(url, inbox_lease_seconds=3) as app:
            await emulator.install_app(app.manifest_url)
            checkouts = [await emulator.shopper.create_checkout([(TEE_S, 1)]) for _ in range(30)]
            await app.wait_idle(emulator)  # seen before any rule: nothing offered yet
            await add_rule(app)

            statuses: dict[str, int] = {}
            async with httpx.AsyncClient(timeout=10) as client:

                async def deliver(checkout: dict[str, Any]) -> None:
                    request = emulator.build_webhook_request(
                        "CHECKOUT_UPDATED", subject=emulator.checkout(checkout["id"])
                    )
                    try:
                        reply = await client.post(request.url, headers=request.headers, content=request.body)
                        statuses[checkout["id"]] = reply.status_code
                    except httpx.HTTPError as exc:
                        raise AssertionError(f"the app did not answer: {exc!r}") from exc

                for n in range(0, 30, 5):
                    if n == 10:  # the database goes away with workers mid-flight
                        proxy.disconnect()
                        app.parts.installations.forget_cached()  # the lookup itself hits the database
                    if n == 20:
                        proxy.reconnect()
                    await asyncio.gather(*(deliver(c) for c in checkouts[n : n + 5]))
                    await asyncio.sleep(0.3)

            assert set(statuses.values()) <= {200, 503}, statuses
            during = [statuses[c["id"]] for c in checkouts[10:20]]
            assert during == [503] * 10
            await app.wait_idle(emulator, timeout=60)
            for checkout in checkouts:
                lines = offer_lines(await emulator.shopper.checkout(checkout["id"]))
                expected = 1 if statuses[checkout["id"]] == 200 else 0
                assert len(lines) == expected, (checkout["id"], statuses[checkout["id"]], lines)
            counts = await app.data.inbox.counts()
            assert counts.get("done", 0) == sum(1 for s in statuses.values() if s == 200) + 30
