"""Liveness with a real database round trip, and the small public pages the manifest links to."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse

from ..inbox.service import Inbox
from ..kit.db import Database

router = APIRouter()


def build_health_router(db: Database, inbox: Inbox) -> APIRouter:
    health = APIRouter()

    @health.get("/healthz")
    async def healthz() -> JSONResponse:
        try:
            await db.ping()
        except Exception as exc:
            return JSONResponse({"status": "error", "database": f"unreachable: {type(exc).__name__}"}, 503)
        return JSONResponse({"status": "ok", "database": "ok", "inbox": await inbox.counts()})

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
