"""Test-side access to an app's data through its real repositories and services, one unit of work per
call: tests seed rules, events and orders and read back what the app stored. (Not part of the app:
the app's own code gets each part it uses from main.py.)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from saleor_upsell_app.engine.spec import ChannelSettingsSpec
from saleor_upsell_app.insights import events as event_log
from saleor_upsell_app.insights.events import EventLog, NewEvent
from saleor_upsell_app.insights.models import OfferEvent
from saleor_upsell_app.insights.orders import CompactOrder, OrderRepository
from saleor_upsell_app.main import Parts
from saleor_upsell_app.rules import service as rules
from saleor_upsell_app.rules.repository import AnyRuleSpec, StoredRule
from saleor_upsell_app.saleor.apl import AuthData


class _Rules:
    def __init__(self, parts: Parts) -> None:
        self._db = parts.db

    async def create(self, installation_id: int, spec: AnyRuleSpec, now: datetime) -> StoredRule:
        async with self._db.transaction() as session:
            return await rules.store_rule(session, installation_id, spec, now)

    async def get(self, installation_id: int, rule_id: int) -> StoredRule | None:
        async with self._db.read() as session:
            return await rules.get_rule(session, installation_id, rule_id)

    async def list(
        self, installation_id: int, *, kinds: tuple[str, ...] | None = None, enabled: bool | None = None
    ) -> list[StoredRule]:
        async with self._db.read() as session:
            return await rules.list_rules(session, installation_id, kinds=kinds, enabled=enabled)

    async def channel_settings(self, installation_id: int, channel: str) -> ChannelSettingsSpec:
        async with self._db.read() as session:
            return await rules.channel_settings(session, installation_id, channel)

    async def all_channel_settings(self, installation_id: int) -> dict[str, ChannelSettingsSpec]:
        async with self._db.read() as session:
            return await rules.all_channel_settings(session, installation_id)

    async def save_channel_settings(
        self, installation_id: int, channel: str, spec: ChannelSettingsSpec, now: datetime
    ) -> ChannelSettingsSpec:
        async with self._db.transaction() as session:
            return await rules.save_channel_settings(session, installation_id, channel, spec, now)


class _Events:
    def __init__(self, parts: Parts) -> None:
        self._db = parts.db

    async def record(self, installation_id: int, events: Sequence[NewEvent], now: datetime) -> None:
        async with self._db.transaction() as session:
            await event_log.record(session, installation_id, events, now)

    async def list(self, installation_id: int, **filters: Any) -> list[OfferEvent]:
        async with self._db.read() as session:
            return await EventLog(session).list(installation_id, **filters)


class _Orders:
    def __init__(self, parts: Parts) -> None:
        self._db = parts.db

    async def upsert_many(self, installation_id: int, orders: list[CompactOrder]) -> int:
        async with self._db.transaction() as session:
            return await OrderRepository(session).upsert_many(installation_id, orders)

    async def list(self, installation_id: int, **filters: Any) -> list[CompactOrder]:
        async with self._db.read() as session:
            return await OrderRepository(session).list(installation_id, **filters)


class _Installations:
    def __init__(self, parts: Parts) -> None:
        self._store = parts.installations

    async def get(self, saleor_api_url: str) -> AuthData | None:
        return await self._store.get(saleor_api_url)

    async def get_by_id(self, installation_id: int) -> AuthData | None:
        return await self._store.get_by_id(installation_id)

    async def all(self) -> list[AuthData]:
        return await self._store.get_all()

    async def save(self, **values: Any) -> AuthData:
        return await self._store.set(**values)


class AppData:
    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.rules = _Rules(parts)
        self.events = _Events(parts)
        self.orders = _Orders(parts)
        self.installations = _Installations(parts)
        self.inbox = parts.inbox
        self.db = parts.db
        self.refresh_jwks = parts.keys.refresh
        self.jwks_limiter = parts.keys.limiter

    def sessions(self) -> AsyncSession:
        return self.parts.db.session()

    def clock(self) -> datetime:
        return self.parts.clock()

    def wake_workers(self) -> None:
        self.parts.wake_workers()
