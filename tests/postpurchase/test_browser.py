"""A real headless Chromium opens the offer page, clicks Accept and sees the result."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.postpurchase.helpers import (
    APPLE_JUICE,
    Shop,
    add_rule,
    buy_tee,
    keep_orders_unconfirmed,
    lines_of,
    offer_link,
)


@pytest.mark.browser
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_shopper_accepts_offer_in_a_real_browser(shop: Shop) -> None:
    require_chromium()
    from playwright.async_api import async_playwright

    keep_orders_unconfirmed(shop.emulator)
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    ARTIFACTS.mkdir(exist_ok=True)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            response = await page.goto(offer_link(order))
            assert response is not None and response.status == 200
            await page.get_by_role("heading", name="Thirsty? Add a cold apple juice").wait_for()
            assert await page.locator("html").get_attribute("lang") == "en"
            await page.screenshot(path=str(ARTIFACTS / "post-purchase-offer.png"), full_page=True)

            accept = page.get_by_role("button", name="Yes, add it for $1.19")
            await accept.focus()  # reachable by keyboard
            await accept.press("Enter")
            await page.get_by_role("heading", name="Added to your order").wait_for()
            assert "$1.19" in await page.get_by_role("status").inner_text()
            await page.screenshot(path=str(ARTIFACTS / "post-purchase-accepted.png"), full_page=True)

            await page.go_back()
            await page.reload()  # the link is used up now: a polite page, not the form
            assert "already answered" in await page.content()
        finally:
            await browser.close()
    assert len(lines_of(order, APPLE_JUICE)) == 1
