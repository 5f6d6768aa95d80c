"""Helpers for the order-bump end-to-end tests (rules and checkout reading), shared by several modules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from saleor_upsell_app.engine import metadata as md
from saleor_upsell_app.rules.service import create_rule, validate_channel_settings
from testing.sample_data import bump_rule
from tests.conftest import AppUnderTest


async def add_rule(app: AppUnderTest, **overrides: Any) -> int:
    installation = (await app.data.installations.all())[0]
    async with app.data.db.transaction() as session:
        stored = await create_rule(session, installation.id, bump_rule(**overrides), app.data.clock())
    return stored.id


async def set_channel(app: AppUnderTest, channel: str = "default-channel", **settings: Any) -> None:
    installation = (await app.data.installations.all())[0]
    await app.data.rules.save_channel_settings(
        installation.id, channel, validate_channel_settings(settings), app.data.clock()
    )


def offer_lines(checkout: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        line
        for line in checkout["lines"]
        if md.read_marker({m["key"]: m["value"] for m in line.get("metadata") or ()}) is not None
    ]


def unit_price(line: dict[str, Any]) -> Decimal:
    return Decimal(str(line["unitPrice"]["gross"]["amount"]))
