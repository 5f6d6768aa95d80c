"""Our verifier against the real webhooks recorded from Saleor 3.23.28 (captures/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from saleor_upsell_app.saleor.jwks import jwks_url, parse_jwks
from saleor_upsell_app.saleor.signature import BadSignature, UnknownKey, verify_detached
from testing.saleor_emulator.keys import SigningKey, b64url
from tests.paths import CAPTURES

WEBHOOKS = sorted(CAPTURES.glob("webhook-*.json"))


def _keys() -> object:
    return parse_jwks((CAPTURES / "jwks.json").read_text())


@pytest.mark.parametrize("path", WEBHOOKS, ids=lambda p: p.stem)
def test_real_saleor_signature_verifies(path: Path) -> None:
    capture = json.loads(path.read_text())
    verify_detached(capture["headers"]["Saleor-Signature"], capture["raw_body"].encode(), _keys())  # type: ignore[arg-type]


@pytest.mark.parametrize("path", WEBHOOKS[:3], ids=lambda p: p.stem)
def test_tampered_body_fails(path: Path) -> None:
    capture = json.loads(path.read_text())
    body = capture["raw_body"].encode().replace(b'"version"', b'"versiom"')
    with pytest.raises(BadSignature):
        verify_detached(capture["headers"]["Saleor-Signature"], body, _keys())  # type: ignore[arg-type]


def test_unknown_kid_is_reported_for_refetch() -> None:
    capture = json.loads(WEBHOOKS[0].read_text())
    with pytest.raises(UnknownKey):
        verify_detached(capture["headers"]["Saleor-Signature"], capture["raw_body"].encode(), {})


def test_garbage_signature_is_bad() -> None:
    with pytest.raises(BadSignature):
        verify_detached("not-a-jws", b"{}", _keys())  # type: ignore[arg-type]


def test_jwks_url_is_at_the_api_origin() -> None:
    assert jwks_url("http://127.0.0.1:8000/graphql/") == "http://127.0.0.1:8000/.well-known/jwks.json"


def _signed(key: SigningKey, header: dict[str, object], body: bytes, *, encoded: bool = False) -> str:
    segment = b64url(json.dumps(header).encode())
    payload = b64url(body).encode() if encoded else body
    raw = key.private_key.sign(segment.encode() + b"." + payload, padding.PKCS1v15(), hashes.SHA256())
    return f"{segment}..{b64url(raw)}"


def test_the_emulators_signature_verifies_and_a_standard_b64_one_too() -> None:
    key = SigningKey()
    keys = parse_jwks(json.dumps({"keys": [key.jwk()]}))
    verify_detached(key.sign_detached(b'{"a":1}'), b'{"a":1}', keys)
    header = {"alg": "RS256", "kid": key.kid}
    verify_detached(_signed(key, header, b'{"a":1}', encoded=True), b'{"a":1}', keys)
    with pytest.raises(BadSignature):  # signed over the encoded body, checked against another
        verify_detached(_signed(key, header, b'{"a":1}', encoded=True), b'{"a":2}', keys)


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none"},
        {"alg": "HS256"},
        {"alg": "RS256", "b64": False},  # b64=false must be critical
        {"alg": "RS256", "b64": False, "crit": ["b64", "exp"]},  # an unknown critical parameter
        {"alg": "RS256", "b64": "false", "crit": ["b64"]},
        {"alg": "RS256", "b64": False, "crit": ["b64"], "kid": 7},
    ],
    ids=["none", "hs256", "b64-not-critical", "unknown-crit", "b64-not-bool", "kid-not-string"],
)
def test_headers_outside_what_saleor_sends_are_refused(header: dict[str, object]) -> None:
    key = SigningKey()
    keys = parse_jwks(json.dumps({"keys": [key.jwk()]}))
    with pytest.raises(BadSignature):
        verify_detached(_signed(key, {"kid": key.kid, **header}, b"{}"), b"{}", keys)


def test_an_attached_payload_is_refused() -> None:
    key = SigningKey()
    keys = parse_jwks(json.dumps({"keys": [key.jwk()]}))
    head, _, signature = key.sign_detached(b"{}").partition("..")
    with pytest.raises(BadSignature, match="detached"):
        verify_detached(f"{head}.{b64url(b'{}')}.{signature}", b"{}", keys)
