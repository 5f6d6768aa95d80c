"""The installation store's interface (Saleor's "APL", auth persistence layer), keyed by Saleor API URL.

The protocol core (register, webhook validation, dashboard token, JWKS refresh) only talks to this
interface; installations/ implements it on the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class AuthData:
    """What the app knows about one Saleor that installed it."""

    id: int  # the store's key for this installation
    saleor_api_url: str
    app_id: str
    token: str
    jwks: str
    jwks_fetched_at: datetime
    domain: str | None


class InstallationTaken(Exception):
    """``set`` found the Saleor installed by another app than the one it may replace."""


class APL(Protocol):
    async def get(self, saleor_api_url: str) -> AuthData | None: ...

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
        """Store an installation, or replace the credentials of a re-install by the same app (``app_id``)
        or of the app ``replacing_app_id``; raises InstallationTaken when another app holds it."""
        ...

    async def delete(self, saleor_api_url: str) -> bool: ...

    async def get_all(self) -> list[AuthData]: ...

    async def set_jwks(self, auth: AuthData, jwks: str, now: datetime) -> None:
        """Store a rotated key set: the only field a key rotation changes, so it can never overwrite the
        token of a re-install that happened meanwhile."""
        ...
