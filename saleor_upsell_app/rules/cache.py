"""The engine's rule index and channel settings per installation, cached for the event hot path."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ..engine.index import RuleIndex
from ..engine.spec import ChannelSettingsSpec
from .repository import RuleRepository


class RuleIndexCache:
    """The engine's rule index (and channel settings) per installation, for the event hot path.

    Whether rules changed is asked at most every `check_seconds`, and settings are kept as long: edits
    (from any process) take effect within that time, and events do not query the rules table each time.
    Requests that find an index due for a check while another one is reloading it wait for that reload
    (one query and one build per key, not one per request: a cold worker under load built its 1,000-rule
    index once per waiting request).
    """

    def __init__(self, check_seconds: float = 2.0) -> None:
        self._check_seconds = check_seconds
        self._cache: dict[tuple[int, str], tuple[tuple[int, datetime | None], RuleIndex, float]] = {}
        self._settings: dict[tuple[int, str, str | None], tuple[float, ChannelSettingsSpec]] = {}
        self._reloading: dict[tuple[int, str], asyncio.Lock] = {}  # one per (installation, kinds)

    def fresh(
        self, installation_id: int, kinds: tuple[str, ...], channel_slug: str, currency: str | None = None
    ) -> tuple[ChannelSettingsSpec, RuleIndex] | None:
        """The settings and index when neither is due for a check: the per-event path then opens no
        session at all (None: ask channel_settings / index with one)."""
        now = time.monotonic()
        settings = self._settings.get((installation_id, channel_slug, currency))
        cached = self._cache.get((installation_id, ",".join(kinds)))
        if settings is None or cached is None or settings[0] <= now or cached[2] <= now:
            return None
        return settings[1], cached[1]

    async def index(self, session: AsyncSession, installation_id: int, kinds: tuple[str, ...]) -> RuleIndex:
        key = (installation_id, ",".join(kinds))
        cached = self._cache.get(key)
        if cached is not None and cached[2] > time.monotonic():
            return cached[1]
        async with self._reloading.setdefault(key, asyncio.Lock()):
            return await self._reload(session, key, installation_id, kinds)

    async def _reload(
        self, session: AsyncSession, key: tuple[int, str], installation_id: int, kinds: tuple[str, ...]
    ) -> RuleIndex:
        cached = self._cache.get(key)
        if cached is not None and cached[2] > time.monotonic():  # reloaded while this request waited
            return cached[1]
        rules = RuleRepository(session)
        version = await rules.version(installation_id)
        if cached is not None and cached[0] == version:
            self._cache[key] = (version, cached[1], time.monotonic() + self._check_seconds)
            return cached[1]
        stored = await rules.list(installation_id, kinds=kinds, enabled=True)
        index = RuleIndex.build([rule.for_engine() for rule in stored])
        self._cache[key] = (version, index, time.monotonic() + self._check_seconds)
        return index

    async def channel_settings(
        self, session: AsyncSession, installation_id: int, channel_slug: str, currency: str | None = None
    ) -> ChannelSettingsSpec:
        key = (installation_id, channel_slug, currency)
        cached = self._settings.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        settings = await RuleRepository(session).channel_settings(installation_id, channel_slug, currency)
        self._settings[key] = (time.monotonic() + self._check_seconds, settings)
        return settings

    def forget(self) -> None:
        self._cache.clear()
        self._settings.clear()
