"""The bench's Saleor stand-in (testing/saleor_standin) answers as the captures say, over real HTTP, and
its echo carries a real RS256 detached JWS the app's own verifier accepts.

1. The captured checkoutLinesAdd request, replayed at the stand-in, gets the captured answer (ids
   translated, timestamps left out): the capture wins over anything the stand-in makes up.
2. The app's own CheckoutLinesAdd document (as the app sends it) gets an answer of the same shape as
   the emulator's (which executes it against Saleor's schema): every field the app selects, no more.
3. The echo of that mutation, sent to an app subscribed with the captured subscription, verifies
   against the stand-in's JWKS and equals the captured CHECKOUT_UPDATED.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from saleor_upsell_app.saleor.jwks import parse_jwks
from saleor_upsell_app.saleor.operations import operation_text
from saleor_upsell_app.saleor.signature import verify_detached
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_standin.http import serve
from testing.saleor_standin.standin import StandIn
from testing.saleor_standin.world import APP_LINE_ADD, APP_LINE_ECHO
from testing.sample_data import CUBES_M, TEE_S

from .fake_app import FakeApp, capture
from .replay import IdMap, stable


@pytest.fixture
async def standin(capture_app: FakeApp) -> AsyncIterator[tuple[StandIn, str]]:
    holder: list[StandIn] = []

    def handle(request: Any) -> Any:
        return holder[0].handle(request)

    server = await serve(handle)
    base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    holder.append(StandIn(f"{base}/graphql/"))
    async with server, httpx.AsyncClient(base_url=base) as control:
        answer = await control.post(
            "/bench/install", json={"manifest_url": f"{capture_app.base_url}/api/manifest"}
        )
        assert answer.status_code == 200, answer.text
        assert capture_app.token == holder[0].token  # the register handshake delivered the token
        yield holder[0], base


async def ask(base: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{base}/graphql/",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def test_the_captured_request_gets_the_captured_answer(standin: tuple[StandIn, str]) -> None:
    stand_in, base = standin
    checkout = stand_in.world.new_checkout()
    pair = capture(APP_LINE_ADD)
    request = pair["request"]["body"]
    result = await ask(base, stand_in.token, request["query"], {**request["variables"], "id": checkout["id"]})
    expected = pair["response"]["body"]
    ids = IdMap()
    ids.learn(expected["data"], result["data"])
    assert stable(result["data"]) == ids.expect(expected["data"])
    assert "errors" not in result


def shape(value: Any) -> Any:
    """Keys and JSON types; null matches anything (a nullable field may be either)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return None if value is None else type(value).__name__


def same_shape(ours: Any, reference: Any) -> bool:
    if isinstance(ours, dict) and isinstance(reference, dict):
        return ours.keys() == reference.keys() and all(same_shape(ours[k], reference[k]) for k in ours)
    if isinstance(ours, list) and isinstance(reference, list):
        return len(ours) == len(reference) and all(map(same_shape, ours, reference))
    return ours is None or reference is None or ours == reference


def app_lines_input() -> list[dict[str, Any]]:
    """What the app sends for its bump (bumps/gateway.offer_line_input's fields)."""
    return capture(APP_LINE_ADD)["request"]["body"]["variables"]["lines"]  # type: ignore[no-any-return]


async def test_the_apps_own_mutation_gets_what_the_schema_selects(
    standin: tuple[StandIn, str], emu: SaleorEmulator, installed: InstalledApp
) -> None:
    stand_in, base = standin
    query = operation_text("CheckoutLinesAdd")
    ours = await ask(
        base, stand_in.token, query, {"id": stand_in.world.new_checkout()["id"], "lines": app_lines_input()}
    )
    theirs_checkout = await emu.shopper.create_checkout([(TEE_S, 1)])
    lines = [{**line, "variantId": CUBES_M} for line in app_lines_input()]
    theirs = await emu.graphql(query, {"id": theirs_checkout["id"], "lines": lines}, token=installed.token)
    assert not theirs.get("errors"), theirs
    assert same_shape(shape(ours["data"]), shape(theirs["data"])), (
        shape(ours["data"]),
        shape(theirs["data"]),
    )
    assert len(ours["data"]["checkoutLinesAdd"]["checkout"]["lines"]) == 2


async def test_the_echo_is_signed_and_is_the_captured_webhook(
    standin: tuple[StandIn, str], capture_app: FakeApp
) -> None:
    stand_in, base = standin
    checkout = stand_in.world.new_checkout()
    request = capture(APP_LINE_ADD)["request"]["body"]
    await ask(base, stand_in.token, request["query"], {**request["variables"], "id": checkout["id"]})
    for _ in range(200):
        if capture_app.events("checkout_updated"):
            break
        await asyncio.sleep(0.01)
    [echo] = capture_app.events("checkout_updated")
    async with httpx.AsyncClient() as client:
        keys = parse_jwks((await client.get(f"{base}/.well-known/jwks.json")).text)
    verify_detached(echo.headers["saleor-signature"], echo.body, keys)
    captured = capture(APP_LINE_ECHO)
    assert echo.headers["saleor-api-url"] == stand_in.api_url
    assert {k.lower() for k in captured["headers"]} - {"content-length", "host"} <= set(echo.headers)
    body = json.loads(echo.body)
    expected = json.loads(captured["raw_body"])
    # The captured app was made with appCreate (identifier = its id); ours is the manifest's id.
    for app in ("recipient", "issuingPrincipal"):
        assert body[app].pop("identifier") == capture_app.identifier
        expected[app].pop("identifier")
    ids = IdMap()
    ids.learn(expected, body)
    assert stable(body) == ids.expect(expected)
    assert stand_in.stats["echoes"] == 1 and stand_in.stats["mutations"] == 1


@pytest.mark.parametrize("name", ["AppId", "OfferVariants", "CheckoutSnapshot", "CheckoutLinesAdd"])
async def test_every_operation_the_app_sends_it_answers_in_the_emulators_shape(
    name: str, standin: tuple[StandIn, str], emu: SaleorEmulator, installed: InstalledApp
) -> None:
    """The operations the bench's app sends per event or at install, as the app's files spell them."""
    stand_in, base = standin
    theirs_checkout = await emu.shopper.create_checkout([(TEE_S, 1)])
    ours_checkout = stand_in.world.new_checkout()
    variables: dict[str, Any] = {
        "AppId": {},
        "OfferVariants": {"ids": [CUBES_M], "channel": "default-channel", "first": 10},
        "CheckoutSnapshot": {},
        "CheckoutLinesAdd": {"lines": [{**line, "variantId": CUBES_M} for line in app_lines_input()]},
    }[name]
    query = operation_text(name)
    ours = await ask(base, stand_in.token, query, {**variables, "id": ours_checkout["id"]})
    theirs = await emu.graphql(query, {**variables, "id": theirs_checkout["id"]}, token=installed.token)
    assert not theirs.get("errors") and not ours.get("errors"), (theirs, ours)
    assert same_shape(shape(ours["data"]), shape(theirs["data"])), (
        shape(ours["data"]),
        shape(theirs["data"]),
    )
