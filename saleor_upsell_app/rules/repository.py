"""Rules and channel settings in the caller's session; specs are validated by engine.spec on the way in
and out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from ..engine.consent import default_channel_settings
from ..engine.spec import (
    ChannelSettingsSpec,
)
from ..kit.db.repository import Repository
from .models import ChannelSettings, Rule
from .stored import AnyRuleSpec, StoredRule
from .stored import stored_rule as _stored


def _spec_json(spec: AnyRuleSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json", by_alias=True)


class RuleRepository(Repository):
    async def list(
        self, installation_id: int, *, kinds: tuple[str, ...] | None = None, enabled: bool | None = None
    ) -> list[StoredRule]:
        query = select(Rule).where(Rule.installation_id == installation_id).order_by(Rule.id)
        if kinds:
            query = query.where(Rule.kind.in_(kinds))
        if enabled is not None:
            query = query.where(Rule.enabled.is_(enabled))
        session = self.session
        return [_stored(row) for row in await session.scalars(query)]

    async def get(self, installation_id: int, rule_id: int) -> StoredRule | None:
        session = self.session
        row = await session.get(Rule, rule_id)
        return _stored(row) if row is not None and row.installation_id == installation_id else None

    async def create(self, installation_id: int, spec: AnyRuleSpec, now: datetime) -> StoredRule:
        session = self.session
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
        session = self.session
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
        session = self.session
        result = await session.execute(
            delete(Rule).where(Rule.id == rule_id, Rule.installation_id == installation_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def version(self, installation_id: int) -> tuple[int, datetime | None]:
        """Changes whenever a rule is added, changed or deleted: the cache key of the rule index."""
        session = self.session
        count, latest = (
            await session.execute(
                select(func.count(Rule.id), func.max(Rule.updated_at)).where(
                    Rule.installation_id == installation_id
                )
            )
        ).one()
        return int(count), latest

    async def channel_settings(
        self, installation_id: int, channel_slug: str, currency: str | None = None
    ) -> ChannelSettingsSpec:
        """The saved settings, or the defaults of a channel in `currency` (engine/consent.py)."""
        session = self.session
        row = await session.scalar(
            select(ChannelSettings).where(
                ChannelSettings.installation_id == installation_id,
                ChannelSettings.channel_slug == channel_slug,
            )
        )
        return ChannelSettingsSpec.model_validate(row.spec) if row else default_channel_settings(currency)

    async def all_channel_settings(self, installation_id: int) -> dict[str, ChannelSettingsSpec]:
        session = self.session
        rows = await session.scalars(
            select(ChannelSettings).where(ChannelSettings.installation_id == installation_id)
        )
        return {row.channel_slug: ChannelSettingsSpec.model_validate(row.spec) for row in rows}

    async def save_channel_settings(
        self, installation_id: int, channel_slug: str, spec: ChannelSettingsSpec, now: datetime
    ) -> ChannelSettingsSpec:
        session = self.session
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
