"""Calling the app's /graphql as the dashboard (staff token headers) or as a storefront (no token)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from tests.conftest import AppUnderTest

ALL_BUT_DISCOUNTS = ["MANAGE_ORDERS", "MANAGE_PRODUCTS", "MANAGE_CHECKOUTS"]
MANAGER = [*ALL_BUT_DISCOUNTS, "MANAGE_DISCOUNTS"]


@dataclass
class Api:
    app: AppUnderTest
    emulator: SaleorEmulator
    installed: InstalledApp

    def token(self, user_permissions: Sequence[str] = MANAGER, **kwargs: Any) -> str:
        return self.emulator.dashboard_token(
            self.installed.id, permissions=[], user_permissions=list(user_permissions), **kwargs
        )

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.app.base_url, timeout=20) as client:
            response = await client.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
            )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def dashboard(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        api_url: str | None = None,
    ) -> dict[str, Any]:
        headers = {
            "authorization-bearer": token if token is not None else self.token(),
            "saleor-api-url": api_url or self.emulator.api_url,
        }
        return await self.post(query, variables, headers=headers)

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Dashboard call that must succeed without top-level errors."""
        body = await self.dashboard(query, variables, **kwargs)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def storefront(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return await self.post(query, {"saleorApiUrl": self.emulator.api_url, **variables})

    async def installation_id(self) -> int:
        installation = await self.app.data.installations.get(self.emulator.api_url)
        assert installation is not None
        return installation.id


def error_codes(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["extensions"]["code"], e["extensions"].get("reason")) for e in body.get("errors") or ()]
