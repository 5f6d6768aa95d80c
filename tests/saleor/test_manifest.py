"""The manifest: what Saleor 3.23 and its dashboard accept, and manifest.json kept equal to it."""

from __future__ import annotations

import json

from saleor_upsell_app.saleor.manifest import build_manifest
from saleor_upsell_app.webhooks import WEBHOOKS
from tests.paths import REPO

WIDGET_MOUNTS = {"ORDER_DETAILS_WIDGETS", "PRODUCT_DETAILS_WIDGETS"}


def test_manifest_json_is_what_the_app_serves_for_localhost() -> None:
    committed = json.loads((REPO / "manifest.json").read_text())
    assert committed == build_manifest("http://localhost:8000", WEBHOOKS), "run: make manifest"


def test_manifest_is_complete_and_absolute() -> None:
    manifest = build_manifest("https://upsell.example.com", WEBHOOKS)
    for key in ("id", "version", "name", "about", "permissions", "appUrl", "tokenTargetUrl", "webhooks"):
        assert manifest[key], key
    assert {"HANDLE_CHECKOUTS", "MANAGE_CHECKOUTS", "MANAGE_ORDERS", "MANAGE_PRODUCTS"} <= set(
        manifest["permissions"]
    )
    assert "MANAGE_APPS" not in manifest["permissions"]
    for key in ("appUrl", "tokenTargetUrl", "dataPrivacyUrl", "homepageUrl", "supportUrl"):
        assert manifest[key].startswith("https://upsell.example.com/"), key
    assert manifest["requiredSaleorVersion"] == ">=3.23"


def test_extensions_pass_the_dashboards_rules() -> None:
    manifest = build_manifest("https://upsell.example.com", WEBHOOKS)
    for extension in manifest["extensions"]:
        assert set(extension["permissions"]) <= set(manifest["permissions"])
        if extension["target"] == "APP_PAGE":
            assert extension["url"].startswith("/")
        if extension["target"] == "WIDGET":
            assert extension["mount"] in WIDGET_MOUNTS
            assert extension["url"].startswith("https://")


def test_one_list_feeds_webhooks_and_routes() -> None:
    manifest = build_manifest("https://upsell.example.com", WEBHOOKS)
    assert [(w["asyncEvents"], w["targetUrl"]) for w in manifest["webhooks"]] == [
        ([w.event], f"https://upsell.example.com{w.path}") for w in WEBHOOKS
    ]


def test_the_protocol_core_knows_no_webhook_of_the_app() -> None:
    # The manifest lists exactly the webhooks it is given.
    assert build_manifest("https://upsell.example.com", [])["webhooks"] == []
