"""Compact order history (for mining and analytics), written from ORDER_CREATED and the history sync."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .models import OrderRecord


@dataclass(frozen=True, slots=True)
class CompactOrder:
    order_id: str
    checkout_id: str | None
    channel_slug: str
    created_at: datetime
    currency: str
    total: Decimal
    # [variant_id, product_id, quantity, unit amount as str, category_id] (older rows: no category_id)
    lines: list[list[Any]]


def compact_order_from_payload(order: Mapping[str, Any]) -> CompactOrder:
    """From the UpsellOrder fragment (webhook) or the history query's node (same field names)."""
    gross = order["total"]["gross"]
    lines: list[list[Any]] = []
    for line in order.get("lines") or ():
        variant = line.get("variant") or {}
        product = variant.get("product") or {}
        amount = ((line.get("unitPrice") or {}).get("gross") or {}).get("amount", 0)
        category_id = (product.get("category") or {}).get("id")  # for same-category cold-start suggestions
        unit_amount = str(Decimal(str(amount)))
        lines.append([variant.get("id"), product.get("id"), int(line["quantity"]), unit_amount, category_id])
    return CompactOrder(
        order_id=str(order["id"]),
        checkout_id=order.get("checkoutId"),
        channel_slug=str(order["channel"]["slug"]),
        created_at=datetime.fromisoformat(str(order["created"])),
        currency=str(gross["currency"]),
        total=Decimal(str(gross["amount"])),
        lines=lines,
    )


class OrderRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], dialect: str) -> None:
        self._sessions = sessions
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    async def upsert_many(self, installation_id: int, orders: list[CompactOrder]) -> int:
        """Insert orders not stored yet (re-running a sync never duplicates); returns how many were new."""
        if not orders:
            return 0
        statement = (
            self._insert(OrderRecord)
            .values(
                [
                    {
                        "installation_id": installation_id,
                        "order_id": o.order_id,
                        "checkout_id": o.checkout_id,
                        "channel_slug": o.channel_slug,
                        "created_at": o.created_at,
                        "currency": o.currency,
                        "total": o.total,
                        "lines": {"lines": o.lines},
                    }
                    for o in orders
                ]
            )
            .on_conflict_do_nothing(index_elements=["installation_id", "order_id"])
        )
        async with self._sessions() as session, session.begin():
            result = await session.execute(statement)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def list(
        self, installation_id: int, *, channel_slug: str | None = None, since: datetime | None = None
    ) -> list[CompactOrder]:
        # Plain rows, not ORM objects: mining and analytics read every stored order.
        query = select(
            OrderRecord.order_id,
            OrderRecord.checkout_id,
            OrderRecord.channel_slug,
            OrderRecord.created_at,
            OrderRecord.currency,
            OrderRecord.total,
            OrderRecord.lines,
        ).where(OrderRecord.installation_id == installation_id)
        if channel_slug is not None:
            query = query.where(OrderRecord.channel_slug == channel_slug)
        if since is not None:
            query = query.where(OrderRecord.created_at >= since)
        async with self._sessions() as session:
            rows = await session.execute(query.order_by(OrderRecord.created_at, OrderRecord.id))
            return [
                CompactOrder(
                    order_id=row.order_id,
                    checkout_id=row.checkout_id,
                    channel_slug=row.channel_slug,
                    created_at=row.created_at,
                    currency=row.currency,
                    total=row.total,
                    lines=list(row.lines.get("lines", [])),
                )
                for row in rows
            ]
