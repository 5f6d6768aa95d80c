"""The storefront widget in headless Chromium: a plain HTML shop page on its own loopback origin loads
<script async src=APP/storefront/upsell.js> and a <saleor-upsell placement="product"> element, which
talks to the real app (GraphQL over CORS, SQLite) and the app to the Saleor emulator. The shopper sees
the offers with their struck-through regular price, adds one with the keyboard (the checkout the app
creates holds exactly one offer line, at the offer price) and declines the other, which is never shown
again, not even after a reload. Screenshots go to test-artifacts/widget/."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from saleor_upsell_app.tables import OfferEvent
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.serve import serve_asgi
from testing.sample_data import APPLE_JUICE, MIGHTY_MUG, TEE_PRODUCT, TEE_S
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require
from tests.bumps.helpers import add_rule, offer_lines, set_channel, unit_price
from tests.conftest import AppUnderTest

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

# A shop page as a merchant would write it: it adopts the checkout the widget reports.
SHOP_PAGE = """<!doctype html>
<html lang="en-US"><head><meta charset="utf-8"><title>Monospace Tee</title>
<script>
  window.__events = [];
  for (const name of ["accepted", "declined", "checkout", "error"]) {
    document.addEventListener("saleor-upsell:" + name, (event) => {
      window.__events.push([name, event.detail.offer ? event.detail.offer.key : event.detail.checkoutId]);
      if (name === "checkout") localStorage.setItem("shop:checkout", event.detail.checkoutId);
    });
  }
</script>
<script async src="__APP__/storefront/upsell.js"></script>
<style>saleor-upsell { --upsell-accent: rgb(0, 80, 60); max-width: 32rem; }</style>
</head><body><main><h1>Monospace Tee</h1><p>20.00 USD</p>
<saleor-upsell placement="product" saleor-api-url="__API__" channel="default-channel"
  product-id="__PRODUCT__" variant-id="__VARIANT__"></saleor-upsell>
<script>
  const known = localStorage.getItem("shop:checkout");
  if (known) document.querySelector("saleor-upsell").setAttribute("checkout-id", known);
</script>
</main></body></html>"""


def shop_app(app_url: str, api_url: str) -> FastAPI:
    page = FastAPI()
    html = (
        SHOP_PAGE.replace("__APP__", app_url)
        .replace("__API__", api_url)
        .replace("__PRODUCT__", TEE_PRODUCT)
        .replace("__VARIANT__", TEE_S)
    )

    @page.get("/")
    async def index() -> HTMLResponse:
        return HTMLResponse(html)

    return page


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    require(shutil.which(CHROMIUM) is not None, f"{CHROMIUM} is missing (make browser installs it)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS / "widget", ignore_errors=True)
    (ARTIFACTS / "widget").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / "widget"


async def test_shopper_adds_one_offer_and_declines_another_on_a_product_page(
    browser: Any, artifacts: Path, app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    from playwright.async_api import expect

    await set_channel(app, mode="offer", max_offers_per_checkout=2, price_ceiling_percent="50")
    juice_rule = await add_rule(
        app,
        priority=10,
        copy={"headline": "Add a cold apple juice", "reason": "Tees and juice", "badge": "Duo"},
    )
    mug_price = {"type": "percent_off", "percent": "40"}
    mug_rule = await add_rule(
        app,
        name="Mug",
        offer_variant_id=MIGHTY_MUG,
        price=mug_price,
        copy={"headline": "A mug for mornings", "reason": "Coffee tastes better"},
    )

    async with serve_asgi(shop_app(app.base_url, emulator.api_url)) as shop_url:
        context = await browser.new_context(viewport={"width": 900, "height": 900}, reduced_motion="reduce")
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(shop_url)

        widget = page.locator("saleor-upsell")
        juice = widget.locator(f'article[data-key="{juice_rule}"]')
        mug = widget.locator(f'article[data-key="{mug_rule}"]')
        await expect(juice).to_be_visible(timeout=15_000)
        await expect(mug).to_be_visible()
        await expect(widget.get_by_role("region", name="Recommended for you")).to_be_visible()
        # The offer price with the regular price struck through (and named for screen readers).
        await expect(juice.locator("[part=price]")).to_have_text("$1.19")
        await expect(juice.locator("del")).to_have_text("Regular price: $1.49")
        await expect(juice.get_by_text("Duo")).to_be_visible()
        await expect(mug.locator("[part=price]")).to_have_text("$7.19")
        # Themed by the page's custom property; no motion when the shopper asked for less.
        add = juice.get_by_role("button", name="Add Apple Juice for $1.19")
        assert await add.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 80, 60)"
        assert await juice.evaluate("el => getComputedStyle(el).transitionDuration") == "0s"
        await page.screenshot(path=artifacts / "01-product-page-offers.png", full_page=True)

        # Add with the keyboard: the app creates the checkout with the tee and the juice at its offer price.
        await add.focus()
        await page.keyboard.press("Enter")
        await expect(juice).to_have_count(0, timeout=15_000)
        await expect(widget.get_by_role("status")).to_have_text("Apple Juice was added.")
        checkout_id = await page.evaluate("localStorage.getItem('shop:checkout')")
        assert checkout_id
        await app.wait_idle(emulator)
        checkout = await emulator.shopper.checkout(checkout_id)
        [line] = offer_lines(checkout)
        assert line["variant"]["id"] == APPLE_JUICE and line["quantity"] == 1
        assert unit_price(line) == Decimal("1.19")
        assert sorted(line["variant"]["id"] for line in checkout["lines"]) == sorted([TEE_S, APPLE_JUICE])
        # Focus moved on to the next offer's button, so keyboard users are not lost.
        focused = await widget.evaluate("el => el.shadowRoot.activeElement.getAttribute('aria-label')")
        assert focused == "Add Mighty Mug for $7.19"
        await page.screenshot(path=artifacts / "02-added.png", full_page=True)

        await mug.get_by_role("button", name="No thanks to Mighty Mug").click()
        await expect(mug).to_have_count(0)
        await page.wait_for_function("window.__events.some(([name]) => name === 'declined')")
        events = await page.evaluate("window.__events")
        assert events[:3] == [
            ["checkout", checkout_id],
            ["accepted", str(juice_rule)],
            ["declined", str(mug_rule)],
        ]

        # Reloaded (the shop now knows the checkout): neither offer comes back, and the element hides.
        await page.reload()
        await page.wait_for_timeout(1500)
        await expect(widget.locator("article")).to_have_count(0)
        assert await widget.get_attribute("checkout-id") == checkout_id
        await page.screenshot(path=artifacts / "03-after-reload.png", full_page=True)
        await context.close()
    assert not errors, errors
    await app.wait_idle(emulator)
    after = await emulator.shopper.checkout(checkout_id)
    assert len(offer_lines(after)) == 1  # exactly one offer line, still
    async with app.data.sessions() as session:
        rows = await session.execute(select(OfferEvent.kind, OfferEvent.rule_id, OfferEvent.checkout_id))
        logged = {tuple(row) for row in rows}
    # The decline reached the server on the new checkout: no other device or page shows it again.
    assert ("declined", mug_rule, checkout_id) in logged and ("accepted", juice_rule, checkout_id) in logged
