"""The order widget's query: offers around one order, from its checkout's events and its own."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from saleor_upsell_app.insights.events import NewEvent
from saleor_upsell_app.insights.orders import CompactOrder
from saleor_upsell_app.rules.service import validate_rule
from testing.sample_data import bump_rule
from tests.api.client import Api

QUERY = """query($orderId: ID!) { orderOffers(orderId: $orderId) {
  kind offerType ruleId ruleName amount { amount currency } } }"""
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


async def test_order_offers_joins_checkout_and_order_events(api: Api) -> None:
    own = await api.installation_id()
    services = api.app.data
    rule = await services.rules.create(own, validate_rule(bump_rule(name="Juice")), NOW)
    order = CompactOrder(
        "T3JkZXI6MQ==", "Q2hlY2tvdXQ6MQ==", "default-channel", NOW, "USD", Decimal("21.19"), []
    )
    await services.orders.upsert_many(own, [order])
    usd = {"currency": "USD", "channel_slug": "default-channel"}
    await services.events.record(
        own,
        [
            NewEvent("eligible", "bump", checkout_id="Q2hlY2tvdXQ6MQ==", **usd),  # bookkeeping: hidden
            NewEvent(
                "offered", "bump", rule.id, checkout_id="Q2hlY2tvdXQ6MQ==", amount=Decimal("1.19"), **usd
            ),
            NewEvent("converted", "bump", rule.id, order_id=order.order_id, amount=Decimal("1.19"), **usd),
            NewEvent(
                "offered", "bump", rule.id, checkout_id="another-checkout", amount=Decimal("1.19"), **usd
            ),
        ],
        NOW,
    )

    rows = (await api.data(QUERY, {"orderId": order.order_id}))["orderOffers"]
    assert [(r["kind"], r["ruleName"], r["amount"]) for r in rows] == [
        ("offered", "Juice", {"amount": "1.19", "currency": "USD"}),
        ("converted", "Juice", {"amount": "1.19", "currency": "USD"}),
    ]
    assert (await api.data(QUERY, {"orderId": "T3JkZXI6Mg=="}))["orderOffers"] == []


async def test_order_offers_needs_a_staff_token(api: Api) -> None:
    body = await api.dashboard(QUERY, {"orderId": "T3JkZXI6MQ=="}, token="not-a-token")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_same_order_add_on_shows_what_is_still_to_collect(api: Api) -> None:
    own = await api.installation_id()
    usd = {"currency": "USD", "channel_slug": "default-channel"}
    await api.app.data.events.record(
        own,
        [
            NewEvent(
                "accepted",
                "post_purchase",
                order_id="T3JkZXI6Mw==",
                amount=Decimal("1.19"),
                details={"result": "added_to_order", "amount_due": "1.19"},
                **usd,
            )
        ],
        NOW,
    )
    query = """query($orderId: ID!) { orderOffers(orderId: $orderId) {
      kind amount { amount currency } amountDue { amount currency } } }"""
    [row] = (await api.data(query, {"orderId": "T3JkZXI6Mw=="}))["orderOffers"]
    assert row["amountDue"] == {"amount": "1.19", "currency": "USD"} == row["amount"]
