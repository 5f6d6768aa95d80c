"""The install handshake: Saleor POSTs the app token to /api/register (tokenTargetUrl)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime

import httpx

from .apl import APL
from .client import SaleorClient
from .errors import ProtocolError, SaleorApiError
from .jwks import fetch_jwks
from .results import AppIdData

log = logging.getLogger("saleor_upsell.register")


async def register_installation(
    *,
    headers: Mapping[str, str],
    body: bytes,
    allowed_saleor_urls: re.Pattern[str],
    http: httpx.AsyncClient,
    apl: APL,
    timeout_seconds: float,
    now: datetime,
) -> str:
    """Verify and store an installation; returns the app id. Each failure is a ProtocolError with a code."""
    api_url = headers.get("saleor-api-url")
    if not api_url:
        raise ProtocolError("MISSING_SALEOR_API_URL", "Missing saleor-api-url header.", 400)
    try:
        token = json.loads(body)["auth_token"]
    except (ValueError, KeyError, TypeError):
        token = None
    if not isinstance(token, str) or not token:
        raise ProtocolError("MISSING_AUTH_TOKEN", "Missing auth token.", 400)
    if not allowed_saleor_urls.fullmatch(api_url):
        raise ProtocolError(
            "SALEOR_URL_PROHIBITED", f"This app may not be installed on {api_url} (ALLOWED_SALEOR_URLS).", 403
        )

    app_id = await _verified_app_id(api_url, token, timeout_seconds)
    jwks = await fetch_jwks(http, api_url)
    try:
        await apl.set(
            saleor_api_url=api_url,
            app_id=app_id,
            token=token,
            jwks=jwks,
            domain=headers.get("saleor-domain"),
            now=now,
        )
    except Exception as exc:
        log.exception("could not store installation", extra={"saleor_api_url": api_url})
        raise ProtocolError("APL_SET_FAILED", "The app could not store the installation.", 500) from exc
    log.info("app installed", extra={"saleor_api_url": api_url, "app_id": app_id})
    return app_id


async def _verified_app_id(api_url: str, token: str, timeout_seconds: float) -> str:
    client = SaleorClient(api_url, token, timeout_seconds)
    try:
        data = await client.query("AppId", {}, AppIdData)
    except SaleorApiError as exc:
        raise ProtocolError(
            "UNKNOWN_APP_ID", f"Could not verify the auth token with Saleor: {exc}", 401
        ) from exc
    finally:
        await client.aclose()
    app_id = data.app.id if data.app is not None else None
    if not app_id:
        raise ProtocolError("UNKNOWN_APP_ID", "Saleor did not recognise the auth token.", 401)
    return str(app_id)
