"""Request size caps: 413 before the app reads past the cap, whether the size is declared or the body is
streamed without one; an unknown store's webhook body is not read at all."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest

from saleor_upsell_app.saleor.errors import ProtocolError
from saleor_upsell_app.web.limits import declared_length
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from tests.conftest import AppUnderTest
from tests.web.test_webhook_envelope import envelope

CHUNK = 64 * 1024


async def _headers_only(url: str, headers: dict[str, str], declared: int) -> tuple[int, dict[str, object]]:
    """POST over a raw socket: the headers, declaring a `declared`-byte body, and none of the body."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    lines = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {declared}"]
    lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in ("content-length", "host")]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    try:
        # An app that waited for the body would never answer.
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        answer = json.loads(await reader.readexactly(length))
    finally:
        writer.close()
    return int(head.split(b" ", 2)[1]), answer


def _code(answer: dict[str, object]) -> object:
    error = answer.get("error")
    return error.get("code") if isinstance(error, dict) else None


async def _webhook(emulator: SaleorEmulator) -> tuple[str, dict[str, str]]:
    request = emulator.build_webhook_request("CHECKOUT_UPDATED", envelope())
    return request.url, request.headers


async def test_an_unknown_stores_webhook_is_answered_without_reading_its_body(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    url, headers = await _webhook(emulator)
    headers = headers | {"Saleor-Api-Url": "https://not-installed.example/graphql/"}
    status, answer = await _headers_only(url, headers, 25 * 1024 * 1024)
    assert (status, _code(answer)) == (401, "NOT_REGISTERED")


async def test_a_webhook_declared_over_the_cap_is_refused_before_its_body(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    url, headers = await _webhook(emulator)
    cap = app.settings.webhook_max_body_bytes
    status, answer = await _headers_only(url, headers, cap + 1)
    assert (status, _code(answer)) == (413, "PAYLOAD_TOO_LARGE")


async def _streamed(app: AppUnderTest, url: str, headers: dict[str, str]) -> tuple[httpx.Response, int]:
    """POST a 25 MB body without a Content-Length, chunk by chunk, straight into the app's ASGI
    interface; returns the answer and how many bytes the app had asked for when it answered."""
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        while pulled < 25 * 1024 * 1024:
            pulled += CHUNK
            yield b" " * CHUNK

    transport = httpx.ASGITransport(app=app.app)
    async with httpx.AsyncClient(transport=transport, base_url=app.base_url) as client:
        headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
        response = await client.post(url, headers=headers, content=body())
    return response, pulled


async def test_a_streamed_webhook_is_refused_once_past_the_cap(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    url, headers = await _webhook(emulator)
    response, pulled = await _streamed(app, url, headers)
    assert (response.status_code, _code(response.json())) == (413, "PAYLOAD_TOO_LARGE")
    assert pulled <= app.settings.webhook_max_body_bytes + CHUNK


@pytest.mark.parametrize("value", ["12abc", "1²", "٣"])  # str.isdigit() takes the last two
def test_a_content_length_that_is_not_a_number_is_refused(value: str) -> None:
    # (uvicorn refuses such a request itself; the check is for servers that pass it on)
    with pytest.raises(ProtocolError) as refused:
        declared_length({"content-length": value})
    assert (refused.value.status, refused.value.code) == (400, "INVALID_CONTENT_LENGTH")


async def test_graphql_body_over_the_cap_is_refused(app: AppUnderTest) -> None:
    url = f"{app.base_url}/graphql"
    headers = {"Content-Type": "application/json"}
    cap = app.settings.graphql_max_body_bytes
    assert cap == 256 * 1024
    status, answer = await _headers_only(url, headers, 25 * 1024 * 1024)
    assert (status, _code(answer)) == (413, "PAYLOAD_TOO_LARGE")
    response, pulled = await _streamed(app, url, headers)
    assert (response.status_code, _code(response.json())) == (413, "PAYLOAD_TOO_LARGE")
    assert pulled <= cap + CHUNK


async def test_graphql_body_under_the_cap_is_served(app: AppUnderTest) -> None:
    query = "{ __typename }" + " " * (200 * 1024)  # large but allowed
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{app.base_url}/graphql", json={"query": query})
    assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}
