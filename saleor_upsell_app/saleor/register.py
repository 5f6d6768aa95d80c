"""The install handshake: Saleor POSTs the app token to /api/register (tokenTargetUrl).

Anyone can POST here, naming any URL, so the handshake is also an attacker's tool unless:
- the URL is allowed (ALLOWED_SALEOR_URLS) and not an internal address (saleor/url_safety.py);
- nothing Saleor answered is echoed back: one message per failure, whatever the far side said or whether
  anything listened at all (no port scanner);
- an installed Saleor is only re-registered by the same app, or when the stored token no longer works
  there (the app was deleted): another app of that Saleor cannot take the installation over.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime

import httpx

from .apl import APL, InstallationTaken
from .client import SaleorClientFactory
from .errors import ProtocolError, SaleorApiError, SaleorGraphQLError, SaleorUnavailable
from .jwks import fetch_jwks
from .results import AppIdData
from .url_safety import check_saleor_url

log = logging.getLogger("saleor_upsell.register")

NOT_VERIFIED = "Could not verify the auth token with this Saleor."
JWKS_NOT_AVAILABLE = "Could not fetch this Saleor's signing keys (JWKS)."
ALREADY_INSTALLED = (
    "The app is already installed in this Saleor by another app whose token still works there; "
    "delete that app in Saleor first."
)


class _TokenRejected(Exception):
    """Saleor said the token authenticates nothing (deleted or deactivated app, or not a token)."""


async def register_installation(
    *,
    headers: Mapping[str, str],
    body: bytes,
    allowed_saleor_urls: re.Pattern[str],
    allow_private_urls: bool,
    http: httpx.AsyncClient,
    saleor: SaleorClientFactory,
    apl: APL,
    now: datetime,
) -> str:
    """Verify and store an installation; returns the app id. Each failure is a ProtocolError with a code."""
    api_url = headers.get("saleor-api-url")
    if not api_url:
        raise ProtocolError("MISSING_SALEOR_API_URL", "Missing saleor-api-url header.", 400)
    try:
        token = json.loads(body)["auth_token"]
    except (ValueError, KeyError, TypeError, RecursionError):
        token = None
    if not isinstance(token, str) or not token:
        raise ProtocolError("MISSING_AUTH_TOKEN", "Missing auth token.", 400)
    if not allowed_saleor_urls.fullmatch(api_url):
        raise ProtocolError(
            "SALEOR_URL_PROHIBITED",
            "This app may not be installed on this Saleor (ALLOWED_SALEOR_URLS).",
            403,
        )
    await check_saleor_url(api_url, allow_private=allow_private_urls)
    context = {"saleor_api_url": api_url}

    try:
        app_id = await _app_id(saleor, api_url, token)
    except (SaleorApiError, _TokenRejected) as exc:
        log.warning("register: token not verified", extra={**context, "error": type(exc).__name__})
        raise ProtocolError("UNKNOWN_APP_ID", NOT_VERIFIED, 401) from exc

    existing = await apl.get(api_url)
    replacing = None
    if existing is not None and existing.app_id != app_id:
        replacing = await _deleted_app_id(saleor, api_url, existing.token, existing.app_id, context)

    try:
        jwks = await fetch_jwks(http, api_url)
    except ProtocolError as exc:
        log.warning("register: JWKS not fetched", extra={**context, "error": exc.message})
        raise ProtocolError("JWKS_NOT_AVAILABLE", JWKS_NOT_AVAILABLE, 401) from exc
    try:
        await apl.set(
            saleor_api_url=api_url,
            app_id=app_id,
            token=token,
            jwks=jwks,
            domain=headers.get("saleor-domain"),
            now=now,
            replacing_app_id=replacing,
        )
    except InstallationTaken as exc:  # another register won the race since the check above
        log.warning("register: installation taken meanwhile", extra={**context, "app_id": app_id})
        raise ProtocolError("ALREADY_INSTALLED", ALREADY_INSTALLED, 403) from exc
    except Exception as exc:
        log.exception("could not store installation", extra=context)
        raise ProtocolError("APL_SET_FAILED", "The app could not store the installation.", 500) from exc
    if replacing is not None:
        log.warning(
            "installation taken over from a deleted app",
            extra={**context, "app_id": app_id, "previous_app_id": replacing},
        )
    log.info("app installed", extra={**context, "app_id": app_id})
    return app_id


async def _app_id(saleor: SaleorClientFactory, api_url: str, token: str) -> str:
    """The id of the app ``token`` belongs to, as that Saleor says (`app { id }`)."""
    client = saleor.single_use(api_url, token)
    try:
        data = await client.query("AppId", {}, AppIdData)
    except SaleorGraphQLError as exc:
        # An unknown token is anonymous on Saleor: `app` needs AUTHENTICATED_APP (PermissionDenied).
        if exc.is_permission_denied:
            raise _TokenRejected() from exc
        raise
    finally:
        await client.aclose()
    if data.app is None or not data.app.id:
        raise _TokenRejected()
    return str(data.app.id)


async def _deleted_app_id(
    saleor: SaleorClientFactory, api_url: str, old_token: str, old_app_id: str, context: dict[str, str]
) -> str:
    """``old_app_id`` when its stored token no longer works in that Saleor (so a new app may replace
    it); otherwise the register is refused: another app of the same Saleor must not take over."""
    try:
        still = await _app_id(saleor, api_url, old_token)
    except _TokenRejected:
        return old_app_id
    except SaleorUnavailable as exc:
        log.warning("register: could not check the installed app", extra=context)
        raise ProtocolError(
            "SALEOR_UNAVAILABLE", "Could not check the installed app with this Saleor; try again.", 503
        ) from exc
    except SaleorApiError as exc:
        log.warning(
            "register: installed app's token gave an error", extra={**context, "error": type(exc).__name__}
        )
        raise ProtocolError("ALREADY_INSTALLED", ALREADY_INSTALLED, 403) from exc
    log.warning(
        "register refused: installation belongs to another app",
        extra={**context, "installed_app_id": still},
    )
    raise ProtocolError("ALREADY_INSTALLED", ALREADY_INSTALLED, 403)
