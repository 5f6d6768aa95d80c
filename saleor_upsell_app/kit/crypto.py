"""Keys derived from SECRET_KEY: one per purpose, so a leak of one use never weakens another."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive_key(secret_key: str, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret_key.encode()
    )


class TokenCipher:
    """Encrypts Saleor app tokens at rest (Fernet: AES-128-CBC + HMAC-SHA256)."""

    def __init__(self, secret_key: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret_key, "saleor-upsell/app-token")))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("stored app token cannot be decrypted: was SECRET_KEY changed?") from exc


def sign(secret_key: str, purpose: str, message: bytes) -> bytes:
    return hmac.new(derive_key(secret_key, purpose), message, hashlib.sha256).digest()


def signatures_equal(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)
