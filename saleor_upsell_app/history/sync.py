"""Import past orders from Saleor into the compact order history, page by page, resumable.

Each page is stored (insert-or-ignore, so a page read twice never duplicates) *before* its cursor is saved:
an import stopped anywhere continues after the last page it stored. ORDER_CREATED keeps the history
current afterwards; re-running an import with an open end fetches only orders newer than its cursor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from ..saleor.errors import SaleorUnavailable
from ..services import Services
from ..store.installations import InstallationData
from ..store.orders import compact_order_from_payload
from .retry import RetryPolicy, Sleep, with_retries
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


class SyncInterrupted(Exception):
    """Saleor stayed unavailable; everything up to `progress.fetched` is stored and the import resumes."""

    def __init__(self, progress: SyncProgress, cause: SaleorUnavailable) -> None:
        super().__init__(f"order import interrupted after {progress.fetched} orders: {cause}")
        self.progress = progress
        self.cause = cause


ProgressCallback = Callable[[SyncProgress], None]


async def sync_orders(
    services: Services,
    installation: InstallationData,
    sync_range: SyncRange,
    *,
    restart: bool = False,
    page_size: int = PAGE_SIZE,
    retry: RetryPolicy | None = None,
    sleep: Sleep = asyncio.sleep,
    on_progress: ProgressCallback | None = None,
) -> SyncProgress:
    """Import the range's orders; raises SyncInterrupted (with what was stored) if Saleor stays down."""
    states = SyncStateRepository(services.sessions)
    key = sync_range.key
    if restart:
        await states.reset(installation.id, key)
    position = await states.get(installation.id, key)
    client = services.saleor_client(installation)
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
                partial(client.execute, OPERATION, variables), retry or RetryPolicy(), sleep=sleep
            )
        except SaleorUnavailable as exc:
            raise SyncInterrupted(progress, exc) from exc
        connection = data["orders"]
        orders = [compact_order_from_payload(edge["node"]) for edge in connection["edges"]]
        new = await services.orders.upsert_many(installation.id, orders)
        page_info = connection["pageInfo"]
        # An empty page has no endCursor: keep the old one, so the next run still starts from there.
        cursor = page_info.get("endCursor") or cursor
        done = not page_info["hasNextPage"]
        progress = replace(
            progress,
            fetched=progress.fetched + len(orders),
            total=connection.get("totalCount"),
            new=progress.new + new,
            pages=progress.pages + 1,
            done=done,
        )
        await states.save(
            installation.id,
            key,
            SyncPosition(cursor, progress.fetched, progress.total, done, None),
            services.clock(),
        )
        if on_progress is not None:
            on_progress(progress)
        if done:
            return progress
