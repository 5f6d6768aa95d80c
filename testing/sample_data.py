"""Ids from the emulator's seed (Saleor's sample data) and a typical bump rule, for tests and benches."""

from __future__ import annotations

from typing import Any

from testing.saleor_emulator.ids import to_global_id

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
