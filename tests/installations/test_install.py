"""Install through the emulated Saleor: manifest fetch, register, token, JWKS, re-install, APP_DELETED."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from saleor_upsell_app.inbox.service import Inbox
from saleor_upsell_app.kit.crypto import TokenCipher
from saleor_upsell_app.kit.db import Database
from saleor_upsell_app.tables import Installation
from saleor_upsell_app.web.health import build_health_router
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstallError
from tests.conftest import TEST_SECRET, AppUnderTest, free_port, run_app


async def test_install_stores_installation_with_encrypted_token(
    app: AppUnderTest, emulator: SaleorEmulator
) -> None:
    installed = await emulator.install_app(app.manifest_url)

    installation = await app.data.installations.get(emulator.api_url)
    assert installation is not None
    assert installation.app_id == installed.id
    assert installation.token == installed.token
    assert '"keys"' in installation.jwks
    async with app.data.sessions() as session:
        row = (await session.execute(Installation.__table__.select())).one()
    assert installed.token not in row.token_encrypted  # encrypted at rest
    assert TokenCipher(TEST_SECRET).decrypt(row.token_encrypted) == installed.token


async def test_reinstall_replaces_credentials(app: AppUnderTest, emulator: SaleorEmulator) -> None:
    first = await emulator.install_app(app.manifest_url)
    emulator.delete_app(first.id)
    await app.wait_idle(emulator)
    assert await app.data.installations.get(emulator.api_url) is None  # APP_DELETED removed it

    second = await emulator.install_app(app.manifest_url)
    installation = await app.data.installations.get(emulator.api_url)
    assert installation is not None and installation.app_id == second.id != first.id
    assert len(await app.data.installations.all()) == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_register_refuses_saleor_url_not_allowed(db_url: str, emulator: SaleorEmulator) -> None:
    async with run_app(db_url, allowed_saleor_urls=r"https://shop\.example\.com/graphql/") as app:
        with pytest.raises(InstallError) as error:
            await emulator.install_app(app.manifest_url)
        assert "SALEOR_URL_PROHIBITED" in (error.value.body or "")
        assert await app.data.installations.all() == []


async def test_register_error_codes(app: AppUnderTest, emulator: SaleorEmulator) -> None:
    async with httpx.AsyncClient(base_url=app.base_url) as client:
        no_url = await client.post("/api/register", json={"auth_token": "x"})
        assert (no_url.status_code, no_url.json()["error"]["code"]) == (400, "MISSING_SALEOR_API_URL")

        headers = {"saleor-api-url": emulator.api_url}
        no_token = await client.post("/api/register", json={}, headers=headers)
        assert (no_token.status_code, no_token.json()["error"]["code"]) == (400, "MISSING_AUTH_TOKEN")

        # Saleor treats an unknown token as anonymous: `app` is null, so the app id can't be verified.
        bad_token = await client.post(
            "/api/register", json={"auth_token": "not-a-real-token"}, headers=headers
        )
        assert (bad_token.status_code, bad_token.json()["error"]["code"]) == (401, "UNKNOWN_APP_ID")
    assert await app.data.installations.all() == []


async def test_manifest_urls_come_from_app_url_not_host(app: AppUnderTest) -> None:
    async with httpx.AsyncClient(base_url=app.base_url) as client:
        manifest = (await client.get("/api/manifest", headers={"Host": "127.0.0.1"})).json()
    assert manifest["tokenTargetUrl"] == f"{app.base_url}/api/register"
    assert all(w["targetUrl"].startswith(app.base_url + "/api/webhooks/") for w in manifest["webhooks"])


async def test_healthz_checks_the_database(app: AppUnderTest) -> None:
    async with httpx.AsyncClient(base_url=app.base_url) as client:
        response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}  # anonymous callers learn up or down, nothing more


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_healthz_detail_is_for_the_operator_token(db_url: str) -> None:
    token = "operator-health-token-0123456789"
    async with run_app(db_url, health_token=token) as app, httpx.AsyncClient(base_url=app.base_url) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        wrong = await client.get("/healthz", headers={"Authorization": "Bearer nope"})
        assert wrong.json() == {"status": "ok"}
        detail = await client.get("/healthz", headers={"Authorization": f"Bearer {token}"})
        assert detail.status_code == 200
        assert detail.json()["database"] == "ok" and isinstance(detail.json()["inbox"], dict)


async def test_healthz_down_tells_the_reason_only_to_the_operator() -> None:
    """The real router on a database nobody listens for (a closed PostgreSQL port)."""
    token = "operator-health-token-0123456789"
    db = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none")
    app = FastAPI()
    app.include_router(build_health_router(db, Inbox(db), token))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://app") as client:
            down = await client.get("/healthz")
            assert (down.status_code, down.json()) == (503, {"status": "error"})
            detail = await client.get("/healthz", headers={"Authorization": f"Bearer {token}"})
            assert detail.status_code == 503 and detail.json()["database"].startswith("unreachable")
    finally:
        await db.dispose()
