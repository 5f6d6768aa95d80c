"""The durable inbox: survives restarts, shares work between app processes, parks and retries."""

from __future__ import annotations

import asyncio

import httpx

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.sample_data import TEE_S
from tests.bumps.helpers import add_rule, offer_lines
from tests.conftest import free_port, run_app


async def test_event_received_before_a_restart_is_processed_after_it(
    db_url: str, emulator: SaleorEmulator
) -> None:
    port = free_port()
    async with run_app(db_url, port=port, run_workers=False) as first:
        await emulator.install_app(first.manifest_url)
        await add_rule(first)
        checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
        await emulator.drain()
        assert (await first.data.inbox.counts()) == {"pending": 1}  # stored, answered, not processed

    async with run_app(db_url, port=port) as second:  # same database, fresh process
        await second.wait_idle(emulator)
        assert len(offer_lines(await emulator.shopper.checkout(checkout["id"]))) == 1
        assert (await second.data.inbox.counts()) == {"done": 1}


async def test_two_app_processes_apply_a_bump_once(db_url: str, emulator: SaleorEmulator) -> None:
    async with run_app(db_url) as first, run_app(db_url) as second:
        await emulator.install_app(first.manifest_url)
        await add_rule(first)
        checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
        await emulator.drain()
        [delivery] = emulator.deliveries_for("CHECKOUT_CREATED")
        path = delivery.target_url.removeprefix(first.base_url)

        # The same event (Saleor retry, load balancer replay) reaching both processes at once.
        async with httpx.AsyncClient() as client:
            replies = await asyncio.gather(
                *(
                    client.post(base + path, headers=delivery.headers, content=delivery.body)
                    for base in [first.base_url, second.base_url] * 4
                )
            )
        assert {reply.status_code for reply in replies} == {200}
        await first.wait_idle(emulator)
        await second.wait_idle(emulator)
        assert len(offer_lines(await emulator.shopper.checkout(checkout["id"]))) == 1


async def test_event_that_keeps_failing_is_parked_then_retried(db_url: str, emulator: SaleorEmulator) -> None:
    async with run_app(db_url, inbox_max_attempts=3) as app:
        await emulator.install_app(app.manifest_url)
        checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
        await app.wait_idle(emulator)
        await add_rule(app)
        emulator.fail_graphql(times=None, status=503)  # Saleor down for good
        emulator.send_event("CHECKOUT_UPDATED", emulator.checkout(checkout["id"]), principal=None)
        await app.wait_idle(emulator, timeout=30)

        [parked] = await app.data.inbox.rows("parked")
        assert parked.attempts == 3 and "SaleorUnavailable" in (parked.last_error or "")

        emulator.clear_failures()
        assert await app.data.inbox.retry_parked(parked.id, app.data.clock()) == 1
        app.data.wake_workers()
        await app.wait_idle(emulator)
        assert len(offer_lines(await emulator.shopper.checkout(checkout["id"]))) == 1
