"""Just enough HTTP/1.1 for the stand-in, on asyncio protocols (streams cost about twice the CPU per
request): a keep-alive server and a pooled keep-alive client, Content-Length bodies (chunked answers are
read too). No framework on either side: the stand-in must cost far less per event than the app."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"


# A handler answers at once (the GraphQL path) or later (the bench's control requests).
Handler = Callable[[Request], "Response | Awaitable[Response]"]


def _headers(lines: list[bytes]) -> dict[str, str]:
    headers = {}
    for line in lines:
        name, _, value = line.partition(b":")
        headers[name.decode("latin-1").strip().lower()] = value.decode("latin-1").strip()
    return headers


def _message(buffer: bytearray) -> tuple[bytes, dict[str, str], bytes] | None:
    """(start line, headers, body) of the first complete message in `buffer` (removed from it)."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    start, *lines = bytes(buffer[:end]).split(b"\r\n")
    headers = _headers(lines)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body, position = bytearray(), end + 4
        while True:
            line_end = buffer.find(b"\r\n", position)
            if line_end < 0:
                return None
            size = int(bytes(buffer[position:line_end]).split(b";")[0], 16)
            if len(buffer) < line_end + 2 + size + 2:
                return None
            body += buffer[line_end + 2 : line_end + 2 + size]
            position = line_end + 2 + size + 2
            if size == 0:
                del buffer[:position]
                return start, headers, bytes(body)
    length = int(headers.get("content-length", "0"))
    if len(buffer) < end + 4 + length:
        return None
    body_bytes = bytes(buffer[end + 4 : end + 4 + length])
    del buffer[: end + 4 + length]
    return start, headers, body_bytes


def _render(response: Response) -> bytes:
    reason = REASONS.get(response.status, "Status")
    return (
        f"HTTP/1.1 {response.status} {reason}\r\ncontent-type: {response.content_type}\r\n"
        f"content-length: {len(response.body)}\r\n\r\n".encode()
        + response.body
    )


class _ServerConnection(asyncio.Protocol):
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.waiting = False  # an answer is being awaited: later requests wait in the buffer

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._serve()

    def _serve(self) -> None:
        while not self.waiting and self.transport is not None and not self.transport.is_closing():
            message = _message(self.buffer)
            if message is None:
                return
            start, headers, body = message
            method, target, _ = start.decode("latin-1").split(" ", 2)
            try:
                answer = self.handler(Request(method, target.split("?", 1)[0], headers, body))
            except Exception as exc:  # a stand-in bug must show, not hang the app's request
                answer = Response(500, repr(exc).encode(), "text/plain")
            if isinstance(answer, Response):
                self.transport.write(_render(answer))
            else:
                self.waiting = True
                asyncio.ensure_future(answer).add_done_callback(self._answered)

    def _answered(self, task: asyncio.Future[Response]) -> None:
        self.waiting = False
        error = task.exception()
        answer = task.result() if error is None else Response(500, repr(error).encode(), "text/plain")
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_render(answer))
            self._serve()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


async def serve(handler: Handler, host: str = "127.0.0.1", port: int = 0) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    return await loop.create_server(lambda: _ServerConnection(handler), host, port, backlog=512)


class _ClientConnection(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.answer: asyncio.Future[tuple[int, dict[str, str], bytes]] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    @property
    def usable(self) -> bool:
        return self.transport is not None and not self.transport.is_closing()

    def send(self, message: bytes) -> asyncio.Future[tuple[int, dict[str, str], bytes]]:
        assert self.transport is not None
        self.answer = asyncio.get_running_loop().create_future()
        self.transport.write(message)
        return self.answer

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        message = _message(self.buffer)
        if message is not None and self.answer is not None and not self.answer.done():
            start, headers, body = message
            self.answer.set_result((int(start.split(b" ", 2)[1]), headers, body))

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(exc or ConnectionResetError("closed before the answer"))


class Pool:
    """Keep-alive connections to one origin, at most `size` at a time."""

    def __init__(self, origin: str, size: int) -> None:
        parts = urlsplit(origin)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._idle: list[_ClientConnection] = []
        self._slots = asyncio.Semaphore(size)

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        """(status, body); a connection error raises (the caller decides whether to retry). A kept-alive
        connection the server closed meanwhile is replaced, as HTTP clients do (nothing was read)."""
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items() if k.lower() != "content-length")
        message = f"{method} {path} HTTP/1.1\r\n{head}content-length: {len(body)}\r\n\r\n".encode() + body
        async with self._slots:
            while self._idle:
                connection = self._idle.pop()
                if connection.usable:
                    try:
                        return await self._exchange(connection, message)
                    except ConnectionError:
                        continue  # closed by the server while idle: the next one, then a new one
            _, connection = await asyncio.get_running_loop().create_connection(
                _ClientConnection, self.host, self.port
            )
            return await self._exchange(connection, message)

    async def _exchange(self, connection: _ClientConnection, message: bytes) -> tuple[int, bytes]:
        try:
            status, headers, body = await connection.send(message)
        except BaseException:
            if connection.transport is not None:
                connection.transport.close()
            raise
        if headers.get("connection", "").lower() == "close":
            if connection.transport is not None:
                connection.transport.close()
        else:
            self._idle.append(connection)
        return status, body

    async def aclose(self) -> None:
        while self._idle:
            connection = self._idle.pop()
            if connection.transport is not None:
                connection.transport.close()
