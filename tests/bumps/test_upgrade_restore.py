"""An upgrade deleted by the shopper in the stock storefront (whose only control is "delete") is the
revert: the app puts the shopper's original line back (same variant, quantity and price) and records a
decline, exactly once, also when several deliveries and processes race (captures part 5)."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from saleor_upsell_app.bumps.claims import ClaimStatus
from saleor_upsell_app.bumps.context import OnCheckout
from saleor_upsell_app.bumps.gateway import CheckoutLines, checkout_state, parse_checkout
from saleor_upsell_app.bumps.restore import REVERTED_FROM, RestoreInProgress
from saleor_upsell_app.bumps.webhook import CheckoutStep
from saleor_upsell_app.rules.service import create_rule
from saleor_upsell_app.tables import CheckoutOffer, OfferEvent
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.sample_data import CUBES_M, MIGHTY_MUG, POLO, TEE_S
from tests.bumps.helpers import offer_lines, set_channel, unit_price
from tests.conftest import AppUnderTest
from tests.rules.test_rules import upgrade_rule


async def _upgrade_rule(app: AppUnderTest) -> int:
    installation = (await app.data.installations.all())[0]
    await set_channel(app)  # no holdout: with the 10% default one checkout in ten would get no upgrade
    async with app.data.db.transaction() as session:
        stored = await create_rule(session, installation.id, upgrade_rule(channels=[]), app.data.clock())
    return stored.id


async def _declines(app: AppUnderTest) -> list[tuple[int | None, dict[str, Any] | None]]:
    async with app.data.sessions() as session:
        rows = await session.execute(
            select(OfferEvent.rule_id, OfferEvent.details).where(OfferEvent.kind == "declined")
        )
        return [(rule_id, details) for rule_id, details in rows]


async def _claim_status(app: AppUnderTest) -> list[str]:
    async with app.data.sessions() as session:
        return list(await session.scalars(select(CheckoutOffer.status)))


def _lines(checkout: dict[str, Any]) -> list[tuple[str, int, Decimal]]:
    return sorted((line["variant"]["id"], line["quantity"], unit_price(line)) for line in checkout["lines"])


async def _upgraded(
    app: AppUnderTest, emulator: SaleorEmulator
) -> tuple[int, dict[str, Any], dict[str, Any]]:
    rule_id = await _upgrade_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 2), (MIGHTY_MUG, 1)])
    await app.wait_idle(emulator)
    current = await emulator.shopper.checkout(checkout["id"])
    [upgrade] = offer_lines(current)
    assert (upgrade["variant"]["id"], upgrade["quantity"], unit_price(upgrade)) == (
        CUBES_M,
        2,
        Decimal("24.00"),
    )
    assert TEE_S not in {line["variant"]["id"] for line in current["lines"]}
    return rule_id, checkout, upgrade


async def test_deleting_an_upgrade_restores_the_original_line_and_records_a_decline(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    rule_id, checkout, upgrade = await _upgraded(app, emulator)

    await emulator.shopper.remove_lines(checkout["id"], [upgrade["id"]])
    await app.wait_idle(emulator)

    after = await emulator.shopper.checkout(checkout["id"])
    # The tee is back: same variant and quantity, at the price it had (20.00); the mug keeps its 8.39.
    assert _lines(after) == [(TEE_S, 2, Decimal("20.00")), (MIGHTY_MUG, 1, Decimal("8.39"))]
    restored = next(line for line in after["lines"] if line["variant"]["id"] == TEE_S)
    assert {m["key"]: m["value"] for m in restored["metadata"]}[REVERTED_FROM] == upgrade["id"]
    [(declined_rule, details)] = await _declines(app)
    assert declined_rule == rule_id and details is not None
    assert details["restored_line_id"] == restored["id"]
    assert await _claim_status(app) == [ClaimStatus.DECLINED]

    # More activity: the upgrade is never offered again, and nothing is restored twice.
    await emulator.shopper.add_lines(checkout["id"], [(POLO, 1)])
    await app.wait_idle(emulator)
    final = await emulator.shopper.checkout(checkout["id"])
    assert offer_lines(final) == []
    assert [variant for variant, _, _ in _lines(final)].count(TEE_S) == 1
    assert len(await _declines(app)) == 1


async def test_racing_deliveries_restore_the_original_exactly_once(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    _, checkout, upgrade = await _upgraded(app, emulator)
    saleor_checkout = emulator.checkout(checkout["id"])
    saleor_checkout.lines = [line for line in saleor_checkout.lines if line.id != upgrade["id"]]
    saleor_checkout.touch()  # the shopper's delete; its CHECKOUT_UPDATED is sent below, twice
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", subject=saleor_checkout, principal=None)
    stale = checkout_state(parse_checkout(json.loads(request.body)["checkout"]))
    assert upgrade["id"] not in {line.id for line in stale.snapshot.lines}

    # The inbox worker handles the delivery (and its duplicate) while two more processes handle the same
    # snapshot at the same moment: every one of them sees the applied upgrade missing.
    parts = app.parts
    installation = (await app.data.installations.all())[0]
    step = CheckoutStep(parts.db, parts.installations, parts.saleor, parts.evaluator, parts.clock)

    def process() -> OnCheckout:
        lines = CheckoutLines(parts.saleor.for_auth(installation), checkout["id"])
        return OnCheckout(parts.db, installation.id, lines, parts.clock)

    emulator.fail_graphql(times=None, status=None, delay=0.2)  # slow answers: the processes overlap
    *outcomes, _, _ = await asyncio.gather(
        step.process(process(), stale),
        step.process(process(), stale),
        step.process(process(), stale),
        emulator.send_webhook_request(request),
        emulator.send_webhook_request(request),
        return_exceptions=True,
    )
    # A process that meets the restore in progress elsewhere says so (the inbox would retry it).
    assert all(o is None or isinstance(o, RestoreInProgress) for o in outcomes), outcomes
    await app.wait_idle(emulator)
    emulator.clear_failures()

    after = await emulator.shopper.checkout(checkout["id"])
    assert _lines(after) == [(TEE_S, 2, Decimal("20.00")), (MIGHTY_MUG, 1, Decimal("8.39"))]
    assert len(await _declines(app)) == 1
    assert await _claim_status(app) == [ClaimStatus.DECLINED]


async def test_an_interrupted_restore_is_finished_by_the_retry(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    _, checkout, upgrade = await _upgraded(app, emulator)
    # Saleor is away when the app tries to put the tee back: the claim stays `restoring`, the inbox
    # retries, and the retry (on a fresh read) adds the tee once.
    state = emulator.checkout(checkout["id"])
    state.lines = [line for line in state.lines if line.id != upgrade["id"]]  # the shopper's delete...
    state.touch()
    emulator.fail_graphql(times=1, status=503)  # ...and the app's first call after it fails
    emulator.send_event("CHECKOUT_UPDATED", state, principal=None)
    await app.wait_idle(emulator, timeout=30)

    after = await emulator.shopper.checkout(checkout["id"])
    assert _lines(after) == [(TEE_S, 2, Decimal("20.00")), (MIGHTY_MUG, 1, Decimal("8.39"))]
    assert len(await _declines(app)) == 1
    assert await _claim_status(app) == [ClaimStatus.DECLINED]
    updated = [row for row in await app.data.inbox.rows() if row.event_type == "CHECKOUT_UPDATED"]
    assert any(row.attempts > 1 for row in updated)  # it was the retry that finished it
