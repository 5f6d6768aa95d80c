"""The dashboard extension in headless Chromium, inside an iframe of a stand-in dashboard.

A test page on another loopback origin plays the Saleor Dashboard's side of app-bridge (PROTOCOL.md §4):
it loads the extension with `?saleorApiUrl=&id=&theme=`, answers `notifyReady` with `response` and a
`handshake` carrying a real dashboard token minted by the Saleor emulator, answers every other action, and
can send `theme` events. The extension then talks to the real app (GraphQL API + SQLite) and the app to the
emulator. Screenshots of every page go to test-artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from saleor_upsell_app.main import STATIC_DIR
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.serve import serve_asgi
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require
from tests.conftest import AppUnderTest

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]


# The dashboard's side of app-bridge: handshake, responses to actions, theme events.
HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Stand-in Saleor Dashboard</title>
<style>body{margin:0;font-family:sans-serif} iframe{border:0;width:100%;height:100vh}</style></head>
<body><iframe id="app" src="__SRC__"></iframe>
<script>
  const appOrigin = new URL("__SRC__").origin;
  const frame = document.getElementById("app");
  window.__actions = [];
  window.__token = "__TOKEN__";
  const send = (message) => frame.contentWindow.postMessage(message, appOrigin);
  window.__setTheme = (theme) => send({ type: "theme", payload: { theme } });
  window.addEventListener("message", (event) => {
    if (event.origin !== appOrigin) return;  // the dashboard ignores other origins
    const { type, payload } = event.data || {};
    if (!payload || !payload.actionId) return;  // ... and messages without an actionId
    window.__actions.push({ type, payload });
    send({ type: "response", payload: { actionId: payload.actionId, ok: true } });
    if (type === "notifyReady") {
      send({ type: "handshake", payload: {
        token: window.__token, version: 1, saleorVersion: "3.23.28", dashboardVersion: "3.23.28" } });
      send({ type: "theme", payload: { theme: "light" } });
      send({ type: "localeChanged", payload: { locale: "en" } });
    }
  });
</script></body></html>"""


def host_app(src: str, token: str) -> FastAPI:
    page = FastAPI()
    html = HOST_PAGE.replace("__SRC__", src).replace("__TOKEN__", token)

    @page.get("/")
    async def index() -> HTMLResponse:
        return HTMLResponse(html)

    return page


def _check_prerequisites() -> None:
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (make browser installs it)")
    require(
        (STATIC_DIR / "dashboard" / "index.html").is_file(),
        "dashboard not built (cd dashboard_extension && npm ci && npm run build)",
    )


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    _check_prerequisites()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS / "dashboard", ignore_errors=True)
    (ARTIFACTS / "dashboard").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / "dashboard"


@asynccontextmanager
async def _open_dashboard(
    browser: Any, app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, path: str
) -> AsyncIterator[tuple[Any, Any]]:
    token = emulator.dashboard_token(installed.id, permissions=list(installed.permissions))
    query = f"?saleorApiUrl={emulator.api_url}&id={installed.id}&theme=light"
    async with serve_asgi(host_app(f"{app.base_url}{path}{query}", token)) as host_url:
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(host_url)
        frame = page.frame_locator("#app")
        try:
            yield page, frame
        finally:
            await context.close()
        assert not errors, errors


async def _pick(frame: Any, test_id: str, text: str, option: str) -> None:
    box = frame.get_by_test_id(test_id)
    await box.click()
    await box.fill(text)
    await frame.get_by_role("option", name=option).first.click()


async def test_create_a_bump_through_the_ui(
    browser: Any, artifacts: Path, app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    from playwright.async_api import expect

    async with _open_dashboard(browser, app, emulator, installed, "/dashboard/offers") as (page, frame):
        # First visit: the handshake worked (no "Connecting…") and the empty state says what to do.
        await expect(frame.get_by_text("Create your first order bump")).to_be_visible(timeout=15_000)
        await page.screenshot(path=artifacts / "01-offers-empty.png")

        await frame.get_by_test_id("new-rule").first.click()
        await expect(frame.get_by_role("heading", name="New offer")).to_be_visible()
        # Saving an empty form shows the editor's own validation next to the fields.
        await frame.get_by_test_id("save-rule").click()
        await expect(frame.get_by_text("Give the offer a name you will recognise")).to_be_visible()
        await page.screenshot(path=artifacts / "02-editor-validation.png", full_page=True)

        await frame.get_by_test_id("field-name").fill("Mug with the tee")
        await _pick(frame, "picker-trigger-product", "Monospace", "Monospace Tee")
        await _pick(frame, "picker-offer", "Banana", "Banana Juice")
        await frame.get_by_test_id("field-percent").fill("20")
        await frame.get_by_test_id("field-headline").fill("Add a mug for your morning coffee")
        await frame.get_by_test_id("field-reason").fill("Customers who buy the tee love it")
        # The live preview: the offer price with the regular price struck through.
        preview = frame.get_by_test_id("offer-preview")
        await page.wait_for_timeout(1500)
        await page.screenshot(path=artifacts / "03-editor-preview.png", full_page=True)
        await expect(preview.get_by_test_id("regular-price")).to_be_visible(timeout=10_000)

        await frame.get_by_test_id("save-rule").click()
        row = frame.get_by_test_id("rule-row").filter(has_text="Mug with the tee")
        await expect(row).to_be_visible(timeout=10_000)
        await expect(row.get_by_test_id("offer-price")).to_be_visible(timeout=10_000)
        await page.screenshot(path=artifacts / "04-offers-list.png")
        actions = await page.evaluate("window.__actions")
        assert any(a["type"] == "notification" and a["payload"].get("status") == "success" for a in actions)

        rules = await app.services.rules.list(
            (await app.services.installations.get(emulator.api_url)).id  # type: ignore[union-attr]
        )
        assert [rule.spec.name for rule in rules] == ["Mug with the tee"]

        for tab, name in [
            ("Post-purchase", "05-post-purchase"),
            ("Suggestions", "06-suggestions"),
            ("Analytics", "07-analytics"),
            ("Settings", "08-settings"),
        ]:
            await frame.get_by_role("link", name=tab, exact=True).click()
            await expect(frame.get_by_role("heading", name=tab, exact=True)).to_be_visible()
            await expect(frame.get_by_test_id("loading")).to_have_count(0, timeout=10_000)
            await page.screenshot(path=artifacts / f"{name}.png", full_page=True)

        # The dashboard switches to dark: the extension follows without a reload.
        await page.evaluate("window.__setTheme('dark')")
        await frame.get_by_role("link", name="Offers", exact=True).click()
        await expect(row).to_be_visible()
        await page.wait_for_timeout(300)
        await page.screenshot(path=artifacts / "09-offers-dark.png")
