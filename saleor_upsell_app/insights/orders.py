"""Compact order history (for mining and analytics), written from ORDER_CREATED and the history sync."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select

from ..kit.db.repository import Repository
from ..saleor.results import HistoryOrder
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


def compact_order(order: HistoryOrder) -> CompactOrder:
    """From the order webhook's UpsellOrder or the history query's HistoryOrder (same field names)."""
    gross = order.total.gross
    lines: list[list[Any]] = []
    for line in order.lines:
        variant = line.variant
        product = variant.product if variant is not None else None
        amount = line.unit_price.gross.amount if line.unit_price is not None else Decimal(0)
        category_id = (
            product.category.id if product and product.category else None
        )  # for cold-start suggestions
        lines.append(
            [
                variant.id if variant else None,
                product.id if product else None,
                line.quantity,
                str(amount),
                category_id,
            ]
        )
    return CompactOrder(
        order_id=order.id,
        checkout_id=order.checkout_id,
        channel_slug=order.channel.slug,
        created_at=datetime.fromisoformat(order.created),
        currency=gross.currency,
        total=gross.amount,
        lines=lines,
    )


class OrderRepository(Repository):
    async def upsert_many(self, installation_id: int, orders: list[CompactOrder]) -> int:
        """Insert orders not stored yet (re-running a sync never duplicates); returns how many were new."""
        if not orders:
            return 0
        statement = (
            self.insert(OrderRecord)
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
        session = self.session
        result = await session.execute(statement)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def checkout_of(self, installation_id: int, order_id: str) -> str | None:
        checkout_id: str | None = await self.session.scalar(
            select(OrderRecord.checkout_id).where(
                OrderRecord.installation_id == installation_id, OrderRecord.order_id == order_id
            )
        )
        return checkout_id

    async def of_checkouts(self, installation_id: int, checkout_ids: Sequence[str]) -> list[CompactOrder]:
        """The orders placed from these checkouts, whenever (the units of an experiment complete late)."""
        found: list[CompactOrder] = []
        unique = sorted(set(checkout_ids))
        for start in range(0, len(unique), 500):  # SQLite bounds the parameters of one statement
            found += await self._rows(
                self._query(installation_id).where(OrderRecord.checkout_id.in_(unique[start : start + 500]))
            )
        return found

    def _query(self, installation_id: int) -> Select[Any]:
        return select(
            OrderRecord.order_id,
            OrderRecord.checkout_id,
            OrderRecord.channel_slug,
            OrderRecord.created_at,
            OrderRecord.currency,
            OrderRecord.total,
            OrderRecord.lines,
        ).where(OrderRecord.installation_id == installation_id)

    async def _rows(self, query: Select[Any]) -> list[CompactOrder]:
        rows = await self.session.execute(query.order_by(OrderRecord.created_at, OrderRecord.id))
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

    async def list(
        self,
        installation_id: int,
        *,
        channel_slug: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[CompactOrder]:
        # Plain rows, not ORM objects: mining and analytics read every stored order.
        query = self._query(installation_id)
        if channel_slug is not None:
            query = query.where(OrderRecord.channel_slug == channel_slug)
        if since is not None:
            query = query.where(OrderRecord.created_at >= since)
        if until is not None:
            query = query.where(OrderRecord.created_at < until)
        return await self._rows(query)
