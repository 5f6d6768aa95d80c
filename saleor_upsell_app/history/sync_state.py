"""Where an order import stopped: the cursor of the last stored page, per installation and import key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..store.models import SyncState


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


class SyncStateRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, installation_id: int, key: str) -> SyncPosition:
        async with self._sessions() as session:
            row = await session.scalar(
                select(SyncState).where(SyncState.installation_id == installation_id, SyncState.key == key)
            )
            if row is None:
                return SyncPosition.start()
            return SyncPosition(row.cursor, row.fetched, row.total, row.done, row.updated_at)

    async def save(self, installation_id: int, key: str, position: SyncPosition, now: datetime) -> None:
        async with self._sessions() as session, session.begin():
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
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(SyncState).where(SyncState.installation_id == installation_id, SyncState.key == key)
            )
