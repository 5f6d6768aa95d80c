"""The app's parts on a migrated database with one installation, without HTTP: for data-level tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from saleor_upsell_app.engine.ids import encode_global_id
from saleor_upsell_app.insights.orders import CompactOrder
from saleor_upsell_app.kit.db.migrate import upgrade_to_head_async
from saleor_upsell_app.main import compose
from tests.conftest import make_settings
from tests.data import AppData


@dataclass
class SettableClock:
    now: datetime = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Store:
    data: AppData
    installation_id: int
    clock: SettableClock = field(default_factory=SettableClock)


@asynccontextmanager
async def store_services(db_url: str) -> AsyncIterator[Store]:
    await upgrade_to_head_async(db_url)
    clock = SettableClock()
    parts = compose(make_settings(db_url, "http://127.0.0.1:9"), clock=clock)
    try:
        installation = await parts.installations.set(
            saleor_api_url="http://saleor.test/graphql/", app_id="QXBwOjE=", token="t" * 30,
            jwks='{"keys": []}', domain="saleor.test", now=clock(),
        )  # fmt: skip
        yield Store(AppData(parts), installation.id, clock)
    finally:
        await parts.aclose()


def vid(n: int) -> str:
    return encode_global_id("ProductVariant", n)


def pid(n: int) -> str:
    return encode_global_id("Product", n)


def cat(n: int) -> str:
    return encode_global_id("Category", n)


_order_numbers = iter(range(1, 10**9))


def compact_order(
    products: list[int],
    *,
    channel: str = "default-channel",
    created_at: datetime = datetime(2026, 11, 18, 10, 0, tzinfo=UTC),
    total: str | None = None,
    checkout_id: str | None = None,
    currency: str = "USD",
    category: Callable[[int], int | None] = lambda product: product // 10,
) -> CompactOrder:
    """Product n has one variant, n * 10; its category is n // 10 unless told otherwise."""
    lines: list[list[Any]] = []
    for product in products:
        category_pk = category(product)
        lines.append([vid(product * 10), pid(product), 1, "10.00", cat(category_pk) if category_pk else None])
    return CompactOrder(
        order_id=encode_global_id("Order", f"order-{next(_order_numbers)}"),
        checkout_id=checkout_id,
        channel_slug=channel,
        created_at=created_at,
        currency=currency,
        total=Decimal(total) if total is not None else Decimal(10 * len(products)),
        lines=lines,
    )
