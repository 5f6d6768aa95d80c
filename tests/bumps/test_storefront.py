"""Storefront API through the emulated Saleor: list offers (offer mode), accept once, revert an upgrade."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from saleor_upsell_app.tables import OfferEvent, Suggestion
from testing.saleor_emulator.ids import to_global_id
from testing.sample_data import APPLE_JUICE, CUBES_M, POLO, TEE_PRODUCT, TEE_S
from tests.api.client import Api, error_codes
from tests.bumps.helpers import add_rule, offer_lines, set_channel, unit_price
from tests.rules.test_rules import upgrade_rule

OFFERS = """query($saleorApiUrl: String!, $checkoutId: ID!) { checkoutOffers(saleorApiUrl: $saleorApiUrl,
  checkoutId: $checkoutId) { mode channel offers { ruleId kind variantId productName quantity headline reason
  price { amount currency } regularPrice { amount } replacesLineId } } }"""
ACCEPT = """mutation($saleorApiUrl: String!, $checkoutId: ID!, $ruleId: ID!) { acceptCheckoutOffer(
  saleorApiUrl: $saleorApiUrl, checkoutId: $checkoutId, ruleId: $ruleId) {
  lineId offer { ruleId } errors { field code message } } }"""
APPLE_JUICE_PRODUCT = to_global_id("Product", 110)
REVERT = """mutation($saleorApiUrl: String!, $checkoutId: ID!, $lineId: ID!) { revertUpgrade(
  saleorApiUrl: $saleorApiUrl, checkoutId: $checkoutId, lineId: $lineId) {
  lineId errors { field code message } } }"""


async def _events(api: Api) -> list[tuple[str, int | None]]:
    async with api.app.data.sessions() as session:
        rows = await session.execute(select(OfferEvent.kind, OfferEvent.rule_id).order_by(OfferEvent.id))
        return [(kind, rule_id) for kind, rule_id in rows]


async def test_offer_mode_lists_then_accepts_exactly_once(api: Api) -> None:
    app, emulator = api.app, api.emulator
    await set_channel(app, mode="offer")
    rule_id = await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)
    assert offer_lines(await emulator.shopper.checkout(checkout["id"])) == []  # offer mode adds nothing

    listed = (await api.storefront(OFFERS, {"checkoutId": checkout["id"]}))["data"]["checkoutOffers"]
    assert (listed["mode"], listed["channel"]) == ("OFFER", "default-channel")
    [offer] = listed["offers"]
    assert (offer["ruleId"], offer["kind"], offer["variantId"]) == (str(rule_id), "BUMP", APPLE_JUICE)
    assert offer["price"] == {"amount": "1.19", "currency": "USD"} and offer["regularPrice"] == {
        "amount": "1.49"
    }
    assert offer["headline"] == "Add a cold apple juice" and offer["productName"] == "Apple Juice"

    accepted = (await api.storefront(ACCEPT, {"checkoutId": checkout["id"], "ruleId": str(rule_id)}))["data"]
    payload = accepted["acceptCheckoutOffer"]
    assert payload["errors"] == [] and payload["offer"] == {"ruleId": str(rule_id)}
    [line] = offer_lines(await emulator.shopper.checkout(checkout["id"]))
    assert line["id"] == payload["lineId"] and unit_price(line) == Decimal("1.19")

    again = (await api.storefront(ACCEPT, {"checkoutId": checkout["id"], "ruleId": str(rule_id)}))["data"]
    assert [e["code"] for e in again["acceptCheckoutOffer"]["errors"]] == ["ALREADY_DONE"]
    await app.wait_idle(emulator)
    assert len(offer_lines(await emulator.shopper.checkout(checkout["id"]))) == 1
    relisted = (await api.storefront(OFFERS, {"checkoutId": checkout["id"]}))["data"]["checkoutOffers"]
    assert relisted["offers"] == []
    kinds = [kind for kind, rid in await _events(api) if rid == rule_id]
    assert kinds.count("offered") == 1 and kinds.count("accepted") == 1


async def test_ineligible_offer_is_refused(api: Api) -> None:
    app, emulator = api.app, api.emulator
    await set_channel(app, mode="offer")
    rule_id = await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(POLO, 1)])  # no tee: the trigger is missing
    result = (await api.storefront(ACCEPT, {"checkoutId": checkout["id"], "ruleId": str(rule_id)}))["data"]
    [error] = result["acceptCheckoutOffer"]["errors"]
    assert (error["field"], error["code"]) == ("ruleId", "NOT_ELIGIBLE")
    assert error["message"] == "Nothing in the checkout triggers this offer."
    unknown_rule = (await api.storefront(ACCEPT, {"checkoutId": checkout["id"], "ruleId": "999"}))["data"]
    [unknown] = unknown_rule["acceptCheckoutOffer"]["errors"]
    assert unknown["code"] == "NOT_ELIGIBLE" and "no such offer" in unknown["message"]
    assert offer_lines(await emulator.shopper.checkout(checkout["id"])) == []


async def test_unknown_saleor_and_checkout(api: Api) -> None:
    body = await api.post(OFFERS, {"saleorApiUrl": "https://nope.example.com/graphql/", "checkoutId": "x"})
    assert error_codes(body) == [("NOT_FOUND", None)]
    missing = await api.storefront(
        ACCEPT, {"checkoutId": "Q2hlY2tvdXQ6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw", "ruleId": "1"}
    )
    assert [e["code"] for e in missing["data"]["acceptCheckoutOffer"]["errors"]] == ["NOT_FOUND"]


async def test_revert_upgrade_restores_original_and_is_not_offered_again(api: Api) -> None:
    app, emulator = api.app, api.emulator
    created = await api.data(
        "mutation($spec: JSON!) { ruleCreate(spec: $spec) { rule { id } errors { message } } }",
        {"spec": upgrade_rule(channels=[])},
    )
    rule_id = int(created["ruleCreate"]["rule"]["id"])
    await set_channel(app)  # no holdout: with the 10% default one checkout in ten gets no upgrade
    checkout = await emulator.shopper.create_checkout([(TEE_S, 2)])
    await app.wait_idle(emulator)
    [upgrade] = offer_lines(await emulator.shopper.checkout(checkout["id"]))
    assert upgrade["variant"]["id"] == CUBES_M and upgrade["quantity"] == 2

    reverted = (await api.storefront(REVERT, {"checkoutId": checkout["id"], "lineId": upgrade["id"]}))["data"]
    assert reverted["revertUpgrade"]["errors"] == []
    await app.wait_idle(emulator)
    after = await emulator.shopper.checkout(checkout["id"])
    assert [(line["variant"]["id"], line["quantity"]) for line in after["lines"]] == [(TEE_S, 2)]
    assert after["lines"][0]["id"] == reverted["revertUpgrade"]["lineId"]
    assert ("declined", rule_id) in await _events(api)

    await emulator.shopper.add_lines(checkout["id"], [(POLO, 1)])  # more activity: no second upgrade
    await app.wait_idle(emulator)
    assert offer_lines(await emulator.shopper.checkout(checkout["id"])) == []
    again = (await api.storefront(REVERT, {"checkoutId": checkout["id"], "lineId": upgrade["id"]}))["data"]
    assert [e["code"] for e in again["revertUpgrade"]["errors"]] == ["ALREADY_DONE"]


async def test_revert_refuses_lines_the_app_did_not_upgrade(api: Api) -> None:
    checkout = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
    [line] = checkout["lines"]
    result = (await api.storefront(REVERT, {"checkoutId": checkout["id"], "lineId": line["id"]}))["data"]
    assert [e["code"] for e in result["revertUpgrade"]["errors"]] == ["NOT_AN_UPGRADE"]


async def test_accepted_offer_loses_its_discount_when_the_trigger_leaves(api: Api) -> None:
    app, emulator = api.app, api.emulator
    await set_channel(app, mode="offer")
    rule_id = await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1), (POLO, 1)])
    await app.wait_idle(emulator)
    await api.storefront(ACCEPT, {"checkoutId": checkout["id"], "ruleId": str(rule_id)})
    current = await emulator.shopper.checkout(checkout["id"])
    assert len(offer_lines(current)) == 1
    tee = next(line for line in current["lines"] if line["variant"]["id"] == TEE_S)

    await emulator.shopper.remove_lines(checkout["id"], [tee["id"]])
    await app.wait_idle(emulator)

    assert [line["variant"]["id"] for line in (await emulator.shopper.checkout(checkout["id"]))["lines"]] == [
        POLO
    ]


async def _mined_pair(
    api: Api, antecedent: str, consequent: str, together: int, antecedent_orders: int
) -> None:
    installation = (await api.app.data.installations.all())[0]
    async with api.app.data.sessions() as session, session.begin():
        session.add(
            Suggestion(
                installation_id=installation.id,
                channel_slug="default-channel",
                level="product",
                source="mined",
                antecedent_id=antecedent,
                consequent_id=consequent,
                evidence={"support_count": together, "antecedent_orders": antecedent_orders},
                computed_at=api.app.data.clock(),
            )
        )


@pytest.mark.parametrize(
    ("min_orders", "expected"),
    [(50, "61% of customers who bought Monospace Tee also added Apple Juice"), (500, "")],
)
async def test_social_proof_placeholder_is_filled_only_above_the_minimum_sample(
    api: Api, min_orders: int, expected: str
) -> None:
    app, emulator = api.app, api.emulator
    await set_channel(app, mode="offer", social_proof_min_orders=min_orders)
    reason = "Our shoppers agree. {social_proof}"
    await add_rule(app, copy={"headline": "Add a cold apple juice", "reason": reason})
    await _mined_pair(api, TEE_PRODUCT, APPLE_JUICE_PRODUCT, together=119, antecedent_orders=195)  # 61.03%
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)

    [offer] = (await api.storefront(OFFERS, {"checkoutId": checkout["id"]}))["data"]["checkoutOffers"][
        "offers"
    ]
    assert offer["reason"] == f"Our shoppers agree. {expected}"
