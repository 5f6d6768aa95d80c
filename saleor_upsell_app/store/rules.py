"""Rules and channel settings in the database; specs are validated by offers.spec on the way in and out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..offers.index import RuleIndex
from ..offers.models import Rule as EngineRule
from ..offers.spec import (
    BumpRuleSpec,
    ChannelSettingsSpec,
    PostPurchaseRuleSpec,
    UpgradeRuleSpec,
    parse_rule_spec,
)
from .models import ChannelSettings, Rule

AnyRuleSpec = BumpRuleSpec | UpgradeRuleSpec | PostPurchaseRuleSpec


@dataclass(frozen=True, slots=True)
class StoredRule:
    id: int
    kind: str
    spec: AnyRuleSpec
    created_at: datetime
    updated_at: datetime

    def for_engine(self) -> EngineRule:
        return EngineRule(id=str(self.id), spec=self.spec, created_at=self.created_at)


def _stored(row: Rule) -> StoredRule:
    return StoredRule(
        id=row.id,
        kind=row.kind,
        spec=parse_rule_spec(row.spec),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _spec_json(spec: AnyRuleSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json", by_alias=True)


class RuleRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def list(
        self, installation_id: int, *, kinds: tuple[str, ...] | None = None, enabled: bool | None = None
    ) -> list[StoredRule]:
        query = select(Rule).where(Rule.installation_id == installation_id).order_by(Rule.id)
        if kinds:
            query = query.where(Rule.kind.in_(kinds))
        if enabled is not None:
            query = query.where(Rule.enabled.is_(enabled))
        async with self._sessions() as session:
            return [_stored(row) for row in await session.scalars(query)]

    async def get(self, installation_id: int, rule_id: int) -> StoredRule | None:
        async with self._sessions() as session:
            row = await session.get(Rule, rule_id)
            return _stored(row) if row is not None and row.installation_id == installation_id else None

    async def create(self, installation_id: int, spec: AnyRuleSpec, now: datetime) -> StoredRule:
        async with self._sessions() as session, session.begin():
            row = Rule(
                installation_id=installation_id,
                kind=spec.kind,
                name=spec.name,
                enabled=spec.enabled,
                priority=spec.priority,
                spec=_spec_json(spec),
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            await session.flush()
            return _stored(row)

    async def update(
        self, installation_id: int, rule_id: int, spec: AnyRuleSpec, now: datetime
    ) -> StoredRule | None:
        async with self._sessions() as session, session.begin():
            row = await session.get(Rule, rule_id, with_for_update=True)
            if row is None or row.installation_id != installation_id:
                return None
            row.kind = spec.kind
            row.name = spec.name
            row.enabled = spec.enabled
            row.priority = spec.priority
            row.spec = _spec_json(spec)
            row.updated_at = now
            await session.flush()
            return _stored(row)

    async def delete(self, installation_id: int, rule_id: int) -> bool:
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                delete(Rule).where(Rule.id == rule_id, Rule.installation_id == installation_id)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def version(self, installation_id: int) -> tuple[int, datetime | None]:
        """Changes whenever a rule is added, changed or deleted: the cache key of the rule index."""
        async with self._sessions() as session:
            count, latest = (
                await session.execute(
                    select(func.count(Rule.id), func.max(Rule.updated_at)).where(
                        Rule.installation_id == installation_id
                    )
                )
            ).one()
            return int(count), latest

    async def channel_settings(self, installation_id: int, channel_slug: str) -> ChannelSettingsSpec:
        async with self._sessions() as session:
            row = await session.scalar(
                select(ChannelSettings).where(
                    ChannelSettings.installation_id == installation_id,
                    ChannelSettings.channel_slug == channel_slug,
                )
            )
        return ChannelSettingsSpec.model_validate(row.spec) if row else ChannelSettingsSpec()

    async def all_channel_settings(self, installation_id: int) -> dict[str, ChannelSettingsSpec]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(ChannelSettings).where(ChannelSettings.installation_id == installation_id)
            )
            return {row.channel_slug: ChannelSettingsSpec.model_validate(row.spec) for row in rows}

    async def save_channel_settings(
        self, installation_id: int, channel_slug: str, spec: ChannelSettingsSpec, now: datetime
    ) -> ChannelSettingsSpec:
        async with self._sessions() as session, session.begin():
            row = await session.scalar(
                select(ChannelSettings)
                .where(
                    ChannelSettings.installation_id == installation_id,
                    ChannelSettings.channel_slug == channel_slug,
                )
                .with_for_update()
            )
            if row is None:
                row = ChannelSettings(installation_id=installation_id, channel_slug=channel_slug)
                session.add(row)
            row.spec = spec.model_dump(mode="json")
            row.updated_at = now
        return spec


class RuleIndexCache:
    """The engine's rule index (and channel settings) per installation, for the event hot path.

    Whether rules changed is asked at most every `check_seconds`, and settings are kept as long: edits
    (from any process) take effect within that time, and events do not query the rules table each time.
    """

    def __init__(self, rules: RuleRepository, check_seconds: float = 2.0) -> None:
        self._rules = rules
        self._check_seconds = check_seconds
        self._cache: dict[tuple[int, str], tuple[tuple[int, datetime | None], RuleIndex, float]] = {}
        self._settings: dict[tuple[int, str], tuple[float, ChannelSettingsSpec]] = {}

    async def index(self, installation_id: int, kinds: tuple[str, ...]) -> RuleIndex:
        key = (installation_id, ",".join(kinds))
        cached = self._cache.get(key)
        if cached is not None and cached[2] > time.monotonic():
            return cached[1]
        version = await self._rules.version(installation_id)
        if cached is not None and cached[0] == version:
            self._cache[key] = (version, cached[1], time.monotonic() + self._check_seconds)
            return cached[1]
        rules = await self._rules.list(installation_id, kinds=kinds, enabled=True)
        index = RuleIndex.build([rule.for_engine() for rule in rules])
        self._cache[key] = (version, index, time.monotonic() + self._check_seconds)
        return index

    async def channel_settings(self, installation_id: int, channel_slug: str) -> ChannelSettingsSpec:
        key = (installation_id, channel_slug)
        cached = self._settings.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        settings = await self._rules.channel_settings(installation_id, channel_slug)
        self._settings[key] = (time.monotonic() + self._check_seconds, settings)
        return settings

    def forget(self) -> None:
        self._cache.clear()
        self._settings.clear()
