"""A lean HTTP/1.1 client for one Saleor GraphQL endpoint: POST a body, get (status, body) back.

Keep-alive connections are pooled per endpoint and driven by asyncio protocols directly. httpx over
httpcore and anyio cost ~0.5 ms of CPU per request on this machine, this ~0.05 ms
(bench/transport_bench.py); the app makes at least one request per event.

What it does not do, because Saleor's API does not need it: redirects (a 3xx is an answer like any
other), cookies, compression, HTTP/2, proxies, request streaming. What it keeps: TLS to the URL's name,
the address guard of saleor/url_safety.py on every new connection (when ``guarded``), a connect timeout
and a response timeout, and failures that say whether the request may have reached Saleor.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Mapping
from typing import cast
from urllib.parse import urlsplit

import httpx

from .url_safety import UnsafeAddress, checked_addresses

# An idle connection older than this is closed rather than reused: servers drop idle keep-alive
# connections after a few seconds (uvicorn 5 s, gunicorn 2 s), and a request sent into that close is
# an ambiguous failure. httpcore's default is the same 5 s.
KEEPALIVE_SECONDS = 4.0
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class HttpFailure(Exception):
    """No usable answer. ``sent``: the request may have reached the server (False: it never left)."""

    sent = True


class ConnectFailed(HttpFailure):
    sent = False


class ResponseTimeout(HttpFailure):
    pass


class ConnectionLost(HttpFailure):
    pass


class MalformedResponse(HttpFailure):
    pass


class _Connection(asyncio.Protocol):
    """One keep-alive connection, one request at a time; parses the answer as bytes arrive."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self._buffer = bytearray()
        self._waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self._reset_answer()

    def _reset_answer(self) -> None:
        self._status = 0
        self._body_at = -1  # buffer offset of the body once the head is parsed
        self._length: int | None = None  # Content-Length; None with _chunked False: until EOF
        self._chunked = False
        self._chunks: list[bytes] = []
        self.reusable = True

    # -- asyncio.Protocol -------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A TCP transport (uvloop's is not a subclass of asyncio.Transport, hence the cast).
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self._fail(ConnectionLost("bytes from the server while no request was waiting"))
            return
        self._buffer += data
        try:
            self._parse()
        except HttpFailure as exc:
            self._fail(exc)

    def eof_received(self) -> bool:
        if self._waiter is not None and not self._waiter.done() and self._body_at >= 0:
            if self._length is None and not self._chunked:  # a body delimited by the close
                self.reusable = False
                self._answer(bytes(self._buffer[self._body_at :]))
        return False  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        detail = f"{type(exc).__name__}: {exc}" if exc else "closed by the server"
        self._fail(ConnectionLost(f"connection lost before the answer ({detail})"))

    # -- requests ---------------------------------------------------------------------------------
    async def exchange(self, request: bytes, timeout: float) -> tuple[int, bytes]:  # noqa: ASYNC109
        assert self.transport is not None
        self._waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        try:
            async with asyncio.timeout(timeout):
                return await self._waiter
        except TimeoutError:
            self.close()
            raise ResponseTimeout(f"no answer within {timeout:g} s") from None
        except BaseException:  # cancelled or failed mid-answer: the connection's state is unknown
            self.close()
            raise
        finally:
            self._waiter = None

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    # -- parsing ----------------------------------------------------------------------------------
    def _parse(self) -> None:
        if self._body_at < 0 and not self._parse_head():
            return
        if len(self._buffer) > MAX_RESPONSE_BYTES:
            raise MalformedResponse(f"answer larger than {MAX_RESPONSE_BYTES} bytes")
        if self._chunked:
            self._parse_chunks()
        elif self._length is not None and len(self._buffer) - self._body_at >= self._length:
            end = self._body_at + self._length
            if len(self._buffer) > end:
                raise MalformedResponse("bytes after the answer's body")
            self._answer(bytes(self._buffer[self._body_at : end]))

    def _parse_head(self) -> bool:
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > 64 * 1024:
                    raise MalformedResponse("answer head larger than 64 kB")
                return False
            lines = bytes(self._buffer[:end]).split(b"\r\n")
            version, _, rest = lines[0].partition(b" ")
            try:
                status = int(rest[:3])
            except ValueError:
                raise MalformedResponse(f"not an HTTP status line: {lines[0][:80]!r}") from None
            if not version.startswith(b"HTTP/1.") or not 100 <= status <= 599:
                raise MalformedResponse(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
            if 100 <= status < 200:  # an interim answer (100 Continue, 103 Early Hints): skip it
                del self._buffer[: end + 4]
                continue
            break
        keep_alive = version == b"HTTP/1.1"
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip()
            if name == b"content-length":
                try:
                    self._length = int(value)
                except ValueError:
                    raise MalformedResponse(f"bad Content-Length {value[:40]!r}") from None
            elif name == b"transfer-encoding":
                self._chunked = value.lower().endswith(b"chunked")
            elif name == b"connection":
                tokens = value.lower()
                keep_alive = b"keep-alive" in tokens or (keep_alive and b"close" not in tokens)
        if self._chunked:
            self._length = None
        self._status = status
        self._body_at = end + 4
        self.reusable = keep_alive and (self._chunked or self._length is not None)
        if status in (204, 304):
            self._length = 0
        return True

    def _parse_chunks(self) -> None:
        while True:
            line_end = self._buffer.find(b"\r\n", self._body_at)
            if line_end < 0:
                return
            size_text = bytes(self._buffer[self._body_at : line_end]).split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise MalformedResponse(f"bad chunk size {size_text[:20]!r}") from None
            if size == 0:  # the last chunk, then optional trailers and an empty line
                if self._buffer.find(b"\r\n\r\n", line_end) < 0:
                    return
                self._answer(b"".join(self._chunks))
                return
            data_end = line_end + 2 + size
            if len(self._buffer) < data_end + 2:
                return
            self._chunks.append(bytes(self._buffer[line_end + 2 : data_end]))
            self._body_at = data_end + 2

    def _answer(self, body: bytes) -> None:
        waiter, status = self._waiter, self._status
        reusable = self.reusable
        self._buffer.clear()
        self._reset_answer()
        self.reusable = reusable
        if waiter is not None and not waiter.done():
            waiter.set_result((status, body))

    def _fail(self, exc: HttpFailure) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(exc)
        self.close()


class HttpPool:
    """POSTs to one URL over at most ``max_connections`` pooled keep-alive connections.

    ``guarded``: every new connection resolves the host, checks every address (saleor/url_safety.py)
    and connects to a checked one, so a name re-pointed at an internal address is never connected to.
    """

    def __init__(
        self,
        url: str,
        headers: Mapping[str, str],
        *,
        timeout: float,
        connect_timeout: float,
        max_connections: int,
        guarded: bool,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self._tls = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._tls else 80)
        self._ssl_context = ssl_context
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._guarded = guarded
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: list[_Connection] = []
        self._open: set[_Connection] = set()
        host = f"[{self._host}]" if ":" in self._host else self._host
        default_port = self._port == (443 if self._tls else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if any("\r" in f"{k}{v}" or "\n" in f"{k}{v}" for k, v in headers.items()):
            raise ValueError("a header holds a line break")
        lines = [
            f"POST {target} HTTP/1.1",
            f"Host: {host if default_port else f'{host}:{self._port}'}",
            "User-Agent: saleor-upsell",
            "Accept: application/json",
            "Content-Type: application/json",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        self._head = "\r\n".join(lines).encode("latin-1") + b"\r\nContent-Length: "

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """(status, body) of the answer; HttpFailure when there is none."""
        request = self._head + str(len(body)).encode() + b"\r\n\r\n" + body
        async with self._slots:
            connection = self._idle_connection() or await self._connect()
            try:
                status, answer = await connection.exchange(request, self._timeout)
            except BaseException:
                self._open.discard(connection)
                raise
            if connection.reusable and not connection.closed:
                connection.idle_since = time.monotonic()
                self._idle.append(connection)
            else:
                connection.close()
                self._open.discard(connection)
            return status, answer

    def _idle_connection(self) -> _Connection | None:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()
            transport = connection.transport
            if (
                not connection.closed
                and transport is not None
                and not transport.is_closing()
                and now - connection.idle_since < KEEPALIVE_SECONDS
            ):
                return connection
            connection.close()
            self._open.discard(connection)
        return None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        tls: ssl.SSLContext | None = None
        if self._tls:
            if self._ssl_context is None:  # httpx's (certifi's) trust store, as before this client
                self._ssl_context = httpx.create_ssl_context()
            tls = self._ssl_context
        try:
            async with asyncio.timeout(self._connect_timeout):
                if self._guarded:
                    targets = [str(a) for a in await checked_addresses(self._host, self._port)]
                else:
                    targets = [self._host]
                failure: OSError | None = None
                for target in targets:
                    try:
                        _, connection = await loop.create_connection(
                            _Connection,
                            target,
                            self._port,
                            ssl=tls,
                            server_hostname=self._host if tls else None,
                        )
                        break
                    except OSError as exc:
                        failure = exc
                else:
                    raise failure or OSError(f"{self._host} resolves to no address")
        except TimeoutError:
            raise ConnectFailed(f"ConnectTimeout: no connection within {self._connect_timeout:g} s") from None
        except UnsafeAddress as exc:
            raise ConnectFailed(f"UnsafeAddress: {exc}") from exc
        except (OSError, ssl.SSLError) as exc:
            raise ConnectFailed(f"ConnectError: {type(exc).__name__}: {exc}") from exc
        self._open.add(connection)
        return connection

    async def aclose(self) -> None:
        for connection in self._open:
            connection.close()
        self._open.clear()
        self._idle.clear()
