"""Import past orders from Saleor into the compact order history, page by page, resumable.

Each page is stored (insert-or-ignore, so a page read twice never duplicates) in the transaction that
saves its cursor: an import stopped anywhere continues after the last page it stored. ORDER_CREATED
keeps the history current afterwards; re-running an import with an open end fetches only orders newer
than its cursor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from ...kit.clock import Clock
from ...kit.db import Database
from ...kit.errors import AppError
from ...kit.retry import RetryPolicy, Sleep, with_retries
from ...saleor.client import SaleorClient
from ...saleor.errors import SaleorUnavailable
from ...saleor.results import OrderHistoryData
from ..orders import OrderRepository, compact_order
from .sync_state import SyncPosition, SyncStateRepository

OPERATION = "OrderHistory"
PAGE_SIZE = 100  # Saleor's maximum for `first`
# Saleor's `where` range needs a bound; the epoch stands for "from the beginning".
_BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SyncRange:
    """Which orders to import: created within [since, until] (both optional), in one channel or all."""

    since: datetime | None = None
    until: datetime | None = None
    channel: str | None = None

    @property
    def key(self) -> str:
        """Names the import in `sync_states`: the same range and channel resume the same import."""
        since = self.since.isoformat() if self.since else "-"
        until = self.until.isoformat() if self.until else "-"
        return f"orders|{since}|{until}|{self.channel or '*'}"

    def created_at(self) -> dict[str, str]:
        bounds = {"gte": (self.since or _BEGINNING).isoformat()}
        if self.until is not None:
            bounds["lte"] = self.until.isoformat()
        return bounds


@dataclass(frozen=True, slots=True)
class SyncProgress:
    fetched: int  # orders read by this import so far, earlier runs included
    total: int | None  # Saleor's totalCount for the range (None before the first page)
    new: int  # orders stored for the first time by this run
    pages: int  # pages read by this run
    resumed_from: int  # `fetched` when this run started (0 for a fresh import)
    done: bool = False


class SyncInterrupted(AppError):
    """Saleor stayed unavailable; everything up to `progress.fetched` is stored and the import resumes."""

    def __init__(self, progress: SyncProgress, cause: SaleorUnavailable) -> None:
        super().__init__(f"order import interrupted after {progress.fetched} orders: {cause}", status=503)
        self.progress = progress
        self.cause = cause


ProgressCallback = Callable[[SyncProgress], None]


async def sync_orders(
    db: Database,
    client: SaleorClient,
    installation_id: int,
    sync_range: SyncRange,
    *,
    clock: Clock,
    restart: bool = False,
    page_size: int = PAGE_SIZE,
    retry: RetryPolicy | None = None,
    sleep: Sleep = asyncio.sleep,
    on_progress: ProgressCallback | None = None,
) -> SyncProgress:
    """Import the range's orders; raises SyncInterrupted (with what was stored) if Saleor stays down."""
    key = sync_range.key
    async with db.transaction() as session:
        states = SyncStateRepository(session)
        if restart:
            await states.reset(installation_id, key)
        position = await states.get(installation_id, key)
    progress = SyncProgress(
        fetched=position.fetched, total=position.total, new=0, pages=0, resumed_from=position.fetched
    )
    if on_progress is not None:
        on_progress(progress)
    cursor = position.cursor
    while True:
        variables: dict[str, Any] = {
            "first": page_size,
            "after": cursor,
            "channel": sync_range.channel,
            "createdAt": sync_range.created_at(),
        }
        try:
            data = await with_retries(
                partial(client.query, OPERATION, variables, OrderHistoryData),
                retry or RetryPolicy(),
                SaleorUnavailable,
                sleep=sleep,
            )
        except SaleorUnavailable as exc:
            raise SyncInterrupted(progress, exc) from exc
        connection = data.orders
        if connection is None:
            raise SyncInterrupted(progress, SaleorUnavailable(f"{OPERATION}: Saleor returned no orders"))
        orders = [compact_order(edge.node) for edge in connection.edges]
        # An empty page has no endCursor: keep the old one, so the next run still starts from there.
        cursor = connection.page_info.end_cursor or cursor
        done = not connection.page_info.has_next_page
        async with db.transaction() as session:  # the page and its cursor commit together
            new = await OrderRepository(session).upsert_many(installation_id, orders)
            progress = replace(
                progress,
                fetched=progress.fetched + len(orders),
                total=connection.total_count,
                new=progress.new + new,
                pages=progress.pages + 1,
                done=done,
            )
            await SyncStateRepository(session).save(
                installation_id,
                key,
                SyncPosition(cursor, progress.fetched, progress.total, done, None),
                clock(),
            )
        if on_progress is not None:
            on_progress(progress)
        if done:
            return progress
