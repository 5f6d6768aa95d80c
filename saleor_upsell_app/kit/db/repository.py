"""The repository base: bound to the session of the use case that made it, never opening its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(dialect: str) -> Any:
    """The dialect's INSERT (both have ON CONFLICT DO NOTHING / DO UPDATE)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def dialect_of(session: AsyncSession) -> str:
    bind = session.bind
    assert bind is not None, "sessions come from kit.db.Database, which binds them to its engine"
    return bind.dialect.name


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return dialect_of(self.session)

    def insert(self, table: Any) -> Any:
        return insert_for(self.dialect)(table)
