"""Stored suggestions: a rerun refreshes evidence but never undoes the merchant's accept or dismiss."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select, update

from ...kit.db.repository import Repository
from ...mining.cold_start import SuggestionSource
from ..models import Suggestion


class SuggestionStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class Level(StrEnum):
    """What a suggestion's ids are: products, or individual variants."""

    PRODUCT = "product"
    VARIANT = "variant"


NEW, ACCEPTED, DISMISSED = SuggestionStatus
STATUSES = tuple(SuggestionStatus)
__all__ = ["Level", "SuggestionSource", "SuggestionStatus"]
_BATCH = 500  # rows per INSERT: SQLite limits the number of bound parameters


@dataclass(frozen=True, slots=True)
class SuggestionRow:
    antecedent_id: str
    consequent_id: str
    source: str
    evidence: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredSuggestion:
    id: int
    channel_slug: str
    level: str
    source: str
    antecedent_id: str
    consequent_id: str
    evidence: dict[str, Any]
    status: str
    computed_at: datetime


def _stored(row: Suggestion) -> StoredSuggestion:
    return StoredSuggestion(
        id=row.id,
        channel_slug=row.channel_slug,
        level=row.level,
        source=row.source,
        antecedent_id=row.antecedent_id,
        consequent_id=row.consequent_id,
        evidence=dict(row.evidence),
        status=row.status,
        computed_at=row.computed_at,
    )


class SuggestionRepository(Repository):
    async def replace_computed(
        self,
        installation_id: int,
        channel_slug: str,
        level: str,
        rows: Sequence[SuggestionRow],
        now: datetime,
    ) -> int:
        """Store this run's suggestions for one channel and level; returns how many rows were written.

        Existing pairs get the new source and evidence and keep their status. Untouched "new" pairs from
        earlier runs are dropped (the data no longer supports them); accepted and dismissed ones stay, so a
        dismissed pair that comes back is still dismissed.
        """
        session = self.session
        for start in range(0, len(rows), _BATCH):
            statement = self.insert(Suggestion).values(
                [
                    {
                        "installation_id": installation_id,
                        "channel_slug": channel_slug,
                        "level": level,
                        "source": row.source,
                        "antecedent_id": row.antecedent_id,
                        "consequent_id": row.consequent_id,
                        "evidence": row.evidence,
                        "status": NEW,
                        "computed_at": now,
                    }
                    for row in rows[start : start + _BATCH]
                ]
            )
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[
                        "installation_id",
                        "channel_slug",
                        "level",
                        "antecedent_id",
                        "consequent_id",
                    ],
                    set_={
                        "source": statement.excluded.source,
                        "evidence": statement.excluded.evidence,
                        "computed_at": statement.excluded.computed_at,
                    },
                )
            )
        kept = {(row.antecedent_id, row.consequent_id) for row in rows}
        scope = (
            Suggestion.installation_id == installation_id,
            Suggestion.channel_slug == channel_slug,
            Suggestion.level == level,
        )
        stale = [
            row_id
            for row_id, antecedent, consequent in await session.execute(
                select(Suggestion.id, Suggestion.antecedent_id, Suggestion.consequent_id).where(
                    *scope, Suggestion.status == NEW
                )
            )
            if (antecedent, consequent) not in kept
        ]
        for start in range(0, len(stale), _BATCH):
            await session.execute(delete(Suggestion).where(Suggestion.id.in_(stale[start : start + _BATCH])))
        return len(rows)

    async def list(
        self,
        installation_id: int,
        *,
        channel_slug: str | None = None,
        level: str | None = None,
        status: str | None = None,
    ) -> list[StoredSuggestion]:
        query = select(Suggestion).where(Suggestion.installation_id == installation_id)
        if channel_slug is not None:
            query = query.where(Suggestion.channel_slug == channel_slug)
        if level is not None:
            query = query.where(Suggestion.level == level)
        if status is not None:
            query = query.where(Suggestion.status == status)
        session = self.session
        rows = await session.scalars(query.order_by(Suggestion.channel_slug, Suggestion.level, Suggestion.id))
        return [_stored(row) for row in rows]

    async def get(self, installation_id: int, suggestion_id: int) -> StoredSuggestion | None:
        row = await self.session.get(Suggestion, suggestion_id, populate_existing=True)
        return _stored(row) if row is not None and row.installation_id == installation_id else None

    async def move(self, installation_id: int, suggestion_id: int, to: SuggestionStatus) -> bool:
        """new -> ``to``, only once: two clicks on "accept" must not create two rules."""
        result = await self.session.execute(
            update(Suggestion)
            .where(
                Suggestion.id == suggestion_id,
                Suggestion.installation_id == installation_id,
                Suggestion.status == SuggestionStatus.NEW,
            )
            .values(status=to)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def mined_pairs_into(
        self, installation_id: int, channel_slug: str, consequent_id: str, antecedent_ids: Sequence[str]
    ) -> builtins.list[StoredSuggestion]:
        """Mined product pairs that lead to ``consequent_id`` from any of ``antecedent_ids``."""
        rows = await self.session.scalars(
            select(Suggestion).where(
                Suggestion.installation_id == installation_id,
                Suggestion.channel_slug == channel_slug,
                Suggestion.level == Level.PRODUCT,
                Suggestion.source == SuggestionSource.MINED,
                Suggestion.consequent_id == consequent_id,
                Suggestion.antecedent_id.in_(list(antecedent_ids)),
            )
        )
        return [_stored(row) for row in rows]

    async def set_status(self, installation_id: int, suggestion_id: int, status: str) -> bool:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        session = self.session
        result = await session.execute(
            update(Suggestion)
            .where(Suggestion.id == suggestion_id, Suggestion.installation_id == installation_id)
            .values(status=status)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
