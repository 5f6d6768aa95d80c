"""Group commit: one event that fails to be written never fails the others sharing its commit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from saleor_upsell_app.inbox.types import NewInboxEvent
from saleor_upsell_app.inbox.writer import InboxWriter
from tests.store import Store


def _event(installation_id: int, n: int, *, bad: str | None = None) -> NewInboxEvent:
    return NewInboxEvent(
        installation_id=installation_id,
        event_type="CHECKOUT_UPDATED",
        dedupe_key=f"d{n}",
        # PostgreSQL refuses a subject longer than its column (SQLite stores any length)...
        subject_key=f"checkout:{'Q' * 300 if bad == 'postgresql' else n}",
        # ...SQLite's statement fails on a naive timestamp (UtcDateTime refuses it when binding).
        issued_at=datetime(2026, 12, 2, 1, 0) if bad == "sqlite" else datetime.now(UTC),
        payload="{}",
        received_at=datetime.now(UTC),
    )


async def test_a_failing_row_fails_alone_and_the_rest_of_its_batch_is_stored(store: Store) -> None:
    inbox = store.data.parts.inbox
    writer = InboxWriter(inbox, writers=1)
    dialect = store.data.parts.db.dialect
    events = [_event(store.installation_id, n, bad=dialect if n in (7, 31) else None) for n in range(60)]
    writer.start()
    try:
        results = await asyncio.gather(*(writer.store(e) for e in events), return_exceptions=True)
    finally:
        await writer.stop()
    failed = [n for n, result in enumerate(results) if isinstance(result, BaseException)]
    assert failed == [7, 31]
    assert all(result is True for n, result in enumerate(results) if n not in failed)
    assert await inbox.counts() == {"pending": 58}
