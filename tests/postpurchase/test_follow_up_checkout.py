"""The default accept end to end: a follow-up checkout in the emulated Saleor, paid and completed by the
shopper, counted once as the offer's conversion; double, concurrent and interrupted accepts give one
checkout (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from saleor_upsell_app.insights.analytics.offer_counts import offer_events_for_stats
from saleor_upsell_app.postpurchase import follow_up
from saleor_upsell_app.postpurchase import order_metadata as om
from saleor_upsell_app.postpurchase.repository import ACCEPTING, OPEN, PostPurchaseOfferRepository
from saleor_upsell_app.postpurchase.shopper_actions import RESUME_AFTER
from saleor_upsell_app.saleor.results import PostPurchaseOrderData
from testing.saleor_emulator.checkout import Checkout
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.ids import to_global_id
from testing.saleor_emulator.orders import Order
from tests.postpurchase.helpers import (
    APPLE_JUICE,
    CHANNEL,
    MIGHTY_MUG,
    TEE_S,
    Shop,
    add_rule,
    buy_tee,
    events,
    lines_of,
    offer_rows,
    offer_token,
)

EMS = to_global_id("ShippingMethod", 2)


def checkout_id_of(location: str) -> str:
    assert location.startswith("https://shop.example/checkout?"), location
    return parse_qs(urlsplit(location).query)["checkout"][0]


def same_address(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """The same address in every field but its id (a new Address row in Saleor)."""
    assert a is not None and b is not None
    return {k: v for k, v in a.items() if k != "id"} == {k: v for k, v in b.items() if k != "id"}


def follow_ups(emulator: SaleorEmulator, order: Order) -> list[Checkout]:
    return [c for c in emulator.state.checkouts.values() if c.meta.get(om.FOLLOW_UP_OF) == order.id]


async def buy_tee_by_ems(shop: Shop) -> Order:
    """A confirmed, paid order shipped with the second shipping method (EMS), so keeping it is visible."""
    shopper = shop.emulator.shopper
    checkout = await shopper.ready_checkout([(TEE_S, 1)])
    await shopper.set_delivery_method(checkout["id"], EMS)
    shopper.start_payment(checkout["id"])
    placed = await shopper.complete(checkout["id"])
    await shop.app.wait_idle(shop.emulator)
    order = shop.emulator.state.order(placed["id"])
    assert order is not None and order.status == "UNFULFILLED"
    return order


async def pay_follow_up(shop: Shop, checkout_id: str) -> Order:
    await shop.emulator.shopper.pay(checkout_id)
    placed = await shop.emulator.shopper.complete(checkout_id)
    await shop.app.wait_idle(shop.emulator)
    paid = shop.emulator.state.order(placed["id"])
    assert paid is not None
    return paid


async def test_accept_opens_a_follow_up_checkout_and_its_order_is_counted_once(shop: Shop) -> None:
    rule_id = await add_rule(shop.app)
    order = await buy_tee_by_ems(shop)
    [offer] = await offer_rows(shop.app)

    response = await shop.accept(offer_token(order))
    assert response.status_code == 303, response.text
    checkout_id = checkout_id_of(response.headers["location"])
    [checkout] = follow_ups(shop.emulator, order)
    assert checkout is shop.emulator.checkout(checkout_id)
    # The same customer: e-mail, both addresses, and the original delivery method (still available).
    assert checkout.email == order.user_email == "shopper@example.com"
    assert checkout.channel is order.channel
    assert same_address(checkout.shipping_address, order.shipping_address)
    assert same_address(checkout.billing_address, order.billing_address)
    assert checkout.shipping_method is not None and checkout.shipping_method.id == EMS
    # One line: the offered variant at the signed price, marked with the original order and the offer.
    [line] = checkout.lines
    assert (line.variant_obj.id, line.quantity, line.price_override) == (APPLE_JUICE, 1, Decimal("1.19"))
    assert line.meta == {om.FOLLOW_UP_OF: order.id, om.OFFER_ID: offer.id}
    assert checkout.meta == {om.FOLLOW_UP_OF: order.id, om.OFFER_ID: offer.id}
    assert checkout.prices().lines[line].unit_gross == Decimal("1.19")
    assert lines_of(order, APPLE_JUICE) == []  # the paid order is left alone
    assert order.meta[om.OFFER_STATUS] == "accepted"
    assert order.meta[om.OFFER_RESULT] == "follow-up-checkout"
    assert order.meta[om.OFFER_CHECKOUT] == checkout_id
    [accepted] = await events(shop.app, "accepted")
    assert (accepted.checkout_id, accepted.amount) == (checkout_id, None)  # no revenue before payment

    paid = await pay_follow_up(shop, checkout_id)
    assert paid.meta[om.FOLLOW_UP_OF] == order.id and paid.meta[om.OFFER_ID] == offer.id
    [paid_line] = lines_of(paid, APPLE_JUICE)
    assert paid_line.meta[om.OFFER_ID] == offer.id
    [converted] = await events(shop.app, "converted")
    assert (converted.rule_id, converted.order_id, converted.checkout_id) == (rule_id, paid.id, checkout_id)
    assert (converted.amount, converted.currency) == (Decimal("1.19"), "USD")
    assert [row.converted_order_id for row in await offer_rows(shop.app)] == [paid.id]
    assert order.meta[om.OFFER_STATUS] == "paid" and order.meta[om.OFFER_PAID_ORDER] == paid.id
    assert om.OFFER_URL not in paid.meta  # the follow-up order gets no offer of its own
    assert len(await offer_rows(shop.app)) == 1

    # Saleor redelivers the follow-up's ORDER_CREATED: still one conversion.
    for delivery in shop.emulator.deliveries_for("ORDER_CREATED")[-1:]:
        await shop.emulator.redeliver(delivery)
    await shop.app.wait_idle(shop.emulator)
    assert len(await events(shop.app, "converted")) == 1
    # Analytics: one take of the rule (accepted + converted), with the paid amount as revenue.
    rows = await events(shop.app, "accepted") + await events(shop.app, "converted")
    takes = [e for e in offer_events_for_stats(rows) if e.kind == "accepted"]
    assert [(t.rule_id, t.amount) for t in takes] == [(rule_id, Decimal("1.19"))]

    again = await shop.accept(offer_token(order))  # the link after payment: same checkout, nothing new
    assert again.status_code in (303, 410)
    assert len(await events(shop.app, "accepted")) == 1


async def test_double_and_concurrent_accepts_make_one_checkout(shop: Shop) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    token = offer_token(order)

    responses = await asyncio.gather(*(shop.accept(token) for _ in range(6)))
    assert all(r.status_code in (303, 409) for r in responses), [r.status_code for r in responses]
    locations = {r.headers["location"] for r in responses if r.status_code == 303}
    assert len(locations) == 1
    again = await shop.accept(token)  # the double click after the first finished: the same checkout
    assert again.status_code == 303 and again.headers["location"] in locations
    assert len(follow_ups(shop.emulator, order)) == 1
    assert len(await events(shop.app, "accepted")) == 1


async def _die_after_checkout_created(shop: Shop, order: Order) -> str:
    """What a process that crashed after checkoutCreate leaves: the row accepting, a checkout in Saleor."""
    [row] = await offer_rows(shop.app)
    parts = shop.app.parts
    async with parts.db.transaction() as session:
        repository = PostPurchaseOfferRepository(session)
        assert await repository.transition(row.id, OPEN, ACCEPTING, shop.clock())
        offer = await repository.get(row.id)
    assert offer is not None
    installation = (await shop.app.data.installations.all())[0]
    client = parts.saleor.for_auth(installation)
    fresh = (await client.query("PostPurchaseOrder", {"id": order.id}, PostPurchaseOrderData)).order
    assert fresh is not None
    checkout, _ = await follow_up.open_checkout(client, fresh, offer, Decimal("1.19"))
    return checkout.id


async def test_a_click_after_a_crash_resumes_with_the_checkout_already_made(shop: Shop) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    made = await _die_after_checkout_created(shop, order)

    early = await shop.accept(offer_token(order))  # the dead accept is still fresh: not taken over yet
    assert early.status_code == 409 and "still adding" in early.text
    shop.clock.advance(RESUME_AFTER + timedelta(seconds=1))
    response = await shop.accept(offer_token(order))
    assert response.status_code == 303, response.text
    assert checkout_id_of(response.headers["location"]) == made
    assert len(follow_ups(shop.emulator, order)) == 1
    assert len(await events(shop.app, "accepted")) == 1
    paid = await pay_follow_up(shop, made)
    assert [row.converted_order_id for row in await offer_rows(shop.app)] == [paid.id]


async def test_the_sweep_resumes_an_accept_whose_process_died(shop: Shop) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    made = await _die_after_checkout_created(shop, order)

    assert (await shop.app.parts.sweeper.sweep(shop.clock())).resumed == 0  # not stale yet
    shop.clock.advance(RESUME_AFTER + timedelta(seconds=1))
    report = await shop.app.parts.sweeper.sweep(shop.clock())
    assert report.resumed == 1
    [row] = await offer_rows(shop.app)
    assert (row.status, row.checkout_id) == ("accepted", made)
    assert order.meta[om.OFFER_CHECKOUT] == made
    response = await shop.accept(offer_token(order))  # the shopper comes back: sent to that checkout
    assert response.status_code == 303 and checkout_id_of(response.headers["location"]) == made
    assert len(follow_ups(shop.emulator, order)) == 1


async def test_an_unpaid_follow_up_checkout_loses_the_offer_after_its_hold(shop: Shop) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    response = await shop.accept(offer_token(order))
    checkout = shop.emulator.checkout(checkout_id_of(response.headers["location"]))

    shop.clock.advance(timedelta(minutes=15 + 59))
    assert (await shop.app.parts.sweeper.sweep(shop.clock())).released == 0
    shop.clock.advance(timedelta(minutes=2))
    assert (await shop.app.parts.sweeper.sweep(shop.clock())).released == 1
    assert checkout.lines == []  # the offer price is gone from the storefront too
    assert (await shop.accept(offer_token(order))).status_code == 410
    assert (await shop.app.parts.sweeper.sweep(shop.clock())).released == 0


@pytest.mark.parametrize("shop_settings", [{}], indirect=False)
async def test_no_offer_where_an_accept_could_not_be_paid(shop: Shop, shop_settings: dict[str, Any]) -> None:
    # Neither a storefront checkout URL nor same-order add-ons configured for the channel.
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    assert order.channel.slug == CHANNEL
    assert om.OFFER_ID not in order.meta and await offer_rows(shop.app) == []


async def test_an_offer_that_ends_unanswered_leaves_no_priced_line_in_an_orphan_checkout(shop: Shop) -> None:
    # An accept made the checkout, then Saleor failed: the row went back to open and nobody clicked again.
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    made = await _die_after_checkout_created(shop, order)
    [row] = await offer_rows(shop.app)
    async with shop.app.parts.db.transaction() as session:
        assert await PostPurchaseOfferRepository(session).transition(row.id, ACCEPTING, OPEN, shop.clock())

    shop.clock.advance(timedelta(minutes=16))
    assert (await shop.app.parts.sweeper.sweep(shop.clock())).expired == 1
    assert shop.emulator.checkout(made).lines == []


async def test_promotion_ended_since_the_offer_is_corrected_down_on_the_checkout(shop: Shop) -> None:
    await add_rule(shop.app, offer_variant_id=MIGHTY_MUG, price={"type": "fixed", "amounts": {"USD": "4.00"}})
    order = await buy_tee(shop.app, shop.emulator)
    # The 30% promotion ends before the click while the app's pricing cache still has it: the
    # compensated custom price (5.72) would be charged in full, so the app sets the line to 4.00.
    mug = next(v for p in shop.emulator.state.products.values() for v in p.variants if v.id == MIGHTY_MUG)
    mug.promotion = None
    response = await shop.accept(offer_token(order))
    assert response.status_code == 303, response.text
    checkout = shop.emulator.checkout(checkout_id_of(response.headers["location"]))
    [line] = checkout.lines
    assert checkout.prices().lines[line].unit_gross == Decimal("4.00")
