"""Helpers for the order-bump end-to-end tests (rules and checkout reading), shared by several modules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from saleor_upsell_app.offers import metadata as md
from saleor_upsell_app.rule_service import create_rule, validate_channel_settings
from tests.conftest import AppUnderTest
from tests.emulator.ids import to_global_id

TEE_S = to_global_id("ProductVariant", 348)
TEE_M = to_global_id("ProductVariant", 349)
TEE_PRODUCT = to_global_id("Product", 134)
POLO = to_global_id("ProductVariant", 370)
APPLE_JUICE = to_global_id("ProductVariant", 300)
MIGHTY_MUG = to_global_id("ProductVariant", 382)  # 11.99 with an active 30% catalogue promotion
CUBES_M = to_global_id("ProductVariant", 395)


def bump_rule(**overrides: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "kind": "bump",
        "name": "Juice with every tee",
        "trigger": {"product_ids": [TEE_PRODUCT]},
        "offer_variant_id": APPLE_JUICE,
        "price": {"type": "percent_off", "percent": "20"},
        "copy": {"headline": "Add a cold apple juice", "reason": "Tees and juice: summer in one order"},
    }
    rule.update(overrides)
    return rule


async def add_rule(app: AppUnderTest, **overrides: Any) -> int:
    installation = (await app.services.installations.all())[0]
    stored = await create_rule(app.services, installation.id, bump_rule(**overrides))
    return stored.id


async def set_channel(app: AppUnderTest, channel: str = "default-channel", **settings: Any) -> None:
    installation = (await app.services.installations.all())[0]
    await app.services.rules.save_channel_settings(
        installation.id, channel, validate_channel_settings(settings), app.services.clock()
    )


def offer_lines(checkout: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        line
        for line in checkout["lines"]
        if md.read_marker({m["key"]: m["value"] for m in line.get("metadata") or ()}) is not None
    ]


def unit_price(line: dict[str, Any]) -> Decimal:
    return Decimal(str(line["unitPrice"]["gross"]["amount"]))
