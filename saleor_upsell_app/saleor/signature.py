"""Webhook signatures: a detached JWS (RS256) over the raw body with an unencoded payload (RFC 7797)."""

from __future__ import annotations

import binascii
import json
from collections.abc import Mapping
from typing import Any

import jwt
from jwt.api_jws import PyJWS
from jwt.utils import base64url_decode

from ..kit.errors import AppError

_jws = PyJWS(algorithms=["RS256"])


class UnknownKey(AppError):
    """The signature names a `kid` that the key set does not hold (possibly a rotated key)."""

    code = "UNKNOWN_KEY"
    status = 401


class BadSignature(AppError):
    code = "SIGNATURE_VERIFICATION_FAILED"
    status = 401


def signature_kid(signature: str) -> str:
    """The `kid` from the protected header, read without a second full JWS parse (hot path)."""
    try:
        header_segment = signature.split(".", 1)[0]
        header = json.loads(base64url_decode(header_segment))
    except (ValueError, binascii.Error) as exc:
        raise BadSignature(f"malformed signature: {exc}") from exc
    kid = header.get("kid") if isinstance(header, dict) else None
    if header.get("alg") != "RS256" or not isinstance(kid, str):
        raise BadSignature("signature must be RS256 with a kid")
    return kid


def verify_detached(signature: str, body: bytes, keys: Mapping[str, Any]) -> None:
    """Raise UnknownKey or BadSignature unless `signature` signs exactly `body`."""
    kid = signature_kid(signature)
    key = keys.get(kid)
    if key is None:
        raise UnknownKey(kid)
    try:
        _jws.decode_complete(signature, key=key, algorithms=["RS256"], detached_payload=body)
    except jwt.PyJWTError as exc:
        raise BadSignature(str(exc)) from exc
