"""Order bumps end to end: real signed webhooks from the emulated Saleor, real mutations back."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import select

from saleor_upsell_app.engine.holdout import in_holdout
from saleor_upsell_app.tables import CheckoutOffer, OfferEvent
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.sample_data import APPLE_JUICE, MIGHTY_MUG, POLO, TEE_S
from tests.bumps.helpers import add_rule, offer_lines, set_channel, unit_price
from tests.conftest import AppUnderTest


async def _event_kinds(app: AppUnderTest) -> list[str]:
    async with app.data.sessions() as session:
        return list(await session.scalars(select(OfferEvent.kind).order_by(OfferEvent.id)))


async def test_trigger_adds_bump_line_with_offer_price_and_metadata(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    rule_id = await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)

    checkout = await emulator.shopper.checkout(checkout["id"])
    [bump] = offer_lines(checkout)
    assert bump["variant"]["id"] == APPLE_JUICE
    assert unit_price(bump) == Decimal("1.19")  # 1.49 - 20%, rounded to the cent
    metadata = {m["key"]: m["value"] for m in bump["metadata"]}
    assert metadata["saleor-upsell.rule"] == str(rule_id)
    assert len(checkout["lines"]) == 2  # its own line, not merged into the shopper's
    # The app's own CHECKOUT_UPDATED came back (Saleor sends it) and was ignored, not processed.
    assert any(d.event_type == "CHECKOUT_UPDATED" for d in emulator.deliveries_for("CHECKOUT_UPDATED"))
    assert await _event_kinds(app) == ["eligible", "offered"]


async def test_removed_bump_never_returns(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)
    [bump] = offer_lines(await emulator.shopper.checkout(checkout["id"]))

    await emulator.shopper.remove_lines(checkout["id"], [bump["id"]])
    await app.wait_idle(emulator)
    await emulator.shopper.add_lines(checkout["id"], [(POLO, 1)])  # more activity: still no bump
    await app.wait_idle(emulator)

    assert offer_lines(await emulator.shopper.checkout(checkout["id"])) == []
    assert "declined" in await _event_kinds(app)


async def test_bump_goes_when_its_trigger_leaves(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1), (POLO, 1)])
    await app.wait_idle(emulator)
    current = await emulator.shopper.checkout(checkout["id"])
    assert len(offer_lines(current)) == 1
    tee_line = next(line for line in current["lines"] if line["variant"]["id"] == TEE_S)

    await emulator.shopper.remove_lines(checkout["id"], [tee_line["id"]])
    await app.wait_idle(emulator)

    after = await emulator.shopper.checkout(checkout["id"])
    assert [line["variant"]["id"] for line in after["lines"]] == [POLO]
    assert "removed" in await _event_kinds(app)


async def test_duplicate_and_concurrent_deliveries_add_one_line(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await emulator.drain()
    [created] = emulator.deliveries_for("CHECKOUT_CREATED")
    # Saleor's retries and a replayed delivery arrive together with the first one still in flight.
    await asyncio.gather(*(emulator.redeliver(created) for _ in range(6)))
    await app.wait_idle(emulator)

    assert len(offer_lines(await emulator.shopper.checkout(checkout["id"]))) == 1
    assert (await app.data.inbox.counts()).get("done") == 1  # stored once


async def test_saleor_outage_is_retried_until_the_bump_lands(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)  # no rule yet: nothing happens
    await add_rule(app)
    emulator.fail_graphql(times=3, status=503)
    # The shopper's next change (sent directly, so the shopper's own call doesn't eat the failures).
    emulator.send_event("CHECKOUT_UPDATED", emulator.checkout(checkout["id"]), principal=None)
    await app.wait_idle(emulator, timeout=30)

    assert len(offer_lines(await emulator.shopper.checkout(checkout["id"]))) == 1
    updated = [row for row in await app.data.inbox.rows() if row.event_type == "CHECKOUT_UPDATED"]
    assert [(row.status, row.attempts > 1) for row in updated] == [("done", True)]


async def test_price_is_the_offer_price_despite_a_catalogue_promotion(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # Saleor applies the mug's 30% promotion on top of a custom price; the app compensates.
    await add_rule(app, offer_variant_id=MIGHTY_MUG, price={"type": "fixed", "amounts": {"USD": "4.50"}})
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)

    [bump] = offer_lines(await emulator.shopper.checkout(checkout["id"]))
    assert unit_price(bump) == Decimal("4.50")


async def test_offer_mode_adds_nothing(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    await add_rule(app)
    await set_channel(app, mode="offer")
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)

    assert offer_lines(await emulator.shopper.checkout(checkout["id"])) == []
    assert await _event_kinds(app) == ["eligible"]


async def test_no_offer_once_payment_started(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    checkout = await emulator.shopper.create_checkout([(POLO, 1)])
    await app.wait_idle(emulator)
    await add_rule(app)
    emulator.start_payment(checkout["id"])
    await emulator.shopper.add_lines(checkout["id"], [(TEE_S, 1)])
    await app.wait_idle(emulator)

    assert offer_lines(await emulator.shopper.checkout(checkout["id"])) == []


async def test_raised_quantity_does_not_extend_the_discount(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)
    [bump] = offer_lines(await emulator.shopper.checkout(checkout["id"]))

    await emulator.shopper.set_quantity(checkout["id"], bump["id"], 3)  # the storefront's "+" button
    await app.wait_idle(emulator)

    lines = (await emulator.shopper.checkout(checkout["id"]))["lines"]
    juice = sorted(
        (line["quantity"], unit_price(line)) for line in lines if line["variant"]["id"] == APPLE_JUICE
    )
    assert juice == [(1, Decimal("1.19")), (2, Decimal("1.49"))]


async def test_holdout_checkouts_never_get_an_offer(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    rule_id = await add_rule(app)
    await set_channel(app, holdout_percent="50")
    checkouts: list[str] = []
    while len({in_holdout(c, Decimal(50)) for c in checkouts}) < 2 or len(checkouts) < 6:  # both groups
        checkouts.append((await emulator.shopper.create_checkout([(TEE_S, 1)]))["id"])
    await app.wait_idle(emulator)

    for checkout_id in checkouts:
        has_bump = bool(offer_lines(await emulator.shopper.checkout(checkout_id)))
        assert has_bump is not in_holdout(checkout_id, Decimal(50)), checkout_id
    async with app.data.sessions() as session:
        exposures = list(
            await session.scalars(select(OfferEvent).where(OfferEvent.kind.in_(("eligible", "held_out"))))
        )
    assert sorted(e.checkout_id for e in exposures) == sorted(checkouts)  # every checkout, once
    assert {e.kind == "held_out" for e in exposures} == {True, False}
    assert all(e.details == {"rule_ids": [str(rule_id)]} for e in exposures)


async def test_event_for_a_checkout_that_is_gone_is_done_without_mutations(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)
    await add_rule(app)
    stale = emulator.build_webhook_request("CHECKOUT_UPDATED", subject=emulator.checkout(checkout["id"]))
    emulator.delete_checkout(checkout["id"])  # completed or expired before the app got to it
    await emulator.send_webhook_request(stale)
    await app.wait_idle(emulator)

    # Saleor answers the add with "not found": the event is finished, not retried or parked, and the
    # claim is released (nothing was applied, so nothing is recorded as offered or failed).
    [row] = [r for r in await app.data.inbox.rows() if r.event_type == "CHECKOUT_UPDATED"]
    assert (row.status, row.attempts) == ("done", 1)
    async with app.data.sessions() as session:
        assert list(await session.scalars(select(CheckoutOffer))) == []
    assert not {"offered", "failed"} & set(await _event_kinds(app))
