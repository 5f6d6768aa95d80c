"""The dashboard extension in headless Chromium, inside an iframe of a stand-in dashboard.

A test page on another loopback origin plays the Saleor Dashboard's side of app-bridge (PROTOCOL.md §4):
it loads the extension with `?saleorApiUrl=&id=&theme=`, answers `notifyReady` with `response` and a
`handshake` carrying a real dashboard token minted by the Saleor emulator, answers every other action, and
can send `theme` events. The extension then talks to the real app (GraphQL API + SQLite) and the app to the
emulator. Screenshots of every page go to test-artifacts/; each test asserts on what the page shows.
"""

from __future__ import annotations

import asyncio
import shutil
import time
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


@pytest.fixture(scope="module")
def artifacts() -> Path:
    """test-artifacts/dashboard/, emptied once per run (each test names its own screenshots)."""
    shutil.rmtree(ARTIFACTS / "dashboard", ignore_errors=True)
    (ARTIFACTS / "dashboard").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / "dashboard"


@asynccontextmanager
async def _open_dashboard(
    browser: Any,
    app: AppUnderTest,
    emulator: SaleorEmulator,
    installed: InstalledApp,
    path: str,
    token: str | None = None,
) -> AsyncIterator[tuple[Any, Any]]:
    """The extension at `path` in the stand-in dashboard, which hands over `token` (default: a fresh one)."""
    if token is None:
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
    from playwright.async_api import expect

    box = frame.get_by_test_id(test_id)
    await box.click()
    await box.fill(text)
    choice = frame.get_by_role("option", name=option).first
    await expect(choice).to_be_visible(timeout=10_000)
    # The list is re-rendered when the debounced search answers; a click on the first rendering of an
    # option can land on an element that is being replaced, so let the answer settle first.
    await asyncio.sleep(0.6)
    await choice.click()


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
        # "Insert social proof" stays on one line (it wrapped onto three in a dashboard-sized frame).
        await page.set_viewport_size({"width": 1000, "height": 900})
        social = frame.get_by_test_id("insert-social-proof")
        social_box = await social.bounding_box()
        assert social_box is not None and social_box["height"] < 40, social_box
        # Wrapped text overflows the fixed-height button: its content would be taller than the button.
        overflow = await social.evaluate(
            "el => [el.scrollHeight, el.clientHeight, el.scrollWidth, el.clientWidth]"
        )
        assert overflow[0] <= overflow[1] + 1 and overflow[2] <= overflow[3] + 1, overflow
        # Scrolled to the end of the long form, the live preview is still in view (sticky).
        html = frame.locator("html")
        await html.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        await page.wait_for_timeout(200)
        scrolled = await html.evaluate("() => window.scrollY")
        column = await frame.get_by_test_id("preview-column").bounding_box()
        assert scrolled > 300, scrolled
        assert column is not None and 0 <= column["y"] <= 40 and column["y"] + column["height"] <= 900, column
        await expect(preview.get_by_test_id("offer-price")).to_be_in_viewport()
        await page.screenshot(path=artifacts / "03b-editor-scrolled.png")
        await page.set_viewport_size({"width": 1280, "height": 900})

        await frame.get_by_test_id("save-rule").click()
        row = frame.get_by_test_id("rule-row").filter(has_text="Mug with the tee")
        await expect(row).to_be_visible(timeout=10_000)
        await expect(row.get_by_test_id("offer-price")).to_be_visible(timeout=10_000)
        # The list says what is offered and what triggers it; the status is a labelled switch.
        await expect(row.get_by_test_id("offered-item")).to_have_text("Banana Juice")
        await expect(row.get_by_test_id("trigger")).to_have_text("Cart has 1 product")
        switch = row.get_by_role("switch")
        await expect(switch).to_have_attribute("aria-checked", "true")
        await expect(row.get_by_text("Active", exact=True)).to_be_visible()
        await page.screenshot(path=artifacts / "04-offers-list.png")
        actions = await page.evaluate("window.__actions")
        assert any(a["type"] == "notification" and a["payload"].get("status") == "success" for a in actions)

        rules = await app.data.rules.list(
            (await app.data.installations.get(emulator.api_url)).id  # type: ignore[union-attr]
        )
        assert [rule.spec.name for rule in rules] == ["Mug with the tee"]

        # Reopened, the saved rule names its items (not Saleor ids), and a category can be picked.
        await row.get_by_role("button").first.click()
        await expect(frame.get_by_role("heading", name="Edit offer")).to_be_visible(timeout=10_000)
        await expect(frame.get_by_test_id("offer-variant")).to_contain_text("Banana Juice", timeout=10_000)
        await expect(frame.get_by_text("Monospace Tee").first).to_be_visible()
        await expect(frame.get_by_text("UHJvZHVjdDo", exact=False)).to_have_count(0)
        await _pick(frame, "picker-trigger-category", "Jui", "Juices")
        await page.screenshot(path=artifacts / "04b-editor-saved-rule.png", full_page=True)
        await frame.get_by_test_id("save-rule").click()
        await expect(frame.get_by_test_id("rule-row").filter(has_text="Mug with the tee")).to_be_visible(
            timeout=10_000
        )
        [saved] = await app.data.rules.list(
            (await app.data.installations.get(emulator.api_url)).id  # type: ignore[union-attr]
        )
        assert saved.spec.trigger.category_ids == ["Q2F0ZWdvcnk6NDA="], saved.spec.trigger

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

        # Settings: one table of the channels (in Saleor's order), one form, one Save with a dirty state.
        table = frame.get_by_test_id("settings-channels")
        rows = table.locator("tbody tr")
        await expect(rows).to_have_count(3)
        names = [await rows.nth(i).locator("td").first.inner_text() for i in range(3)]
        assert names == ["Channel-USD (USD)", "Channel-PLN (PLN)", "Channel-JPY (JPY)"], names
        await expect(frame.get_by_test_id("settings-form")).to_have_count(1)
        await expect(frame.get_by_test_id("save-settings")).to_have_count(1)
        await expect(frame.get_by_test_id("save-settings")).to_be_disabled()
        await expect(frame.get_by_test_id("eu-notice")).to_contain_text("Art. 22")
        await expect(frame.get_by_test_id("field-allowMoreThanTwo")).to_have_count(0)
        await rows.nth(1).click()
        await expect(frame.get_by_test_id("settings-form")).to_have_attribute("data-channel", "channel-pln")
        # PLN is an EU currency: the channel starts in offer mode with the 10% holdout; the merchant opts in.
        await expect(rows.nth(1)).to_contain_text("Offer (shopper opts in)")
        await frame.locator("#channel-pln-mode-inject").click()
        await frame.get_by_test_id("field-holdoutPercent").fill("5")
        await expect(frame.get_by_test_id("settings-dirty")).to_have_text("Unsaved changes in Channel-PLN")
        await expect(rows.nth(1)).to_contain_text("Unsaved changes")
        await page.screenshot(path=artifacts / "10-settings-dirty.png")
        await frame.get_by_test_id("save-settings").click()
        await expect(frame.get_by_test_id("settings-dirty")).to_have_text("All changes saved", timeout=10_000)
        await expect(rows.nth(1)).to_contain_text("Inject (added to the cart)")
        await expect(rows.nth(1)).to_contain_text("5%")
        await expect(rows.nth(1)).to_contain_text("Saved")
        await expect(rows.nth(0)).to_contain_text("Defaults")

        # The dashboard switches to dark: the extension follows without a reload.
        await page.evaluate("window.__setTheme('dark')")
        await frame.get_by_role("link", name="Offers", exact=True).click()
        await expect(row).to_be_visible()
        await page.wait_for_timeout(300)
        await page.screenshot(path=artifacts / "09-offers-dark.png")


@pytest.mark.parametrize("case", ["not-a-jwt", "expired"])
async def test_a_bad_dashboard_token_ends_in_a_clear_state(
    case: str,
    browser: Any,
    artifacts: Path,
    app: AppUnderTest,
    emulator: SaleorEmulator,
    installed: InstalledApp,
) -> None:
    """No uncaught page error (the fixture asserts none) and no endless "Connecting…": what to do instead."""
    from playwright.async_api import expect

    if case == "not-a-jwt":
        token = "not-a-jwt"
        title, says = "The dashboard's sign-in could not be read", "the token is not a JWT"
    else:
        token = emulator.dashboard_token(
            installed.id, permissions=list(installed.permissions), issued_at=int(time.time()) - 3600
        )
        title, says = "Your dashboard session has expired", "no longer valid"
    async with _open_dashboard(browser, app, emulator, installed, "/dashboard/offers", token) as (
        page,
        frame,
    ):
        state = frame.get_by_test_id("bridge-state")
        await expect(state).to_have_attribute("data-state", "badToken" if case == "not-a-jwt" else "expired")
        await expect(frame.get_by_role("heading", name=title)).to_be_visible()
        await expect(state).to_contain_text(says)
        await expect(state).to_contain_text("Reload the dashboard page")
        await expect(frame.get_by_text("Connecting to the dashboard…")).to_have_count(0)
        await expect(frame.get_by_test_id("rule-table")).to_have_count(0)
        await page.screenshot(path=artifacts / f"11-bad-token-{case}.png")


async def test_analytics_page_with_seeded_experiments(
    browser: Any, artifacts: Path, app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    """Seeded through the real event log and order history: simulated shoppers for a rule that costs
    orders (the guardrail pauses it) and an A/B-tested rule; then the Analytics page as a merchant sees it."""
    from datetime import timedelta
    from decimal import Decimal

    from playwright.async_api import expect

    from saleor_upsell_app.insights.analytics.weekly_report import last_complete_week
    from saleor_upsell_app.insights.digest import produce_digest
    from saleor_upsell_app.insights.events import NewEvent
    from saleor_upsell_app.insights.guardrail import run_guardrail
    from saleor_upsell_app.rules.service import validate_rule
    from testing.experiment_simulator import ArmModel, rule_scenario, with_variants
    from testing.sample_data import bump_rule
    from testing.shopper_log import write_shoppers

    data = app.data
    own = (await data.installations.get(emulator.api_url)).id  # type: ignore[union-attr]
    now = data.clock()
    start = now - timedelta(days=24)
    pushy = await data.rules.create(own, validate_rule(bump_rule(name="Juice with every tee")), start)
    variants = [{"name": "A"}, {"name": "B", "price": {"type": "fixed", "amounts": {"USD": "0.99"}}}]
    split = await data.rules.create(
        own, validate_rule(bump_rule(name="Cap, two prices", variants=variants)), start
    )

    def writer(rule_id: int, prefix: str) -> dict[str, Any]:
        return {
            "rule_id": rule_id,
            "start": start + timedelta(minutes=1),
            "prefix": prefix,
            "record": lambda events, at: data.events.record(own, events, at),
            "store": lambda orders: data.orders.upsert_many(own, orders),
        }

    await write_shoppers(
        rule_scenario(checkouts_per_day=250, days=20, completion_effect=-0.15),
        seed=1,
        **writer(pushy.id, "p"),
    )
    ab = with_variants(
        rule_scenario(checkouts_per_day=250, days=20),
        [ArmModel("A", 0.45, 0.65, 80.0), ArmModel("B", 0.45, 0.65, 96.0)],
    )
    await write_shoppers(ab, seed=2, with_arms=True, **writer(split.id, "s"))
    channel = "default-channel"
    for day in range(20):
        at = start + timedelta(days=day, hours=2)
        shown = [NewEvent("offered", "bump", rule_id=r, channel_slug=channel) for r in (pushy.id, split.id)]
        taken = [
            NewEvent(
                "accepted", "bump", rule_id=split.id, checkout_id=f"take-{day}", channel_slug=channel,
                amount=Decimal("0.99"), currency="USD",
            ),
            NewEvent("declined", "bump", rule_id=pushy.id, channel_slug=channel),
        ]  # fmt: skip
        await data.events.record(own, shown * 12 + taken, at)
    await run_guardrail(data.db, own, now)
    await produce_digest(data.db, own, last_complete_week(now), now)

    async with _open_dashboard(browser, app, emulator, installed, "/dashboard/analytics") as (page, frame):
        await expect(frame.get_by_test_id("experiment-card").first).to_be_visible(timeout=30_000)
        verdict = await frame.get_by_test_id("experiment-verdict").first.inner_text()
        # One plain sentence: a verdict on revenue per checkout, or how many checkouts it still needs.
        assert "revenue per checkout" in verdict or verdict.startswith("Not enough data yet ("), verdict
        await expect(frame.get_by_test_id("experiment-card").first).to_contain_text("Revenue per checkout")
        await expect(frame.get_by_test_id("guardrail-pause")).to_contain_text("Juice with every tee")
        await expect(frame.get_by_test_id("guardrail-pause")).to_contain_text(
            "points less often than held-out"
        )
        rules = frame.get_by_test_id("rule-results")
        await expect(rules).to_contain_text("Cap, two prices")
        await expect(frame.get_by_test_id("variant-results")).to_contain_text("Variant B")
        await expect(frame.get_by_test_id("order-values")).to_contain_text("default-channel")
        await expect(frame.get_by_test_id("digests")).to_contain_text("Week of")
        await expect(frame.get_by_test_id("holdout-note")).to_contain_text("What it costs")
        # Charts: dated weeks, not ISO codes, and every label inside its picture.
        for chart in await frame.locator("svg[role=img]").all():
            box = await chart.bounding_box()
            assert box is not None
            for label in await chart.locator("text").all():
                text = await label.text_content() or ""
                assert "-W" not in text, text
                inner = await label.bounding_box()
                assert inner is not None
                assert (
                    box["x"] - 1 <= inner["x"] and inner["x"] + inner["width"] <= box["x"] + box["width"] + 1
                ), text
        await page.wait_for_timeout(300)
        await page.screenshot(path=artifacts / "11-analytics-seeded.png", full_page=True)
        await rules.scroll_into_view_if_needed()
        await page.screenshot(path=artifacts / "11b-analytics-per-rule.png")
        await frame.get_by_test_id("digests").scroll_into_view_if_needed()
        await page.screenshot(path=artifacts / "11c-analytics-charts-digests.png")
