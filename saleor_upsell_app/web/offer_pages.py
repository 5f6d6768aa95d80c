"""HTTP adapter for the offer link: GET the offer page, POST accept / decline; the e-mail unsubscribe
link. Thin on purpose.

An accept that opened a follow-up checkout answers ``303 See Other`` to the storefront's checkout (the
browser follows it with a GET); a same-order add-on answers its confirmation page. The token is in the
URL, so pages are never cached and never leak it as a Referer. Every refusal (an OfferError) is mapped
to its page and status here, in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..kit.clock import Clock
from ..postpurchase.email import Unsubscribes
from ..postpurchase.errors import OfferError
from ..postpurchase.shopper_actions import ShopperActions
from ..postpurchase.tokens import OfferLinks, TokenInvalid
from . import offer_html as pages

log = logging.getLogger("saleor_upsell.postpurchase")

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src https: http:; "
        f"script-src '{pages.COUNTDOWN_HASH}'"
    ),
}


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


async def _respond(request: Request, action: Callable[[], Awaitable[Response]]) -> Response:
    try:
        return await action()
    except OfferError as exc:
        log.info("offer link refused", extra={"code": exc.code, "path": request.url.path.split("/")[1]})
        return _html(pages.refusal_page(exc), exc.status)
    except Exception:
        log.exception("offer page failed")
        return _html(pages.unexpected_page(), 500)


def build_offer_router(
    actions: ShopperActions, links: OfferLinks, unsubscribes: Unsubscribes, clock: Clock
) -> APIRouter:
    router = APIRouter()

    @router.get("/offers/unsubscribe/{token}", response_class=HTMLResponse)
    async def unsubscribe_page(request: Request, token: str) -> HTMLResponse:
        try:
            unsubscribes.check(token)
        except TokenInvalid:
            return _html(pages.refusal_page(OfferError()), 404)
        return _html(pages.unsubscribe_page(str(request.url)))

    @router.post("/offers/unsubscribe/{token}", response_class=HTMLResponse)
    async def unsubscribe(token: str) -> HTMLResponse:
        """Also the RFC 8058 one-click target (List-Unsubscribe-Post)."""
        try:
            await unsubscribes.unsubscribe(token, clock())
        except TokenInvalid:
            return _html(pages.refusal_page(OfferError()), 404)
        return _html(pages.unsubscribed_page())

    @router.get("/offers/{token}", response_class=HTMLResponse)
    async def offer_page(request: Request, token: str) -> Response:
        async def show() -> Response:
            return _html(pages.offer_page(await actions.view(token, clock()), links.url(token)))

        return await _respond(request, show)

    @router.post("/offers/{token}/accept", response_class=HTMLResponse)
    async def accept(request: Request, token: str) -> Response:
        async def run() -> Response:
            outcome = await actions.accept(token, clock())
            if outcome.checkout_url:
                return RedirectResponse(outcome.checkout_url, status_code=303, headers=_HEADERS)
            return _html(pages.accepted_page(outcome))

        return await _respond(request, run)

    @router.post("/offers/{token}/decline", response_class=HTMLResponse)
    async def decline(request: Request, token: str) -> Response:
        async def run() -> Response:
            return _html(pages.declined_page(await actions.decline(token, clock())))

        return await _respond(request, run)

    return router
