"""The storefront's post-purchase GraphQL: the offer of an order by its id or token, accept / decline by
the offer token, and an expiry that takes the price away everywhere (page, API, order metadata)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saleor_upsell_app.postpurchase import order_metadata as om
from tests.postpurchase.helpers import Shop, add_rule, buy_tee, offer_rows, offer_token

OFFER = """
query($saleorApiUrl: String!, $orderId: ID, $orderToken: String) {
  postPurchaseOffer(saleorApiUrl: $saleorApiUrl, orderId: $orderId, orderToken: $orderToken) {
    id orderId status variantId productName imageUrl headline benefits socialProof showValueComparison
    price { amount currency } regularPrice { amount currency }
    expiresAt secondsLeft token offerUrl checkoutUrl
  }
}"""
ACCEPT = """
mutation($token: String!) {
  acceptPostPurchaseOffer(token: $token) {
    result checkoutId checkoutUrl price { amount currency } amountDue { amount currency }
    errors { code message }
  }
}"""
DECLINE = """
mutation($token: String!) { declinePostPurchaseOffer(token: $token) { declined errors { code message } } }"""


async def graphql(shop: Shop, query: str, **variables: Any) -> dict[str, Any]:
    response = await shop.http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def offer_of(shop: Shop, **ref: str) -> dict[str, Any] | None:
    body = await graphql(shop, OFFER, saleorApiUrl=shop.emulator.api_url, **ref)
    assert "errors" not in body, body
    found: dict[str, Any] | None = body["data"]["postPurchaseOffer"]
    return found


async def test_offer_by_order_id_or_token_then_accept_once(shop: Shop) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    [row] = await offer_rows(shop.app)

    by_id = await offer_of(shop, orderId=order.id)
    by_token = await offer_of(shop, orderToken=order.token)
    assert by_id is not None and by_token is not None
    assert {**by_id, "secondsLeft": 0} == {**by_token, "secondsLeft": 0}  # a second may pass between
    assert (by_id["id"], by_id["orderId"], by_id["status"]) == (row.id, order.id, "OPEN")
    assert by_id["productName"] == "Apple Juice" and by_id["headline"] == "Thirsty? Add a cold apple juice"
    assert by_id["benefits"] == ["Ships in the same parcel", "Pressed this week"]
    assert by_id["price"] == {"amount": "1.19", "currency": "USD"}
    assert by_id["regularPrice"] == {"amount": "1.49", "currency": "USD"}
    assert by_id["showValueComparison"] is True
    assert by_id["token"] == offer_token(order) and by_id["offerUrl"] == order.meta[om.OFFER_URL]
    assert 14 * 60 < by_id["secondsLeft"] <= 15 * 60 and by_id["expiresAt"].startswith(
        str(row.expires_at.date())
    )

    accepted = (await graphql(shop, ACCEPT, token=by_id["token"]))["data"]["acceptPostPurchaseOffer"]
    assert accepted["errors"] == [] and accepted["result"] == "FOLLOW_UP_CHECKOUT"
    assert accepted["checkoutUrl"] == f"https://shop.example/checkout?checkout={accepted['checkoutId']}"
    assert accepted["price"] == {"amount": "1.19", "currency": "USD"} and accepted["amountDue"] is None
    again = (await graphql(shop, ACCEPT, token=by_id["token"]))["data"]["acceptPostPurchaseOffer"]
    assert again["checkoutId"] == accepted["checkoutId"]  # the same checkout, never a second one

    after = await offer_of(shop, orderId=order.id)
    assert after is not None and after["status"] == "ACCEPTED"
    assert after["token"] is None and after["checkoutUrl"] == accepted["checkoutUrl"]
    declined = (await graphql(shop, DECLINE, token=by_id["token"]))["data"]["declinePostPurchaseOffer"]
    assert declined["declined"] is False and declined["errors"][0]["code"] == "ALREADY_ANSWERED"


async def test_decline_forged_unknown_and_bad_lookups(shop: Shop) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    declined = (await graphql(shop, DECLINE, token=offer_token(order)))["data"]["declinePostPurchaseOffer"]
    assert declined == {"declined": True, "errors": []}
    refused = (await graphql(shop, ACCEPT, token=offer_token(order)))["data"]["acceptPostPurchaseOffer"]
    assert refused["result"] is None and [e["code"] for e in refused["errors"]] == ["ALREADY_ANSWERED"]
    found = await offer_of(shop, orderId=order.id)
    assert found is not None and (found["status"], found["price"], found["token"]) == ("DECLINED", None, None)

    forged = (await graphql(shop, ACCEPT, token="A" * 55))["data"]["acceptPostPurchaseOffer"]
    assert [e["code"] for e in forged["errors"]] == ["NOT_FOUND"]
    assert await offer_of(shop, orderToken="00000000-0000-4000-8000-000000000000") is None
    assert await offer_of(shop, orderToken="not-a-token") is None
    both = await graphql(
        shop, OFFER, saleorApiUrl=shop.emulator.api_url, orderId=order.id, orderToken=order.token
    )
    assert both["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    other_shop = await graphql(shop, OFFER, saleorApiUrl="https://other.example/graphql/", orderId=order.id)
    assert other_shop["data"]["postPurchaseOffer"] is None


async def test_after_expiry_the_price_is_gone_everywhere(shop: Shop) -> None:
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    token = offer_token(order)
    assert order.meta[om.OFFER_PRICE] == "1.19"

    shop.clock.advance(timedelta(minutes=15, seconds=1))
    # Before any sweep: the API and the page already refuse to show or take the price.
    found = await offer_of(shop, orderId=order.id)
    assert found is not None
    assert (found["status"], found["price"], found["regularPrice"], found["token"], found["expiresAt"]) == (
        "EXPIRED",
        None,
        None,
        None,
        None,
    )
    page = await shop.page(token)
    assert page.status_code == 410 and "1.19" not in page.text
    refused = (await graphql(shop, ACCEPT, token=token))["data"]["acceptPostPurchaseOffer"]
    assert [e["code"] for e in refused["errors"]] == ["EXPIRED"]

    report = await shop.app.parts.sweeper.sweep(shop.clock())
    assert report.expired == 1
    # The order's public metadata no longer carries a price or a usable link.
    assert order.meta[om.OFFER_STATUS] == "expired"
    assert not {om.OFFER_PRICE, om.OFFER_REGULAR_PRICE, om.OFFER_TOKEN, om.OFFER_URL} & set(order.meta)
    assert order.meta[om.OFFER_ID] and order.meta[om.OFFER_HEADLINE]


async def test_post_purchase_fields_count_as_storefront_fields(shop: Shop) -> None:
    # Four aliased lookups (order-id guessing in one request) are refused before any is resolved.
    fields = " ".join(
        f'o{i}: postPurchaseOffer(saleorApiUrl: "x", orderToken: "{i}") {{ id }}' for i in range(4)
    )
    body = await graphql(shop, f"{{ {fields} }}")
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert body["errors"][0]["extensions"]["reason"] == "STOREFRONT_FIELDS"
