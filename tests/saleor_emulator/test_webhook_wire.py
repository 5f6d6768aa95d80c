"""Webhook signatures and headers are exactly those of the captures."""

from __future__ import annotations

import base64
import json

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from jwt.algorithms import RSAAlgorithm

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp

from .fake_app import FakeApp, capture

MONOSPACE_S = "UHJvZHVjdFZhcmlhbnQ6MzQ4"


async def _jwks_keys(emu: SaleorEmulator) -> dict[str, object]:
    async with httpx.AsyncClient() as client:
        jwks = (await client.get(emu.jwks_url)).json()
    return {k["kid"]: RSAAlgorithm.from_jwk(json.dumps(k)) for k in jwks["keys"]}


def _verify(keys: dict[str, object], signature: str, body: bytes) -> None:
    """The two checks of captures/verify_signatures.py: pyjwt detached, and by hand (RFC 7797)."""
    key = keys[jwt.get_unverified_header(signature)["kid"]]
    jwt.api_jws.decode_complete(signature, key=key, algorithms=["RS256"], detached_payload=body)
    h64, mid, s64 = signature.split(".")
    assert mid == ""
    key.verify(
        base64.urlsafe_b64decode(s64 + "=" * (-len(s64) % 4)),
        h64.encode() + b"." + body,  # type: ignore[attr-defined]
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


async def test_jwks_shape_matches_capture(emu: SaleorEmulator) -> None:
    async with httpx.AsyncClient() as client:
        served = (await client.get(emu.jwks_url)).json()
    captured = capture("jwks.json")
    assert list(served) == ["keys"] and len(served["keys"]) == 1
    assert list(served["keys"][0]) == list(captured["keys"][0])
    assert {k: v for k, v in served["keys"][0].items() if k not in ("n", "kid")} == {
        k: v for k, v in captured["keys"][0].items() if k not in ("n", "kid")
    }
    assert served["keys"][0]["kid"] == emu.key.kid


async def test_delivered_webhook_verifies_and_has_capture_headers(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    await emu.drain()
    [received] = fake_app.events("checkout_created")
    keys = await _jwks_keys(emu)
    _verify(keys, received.headers["saleor-signature"], received.body)
    header = json.loads(base64.urlsafe_b64decode(received.headers["saleor-signature"].split(".")[0] + "=="))
    assert header == {"alg": "RS256", "b64": False, "crit": ["b64"], "kid": emu.key.kid, "typ": "JWT"}
    with pytest.raises(jwt.InvalidSignatureError):
        key = keys[emu.key.kid]
        jwt.api_jws.decode_complete(
            received.headers["saleor-signature"],
            key=key,
            algorithms=["RS256"],
            detached_payload=received.body + b" ",
        )
    # Body is json.dumps with Python defaults.
    assert json.dumps(json.loads(received.body)).encode() == received.body

    expected_names = [k.lower() for k in capture("webhook-checkout-created.json")["headers"]]
    assert sorted(received.headers) == sorted(expected_names)
    assert received.headers["saleor-event"] == received.headers["x-saleor-event"] == "checkout_created"
    assert received.headers["x-saleor-signature"] == received.headers["saleor-signature"]
    assert received.headers["saleor-api-url"] == emu.api_url
    assert received.headers["host"] == "127.0.0.1"  # no port, like Saleor
    assert received.headers["user-agent"] == "Saleor/3.23"
    assert "saleor-schema-version" not in received.headers


async def test_rotated_key_signs_with_new_kid(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    old_kid = emu.key.kid
    emu.rotate_key()
    keys = await _jwks_keys(emu)
    assert list(keys) == [emu.key.kid] and emu.key.kid != old_kid
    await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    await emu.drain()
    [received] = fake_app.events("checkout_created")
    _verify(keys, received.headers["saleor-signature"], received.body)


async def test_tampered_unsigned_and_duplicate_requests(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    await emu.drain()  # APP_INSTALLED
    fake_app.received.clear()
    request = emu.build_webhook_request("CHECKOUT_UPDATED", {"hello": "world"})
    assert request.url == f"{fake_app.base_url}/api/webhooks/checkout-updated"
    keys = await _jwks_keys(emu)
    _verify(keys, request.headers["Saleor-Signature"], request.body)
    request.body = request.body.replace(b"world", b"there")
    await emu.send_webhook_request(request)
    unsigned = emu.build_webhook_request("CHECKOUT_UPDATED", {"a": 1}, signed=False)
    assert "Saleor-Signature" not in unsigned.headers
    first = await emu.send_webhook_request(unsigned)
    await emu.redeliver(first)
    bodies = [r.body for r in fake_app.received]
    assert bodies == [b'{"hello": "there"}', b'{"a": 1}', b'{"a": 1}']


async def test_dashboard_token_claims_match_capture(emu: SaleorEmulator, installed: InstalledApp) -> None:
    token = emu.dashboard_token(installed.id, permissions=["MANAGE_ORDERS"])
    keys = await _jwks_keys(emu)
    claims = jwt.decode(token, keys[emu.key.kid], algorithms=["RS256"], issuer=emu.api_url)  # type: ignore[arg-type]
    assert sorted(claims) == sorted(capture("dashboard-app-token.json")["claims_present"])
    assert claims["type"] == "thirdparty" and claims["app"] == installed.id
    assert claims["exp"] - claims["iat"] == 300
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": emu.key.kid, "typ": "JWT"}
    # Used as a bearer it is the staff user, limited to `permissions`.
    result = await emu.graphql("{ me { id email } app { id } orders(first: 1) { totalCount } }", token=token)
    assert result["data"] == {
        "me": {"id": "VXNlcjoyMQ==", "email": "admin@example.com"},
        "app": None,
        "orders": {"totalCount": 0},
    }
    from testing.saleor_emulator.keys import SigningKey

    foreign = emu.dashboard_token(installed.id, permissions=["MANAGE_ORDERS"], key=SigningKey())
    denied = await emu.graphql("{ orders(first: 1) { totalCount } }", token=foreign)
    assert denied["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    expired = emu.dashboard_token(installed.id, permissions=["MANAGE_ORDERS"], issued_at=1, ttl=300)
    result = await emu.graphql("{ app { id } }", token=expired)
    assert result["errors"][0]["message"] == "Signature has expired"
    assert result["errors"][0]["extensions"]["exception"]["code"] == "ExpiredSignatureError"
