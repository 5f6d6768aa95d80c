"""Where the app may connect when a caller names the URL: never loopback, private, link-local (cloud
metadata at 169.254.169.254), shared, reserved or multicast addresses, unless the operator allows them
(local development and tests, or a self-hosted Saleor inside the same private network).

Two checks, both on every address a host name resolves to:

- ``check_saleor_url`` before the first request (``/api/register`` refuses with 403), and
- ``checked_addresses`` on every new connection: the host is resolved, every address checked and the
  connection made to a checked address, so a name that re-resolves to an internal address after the
  first check (DNS rebinding) is never connected to. ``GuardedTransport`` does it for httpx (register,
  JWKS); saleor/http.py's pool for the Saleor client.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

import anyio
import httpcore
import httpx

from .errors import ProtocolError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
TransportFactory = Callable[[httpx.Limits], httpx.AsyncBaseTransport]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not global, not "private" in 3.11


class UnsafeAddress(httpcore.ConnectError):
    """A connection to an address the app must not reach (httpx reports it as a ConnectError)."""


def is_public_address(address: IPAddress) -> bool:
    """True for a globally routable unicast address (IPv6 forms embedding IPv4 are judged by that IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return False
    return address.is_global and not address.is_multicast


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])  # drop an IPv6 zone id
        if address not in addresses:
            addresses.append(address)
    return addresses


def _refuse_non_public(host: str, addresses: Iterable[IPAddress]) -> None:
    blocked = [str(a) for a in addresses if not is_public_address(a)]
    if blocked:
        raise UnsafeAddress(f"{host} resolves to a non-public address ({', '.join(blocked)})")


_UNSAFE_MESSAGE = (
    "This Saleor API URL points to a loopback, private or link-local address, which the app does not "
    "connect to (ALLOW_PRIVATE_SALEOR_URLS)."
)


async def check_saleor_url(url: str, *, allow_private: bool) -> None:
    """Refuse (ProtocolError 400/403) a URL the app must not call; resolves the host when needed."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ProtocolError("INVALID_SALEOR_API_URL", "The Saleor API URL is not a valid URL.", 400) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProtocolError("INVALID_SALEOR_API_URL", "The Saleor API URL must be an http(s) URL.", 400)
    if parts.username is not None or parts.password is not None:
        raise ProtocolError("INVALID_SALEOR_API_URL", "The Saleor API URL must not carry credentials.", 400)
    if allow_private:
        return
    try:
        with anyio.fail_after(5):
            addresses = await resolve(parts.hostname, port)
    except (OSError, TimeoutError) as exc:
        raise ProtocolError("SALEOR_URL_UNSAFE", "The Saleor API URL's host does not resolve.", 403) from exc
    try:
        _refuse_non_public(parts.hostname, addresses)
    except UnsafeAddress as exc:
        raise ProtocolError("SALEOR_URL_UNSAFE", _UNSAFE_MESSAGE, 403) from exc


Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


async def checked_addresses(
    host: str,
    port: int,
    resolver: Resolver = resolve,
    allowed: Callable[[IPAddress], bool] = is_public_address,
) -> list[IPAddress]:
    """Every address ``host`` resolves to, all of them allowed (UnsafeAddress otherwise, or when none):
    what a guarded connection may connect to. OSError when the name does not resolve."""
    addresses = await resolver(host, port)
    blocked = [str(a) for a in addresses if not allowed(a)]
    if blocked or not addresses:
        raise UnsafeAddress(f"{host} resolves to a non-public address ({', '.join(blocked)})")
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, but every TCP connection goes to an address checked just before.

    TLS still uses the URL's host name (httpcore passes it as SNI separately), and so does ``Host``.
    ``resolver`` and ``allowed`` are the defaults everywhere but in the guard's own tests.
    """

    def __init__(
        self, resolver: Resolver = resolve, allowed: Callable[[IPAddress], bool] = is_public_address
    ) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._resolve = resolver
        self._allowed = allowed

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await checked_addresses(host, port, self._resolve, self._allowed)
        except (OSError, TimeoutError) as exc:
            raise httpcore.ConnectError(f"could not resolve {host}: {exc}") from exc
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # there was at least one address
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeAddress("unix sockets are not reachable through a Saleor URL")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool on GuardedBackend."""

    def __init__(
        self,
        limits: httpx.Limits = httpx.Limits(),
        *,
        backend: GuardedBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend or GuardedBackend(),
        )


def transport_factory(*, allow_private: bool) -> TransportFactory:
    """Builds the transports of every client that calls a Saleor: guarded unless private URLs are allowed."""

    def build(limits: httpx.Limits) -> httpx.AsyncBaseTransport:
        if allow_private:
            return httpx.AsyncHTTPTransport(limits=limits)
        return GuardedTransport(limits)

    return build
