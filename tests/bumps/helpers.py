"""Helpers for the order-bump end-to-end tests (rules and checkout reading), shared by several modules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from saleor_upsell_app.engine import metadata as md
from saleor_upsell_app.rules.service import create_rule, validate_channel_settings
from testing.sample_data import bump_rule
from tests.conftest import AppUnderTest

# Saleor's checkout ids are random: with the default 10% holdout, one test run in ten would hold out the
# test's checkout. Tests of offers run without a holdout unless they set one (tests of the holdout do).
NO_HOLDOUT = {"holdout_percent": "0"}
CHANNELS = ("default-channel", "channel-pln", "channel-jpy")


async def add_rule(app: AppUnderTest, **overrides: Any) -> int:
    installation = (await app.data.installations.all())[0]
    for channel in CHANNELS:
        saved = await app.data.rules.all_channel_settings(installation.id)
        if channel not in saved:
            await set_channel(app, channel)
    async with app.data.db.transaction() as session:
        stored = await create_rule(session, installation.id, bump_rule(**overrides), app.data.clock())
    return stored.id


async def set_channel(app: AppUnderTest, channel: str = "default-channel", **settings: Any) -> None:
    """Save a channel's settings; without a holdout unless ``holdout_percent`` is given."""
    installation = (await app.data.installations.all())[0]
    await app.data.rules.save_channel_settings(
        installation.id, channel, validate_channel_settings(NO_HOLDOUT | settings), app.data.clock()
    )


def offer_lines(checkout: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        line
        for line in checkout["lines"]
        if md.read_marker({m["key"]: m["value"] for m in line.get("metadata") or ()}) is not None
    ]


def unit_price(line: dict[str, Any]) -> Decimal:
    return Decimal(str(line["unitPrice"]["gross"]["amount"]))
