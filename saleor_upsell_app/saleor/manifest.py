"""The app manifest Saleor fetches at install. Every URL is absolute and built from APP_URL; the webhooks
are the app's list (webhooks.py), passed in: the protocol core knows none of them."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .webhook import AsyncWebhook

APP_ID = "saleor-upsell"
APP_NAME = "Upsell: order bumps & one-click offers"
REQUIRED_SALEOR_VERSION = ">=3.23"

# What the app really needs, and why (also in the README):
PERMISSIONS = (
    "HANDLE_CHECKOUTS",  # set a custom line price (the offer price) on checkout lines
    "MANAGE_CHECKOUTS",  # receive checkout webhooks; read priceOverrideReason and private metadata
    "MANAGE_ORDERS",  # order webhooks, post-purchase edits and follow-up orders, order history for mining
    "MANAGE_PRODUCTS",  # catalogue and prices (incl. unpublished) for offers and the pairing pickers
)


def app_version() -> str:
    try:
        return version("saleor-upsell")
    except PackageNotFoundError:
        return "0.0.0"


def _page(label: str, path: str, mount: str) -> dict[str, Any]:
    # The dashboard refuses APP_PAGE URLs not starting with "/"; they are resolved against appUrl.
    return {"label": label, "mount": mount, "target": "APP_PAGE", "url": path, "permissions": []}


def build_manifest(app_url: str, webhooks: Sequence[AsyncWebhook]) -> dict[str, Any]:
    return {
        "id": APP_ID,
        "version": app_version(),
        "name": APP_NAME,
        "about": (
            "Raises average order value with order bumps, upgrades and post-purchase one-click offers, "
            "chosen from your own order data, with guardrails for shoppers"
            " and lift measured against a holdout."
        ),
        "author": "saleor-upsell contributors",
        "permissions": list(PERMISSIONS),
        "appUrl": f"{app_url}/dashboard/",
        "tokenTargetUrl": f"{app_url}/api/register",
        "dataPrivacyUrl": f"{app_url}/privacy",
        "homepageUrl": f"{app_url}/",
        "supportUrl": f"{app_url}/support",
        "requiredSaleorVersion": REQUIRED_SALEOR_VERSION,
        "brand": {"logo": {"default": f"{app_url}/static/logo.png"}},
        "extensions": [
            _page("Upsell offers", "/dashboard/offers", "NAVIGATION_DISCOUNTS"),
            {
                "label": "Upsell offers featuring this product",
                "mount": "PRODUCT_DETAILS_WIDGETS",
                "target": "WIDGET",
                "url": f"{app_url}/dashboard/widgets/product",
                "permissions": ["MANAGE_PRODUCTS"],
                "options": {"widgetTarget": {"method": "GET"}},
            },
            {
                "label": "Upsell offers for this order",
                "mount": "ORDER_DETAILS_WIDGETS",
                "target": "WIDGET",
                "url": f"{app_url}/dashboard/widgets/order",
                "permissions": ["MANAGE_ORDERS"],
                "options": {"widgetTarget": {"method": "GET"}},
            },
        ],
        "webhooks": [
            {
                "name": webhook.name,
                "asyncEvents": [webhook.event],
                "query": webhook.query,
                "targetUrl": f"{app_url}{webhook.path}",
                "isActive": True,
            }
            for webhook in webhooks
        ],
    }
