"""HTTP adapter for the offer link: GET the offer page, POST accept / decline. Thin on purpose.

The token is in the URL, so pages are never cached and never leak it as a Referer. The router's
lifespan starts the sweep next to the inbox workers (only where workers run).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

from ..services import Services
from . import pages
from .common import log, offer_url
from .errors import OfferError
from .shopper_actions import accept_offer, decline_offer, view_offer
from .sweep import run_sweeper

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}


@asynccontextmanager
async def _sweeper_lifespan(app: FastAPI) -> AsyncIterator[None]:
    services: Services = app.state.services  # set by the app's own lifespan, which runs first
    task = asyncio.create_task(run_sweeper(services)) if services.settings.run_workers else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


router = APIRouter(lifespan=_sweeper_lifespan)


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


async def _respond(request: Request, token: str, action: Callable[[], Awaitable[str]]) -> HTMLResponse:
    try:
        return _html(await action())
    except OfferError as exc:
        log.info("offer link refused", extra={"code": exc.code, "path": request.url.path.split("/")[1]})
        return _html(pages.refusal_page(exc), exc.status_code)
    except Exception:
        log.exception("offer page failed")
        return _html(pages.unexpected_page(), 500)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


@router.get("/offers/{token}", response_class=HTMLResponse)
async def offer_page(request: Request, token: str) -> HTMLResponse:
    services = _services(request)

    async def show() -> str:
        view = await view_offer(services, token, services.clock())
        return pages.offer_page(view, offer_url(services, token))

    return await _respond(request, token, show)


@router.post("/offers/{token}/accept", response_class=HTMLResponse)
async def accept(request: Request, token: str) -> HTMLResponse:
    services = _services(request)

    async def run() -> str:
        return pages.accepted_page(await accept_offer(services, token, services.clock()))

    return await _respond(request, token, run)


@router.post("/offers/{token}/decline", response_class=HTMLResponse)
async def decline(request: Request, token: str) -> HTMLResponse:
    services = _services(request)

    async def run() -> str:
        return pages.declined_page(await decline_offer(services, token, services.clock()))

    return await _respond(request, token, run)
