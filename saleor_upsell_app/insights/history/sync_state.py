"""Where an order import stopped: the cursor of the last stored page, per installation and import key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from ...kit.db.repository import Repository
from ..models import SyncState


@dataclass(frozen=True, slots=True)
class SyncPosition:
    cursor: str | None
    fetched: int
    total: int | None
    done: bool
    updated_at: datetime | None

    @classmethod
    def start(cls) -> SyncPosition:
        return cls(cursor=None, fetched=0, total=None, done=False, updated_at=None)


class SyncStateRepository(Repository):
    async def get(self, installation_id: int, key: str) -> SyncPosition:
        session = self.session
        row = await session.scalar(
            select(SyncState).where(SyncState.installation_id == installation_id, SyncState.key == key)
        )
        if row is None:
            return SyncPosition.start()
        return SyncPosition(row.cursor, row.fetched, row.total, row.done, row.updated_at)

    async def save(self, installation_id: int, key: str, position: SyncPosition, now: datetime) -> None:
        session = self.session
        row = await session.scalar(
            select(SyncState)
            .where(SyncState.installation_id == installation_id, SyncState.key == key)
            .with_for_update()
        )
        if row is None:
            row = SyncState(installation_id=installation_id, key=key)
            session.add(row)
        row.cursor = position.cursor
        row.fetched = position.fetched
        row.total = position.total
        row.done = position.done
        row.updated_at = now

    async def reset(self, installation_id: int, key: str) -> None:
        session = self.session
        await session.execute(
            delete(SyncState).where(SyncState.installation_id == installation_id, SyncState.key == key)
        )
