"""Order flows and the orders connection."""

from __future__ import annotations

from typing import Any

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp

from .fake_app import FakeApp, capture

MONOSPACE_S, MIGHTY_MUG, AUDIOBOOK = (
    "UHJvZHVjdFZhcmlhbnQ6MzQ4",
    "UHJvZHVjdFZhcmlhbnQ6Mzgy",
    "UHJvZHVjdFZhcmlhbnQ6MzI0",
)
PAGE = """query($after: String) {
  orders(first: 3, after: $after, sortBy: {field: CREATED_AT, direction: DESC}) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id number } } } }"""


async def _order_via_app(emu: SaleorEmulator, token: str) -> str:
    checkout = await emu.shopper.ready_checkout([(MONOSPACE_S, 1)])
    query = "mutation($id: ID!) { orderCreateFromCheckout(id: $id) { order { id status } errors { code } } }"
    result = await emu.graphql(query, {"id": checkout["id"]}, token=token)
    order = result["data"]["orderCreateFromCheckout"]["order"]
    assert order["status"] == "UNCONFIRMED"
    return str(order["id"])


async def test_orders_pagination_is_stable(emu: SaleorEmulator, installed: InstalledApp) -> None:
    for _ in range(7):
        await emu.shopper.buy([(AUDIOBOOK, 1)])
    seen: list[str] = []
    after = None
    while True:
        page = (await emu.graphql(PAGE, {"after": after}, token=installed.token))["data"]["orders"]
        seen += [e["node"]["number"] for e in page["edges"]]
        if after is None:
            await emu.shopper.buy([(AUDIOBOOK, 1)])  # a new order must not shift later pages
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [str(n) for n in range(7, 0, -1)]


async def test_post_purchase_flow_matches_captures(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    order_id = await _order_via_app(emu, installed.token)
    add = capture("graphql-app-orderLinesCreate.json")["request"]["body"]["query"]
    result = await emu.graphql(
        add, {"id": order_id, "input": [{"variantId": MIGHTY_MUG, "quantity": 1}]}, token=installed.token
    )
    [line] = result["data"]["orderLinesCreate"]["orderLines"]
    assert (line["unitPrice"]["gross"]["amount"], line["unitDiscountType"], line["unitDiscountValue"]) == (
        8.39,
        "PERCENTAGE",
        30.0,
    )
    discount = capture("graphql-app-orderLineDiscountUpdate.json")["request"]["body"]
    result = await emu.graphql(
        discount["query"], {**discount["variables"], "orderLineId": line["id"]}, token=installed.token
    )
    updated: dict[str, Any] = result["data"]["orderLineDiscountUpdate"]["orderLine"]
    assert updated["unitPrice"]["gross"]["amount"] == 9.99  # replaces the promotion (surprise 20)
    confirm = (
        "mutation($id: ID!) { orderConfirm(id: $id) { order { status } errors { field message code } } }"
    )
    first = await emu.graphql(confirm, {"id": order_id}, token=installed.token)
    assert first["data"]["orderConfirm"]["order"] == {"status": "UNFULFILLED"}
    again = await emu.graphql(confirm, {"id": order_id}, token=installed.token)
    assert (
        again["data"]["orderConfirm"]["errors"]
        == capture("graphql-app-orderConfirm-already-confirmed.json")["response"]["body"]["data"][
            "orderConfirm"
        ]["errors"]
    )
    pair = capture("graphql-app-orderLinesCreate-not-editable.json")
    refused = await emu.graphql(
        pair["request"]["body"]["query"],
        {**pair["request"]["body"]["variables"], "id": order_id},
        token=installed.token,
    )
    assert refused["data"] == pair["response"]["body"]["data"]
    await emu.drain()
    assert [e.headers["saleor-event"] for e in fake_app.received if "order" in e.path] == [
        "order_created",
        "order_confirmed",
        "order_confirmed",
    ]


async def test_shopper_paid_checkout_events(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    order = await emu.shopper.buy([(AUDIOBOOK, 2)])
    assert (order["status"], order["isPaid"], order["chargeStatus"]) == ("UNFULFILLED", True, "FULL")
    await emu.drain()
    events = [e.headers["saleor-event"] for e in fake_app.received if "order" in e.path]
    assert events == ["order_created", "order_fully_paid", "order_confirmed"]


async def test_unconfirmed_channel_keeps_orders_editable(
    emu: SaleorEmulator, installed: InstalledApp
) -> None:
    emu.state.channels["default-channel"].automatically_confirm_all_new_orders = False
    order = await emu.shopper.buy([(AUDIOBOOK, 1)])
    assert order["status"] == "UNCONFIRMED"
