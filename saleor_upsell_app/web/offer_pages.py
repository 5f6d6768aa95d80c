"""HTTP adapter for the offer link: GET the offer page, POST accept / decline. Thin on purpose.

The token is in the URL, so pages are never cached and never leak it as a Referer. Every refusal (an
OfferError) is mapped to its page and status here, in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..kit.clock import Clock
from ..postpurchase.errors import OfferError
from ..postpurchase.shopper_actions import ShopperActions
from ..postpurchase.tokens import OfferLinks
from . import offer_html as pages

log = logging.getLogger("saleor_upsell.postpurchase")

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


async def _respond(request: Request, action: Callable[[], Awaitable[str]]) -> HTMLResponse:
    try:
        return _html(await action())
    except OfferError as exc:
        log.info("offer link refused", extra={"code": exc.code, "path": request.url.path.split("/")[1]})
        return _html(pages.refusal_page(exc), exc.status)
    except Exception:
        log.exception("offer page failed")
        return _html(pages.unexpected_page(), 500)


def build_offer_router(actions: ShopperActions, links: OfferLinks, clock: Clock) -> APIRouter:
    router = APIRouter()

    @router.get("/offers/{token}", response_class=HTMLResponse)
    async def offer_page(request: Request, token: str) -> HTMLResponse:
        async def show() -> str:
            return pages.offer_page(await actions.view(token, clock()), links.url(token))

        return await _respond(request, show)

    @router.post("/offers/{token}/accept", response_class=HTMLResponse)
    async def accept(request: Request, token: str) -> HTMLResponse:
        async def run() -> str:
            return pages.accepted_page(await actions.accept(token, clock()))

        return await _respond(request, run)

    @router.post("/offers/{token}/decline", response_class=HTMLResponse)
    async def decline(request: Request, token: str) -> HTMLResponse:
        async def run() -> str:
            return pages.declined_page(await actions.decline(token, clock()))

        return await _respond(request, run)

    return router
