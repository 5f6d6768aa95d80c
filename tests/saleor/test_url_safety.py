"""The address guard of saleor/url_safety.py: which addresses count as internal, and that the guarded
transport checks at connect time (a real listener on loopback sees no connection)."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from saleor_upsell_app.saleor.errors import ProtocolError
from saleor_upsell_app.saleor.url_safety import (
    GuardedBackend,
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


def _self_signed(host: str, directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


async def test_guarded_connections_go_to_the_checked_address_with_tls_to_the_name(tmp_path: Path) -> None:
    """The name is resolved once per connection by the guard, the connection goes to that address, and
    TLS (SNI and certificate check) still uses the name. The test policy admits loopback only."""
    cert, key = _self_signed("saleor.test", tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    names: list[str | None] = []
    server_tls.sni_callback = lambda _sock, name, _ctx: names.append(name)  # type: ignore[assignment]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_tls)
    port = server.sockets[0].getsockname()[1]
    answers = {"saleor.test": [ipaddress.ip_address("127.0.0.1")]}
    resolved: list[str] = []

    async def resolver(host: str, _port: int) -> list[Any]:
        resolved.append(host)
        return answers[host]

    backend = GuardedBackend(resolver, allowed=lambda address: address.is_loopback)
    client_tls = ssl.create_default_context(cafile=str(cert))
    try:
        async with httpx.AsyncClient(
            transport=GuardedTransport(backend=backend, ssl_context=client_tls)
        ) as client:
            assert (await client.get(f"https://saleor.test:{port}/graphql/")).text == "ok"
            assert names == ["saleor.test"] and resolved == ["saleor.test"]
            answers["saleor.test"] = [ipaddress.ip_address("10.0.0.1")]  # re-pointed (rebinding)
            with pytest.raises(httpx.ConnectError, match="non-public"):
                await client.get(f"https://saleor.test:{port}/graphql/")
        assert resolved == ["saleor.test", "saleor.test"] and len(names) == 1
    finally:
        server.close()


async def test_proxy_variables_are_not_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """HTTP(S)_PROXY would route around the address guard, so the app's clients ignore it: they connect
    to the checked address themselves (httpx uses environment proxies only without an explicit transport)."""
    from saleor_upsell_app.main import compose
    from tests.conftest import make_settings

    seen: dict[str, int] = {"proxy": 0, "target": 0}

    def listener(name: str) -> Any:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen[name] += 1
            await reader.readuntil(b"\r\n\r\n")
            head = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
            writer.write(head + name[:2].encode())
            await writer.drain()
            writer.close()

        return handle

    proxy = await asyncio.start_server(listener("proxy"), "127.0.0.1", 0)
    target = await asyncio.start_server(listener("target"), "127.0.0.1", 0)
    proxy_url = f"http://127.0.0.1:{proxy.sockets[0].getsockname()[1]}"
    target_url = f"http://127.0.0.1:{target.sockets[0].getsockname()[1]}/"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    parts = compose(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}", "http://127.0.0.1:9"))
    try:
        # The app's own client (register, JWKS) goes straight to the target, not through the proxy.
        assert (await parts.http.get(target_url)).text == "ta"
        # With the guard on, a loopback target is refused without the proxy ever being asked.
        guarded = transport_factory(allow_private=False)(httpx.Limits())
        async with httpx.AsyncClient(transport=guarded) as client:
            with pytest.raises(httpx.ConnectError, match="non-public"):
                await client.get(target_url)
        assert seen == {"proxy": 0, "target": 1}
    finally:
        await parts.aclose()
        proxy.close()
        target.close()
