"""Our verifier against the real webhooks recorded from Saleor 3.23.28 (captures/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saleor_upsell_app.saleor.jwks import jwks_url, parse_jwks
from saleor_upsell_app.saleor.signature import BadSignature, UnknownKey, verify_detached
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
