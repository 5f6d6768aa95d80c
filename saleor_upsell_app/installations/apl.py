"""The APL on the database: installations keyed by Saleor API URL, app tokens encrypted at rest.

Implements saleor.apl.APL for the protocol core, plus what the features need (lookup by id for inbox
events). Reads are cached briefly for the webhook hot path; each call is its own unit of work.
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import delete, select, update

from ..kit.crypto import TokenCipher
from ..kit.db import Database
from ..saleor.apl import AuthData, InstallationTaken
from .models import Installation


class InstallationStore:
    """get / set / delete / get_all by Saleor API URL, with a short read cache for the webhook hot path."""

    def __init__(self, db: Database, cipher: TokenCipher, cache_seconds: float = 5.0) -> None:
        self._db = db
        self._cipher = cipher
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, AuthData | None]] = {}
        self._cache_by_id: dict[int, tuple[float, AuthData | None]] = {}

    def _to_data(self, row: Installation) -> AuthData:
        return AuthData(
            id=row.id,
            saleor_api_url=row.saleor_api_url,
            app_id=row.app_id,
            token=self._cipher.decrypt(row.token_encrypted),
            jwks=row.jwks,
            jwks_fetched_at=row.jwks_fetched_at,
            domain=row.domain,
        )

    def forget_cached(self, saleor_api_url: str | None = None) -> None:
        self._cache_by_id.clear()
        if saleor_api_url is None:
            self._cache.clear()
        else:
            self._cache.pop(saleor_api_url, None)

    async def get(self, saleor_api_url: str) -> AuthData | None:
        cached = self._cache.get(saleor_api_url)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        async with self._db.read() as session:
            row = await session.scalar(
                select(Installation).where(Installation.saleor_api_url == saleor_api_url)
            )
            data = self._to_data(row) if row else None
        self._cache[saleor_api_url] = (time.monotonic() + self._cache_seconds, data)
        return data

    async def get_by_id(self, installation_id: int) -> AuthData | None:
        cached = self._cache_by_id.get(installation_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        async with self._db.read() as session:
            row = await session.get(Installation, installation_id)
            data = self._to_data(row) if row else None
        self._cache_by_id[installation_id] = (time.monotonic() + self._cache_seconds, data)
        return data

    async def get_all(self) -> list[AuthData]:
        async with self._db.read() as session:
            rows = await session.scalars(select(Installation).order_by(Installation.id))
            return [self._to_data(row) for row in rows]

    async def set(
        self,
        *,
        saleor_api_url: str,
        app_id: str,
        token: str,
        jwks: str,
        domain: str | None,
        now: datetime,
        replacing_app_id: str | None = None,
    ) -> AuthData:
        """Create, or replace the credentials of a re-install (the merchant's rules stay): by the same app,
        or by a new one when ``replacing_app_id`` names the app holding it (checked under the row lock)."""
        async with self._db.transaction() as session:
            row = await session.scalar(
                select(Installation).where(Installation.saleor_api_url == saleor_api_url).with_for_update()
            )
            if row is None:
                row = Installation(saleor_api_url=saleor_api_url, created_at=now)
                session.add(row)
            elif row.app_id not in (app_id, replacing_app_id):
                raise InstallationTaken(saleor_api_url)
            row.app_id = app_id
            row.token_encrypted = self._cipher.encrypt(token)
            row.jwks = jwks
            row.jwks_fetched_at = now
            row.domain = domain
            row.updated_at = now
            await session.flush()
            data = self._to_data(row)
        self.forget_cached(saleor_api_url)
        return data

    async def set_jwks(self, auth: AuthData, jwks: str, now: datetime) -> None:
        async with self._db.transaction() as session:
            await session.execute(
                update(Installation)
                .where(Installation.id == auth.id)
                .values(jwks=jwks, jwks_fetched_at=now, updated_at=now)
            )
        self.forget_cached()

    async def delete(self, saleor_api_url: str) -> bool:
        async with self._db.transaction() as session:
            result = await session.execute(
                delete(Installation).where(Installation.saleor_api_url == saleor_api_url)
            )
        self.forget_cached(saleor_api_url)
        return bool(result.rowcount)  # type: ignore[attr-defined]
