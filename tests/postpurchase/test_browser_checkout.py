"""A real headless Chromium, in the shopper's own time zone: the offer page counts down in local time,
Accept leads through the redirect to the storefront's checkout (a stand-in storefront served by the
test), and the countdown takes the offer away when the window closes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from testing.saleor_emulator.serve import serve_asgi
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.conftest import free_port
from tests.postpurchase.helpers import APPLE_JUICE, CHANNEL, Shop, add_rule, buy_tee, offer_link, offer_rows

ZONE = "America/New_York"


async def _checkout_page(request: Request) -> HTMLResponse:
    checkout = request.query_params.get("checkout", "")
    return HTMLResponse(
        f'<!doctype html><html lang="en"><title>Checkout</title><h1>Checkout</h1><p id="c">{checkout}</p>'
    )


@pytest.fixture
def storefront_port() -> int:
    return free_port()


@pytest.fixture
def shop_settings(storefront_port: int) -> dict[str, Any]:
    return {
        "post_purchase_checkout_urls": {
            CHANNEL: f"http://127.0.0.1:{storefront_port}/checkout?checkout={{id}}"
        }
    }


@pytest.fixture
async def storefront(storefront_port: int) -> AsyncIterator[str]:
    app = Starlette(routes=[Route("/checkout", _checkout_page)])
    async with serve_asgi(app, port=storefront_port) as url:
        yield url


def _local_time(text: str) -> str:
    return text.replace("\u202f", " ").strip()


@pytest.mark.browser
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_offer_page_counts_down_in_local_time_and_accept_opens_the_checkout(
    shop: Shop, storefront: str
) -> None:
    require_chromium()
    from playwright.async_api import async_playwright

    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    [row] = await offer_rows(shop.app)
    ARTIFACTS.mkdir(exist_ok=True)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(timezone_id=ZONE, locale="en-US")
            page = await context.new_page()
            response = await page.goto(offer_link(order))
            assert response is not None and response.status == 200
            await page.get_by_role("heading", name="Thirsty? Add a cold apple juice").wait_for()
            # The end of the window in the shopper's zone (the server only knows UTC), and a countdown.
            local = row.expires_at.astimezone(ZoneInfo(ZONE)).strftime("%I:%M %p")
            assert _local_time(await page.locator("#ends-at").inner_text()) == local
            assert re.fullmatch(r"1[45]:\d\d left", await page.locator("#time-left").inner_text())
            await page.screenshot(path=str(ARTIFACTS / "post-purchase-offer-checkout.png"), full_page=True)

            accept = page.get_by_role("button", name="Yes, add it for $1.19")
            await accept.focus()  # reachable by keyboard
            await accept.press("Enter")
            await page.get_by_role("heading", name="Checkout").wait_for()
            assert page.url.startswith(f"{storefront}/checkout?checkout=")
            checkout_id = await page.locator("#c").inner_text()
            checkout = shop.emulator.checkout(checkout_id)
            assert [(line.variant_obj.id, str(line.price_override)) for line in checkout.lines] == [
                (APPLE_JUICE, "1.19")
            ]

            # Back on the offer page: no second accept, a way back to the checkout instead.
            await page.goto(offer_link(order))
            assert "already answered" in await page.content()
            await page.get_by_role("link", name="Continue to checkout").click()
            await page.get_by_role("heading", name="Checkout").wait_for()
            assert await page.locator("#c").inner_text() == checkout_id
        finally:
            await browser.close()
    assert len([c for c in shop.emulator.state.checkouts.values() if c.meta]) == 1


@pytest.mark.browser
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_countdown_takes_the_offer_away_when_the_window_closes(shop: Shop, storefront: str) -> None:
    require_chromium()
    from playwright.async_api import async_playwright

    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(timezone_id=ZONE, locale="en-US")
            page = await context.new_page()
            await page.clock.install()
            await page.goto(offer_link(order))
            await page.get_by_role("button", name="Yes, add it for $1.19").wait_for()
            await page.clock.run_for("15:05")
            await page.get_by_role("heading", name="This offer has ended").wait_for()
            assert not await page.get_by_role("button", name="Yes, add it for $1.19").is_visible()
            assert not await page.get_by_text("$1.19", exact=True).is_visible()
        finally:
            await browser.close()
