"""Shared pieces of the post-purchase tests: a settable clock, rules, orders and offer links."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select

from saleor_upsell_app.postpurchase import order_metadata as om
from saleor_upsell_app.rules.service import create_rule, validate_channel_settings
from saleor_upsell_app.tables import OfferEvent, PostPurchaseOffer
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.ids import to_global_id
from testing.saleor_emulator.orders import Order
from tests.conftest import AppUnderTest

TEE_S = to_global_id("ProductVariant", 348)
TEE_PRODUCT = to_global_id("Product", 134)
APPLE_JUICE = to_global_id("ProductVariant", 300)  # 1.49, no promotion
MIGHTY_MUG = to_global_id("ProductVariant", 382)  # 11.99 with an active 30% catalogue promotion
CHANNEL = "default-channel"
CHECKOUT_URL = "https://shop.example/checkout?checkout={id}"


class SettableClock:
    """The app's clock in these tests: real time by default, moved forward on demand."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


def post_purchase_rule(**overrides: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "kind": "post_purchase",
        "name": "Juice after a tee",
        "trigger": {"product_ids": [TEE_PRODUCT]},
        "offer_variant_id": APPLE_JUICE,
        "price": {"type": "percent_off", "percent": "20"},
        "copy": {
            "headline": "Thirsty? Add a cold apple juice",
            "benefits": ["Ships in the same parcel", "Pressed this week"],
        },
        "window_minutes": 15,
    }
    rule.update(overrides)
    return rule


async def installation_id(app: AppUnderTest) -> int:
    return (await app.data.installations.all())[0].id


async def add_rule(app: AppUnderTest, **overrides: Any) -> int:
    """With the channel saved without a holdout first (order ids are random: with the default 10%
    holdout, one run in ten would hold the test's order out), unless the test saved its settings."""
    own = await installation_id(app)
    if CHANNEL not in await app.data.rules.all_channel_settings(own):
        await set_channel(app)
    async with app.data.db.transaction() as session:
        stored = await create_rule(session, own, post_purchase_rule(**overrides), app.data.clock())
    return stored.id


async def set_channel(app: AppUnderTest, **settings: Any) -> None:
    """Save the channel's settings; without a holdout unless ``holdout_percent`` is given."""
    values = {"holdout_percent": "0"} | settings
    await app.data.rules.save_channel_settings(
        await installation_id(app), CHANNEL, validate_channel_settings(values), app.data.clock()
    )


def keep_orders_unconfirmed(emulator: SaleorEmulator, keep: bool = True) -> None:
    """The merchant's channel setting for same-order add-ons: automaticallyConfirmAllNewOrders=false."""
    emulator.state.channels[CHANNEL].automatically_confirm_all_new_orders = not keep


async def buy_tee(app: AppUnderTest, emulator: SaleorEmulator) -> Order:
    """A shopper buys a tee (signed ORDER_CREATED reaches the app); returns the emulator's order."""
    placed = await emulator.shopper.buy([(TEE_S, 1)])
    await app.wait_idle(emulator)
    order = emulator.state.order(placed["id"])
    assert order is not None
    return order


def offer_link(order: Order) -> str:
    return order.meta[om.OFFER_URL]


def offer_token(order: Order) -> str:
    return order.meta[om.OFFER_TOKEN]


def lines_of(order: Order, variant_id: str) -> list[Any]:
    return [
        line for line in order.lines if line.variant_obj is not None and line.variant_obj.id == variant_id
    ]


def unit(line: Any) -> Decimal:
    return Decimal(line.unit)


async def event_kinds(app: AppUnderTest) -> list[str]:
    async with app.data.sessions() as session:
        return list(
            await session.scalars(
                select(OfferEvent.kind)
                .where(OfferEvent.offer_type == "post_purchase")
                .order_by(OfferEvent.id)
            )
        )


async def events(app: AppUnderTest, kind: str) -> list[OfferEvent]:
    async with app.data.sessions() as session:
        return list(
            await session.scalars(
                select(OfferEvent).where(OfferEvent.offer_type == "post_purchase", OfferEvent.kind == kind)
            )
        )


async def offer_rows(app: AppUnderTest) -> list[PostPurchaseOffer]:
    async with app.data.sessions() as session:
        return list(await session.scalars(select(PostPurchaseOffer)))


@asynccontextmanager
async def browser_client(app: AppUnderTest) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=app.base_url, follow_redirects=False, timeout=10) as client:
        yield client


@dataclass
class Shop:
    """One test's world: the app (with its settable clock), the emulated Saleor, and an HTTP client."""

    app: AppUnderTest
    emulator: SaleorEmulator
    clock: SettableClock
    http: httpx.AsyncClient

    async def accept(self, token: str) -> httpx.Response:
        return await self.http.post(f"/offers/{token}/accept")

    async def decline(self, token: str) -> httpx.Response:
        return await self.http.post(f"/offers/{token}/decline")

    async def page(self, token: str) -> httpx.Response:
        return await self.http.get(f"/offers/{token}")


ShopFactory = Callable[..., Any]
