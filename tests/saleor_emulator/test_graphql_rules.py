"""Validation, permission and error shapes as in the captures; the 4.20 price rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp

from .fake_app import capture

MONOSPACE_S, MIGHTY_MUG = "UHJvZHVjdFZhcmlhbnQ6MzQ4", "UHJvZHVjdFZhcmlhbnQ6Mzgy"


async def _post(emu: SaleorEmulator, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient() as client:
        return await client.post(emu.api_url, json=body, headers=headers)


def _strip(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Captured errors without the DEBUG-only stacktrace and without locations."""
    return [
        {
            "message": e["message"],
            "path": e.get("path"),
            "extensions": {"exception": {"code": e["extensions"]["exception"]["code"]}},
        }
        for e in errors
    ]


async def test_invalid_operation_rejected_like_saleor(emu: SaleorEmulator, installed: InstalledApp) -> None:
    pair = capture("graphql-app-orders-filter-createdAt-invalid.json")
    response = await _post(emu, pair["request"]["body"], installed.token)
    assert response.status_code == pair["response"]["status"] == 400
    body = response.json()
    assert list(body) == list(pair["response"]["body"])  # errors + extensions, no data
    assert body["errors"][0]["extensions"]["exception"]["code"] == "GraphQLError"
    assert "createdAt" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("name", "token_kind"),
    [
        ("graphql-app-productVariants-no-first.json", "app"),
        ("graphql-anonymous-orders-denied.json", None),
        ("graphql-error-invalid-app-token.json", "bogus"),
        ("graphql-error-malformed-jwt.json", "malformed"),
        ("graphql-shopper-channel-currencyCode-denied.json", None),
    ],
)
async def test_top_level_errors_match_capture(
    emu: SaleorEmulator, installed: InstalledApp, name: str, token_kind: str | None
) -> None:
    pair = capture(name)
    token = {
        "app": installed.token,
        "bogus": "AbCdEfGhIjKlMnOpQrStUvWxYz0123",
        "malformed": "eyJhbGciOiJSUzI1NiJ9.eyJnYXJiYWdlIjp0cnVlfQ.c2ln",
        None: None,
    }[token_kind]
    response = await _post(emu, pair["request"]["body"], token)
    assert response.status_code == 200
    body, expected = response.json(), pair["response"]["body"]
    assert _strip(body["errors"]) == _strip(expected["errors"])
    assert body["data"] == expected["data"]


async def _checkout(emu: SaleorEmulator) -> str:
    return str((await emu.shopper.create_checkout([(MONOSPACE_S, 1)]))["id"])


@pytest.mark.parametrize(
    "name",
    [
        "graphql-app-checkoutLinesAdd-invalid-variant.json",
        "graphql-app-checkoutLinesAdd-malformed-id.json",
        "graphql-app-checkoutLinesAdd-wrong-type-id.json",
        "graphql-app-checkoutLinesAdd-reason-without-price.json",
    ],
)
async def test_payload_errors_match_capture(emu: SaleorEmulator, installed: InstalledApp, name: str) -> None:
    pair = capture(name)
    body = pair["request"]["body"]
    checkout_id = await _checkout(emu)
    result = await emu.graphql(body["query"], {**body["variables"], "id": checkout_id}, token=installed.token)
    assert result["data"] == pair["response"]["body"]["data"]


@pytest.mark.parametrize("who", ["shopper", "app-without-handle-checkouts"])
async def test_custom_price_denied(emu: SaleorEmulator, installed: InstalledApp, who: str) -> None:
    name = (
        "graphql-shopper-checkoutLinesAdd-price-denied.json"
        if who == "shopper"
        else "graphql-app-no-handle-checkouts-price-override.json"
    )
    pair = capture(name)
    token = None
    if who != "shopper":
        installed.app.permission_codes = ["MANAGE_CHECKOUTS", "MANAGE_ORDERS", "MANAGE_PRODUCTS"]
        token = installed.token
    checkout_id = await _checkout(emu)
    body = pair["request"]["body"]
    result = await emu.graphql(body["query"], {**body["variables"], "id": checkout_id}, token=token)
    assert _strip(result["errors"]) == _strip(pair["response"]["body"]["errors"])
    assert result["data"] == {"checkoutLinesAdd": None}


async def test_shopper_selecting_price_override_reason_gets_partial_errors(emu: SaleorEmulator) -> None:
    pair = capture("graphql-shopper-checkoutLinesAdd.json")
    checkout_id = await _checkout(emu)
    body = pair["request"]["body"]
    result = await emu.graphql(body["query"], {**body["variables"], "id": checkout_id})
    assert _strip(result["errors"]) == _strip(pair["response"]["body"]["errors"])
    assert result["data"]["checkoutLinesAdd"]["errors"] == []
    assert len(result["data"]["checkoutLinesAdd"]["checkout"]["lines"]) == 2


async def test_promotion_applies_on_top_of_custom_price(emu: SaleorEmulator, installed: InstalledApp) -> None:
    """Storefront note in PROTOCOL.md: override 6.00 on a 30% promoted variant is charged 4.20."""
    checkout_id = await _checkout(emu)
    query = """mutation($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id, lines: $lines) {
      checkout { lines { variant { id } unitPrice { gross { amount } } undiscountedUnitPrice { amount } } }
      errors { code } } }"""
    lines = [{"variantId": MIGHTY_MUG, "quantity": 1, "price": "6.00", "forceNewLine": True}]
    result = await emu.graphql(query, {"id": checkout_id, "lines": lines}, token=installed.token)
    line = result["data"]["checkoutLinesAdd"]["checkout"]["lines"][-1]
    assert line == {
        "variant": {"id": MIGHTY_MUG},
        "unitPrice": {"gross": {"amount": 4.2}},
        "undiscountedUnitPrice": {"amount": 6.0},
    }


async def test_merge_without_force_new_line(emu: SaleorEmulator, installed: InstalledApp) -> None:
    checkout_id = await _checkout(emu)
    query = """mutation($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id, lines: $lines) {
      checkout { lines { quantity unitPrice { gross { amount } } } } errors { code } } }"""
    merged = await emu.graphql(
        query,
        {"id": checkout_id, "lines": [{"variantId": MONOSPACE_S, "quantity": 1, "price": "15.00"}]},
        token=installed.token,
    )
    assert merged["data"]["checkoutLinesAdd"]["checkout"]["lines"] == [
        {"quantity": 2, "unitPrice": {"gross": {"amount": 15.0}}}
    ]
    forced = await emu.graphql(
        query,
        {
            "id": checkout_id,
            "lines": [{"variantId": MONOSPACE_S, "quantity": 1, "price": "9.00", "forceNewLine": True}],
        },
        token=installed.token,
    )
    assert len(forced["data"]["checkoutLinesAdd"]["checkout"]["lines"]) == 2


async def test_missing_checkout_and_failure_injection(emu: SaleorEmulator, installed: InstalledApp) -> None:
    checkout_id = await _checkout(emu)
    emu.delete_checkout(checkout_id)
    result = await emu.graphql(
        "query($id: ID!) { checkout(id: $id) { id } }", {"id": checkout_id}, token=installed.token
    )
    assert result["data"] == {"checkout": None}
    emu.fail_graphql(times=2)
    statuses = [(await _post(emu, {"query": "{ shop { name } }"})).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
