"""Group commit for the inbox: webhooks arriving together are stored in one transaction.

Each webhook still gets its 2xx only after its row is committed (durable), but one commit (one WAL
flush) serves every event that arrived while the previous commit was in flight. On this machine's disk
a flush costs ~5 ms, so one commit per request would cap ingest near 200 events/s per connection.

One event's failure never fails the others: a batch that fails for any reason but the database being
away is split in halves and each written again, down to the event at fault, which alone gets the error.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from ..kit.db import is_disconnect
from .service import Inbox
from .types import NewInboxEvent

MAX_BATCH = 500


@dataclass
class _Pending:
    event: NewInboxEvent
    done: asyncio.Future[bool]


class InboxWriter:
    def __init__(self, repository: Inbox, writers: int = 2) -> None:
        self._repository = repository
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._writers = writers
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._run(), name=f"inbox-writer-{i}") for i in range(self._writers)
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def store(self, event: NewInboxEvent) -> bool:
        """Durably store `event`; False when it was already stored (a repeated delivery)."""
        if not self._tasks:  # not started (CLI, tests of the repository): write directly
            return bool(await self._repository.enqueue_many([event]))
        pending = _Pending(event, asyncio.get_running_loop().create_future())
        await self._queue.put(pending)
        return await pending.done

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._write(batch)

    async def _write(self, batch: list[_Pending]) -> None:
        try:
            stored = await self._repository.enqueue_many([p.event for p in batch])
        except Exception as exc:
            if len(batch) > 1 and not is_disconnect(exc):
                # One bad row fails its whole statement: write each half again to isolate it.
                middle = len(batch) // 2
                await self._write(batch[:middle])
                await self._write(batch[middle:])
                return
            for pending in batch:  # the database is away (answered 503), or this event is at fault
                if not pending.done.done():
                    pending.done.set_exception(exc)
            return
        for pending in batch:
            if not pending.done.done():
                key = (pending.event.installation_id, pending.event.dedupe_key)
                # The first of identical deliveries in one batch counts as stored, the rest as repeats.
                pending.done.set_result(key in stored)
                stored.discard(key)
