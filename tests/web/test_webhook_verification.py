"""The ordered webhook checklist: each refusal has its status and nothing unverified reaches the inbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.keys import SigningKey
from tests.conftest import AppUnderTest


def _payload() -> dict[str, object]:
    # A checkout event for a checkout that no longer exists: processing it is a no-op.
    return {
        "issuedAt": datetime.now(UTC).isoformat(),
        "version": "3.23.28",
        "issuingPrincipal": None,
        "recipient": None,
        "checkout": None,
    }


async def _post(url: str, headers: dict[str, str], body: bytes) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(url, headers=headers, content=body)


async def _inbox_size(app: AppUnderTest) -> int:
    return sum((await app.data.inbox.counts()).values())


async def test_signed_webhook_is_accepted_and_stored(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", _payload())
    response = await _post(request.url, request.headers, request.body)
    assert response.status_code == 200, response.text
    assert await _inbox_size(app) == 1


@pytest.mark.parametrize(
    ("tamper", "status", "code"),
    [
        ("body", 401, "SIGNATURE_VERIFICATION_FAILED"),
        ("wrong_key_same_kid", 401, "SIGNATURE_VERIFICATION_FAILED"),
        ("missing_signature", 401, "MISSING_SIGNATURE"),
        ("unknown_saleor", 401, "NOT_REGISTERED"),
        ("wrong_event", 400, "WRONG_EVENT"),
        ("not_json", 400, "INVALID_BODY"),
    ],
)
async def test_refused_webhooks_never_reach_the_inbox(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, tamper: str, status: int, code: str
) -> None:
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", _payload())
    headers, body = dict(request.headers), request.body
    if tamper == "body":
        body = body.replace(b'"3.23.28"', b'"3.23.29"')
    elif tamper == "wrong_key_same_kid":
        forged = SigningKey()
        forged.kid = emulator.key.kid  # pretend to be Saleor's key
        headers["Saleor-Signature"] = forged.sign_detached(body)
    elif tamper == "missing_signature":
        headers.pop("Saleor-Signature")
        headers.pop("X-Saleor-Signature", None)
    elif tamper == "unknown_saleor":
        headers["Saleor-Api-Url"] = "http://127.0.0.1:1/graphql/"
    elif tamper == "wrong_event":
        headers["Saleor-Event"] = "order_created"
    elif tamper == "not_json":
        body = b"not json"
        headers["Saleor-Signature"] = emulator.key.sign_detached(body)
    response = await _post(request.url, headers, body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert await _inbox_size(app) == 0


async def test_rotated_key_passes_after_jwks_refetch(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    old_jwks = (await app.data.installations.get(emulator.api_url)).jwks  # type: ignore[union-attr]
    emulator.rotate_key()
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", _payload())
    response = await _post(request.url, request.headers, request.body)
    assert response.status_code == 200, response.text
    stored = await app.data.installations.get(emulator.api_url)
    assert stored is not None and stored.jwks != old_jwks
    assert emulator.key.kid in json.loads(stored.jwks)["keys"][0]["kid"]


async def test_own_events_are_acknowledged_but_not_processed(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    payload = _payload() | {"issuingPrincipal": {"__typename": "App", "id": installed.id}}
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", payload)
    response = await _post(request.url, request.headers, request.body)
    assert response.status_code == 200 and response.json()["ignored"] == "own event"
    assert await _inbox_size(app) == 0


async def test_trailing_slash_is_not_redirected(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", _payload())
    async with httpx.AsyncClient(follow_redirects=False) as client:
        response = await client.post(request.url + "/", headers=request.headers, content=request.body)
    assert response.status_code == 404  # never a 307 that Saleor would not follow


async def test_signed_body_that_is_not_the_events_payload_is_refused(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # Correctly signed, but `checkout` is not an object: nothing to store (ingest reads a typed envelope).
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", {**_payload(), "checkout": "not-a-checkout"})
    response = await _post(request.url, request.headers, request.body)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "INVALID_ENVELOPE")
    assert await _inbox_size(app) == 0


@pytest.mark.parametrize("forgery", ["unsigned_key", "tampered_after_signing"])
async def test_a_forged_own_event_is_dropped_and_changes_nothing(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, forgery: str
) -> None:
    # Own events are dropped before the signature check. A forgery that claims to be the app's own event
    # is therefore answered 2xx, but it is dropped like every own event: nothing stored, nothing run.
    payload = _payload() | {"issuingPrincipal": {"__typename": "App", "id": installed.id}}
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", payload)
    headers, body = dict(request.headers), request.body
    if forgery == "unsigned_key":
        headers["Saleor-Signature"] = SigningKey().sign_detached(body)
    else:
        body = body.replace(b'"3.23.28"', b'"3.23.29"')
    response = await _post(request.url, headers, body)
    assert response.status_code == 200 and response.json()["ignored"] == "own event"
    assert await _inbox_size(app) == 0

    # The same forgery naming any other principal goes through the whole checklist and is refused.
    for principal in (None, {"__typename": "App", "id": "QXBwOjk5OQ=="}, {"__typename": "User", "id": "x"}):
        other = json.dumps({**payload, "issuingPrincipal": principal}).encode()
        forged = {**headers, "Saleor-Signature": SigningKey().sign_detached(other)}
        refused = await _post(request.url, forged, other)
        assert (refused.status_code, refused.json()["error"]["code"]) == (
            401,
            "SIGNATURE_VERIFICATION_FAILED",
        )
    assert await _inbox_size(app) == 0


async def test_an_own_event_is_dropped_before_its_depth_is_walked(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # An own event is never stored, so nothing would ever read its nesting: dropped as it is. The same
    # nesting from anyone else is refused before the signature check, as before.
    deep: object = {}
    for _ in range(100):
        deep = {"x": deep}
    payload = _payload() | {"issuingPrincipal": {"__typename": "App", "id": installed.id}, "deep": deep}
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", payload)
    response = await _post(request.url, request.headers, request.body)
    assert response.status_code == 200 and response.json()["ignored"] == "own event"
    other = emulator.build_webhook_request("CHECKOUT_UPDATED", payload | {"issuingPrincipal": None})
    refused = await _post(other.url, other.headers, other.body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "PAYLOAD_TOO_DEEP")
    assert await _inbox_size(app) == 0
