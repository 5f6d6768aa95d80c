"""Saleor's retry policy, the install handshake and APP_DELETED."""

from __future__ import annotations

import json

import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp, InstallError

from .fake_app import FakeApp, capture

MONOSPACE_S = "UHJvZHVjdFZhcmlhbnQ6MzQ4"


@pytest.mark.parametrize(
    ("statuses", "attempts"),
    [([503, 500, 200], 3), ([503] * 10, 6), ([401], 1), ([404], 1), ([307], 1)],
)
async def test_retry_policy(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp, statuses: list[int], attempts: int
) -> None:
    await emu.drain()
    fake_app.webhook_statuses = list(statuses)
    await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    await emu.drain()
    tries = emu.deliveries_for("CHECKOUT_CREATED")
    assert [d.attempt for d in tries] == list(range(1, attempts + 1))
    assert [d.status for d in tries] == statuses[:attempts]
    assert len({d.body for d in tries}) == 1
    assert fake_app.events("checkout_created") and not [
        r for r in fake_app.received if r.path == "/elsewhere"
    ]


async def test_connection_errors_are_retried(emu: SaleorEmulator, installed: InstalledApp) -> None:
    installed.app.webhook_list[0].target_url = "http://127.0.0.1:9/api/webhooks/checkout-created"
    await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    await emu.drain()
    tries = emu.deliveries_for("CHECKOUT_CREATED")
    assert len(tries) == 6 and all(d.status is None and d.error for d in tries)


async def test_register_request_matches_capture(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    expected = capture("register.json")["request"]
    assert sorted(fake_app.register_headers) == sorted(h.lower() for h in expected["headers"])
    assert fake_app.register_headers["saleor-api-url"] == emu.api_url
    assert fake_app.register_headers["saleor-schema-version"] == "3.23"
    assert fake_app.register_body == json.dumps({"auth_token": installed.token}).encode()
    assert len(installed.token) == 30
    manifest_expected = capture("register-manifest-fetch.json")["request"]["headers"]
    assert sorted(fake_app.manifest_headers) == sorted(h.lower() for h in manifest_expected)
    assert installed.id == "QXBwOjE="
    result = await emu.graphql(
        "{ app { id identifier name isActive type permissions { code name } } }", token=installed.token
    )
    assert result["data"] == capture("graphql-app-self.json")["response"]["body"]["data"]


async def test_install_failures(emu: SaleorEmulator, fake_app: FakeApp) -> None:
    url = f"{fake_app.base_url}/api/manifest"
    fake_app.register_status = 403
    with pytest.raises(InstallError) as failed:
        await emu.install_app(url)
    assert "refused" in (failed.value.body or "") and not emu.state.apps
    fake_app.register_status = 200
    with pytest.raises(InstallError, match="OUT_OF_SCOPE_PERMISSION"):
        await emu.install_app(url, permissions=["MANAGE_APPS"])
    fake_app.extra_manifest = {
        "webhooks": [
            {
                "name": "bad",
                "asyncEvents": ["ORDER_CREATED"],
                "query": "subscription { event { ... on OrderCreated { nope } } }",
                "targetUrl": "/api/webhooks/x",
            }
        ]
    }
    with pytest.raises(InstallError, match="Subscription query is not valid"):
        await emu.install_app(url)
    with pytest.raises(InstallError, match="MANIFEST_URL_CANT_CONNECT"):
        await emu.install_app(f"{fake_app.base_url}/nowhere")


async def test_app_deleted_is_self_only_and_token_stops_working(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    emu.delete_app(installed.id)
    await emu.drain()
    [deleted] = fake_app.events("app_deleted")
    body = json.loads(deleted.body)
    assert body["app"]["isActive"] is False
    assert body["issuingPrincipal"] == {
        "__typename": "User",
        "id": "VXNlcjoyMQ==",
        "email": "admin@example.com",
    }
    result = await emu.graphql("{ app { id } }", token=installed.token)
    assert result["data"] == {"app": None}
    await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    await emu.drain()
    assert not fake_app.events("checkout_created")
