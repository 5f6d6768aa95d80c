"""Liveness with a real database round trip, and the small public pages the manifest links to.

Anyone may ask whether the app is up (``{"status": "ok"}`` or 503 ``{"status": "error"}``); the detail
(database error class, inbox counts) is for operators only: sent when the request carries
``Authorization: Bearer <HEALTH_TOKEN>`` and that setting is set.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from ..inbox.service import Inbox
from ..kit.db import Database

router = APIRouter()


def _is_operator(request: Request, token: str | None) -> bool:
    if not token:
        return False
    sent = request.headers.get("authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def build_health_router(db: Database, inbox: Inbox, operator_token: str | None = None) -> APIRouter:
    health = APIRouter()

    @health.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        detail = _is_operator(request, operator_token)
        try:
            await db.ping()
            counts = await inbox.counts() if detail else None
        except Exception as exc:
            body = {"status": "error"}
            if detail:
                body["database"] = f"unreachable: {type(exc).__name__}"
            return JSONResponse(body, 503)
        if counts is None:
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "ok", "database": "ok", "inbox": counts})

    health.include_router(router)
    return health


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; line-height: 1.5">
<h1>{title}</h1>{body}</body></html>"""


@router.get("/", response_class=HTMLResponse)
async def home() -> str:
    return _PAGE.format(
        title="saleor-upsell",
        body="<p>A Saleor app for order bumps, upgrades and post-purchase one-click offers. "
        "Install it from your Saleor dashboard with the manifest at <code>/api/manifest</code>.</p>",
    )


@router.get("/privacy", response_class=HTMLResponse)
async def privacy() -> str:
    return _PAGE.format(
        title="Data privacy",
        body="<p>The app stores, in the merchant's own database: the Saleor app token (encrypted), the "
        "merchant's offer rules, a compact order history (ids, channel, time, amounts, variant ids; no names "
        "or addresses) and an event log of offers shown, accepted and declined. Nothing is shared with "
        "third parties.</p>",
    )


@router.get("/support", response_class=HTMLResponse)
async def support() -> str:
    return _PAGE.format(
        title="Support", body="<p>See the project's README and issue tracker for help and bug reports.</p>"
    )
