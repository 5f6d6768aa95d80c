"""Issue 11 items 3 and 5: /api/register is no SSRF or port scanner, and no app takes over another's
installation. Real HTTP against real listeners and the emulated Saleor."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstallError, new_app_token
from testing.saleor_emulator.principals import App
from tests.conftest import AppUnderTest, free_port, run_app

SECRET = "internal-service-secret-7f3a"
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@asynccontextmanager
async def listener(reply: bytes | None) -> AsyncIterator[tuple[int, list[int]]]:
    """A TCP server on loopback: answers ``reply`` to any request (None: accepts and says nothing).
    Yields its port and a list that gets one entry per connection."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            await reader.read(65536)
            if reply is None:
                await asyncio.sleep(5)
            else:
                writer.write(reply)
                await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield port, connections
    finally:
        server.close()


def http_reply(status: str, content_type: str, body: str) -> bytes:
    data = body.encode()
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(data)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + data


@contextmanager
def app_logs() -> Iterator[list[str]]:
    """Every line the app logs meanwhile (its logger does not propagate to pytest's caplog)."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record) + " " + repr(record.__dict__))

    handler = Collect(level=logging.DEBUG)
    logger = logging.getLogger("saleor_upsell")
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


async def register(app: AppUnderTest, api_url: str, token: str = "A" * 30) -> httpx.Response:
    async with httpx.AsyncClient(base_url=app.base_url, timeout=30) as client:
        return await client.post(
            "/api/register", json={"auth_token": token}, headers={"saleor-api-url": api_url}
        )


# -- item 3: no SSRF, no echo, no port scanner -------------------------------------------------------


@SQLITE_ONLY
async def test_register_answers_the_same_whatever_listens_and_never_echoes_it(db_url: str) -> None:
    """Development allows loopback Saleors, so register does call these: a closed port, a web page with
    a secret, a JSON error with the secret, a non-HTTP answer and a silent server all give one answer."""
    answers: list[tuple[int, dict[str, Any]]] = []
    async with run_app(db_url, environment="development", saleor_timeout_seconds=1) as app:
        with app_logs() as logs:
            closed = await register(app, f"http://127.0.0.1:{free_port()}/x")
            answers.append((closed.status_code, closed.json()))
            for reply in (
                http_reply("200 OK", "text/html", f"<html>{SECRET}</html>"),
                http_reply("500 Internal Server Error", "application/json", f'{{"detail": "{SECRET}"}}'),
                http_reply("200 OK", "application/json", f'{{"errors": [{{"message": "{SECRET}"}}]}}'),
                f"SSH-2.0-OpenSSH_9.6 {SECRET}\r\n".encode(),
                None,
            ):
                async with listener(reply) as (port, connections):
                    response = await register(app, f"http://127.0.0.1:{port}/x")
                    assert connections, "development allows loopback: the app did call"
                answers.append((response.status_code, response.json()))
        assert await app.data.installations.all() == []
    assert len({repr(a) for a in answers}) == 1, answers
    status, body = answers[0]
    assert (status, body["error"]["code"]) == (401, "UNKNOWN_APP_ID")
    assert SECRET not in "\n".join(logs)


@pytest.mark.parametrize(
    "api_url",
    [
        "http://127.0.0.1:{port}/graphql/",
        "http://localhost:{port}/graphql/",
        "http://[::1]:{port}/graphql/",
        "http://[::ffff:127.0.0.1]:{port}/graphql/",
        "http://10.0.0.7:{port}/graphql/",
        "http://169.254.169.254:{port}/latest/meta-data/",
        "http://0.0.0.0:{port}/graphql/",
    ],
)
@SQLITE_ONLY
async def test_production_refuses_internal_addresses_without_connecting(db_url: str, api_url: str) -> None:
    async with (
        listener(http_reply("200 OK", "application/json", '{"data": {"app": {"id": "x"}}}')) as (
            port,
            connections,
        ),
        run_app(db_url, environment="production", allowed_saleor_urls=r"http://.+/.*") as app,
    ):
        response = await register(app, api_url.format(port=port))
        assert (response.status_code, response.json()["error"]["code"]) == (403, "SALEOR_URL_UNSAFE")
        assert connections == []
        assert await app.data.installations.all() == []


@SQLITE_ONLY
async def test_production_with_private_urls_allowed_installs_a_local_saleor(
    db_url: str, emulator: SaleorEmulator
) -> None:
    overrides = {"environment": "production", "allowed_saleor_urls": r"http://127\.0\.0\.1:\d+/graphql/"}
    async with run_app(db_url, **overrides) as app:
        with pytest.raises(InstallError) as refused:
            await emulator.install_app(app.manifest_url)
        assert "SALEOR_URL_UNSAFE" in (refused.value.body or "")
    async with run_app(db_url, allow_private_saleor_urls=True, **overrides) as app:
        installed = await emulator.install_app(app.manifest_url)
        stored = await app.data.installations.get(emulator.api_url)
        assert stored is not None and stored.app_id == installed.id


@SQLITE_ONLY
async def test_installed_saleor_that_now_resolves_internally_is_not_called(
    db_url: str, emulator: SaleorEmulator
) -> None:
    """An installation stored earlier whose host now resolves to loopback (DNS rebinding): the guarded
    transport checks the address at connect time, so no request reaches it."""
    overrides = {"environment": "production", "allowed_saleor_urls": r"http://localhost:\d+/graphql/"}
    async with run_app(db_url, **overrides) as app:
        api_url = emulator.api_url.replace("127.0.0.1", "localhost")
        await app.data.installations.save(
            saleor_api_url=api_url,
            app_id="QXBwOjE=",
            token=new_app_token(),
            jwks='{"keys": []}',
            domain=None,
            now=datetime.now(UTC),
        )
        calls_before = len(emulator.graphql_calls)
        async with httpx.AsyncClient(base_url=app.base_url, timeout=30) as client:
            body = (
                await client.post(
                    "/graphql",
                    json={
                        "query": "query($u: String!, $c: ID!) { checkoutOffers(saleorApiUrl: $u, "
                        "checkoutId: $c) { checkoutId } }",
                        "variables": {"u": api_url, "c": "Q2hlY2tvdXQ6MQ=="},
                    },
                )
            ).json()
        assert body["errors"][0]["extensions"]["code"] == "SALEOR_UNAVAILABLE"
        assert len(emulator.graphql_calls) == calls_before


# -- item 5: no takeover by another app ---------------------------------------------------------------


def other_app(emulator: SaleorEmulator) -> App:
    """A second app installed in the same Saleor (its own token, which Saleor accepts)."""
    app = App(
        pk=next(emulator.state.app_pks),
        identifier="someone.else",
        name="Another app",
        permission_codes=["MANAGE_CHECKOUTS"],
        token=new_app_token(),
    )
    emulator.state.apps[app.pk] = app
    return app


async def test_another_app_of_the_same_saleor_cannot_take_over(
    app: AppUnderTest, emulator: SaleorEmulator
) -> None:
    installed = await emulator.install_app(app.manifest_url)
    intruder = other_app(emulator)

    response = await register(app, emulator.api_url, intruder.token)

    assert (response.status_code, response.json()["error"]["code"]) == (403, "ALREADY_INSTALLED")
    stored = await app.data.installations.get(emulator.api_url)
    assert stored is not None and (stored.app_id, stored.token) == (installed.id, installed.token)
    # The real app's staff still get in.
    from tests.api.client import Api

    api = Api(app, emulator, installed)
    assert "errors" not in await api.dashboard("{ rules { id } }")


async def test_same_app_may_register_again_with_a_new_token(
    app: AppUnderTest, emulator: SaleorEmulator
) -> None:
    installed = await emulator.install_app(app.manifest_url)
    installed.app.token = new_app_token()  # Saleor issued the same app a new token

    response = await register(app, emulator.api_url, installed.app.token)

    assert response.status_code == 200, response.text
    stored = await app.data.installations.get(emulator.api_url)
    assert stored is not None and (stored.app_id, stored.token) == (installed.id, installed.app.token)


async def test_a_new_app_replaces_an_installation_whose_app_was_deleted(
    app: AppUnderTest, emulator: SaleorEmulator
) -> None:
    """APP_DELETED never reached the app (the stale row stays), but the old token no longer works."""
    old = await emulator.install_app(app.manifest_url)
    old.app.is_active, old.app.removed = False, True  # deleted in Saleor, no webhook sent
    assert await app.data.installations.get(emulator.api_url) is not None

    new = await emulator.install_app(app.manifest_url)

    stored = await app.data.installations.get(emulator.api_url)
    assert stored is not None and (stored.app_id, stored.token) == (new.id, new.token) != (old.id, old.token)
