"""The address guard of saleor/url_safety.py: which addresses count as internal, and that the guarded
transport checks at connect time (a real listener on loopback sees no connection)."""

from __future__ import annotations

import asyncio
import ipaddress

import httpx
import pytest

from saleor_upsell_app.saleor.errors import ProtocolError
from saleor_upsell_app.saleor.url_safety import (
    GuardedTransport,
    check_saleor_url,
    is_public_address,
    transport_factory,
)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fd00:ec2::254",  # AWS IPv6 metadata
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "104.16.0.1", "2606:4700::1", "::ffff:8.8.8.8"])
def test_global_addresses_are_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://shop.example.com/graphql/", "INVALID_SALEOR_API_URL"),
        ("https:///graphql/", "INVALID_SALEOR_API_URL"),
        ("https://user:pw@shop.example.com/graphql/", "INVALID_SALEOR_API_URL"),
        ("https://shop.example.com:99999/graphql/", "INVALID_SALEOR_API_URL"),
        ("http://127.0.0.1:8000/graphql/", "SALEOR_URL_UNSAFE"),
        ("http://localhost/graphql/", "SALEOR_URL_UNSAFE"),
        ("http://[fe80::1]/graphql/", "SALEOR_URL_UNSAFE"),
    ],
)
async def test_check_refuses(url: str, code: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        await check_saleor_url(url, allow_private=False)
    assert refused.value.code == code


async def test_check_allows_private_when_told() -> None:
    await check_saleor_url("http://127.0.0.1:8000/graphql/", allow_private=True)


async def test_guarded_transport_refuses_at_connect_time() -> None:
    """``localhost`` is only resolved when connecting, as a rebinding name would be after its first check."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        for url in (
            f"http://localhost:{port}/",
            f"http://127.0.0.1:{port}/",
            f"http://[::ffff:7f00:1]:{port}/",
        ):
            async with httpx.AsyncClient(transport=GuardedTransport()) as client:
                with pytest.raises(httpx.ConnectError, match="non-public"):
                    await client.get(url)
        assert connections == []
        # The same listener is reached through the factory's transport when private URLs are allowed.
        async with httpx.AsyncClient(
            transport=transport_factory(allow_private=True)(httpx.Limits())
        ) as client:
            assert (await client.get(f"http://127.0.0.1:{port}/")).text == "ok"
        assert connections == [1]
    finally:
        server.close()
