"""The offer link's token: compact, URL-safe, signed with the app's secret and bound to one offer.

Layout (41 bytes, 55 base64url characters): version (1) | installation id (4) | offer uuid (16) |
expiry in unix seconds (4) | HMAC-SHA256 truncated to 16 bytes. The MAC also covers the order id, which
is not sent: it comes from the offer row, so a token can never be moved to another order or installation.
Being usable once is not the token's job; the offer row's ``open -> accepting`` transition is.
"""

from __future__ import annotations

import base64
import binascii
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from ..kit.crypto import sign, signatures_equal
from ..kit.errors import AppError

PURPOSE = "saleor-upsell/post-purchase-offer-token"
_VERSION = 1
_BODY = struct.Struct(">BI16sI")
_MAC_BYTES = 16


class TokenInvalid(AppError, ValueError):
    """Not a token this app issued (malformed, tampered or signed with another key)."""


@dataclass(frozen=True, slots=True)
class TokenClaims:
    installation_id: int
    offer_id: str
    expires_at: datetime


def _mac(secret_key: str, body: bytes, order_id: str) -> bytes:
    return sign(secret_key, PURPOSE, body + b"|" + order_id.encode())[:_MAC_BYTES]


def issue_token(
    secret_key: str, installation_id: int, offer_id: str, order_id: str, expires_at: datetime
) -> str:
    body = _BODY.pack(_VERSION, installation_id, uuid.UUID(offer_id).bytes, int(expires_at.timestamp()))
    raw = body + _mac(secret_key, body, order_id)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def read_token(token: str) -> tuple[TokenClaims, bytes, bytes]:
    """Parse without trusting: the claims, plus the body and MAC for :func:`verify_token`."""
    if not token or len(token) > 100:
        raise TokenInvalid("token has the wrong length")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenInvalid("token is not base64url") from exc
    if len(raw) != _BODY.size + _MAC_BYTES:
        raise TokenInvalid("token has the wrong length")
    # One spelling per token: the decoder skips stray characters and ignores the last character's
    # padding bits, so a changed character could otherwise still decode to the same bytes.
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != token:
        raise TokenInvalid("token is not base64url")
    body, mac = raw[: _BODY.size], raw[_BODY.size :]
    version, installation_id, offer_bytes, expires = _BODY.unpack(body)
    if version != _VERSION:
        raise TokenInvalid("unknown token version")
    claims = TokenClaims(
        installation_id, str(uuid.UUID(bytes=offer_bytes)), datetime.fromtimestamp(expires, UTC)
    )
    return claims, body, mac


def verify_token(secret_key: str, token: str, order_id: str) -> TokenClaims:
    """The token's claims if it was issued by this app for ``order_id``; TokenInvalid otherwise."""
    claims, body, mac = read_token(token)
    if not signatures_equal(mac, _mac(secret_key, body, order_id)):
        raise TokenInvalid("token signature does not match")
    return claims


class OfferLinks:
    """Signed offer links: the token of an offer and the absolute URL of its page."""

    def __init__(self, secret_key: str, app_url: str) -> None:
        self.secret_key = secret_key
        self._app_url = app_url

    def token(self, installation_id: int, offer_id: str, order_id: str, expires_at: datetime) -> str:
        return issue_token(self.secret_key, installation_id, offer_id, order_id, expires_at)

    def url(self, token: str) -> str:
        return f"{self._app_url}/offers/{token}"

    def unsubscribe_url(self, installation_id: int, email: str) -> str:
        token = issue_unsubscribe_token(self.secret_key, installation_id, email)
        return f"{self._app_url}/offers/unsubscribe/{token}"


UNSUBSCRIBE_PURPOSE = "saleor-upsell/post-purchase-unsubscribe"
_INSTALLATION = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class UnsubscribeClaims:
    installation_id: int
    email: str


def issue_unsubscribe_token(secret_key: str, installation_id: int, email: str) -> str:
    """A link token naming one customer e-mail of one shop, signed (it never expires)."""
    body = _INSTALLATION.pack(installation_id) + email.strip().lower().encode()
    raw = body + sign(secret_key, UNSUBSCRIBE_PURPOSE, body)[:_MAC_BYTES]
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def verify_unsubscribe_token(secret_key: str, token: str) -> UnsubscribeClaims:
    if not token or len(token) > 500:
        raise TokenInvalid("token has the wrong length")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenInvalid("token is not base64url") from exc
    if (
        len(raw) <= _INSTALLATION.size + _MAC_BYTES
        or base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != token
    ):
        raise TokenInvalid("token is not base64url")
    body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if not signatures_equal(mac, sign(secret_key, UNSUBSCRIBE_PURPOSE, body)[:_MAC_BYTES]):
        raise TokenInvalid("token signature does not match")
    try:
        email = body[_INSTALLATION.size :].decode()
    except UnicodeDecodeError as exc:
        raise TokenInvalid("token is not an e-mail") from exc
    return UnsubscribeClaims(_INSTALLATION.unpack(body[: _INSTALLATION.size])[0], email)
