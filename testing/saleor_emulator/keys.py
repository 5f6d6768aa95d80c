"""RSA key, JWKS, detached-JWS webhook signatures and dashboard tokens (captures: jwks.json,
verify_signatures.py, dashboard-app-token.json)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


class SigningKey:
    """One RSA-2048 key as Saleor's RSA_PRIVATE_KEY: kid is its RFC 7638 thumbprint."""

    def __init__(self, private_key: rsa.RSAPrivateKey | None = None) -> None:
        self.private_key = private_key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self.private_key.public_key().public_numbers()
        self._n, self._e = _int_b64(numbers.n), _int_b64(numbers.e)
        thumb_input = json.dumps({"e": self._e, "kty": "RSA", "n": self._n}, separators=(",", ":"))
        self.kid = b64url(hashlib.sha256(thumb_input.encode()).digest())

    def jwk(self) -> dict[str, Any]:
        # Same members and order as captures/jwks.json.
        return {
            "kty": "RSA",
            "key_ops": ["verify"],
            "n": self._n,
            "e": self._e,
            "use": "sig",
            "kid": self.kid,
            "alg": "RS256",
        }

    def private_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def sign_detached(self, body: bytes) -> str:
        """RFC 7797 JWS `<b64url(header)>..<b64url(sig)>`; signing input: header segment + '.' + raw body."""
        header = {"alg": "RS256", "b64": False, "crit": ["b64"], "kid": self.kid, "typ": "JWT"}
        segment = b64url(json.dumps(header, separators=(",", ":")).encode())
        signature = self.private_key.sign(segment.encode() + b"." + body, padding.PKCS1v15(), hashes.SHA256())
        return f"{segment}..{b64url(signature)}"

    def encode_jwt(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_pem(), algorithm="RS256", headers={"kid": self.kid})


def dashboard_token_claims(
    *,
    api_url: str,
    app_id: str,
    permissions: list[str],
    user_permissions: list[str],
    email: str,
    user_id: str,
    ttl: int,
    issued_at: int | None,
    token_key: str,
) -> dict[str, Any]:
    """Exactly the claims (and order) of captures/dashboard-app-token.json: no aud, sub or jti."""
    iat = int(time.time()) if issued_at is None else issued_at
    return {
        "iat": iat,
        "owner": "saleor",
        "iss": api_url,
        "exp": iat + ttl,
        "token": token_key,
        "email": email,
        "type": "thirdparty",
        "user_id": user_id,
        "is_staff": True,
        "app": app_id,
        "permissions": permissions,
        "user_permissions": user_permissions,
    }
