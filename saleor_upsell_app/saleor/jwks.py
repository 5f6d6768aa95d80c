"""Saleor's JSON Web Key Set: where to fetch it and how to turn it into verification keys."""

from __future__ import annotations

import json
import logging
import time
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import httpx
from jwt.algorithms import RSAAlgorithm

from ..kit.clock import Clock
from .apl import APL, AuthData
from .errors import ProtocolError

log = logging.getLogger("saleor_upsell.jwks")


def jwks_url(saleor_api_url: str) -> str:
    """JWKS lives at the origin of the API URL (`https://shop/graphql/` -> `https://shop/.well-known/jwks.json`)."""
    parts = urlsplit(saleor_api_url)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


async def fetch_jwks(http: httpx.AsyncClient, saleor_api_url: str) -> str:
    try:
        response = await http.get(jwks_url(saleor_api_url), follow_redirects=False)
    except httpx.HTTPError as exc:
        raise ProtocolError("JWKS_NOT_AVAILABLE", f"Could not fetch JWKS: {exc}", 401) from exc
    if response.status_code != 200:
        raise ProtocolError("JWKS_NOT_AVAILABLE", f"JWKS answered HTTP {response.status_code}", 401)
    try:
        keys = parse_jwks(response.text)
    except ValueError as exc:
        raise ProtocolError("JWKS_NOT_AVAILABLE", f"JWKS is malformed: {exc}", 401) from exc
    if not keys:
        raise ProtocolError("JWKS_NOT_AVAILABLE", "JWKS holds no RSA signing key", 401)
    return response.text


@lru_cache(maxsize=256)
def parse_jwks(jwks_text: str) -> MappingProxyType[str, Any]:
    """kid -> RSA public key. Cached by text: parsing a key costs more than verifying a signature."""
    try:
        document = json.loads(jwks_text)
        keys = document["keys"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("not a JWKS document") from exc
    parsed: dict[str, Any] = {}
    for jwk in keys:
        if jwk.get("kty") == "RSA" and jwk.get("use", "sig") == "sig" and "kid" in jwk:
            parsed[jwk["kid"]] = RSAAlgorithm.from_jwk(jwk)
    return MappingProxyType(parsed)


class JwksRefetchLimiter:
    """At most one JWKS refetch per installation per interval, so forged requests can't hammer Saleor."""

    def __init__(self, min_interval_seconds: float) -> None:
        self._min_interval = min_interval_seconds
        self._last: dict[int, float] = {}

    def allow(self, installation_id: int) -> bool:
        now = time.monotonic()
        last = self._last.get(installation_id)
        if last is not None and now - last < self._min_interval:
            return False
        self._last[installation_id] = now
        return True


class KeySets:
    """Refetching an installation's key set when a signature names a key it does not hold (rotation)."""

    def __init__(self, http: httpx.AsyncClient, apl: APL, limiter: JwksRefetchLimiter, clock: Clock) -> None:
        self._http = http
        self._apl = apl
        self.limiter = limiter
        self._clock = clock

    async def refresh(self, auth: AuthData) -> str | None:
        """Fetch Saleor's key set again and store it if it changed; None when Saleor did not give it."""
        try:
            jwks = await fetch_jwks(self._http, auth.saleor_api_url)
        except ProtocolError:
            log.warning("JWKS refetch failed", extra={"saleor_api_url": auth.saleor_api_url})
            return None
        if jwks != auth.jwks:
            await self._apl.set_jwks(auth, jwks, self._clock())
            log.info("JWKS changed, stored", extra={"saleor_api_url": auth.saleor_api_url})
        return jwks
