"""Webhook signatures: a detached JWS (RS256) over the raw body with an unencoded payload (RFC 7797).

Verified with `cryptography` directly: the signing input is the header segment, a dot and the raw
body, so there is nothing for a general JWS library to decode on the hot path but the header, and
Saleor's header is the same for every webhook signed with one key (read once, cached). pyjwt's
`decode_complete` cost as much again as the RSA check itself (bench/RESULTS.md).
"""

from __future__ import annotations

import binascii
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.utils import base64url_decode, base64url_encode

from ..kit.errors import AppError

_PKCS1 = padding.PKCS1v15()
_SHA256 = hashes.SHA256()


class UnknownKey(AppError):
    """The signature names a `kid` that the key set does not hold (possibly a rotated key)."""

    code = "UNKNOWN_KEY"
    status = 401


class BadSignature(AppError):
    code = "SIGNATURE_VERIFICATION_FAILED"
    status = 401


@lru_cache(maxsize=64)
def _header(segment: str) -> tuple[str, bool]:
    """(kid, b64) from a protected header segment; BadSignature unless RS256 with a kid and no
    critical extension but `b64` (RFC 7515 4.1.11: an unknown critical one must be refused)."""
    try:
        header = orjson.loads(base64url_decode(segment))
    except (ValueError, binascii.Error) as exc:
        raise BadSignature(f"malformed signature header: {exc}") from exc
    if not isinstance(header, dict) or header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
        raise BadSignature("signature must be RS256 with a kid")
    b64 = header.get("b64", True)
    crit = header.get("crit", [])
    if not isinstance(b64, bool) or not isinstance(crit, list) or any(c != "b64" for c in crit):
        raise BadSignature("unsupported JWS header parameters")
    if not b64 and "b64" not in crit:  # RFC 7797 5.2: b64=false must be marked critical
        raise BadSignature("b64=false without crit")
    return header["kid"], b64


def signature_kid(signature: str) -> str:
    """The `kid` from the protected header."""
    return _header(signature.split(".", 1)[0])[0]


def verify_detached(signature: str, body: bytes, keys: Mapping[str, Any]) -> None:
    """Raise UnknownKey or BadSignature unless `signature` signs exactly `body`."""
    parts = signature.split(".")
    if len(parts) != 3 or parts[1]:
        raise BadSignature("malformed signature: not a detached JWS (header..signature)")
    header_segment, _, signature_segment = parts
    kid, b64 = _header(header_segment)
    key = keys.get(kid)
    if key is None:
        raise UnknownKey(kid)
    if not isinstance(key, RSAPublicKey):
        raise BadSignature(f"key {kid!r} is not an RSA public key")
    try:
        raw_signature = base64url_decode(signature_segment)
    except (ValueError, binascii.Error) as exc:
        raise BadSignature(f"malformed signature: {exc}") from exc
    payload = body if not b64 else base64url_encode(body)
    try:
        key.verify(raw_signature, header_segment.encode() + b"." + payload, _PKCS1, _SHA256)
    except InvalidSignature:
        raise BadSignature("Signature verification failed") from None
