"""Placements through the app's /graphql and the emulated Saleor: the offers for a product page, a cart,
a checkout and a thank-you page, accepting them through the exactly-once path, and the guardrails (cap,
holdout, declines, currency) on each."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from saleor_upsell_app.engine.holdout import in_holdout
from saleor_upsell_app.tables import OfferEvent, Suggestion
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.ids import to_global_id
from testing.sample_data import APPLE_JUICE, MIGHTY_MUG, POLO, TEE_PRODUCT, TEE_S
from tests.api.client import Api, error_codes
from tests.bumps.helpers import add_rule, offer_lines, set_channel, unit_price
from tests.postpurchase.helpers import CHANNEL, CHECKOUT_URL, keep_orders_unconfirmed, lines_of, unit
from tests.postpurchase.helpers import add_rule as add_post_purchase_rule

APPLE_JUICE_PRODUCT = to_global_id("Product", 110)
PLN = "channel-pln"
OFFER_FIELDS = """key kind variantId productId productName imageUrl quantity headline reason badge socialProof
  price { amount currency } regularPrice { amount currency } acceptWith offerUrl expiresAt
  why { source ruleId ruleName evidence { productId ordersTogether ordersWithProduct confidence lift } }"""
PLACEMENTS = f"""query($saleorApiUrl: String!, $channel: String!, $placement: Placement!, $productId: ID,
  $variantId: ID, $checkoutId: ID, $orderId: ID) {{ placements(saleorApiUrl: $saleorApiUrl, channel: $channel,
  placement: $placement, productId: $productId, variantId: $variantId, checkoutId: $checkoutId,
  orderId: $orderId) {{ placement channel checkoutId offers {{ {OFFER_FIELDS} }} }} }}"""
ACCEPT = """mutation($saleorApiUrl: String!, $channel: String!, $placement: Placement!, $key: ID!,
  $productId: ID, $variantId: ID, $checkoutId: ID, $orderId: ID) {
  placementAccept(saleorApiUrl: $saleorApiUrl,
  channel: $channel, placement: $placement, key: $key, productId: $productId, variantId: $variantId,
  checkoutId: $checkoutId, orderId: $orderId) { result lineId checkoutId createdCheckout orderId
  errors { field code message } } }"""
DECLINE = """mutation($saleorApiUrl: String!, $channel: String!, $placement: Placement!, $key: ID!,
  $checkoutId: ID, $orderId: ID) { placementDecline(saleorApiUrl: $saleorApiUrl, channel: $channel,
  placement: $placement, key: $key, checkoutId: $checkoutId, orderId: $orderId) {
  recorded errors { field code message } } }"""


async def _placements(api: Api, placement: str, channel: str = "default-channel", **ids: Any) -> Any:
    body = await api.storefront(PLACEMENTS, {"channel": channel, "placement": placement, **ids})
    assert "errors" not in body, body
    return body["data"]["placements"]


async def _product_offers(api: Api, channel: str = "default-channel", **ids: Any) -> list[dict[str, Any]]:
    placed = await _placements(api, "PRODUCT", channel, productId=TEE_PRODUCT, variantId=TEE_S, **ids)
    offers: list[dict[str, Any]] = placed["offers"]
    return offers


async def _accept(api: Api, offer: dict[str, Any], channel: str = "default-channel") -> dict[str, Any]:
    body = await api.storefront(ACCEPT, {"channel": channel, **offer["acceptWith"]})
    payload: dict[str, Any] = body["data"]["placementAccept"]
    return payload


async def _decline(api: Api, offer: dict[str, Any], channel: str = "default-channel") -> dict[str, Any]:
    args = {
        k: v for k, v in offer["acceptWith"].items() if k in ("placement", "key", "checkoutId", "orderId")
    }
    body = await api.storefront(DECLINE, {"channel": channel, **args})
    payload: dict[str, Any] = body["data"]["placementDecline"]
    return payload


async def _events(api: Api, kind: str) -> list[OfferEvent]:
    async with api.app.data.sessions() as session:
        return list(await session.scalars(select(OfferEvent).where(OfferEvent.kind == kind)))


async def _mined_pair(
    api: Api, together: int, antecedent_orders: int, channel: str = "default-channel"
) -> None:
    installation = (await api.app.data.installations.all())[0]
    async with api.app.data.sessions() as session, session.begin():
        session.add(
            Suggestion(
                installation_id=installation.id,
                channel_slug=channel,
                level="product",
                source="mined",
                antecedent_id=TEE_PRODUCT,
                consequent_id=APPLE_JUICE_PRODUCT,
                evidence={
                    "support_count": together,
                    "antecedent_orders": antecedent_orders,
                    "confidence": together / antecedent_orders,
                    "lift": 2.5,
                },
                computed_at=api.app.data.clock(),
            )
        )


def _checkout_in(group: bool, percent: Decimal) -> Any:
    async def make(api: Api) -> str:
        while True:
            checkout: dict[str, Any] = await api.emulator.shopper.create_checkout([(POLO, 1)])
            if in_holdout(checkout["id"], percent) is group:
                return str(checkout["id"])

    return make


# ------------------------------------------------------------------------------------------ PRODUCT


async def test_product_page_offer_has_prices_copy_and_why_and_needs_no_saleor_call_when_warm(
    api: Api,
) -> None:
    rule_id = await add_rule(api.app, copy={"headline": "Add a juice", "reason": "{social_proof}"})
    first = await _product_offers(api)
    calls = len(api.emulator.graphql_calls)
    [offer] = await _product_offers(api)  # warm: rules and catalogue from their caches
    assert len(api.emulator.graphql_calls) == calls
    assert offer == first[0]
    assert (offer["key"], offer["kind"], offer["variantId"]) == (str(rule_id), "BUMP", APPLE_JUICE)
    assert (offer["productId"], offer["productName"], offer["quantity"]) == (
        APPLE_JUICE_PRODUCT,
        "Apple Juice",
        1,
    )
    assert offer["price"] == {"amount": "1.19", "currency": "USD"}
    assert offer["regularPrice"] == {"amount": "1.49", "currency": "USD"}
    assert offer["headline"] == "Add a juice" and offer["reason"] == ""  # no data: no figure, no claim
    assert offer["socialProof"] is None
    assert offer["why"] == {
        "source": "RULE",
        "ruleId": str(rule_id),
        "ruleName": "Juice with every tee",
        "evidence": None,
    }
    assert offer["acceptWith"] == {
        "placement": "PRODUCT",
        "key": str(rule_id),
        "variantId": TEE_S,
        "productId": TEE_PRODUCT,
    }


async def test_product_page_shows_mined_evidence_and_honest_social_proof(api: Api) -> None:
    await set_channel(api.app, social_proof_min_orders=30)
    await add_rule(api.app, copy={"headline": "Add a juice", "reason": "{social_proof}"})
    await _mined_pair(api, together=62, antecedent_orders=100)
    [offer] = await _product_offers(api)
    sentence = "62% of customers who bought Monospace Tee also added Apple Juice"
    assert offer["socialProof"] == sentence and offer["reason"] == sentence
    assert offer["why"]["source"] == "MINED_PAIR"
    assert offer["why"]["evidence"] == {
        "productId": TEE_PRODUCT,
        "ordersTogether": 62,
        "ordersWithProduct": 100,
        "confidence": 0.62,
        "lift": 2.5,
    }


async def test_product_page_evidence_below_the_minimum_sample_is_no_figure(api: Api) -> None:
    await set_channel(api.app, social_proof_min_orders=30)
    await add_rule(api.app)
    await _mined_pair(api, together=9, antecedent_orders=10)  # 90%, but from 10 orders only
    [offer] = await _product_offers(api)
    assert offer["socialProof"] is None
    assert offer["why"]["source"] == "MINED_PAIR" and offer["why"]["evidence"]["ordersWithProduct"] == 10


async def test_product_page_keeps_the_cap_and_the_price_ceiling(api: Api) -> None:
    await set_channel(api.app, max_offers_per_checkout=1, price_ceiling_percent="50")
    best = await add_rule(api.app, priority=10)
    await add_rule(api.app, name="Polo", offer_variant_id=POLO, priority=5)  # 28.00: above 50% of 20.00
    mug_price = {"type": "percent_off", "percent": "40"}  # 7.19, under the mug's promotion price
    await add_rule(api.app, name="Mug", offer_variant_id=MIGHTY_MUG, priority=1, price=mug_price)
    offers = await _product_offers(api)
    assert [o["key"] for o in offers] == [str(best)]  # the cap: one offer

    await set_channel(api.app, max_offers_per_checkout=2, price_ceiling_percent="50")
    offers = await _product_offers(api)
    assert [o["variantId"] for o in offers] == [APPLE_JUICE, MIGHTY_MUG]  # the polo stays above the ceiling
    assert offers[1]["price"]["amount"] == "7.19"


async def test_product_page_prices_in_the_channel_currency(api: Api) -> None:
    await set_channel(api.app, max_offers_per_checkout=2)
    await set_channel(api.app, channel=PLN, max_offers_per_checkout=2)
    await add_rule(api.app, trigger={"product_ids": [TEE_PRODUCT]})
    await add_rule(
        api.app,
        name="Fixed USD only",
        offer_variant_id=MIGHTY_MUG,
        price={"type": "fixed", "amounts": {"USD": "5"}},
    )
    offers = await _product_offers(api, channel=PLN)
    [offer] = offers  # the fixed-price rule has no PLN amount: not offered in PLN
    assert offer["price"]["currency"] == "PLN" and offer["regularPrice"]["currency"] == "PLN"
    regular = Decimal(offer["regularPrice"]["amount"])
    assert Decimal(offer["price"]["amount"]) == (regular * Decimal("0.8")).quantize(Decimal("0.01"))
    usd = await _product_offers(api)
    assert {o["price"]["currency"] for o in usd} == {"USD"} and len(usd) == 2


async def test_product_page_of_a_held_out_checkout_shows_nothing(api: Api) -> None:
    await add_rule(api.app)
    await set_channel(api.app, holdout_percent="50")
    held_out = await _checkout_in(True, Decimal(50))(api)
    treated = await _checkout_in(False, Decimal(50))(api)
    await api.app.wait_idle(api.emulator)
    assert await _product_offers(api, checkoutId=held_out) == []
    assert len(await _product_offers(api, checkoutId=treated)) == 1
    exposures = {e.checkout_id: e.kind for e in await _events(api, "held_out")}
    assert exposures.get(held_out) == "held_out"


async def test_product_page_decline_is_never_shown_again_on_that_checkout(api: Api) -> None:
    rule_id = await add_rule(api.app)
    checkout = await api.emulator.shopper.create_checkout([(POLO, 1)])
    await api.app.wait_idle(api.emulator)
    [offer] = await _product_offers(api, checkoutId=checkout["id"])
    assert [(e.rule_id, e.checkout_id) for e in await _events(api, "offered")] == [(rule_id, checkout["id"])]
    assert await _decline(api, offer) == {"recorded": True, "errors": []}
    assert await _product_offers(api, checkoutId=checkout["id"]) == []
    assert [e.rule_id for e in await _events(api, "declined")] == [rule_id]
    accepted = await _accept(api, offer)  # a stale widget cannot accept what was declined
    assert [e["code"] for e in accepted["errors"]] == ["NOT_ELIGIBLE"]
    # Without a checkout there is nowhere to record it: the widget remembers it in the browser.
    [fresh] = await _product_offers(api)
    assert await _decline(api, fresh) == {"recorded": False, "errors": []}


async def test_product_page_accept_without_checkout_creates_one_with_the_pair(api: Api) -> None:
    await set_channel(api.app, mode="offer")
    await add_rule(api.app)
    [offer] = await _product_offers(api)
    payload = await _accept(api, offer)
    assert payload["errors"] == [] and payload["createdCheckout"] is True
    assert payload["result"] == "ADDED_TO_CHECKOUT"
    await api.app.wait_idle(api.emulator)
    checkout = await api.emulator.shopper.checkout(payload["checkoutId"])
    assert sorted((line["variant"]["id"], line["quantity"]) for line in checkout["lines"]) == sorted(
        [(TEE_S, 1), (APPLE_JUICE, 1)]
    )
    [line] = offer_lines(checkout)
    assert line["id"] == payload["lineId"] and unit_price(line) == Decimal("1.19")

    again = await _accept(api, {"acceptWith": {**offer["acceptWith"], "checkoutId": payload["checkoutId"]}})
    assert [e["code"] for e in again["errors"]] == ["ALREADY_DONE"]
    await api.app.wait_idle(api.emulator)
    after = await api.emulator.shopper.checkout(payload["checkoutId"])
    assert len(offer_lines(after)) == 1 and len(after["lines"]) == 2


async def test_product_page_accept_adds_the_viewed_item_to_an_existing_checkout(api: Api) -> None:
    await set_channel(api.app, mode="offer")
    await add_rule(api.app)
    checkout = await api.emulator.shopper.create_checkout([(POLO, 1)])
    [offer] = await _product_offers(api, checkoutId=checkout["id"])
    payload = await _accept(api, offer)
    assert payload["errors"] == [] and payload["createdCheckout"] is False
    assert payload["checkoutId"] == checkout["id"]
    current = await api.emulator.shopper.checkout(checkout["id"])
    assert sorted(line["variant"]["id"] for line in current["lines"]) == sorted([POLO, TEE_S, APPLE_JUICE])


async def test_product_placement_refuses_bad_input(api: Api) -> None:
    missing = await api.storefront(PLACEMENTS, {"channel": "default-channel", "placement": "PRODUCT"})
    assert error_codes(missing) == [("BAD_REQUEST", "variantId")]
    other = await api.storefront(
        PLACEMENTS,
        {"channel": "default-channel", "placement": "PRODUCT", "productId": TEE_PRODUCT, "variantId": POLO},
    )
    assert error_codes(other) == [("BAD_REQUEST", "productId")]
    calls = len(api.emulator.graphql_calls)
    junk = await api.storefront(
        PLACEMENTS, {"channel": "default-channel", "placement": "PRODUCT", "variantId": "not-an-id"}
    )
    assert error_codes(junk) == [("NOT_FOUND", "variantId")]
    assert len(api.emulator.graphql_calls) == calls  # refused without asking Saleor
    unknown = await api.post(
        PLACEMENTS,
        {"saleorApiUrl": "https://nope.example.com/graphql/", "channel": "c", "placement": "PRODUCT"},
    )
    assert error_codes(unknown) == [("NOT_FOUND", "saleorApiUrl")]


# ------------------------------------------------------------------------------------------ CART / CHECKOUT


async def test_cart_and_checkout_placements_list_and_accept_exactly_once(api: Api) -> None:
    await set_channel(api.app, mode="offer")
    rule_id = await add_rule(api.app)
    checkout = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
    await api.app.wait_idle(api.emulator)
    cart = await _placements(api, "CART", checkoutId=checkout["id"])
    assert (cart["placement"], cart["channel"], cart["checkoutId"]) == (
        "CART",
        "default-channel",
        checkout["id"],
    )
    [offer] = cart["offers"]
    assert offer["acceptWith"] == {"placement": "CART", "key": str(rule_id), "checkoutId": checkout["id"]}
    assert offer["price"] == {"amount": "1.19", "currency": "USD"} and offer["why"]["source"] == "RULE"
    [same] = (await _placements(api, "CHECKOUT", checkoutId=checkout["id"]))["offers"]
    assert same["key"] == offer["key"] and same["acceptWith"]["placement"] == "CHECKOUT"

    payload = await _accept(api, same)
    assert payload["errors"] == [] and payload["createdCheckout"] is False
    again = await _accept(api, offer)
    assert [e["code"] for e in again["errors"]] == ["ALREADY_DONE"]
    [line] = offer_lines(await api.emulator.shopper.checkout(checkout["id"]))
    assert unit_price(line) == Decimal("1.19")
    assert (await _placements(api, "CART", checkoutId=checkout["id"]))["offers"] == []


async def test_cart_placement_guardrails_holdout_decline_and_currency(api: Api) -> None:
    await set_channel(api.app, mode="offer", holdout_percent="50")
    await set_channel(api.app, channel=PLN, mode="offer")
    await add_rule(api.app)
    percent = Decimal(50)
    while True:
        held = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
        if in_holdout(held["id"], percent):
            break
    while True:
        treated = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
        if not in_holdout(treated["id"], percent):
            break
    await api.app.wait_idle(api.emulator)
    assert (await _placements(api, "CART", checkoutId=held["id"]))["offers"] == []
    [offer] = (await _placements(api, "CART", checkoutId=treated["id"]))["offers"]
    assert (await _decline(api, offer))["recorded"] is True
    assert (await _placements(api, "CHECKOUT", checkoutId=treated["id"]))["offers"] == []

    pln = await api.emulator.shopper.create_checkout([(TEE_S, 1)], channel=PLN)
    await api.app.wait_idle(api.emulator)
    [priced] = (await _placements(api, "CART", channel=PLN, checkoutId=pln["id"]))["offers"]
    assert priced["price"]["currency"] == "PLN"


async def test_cart_placement_needs_a_checkout(api: Api) -> None:
    body = await api.storefront(PLACEMENTS, {"channel": "default-channel", "placement": "CART"})
    assert error_codes(body) == [("BAD_REQUEST", "checkoutId")]


# ------------------------------------------------------------------------------------------ THANK_YOU


@pytest.fixture
async def shop_api(app_factory: Callable[..., Any], emulator: SaleorEmulator) -> AsyncIterator[Api]:
    """The app with the merchant's post-purchase settings (how an accepted offer gets paid)."""
    settings = {
        "post_purchase_checkout_urls": {CHANNEL: CHECKOUT_URL},
        "post_purchase_same_order_channels": [CHANNEL],
    }
    async with app_factory(**settings) as app:
        installed = await emulator.install_app(app.manifest_url)
        yield Api(app, emulator, installed)


async def test_thank_you_placement_shows_and_accepts_the_post_purchase_offer(shop_api: Api) -> None:
    api = shop_api
    keep_orders_unconfirmed(api.emulator)
    rule_id = await add_post_purchase_rule(api.app)
    placed = await api.emulator.shopper.buy([(TEE_S, 1)])
    await api.app.wait_idle(api.emulator)
    thank_you = await _placements(api, "THANK_YOU", orderId=placed["id"])
    [offer] = thank_you["offers"]
    assert (offer["kind"], offer["variantId"], offer["productName"]) == (
        "POST_PURCHASE",
        APPLE_JUICE,
        "Apple Juice",
    )
    assert (
        offer["price"] == {"amount": "1.19", "currency": "USD"} and offer["regularPrice"]["amount"] == "1.49"
    )
    assert offer["headline"] == "Thirsty? Add a cold apple juice"
    assert offer["reason"] == "Ships in the same parcel · Pressed this week"
    assert offer["why"] == {
        "source": "POST_PURCHASE",
        "ruleId": str(rule_id),
        "ruleName": "Juice after a tee",
        "evidence": None,
    }
    assert offer["offerUrl"].startswith(f"{api.app.base_url}/offers/") and offer["expiresAt"]
    assert offer["acceptWith"] == {"placement": "THANK_YOU", "key": offer["key"], "orderId": placed["id"]}

    payload = await _accept(api, offer)
    assert payload["errors"] == [] and payload["result"] == "ADDED_TO_ORDER"
    assert payload["orderId"] == placed["id"]
    order = api.emulator.state.order(placed["id"])
    assert order is not None
    [line] = lines_of(order, APPLE_JUICE)
    assert unit(line) == Decimal("1.19") and line.id == payload["lineId"]
    again = await _accept(api, offer)  # post-purchase answers a repeat with the same outcome
    assert again["errors"] == [] and again["lineId"] == payload["lineId"]
    assert len(lines_of(order, APPLE_JUICE)) == 1  # exactly once
    assert (await _placements(api, "THANK_YOU", orderId=placed["id"]))["offers"] == []


async def test_thank_you_decline_and_orders_without_an_offer(shop_api: Api) -> None:
    api = shop_api
    await add_post_purchase_rule(api.app)
    placed = await api.emulator.shopper.buy([(TEE_S, 1)])
    plain = await api.emulator.shopper.buy([(POLO, 1)])  # no rule matches: no offer
    await api.app.wait_idle(api.emulator)
    assert (await _placements(api, "THANK_YOU", orderId=plain["id"]))["offers"] == []
    [offer] = (await _placements(api, "THANK_YOU", orderId=placed["id"]))["offers"]
    assert await _decline(api, offer) == {"recorded": True, "errors": []}
    assert (await _placements(api, "THANK_YOU", orderId=placed["id"]))["offers"] == []
    again = await _decline(api, offer)
    assert [e["code"] for e in again["errors"]] == ["ALREADY_DONE"]
