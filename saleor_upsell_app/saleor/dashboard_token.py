"""The token the dashboard hands the app's iframe (app-bridge): RS256, signed by Saleor's JWKS key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt

from .apl import AuthData
from .errors import ProtocolError
from .jwks import JwksRefetchLimiter, parse_jwks

LEEWAY_SECONDS = 5


@dataclass(frozen=True, slots=True)
class StaffUser:
    user_id: str
    email: str
    permissions: frozenset[str]  # the app's permissions that this user also holds
    user_permissions: frozenset[str]  # all of the user's permissions

    def has_all(self, required: Iterable[str]) -> bool:
        return set(required) <= self.user_permissions


async def verify_dashboard_token(
    token: str,
    installation: AuthData,
    *,
    required_permissions: Iterable[str],
    now: datetime,
    refresh_jwks: Callable[[AuthData], Awaitable[str | None]],
    limiter: JwksRefetchLimiter,
) -> StaffUser:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise ProtocolError("INVALID_TOKEN", "The dashboard token is malformed.", 401) from exc
    kid = header.get("kid")
    keys = parse_jwks(installation.jwks)
    if kid not in keys and limiter.allow(installation.id):
        refreshed = await refresh_jwks(installation)
        if refreshed:
            keys = parse_jwks(refreshed)
    key = keys.get(kid) if isinstance(kid, str) else None
    if key is None:
        raise ProtocolError("INVALID_TOKEN", "The dashboard token is signed by an unknown key.", 401)
    claims = _decode(token, key, installation, now)
    if claims.get("app") != installation.app_id:
        raise ProtocolError("WRONG_APP", "The dashboard token was issued for another app.", 401)
    user = StaffUser(
        user_id=str(claims.get("user_id", "")),
        email=str(claims.get("email", "")),
        permissions=frozenset(claims.get("permissions") or ()),
        user_permissions=frozenset(claims.get("user_permissions") or ()),
    )
    if not claims.get("is_staff"):
        raise ProtocolError("NOT_STAFF", "Only staff users can use the app.", 403)
    missing = sorted(set(required_permissions) - user.user_permissions)
    if missing:
        raise ProtocolError("MISSING_PERMISSIONS", f"Missing permissions: {', '.join(missing)}.", 403)
    return user


def _decode(token: str, key: Any, installation: AuthData, now: datetime) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,
            algorithms=["RS256"],
            issuer=installation.saleor_api_url,
            # Saleor adds `aud` only when the manifest sets `audience`; ours does not.
            options={"require": ["exp", "iat", "iss", "app"], "verify_exp": False, "verify_aud": False},
        )
    except jwt.InvalidIssuerError as exc:
        raise ProtocolError(
            "INVALID_TOKEN", "The dashboard token was issued by another Saleor.", 401
        ) from exc
    except jwt.PyJWTError as exc:
        raise ProtocolError("INVALID_TOKEN", f"Invalid dashboard token: {exc}", 401) from exc
    # Expiry is checked against the injected clock rather than PyJWT's own time.time().
    if float(claims["exp"]) + LEEWAY_SECONDS < now.timestamp():
        raise ProtocolError("TOKEN_EXPIRED", "The dashboard token has expired.", 401)
    return claims
