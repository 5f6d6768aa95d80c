"""Just enough HTTP/1.1 over asyncio streams for the stand-in: a keep-alive server and a pooled
keep-alive client, Content-Length bodies (chunked answers are read too). No framework on either side:
the stand-in must cost far less per event than the app it drives."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

REASONS = {
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    500: "Error",
}


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


Handler = Callable[[Request], Awaitable[Response]]


def _headers(lines: list[bytes]) -> dict[str, str]:
    headers = {}
    for line in lines:
        name, _, value = line.partition(b":")
        headers[name.decode("latin-1").strip().lower()] = value.decode("latin-1").strip()
    return headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return b"".join(chunks)
            chunks.append(chunk[:-2])
    length = int(headers.get("content-length", "0"))
    return await reader.readexactly(length) if length else b""


async def serve(handler: Handler, host: str = "127.0.0.1", port: int = 0) -> asyncio.Server:
    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head[:-4].split(b"\r\n")
                method, target, _ = request_line.decode("latin-1").split(" ", 2)
                headers = _headers(lines)
                body = await _read_body(reader, headers)
                try:
                    response = await handler(Request(method, target.split("?", 1)[0], headers, body))
                except Exception as exc:  # a stand-in bug must show, not hang the app's request
                    response = Response(500, repr(exc).encode(), "text/plain")
                reason = REASONS.get(response.status, "Status")
                writer.write(
                    f"HTTP/1.1 {response.status} {reason}\r\ncontent-type: {response.content_type}\r\n"
                    f"content-length: {len(response.body)}\r\n\r\n".encode()
                    + response.body
                )
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(connection, host, port, backlog=512)


class Pool:
    """Keep-alive connections to one origin, at most `size` at a time."""

    def __init__(self, origin: str, size: int) -> None:
        parts = urlsplit(origin)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(size)

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        """(status, body); a connection error raises (the caller decides whether to retry). A kept-alive
        connection the server closed meanwhile is replaced once, as HTTP clients do (nothing was read)."""
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items() if k.lower() != "content-length")
        message = f"{method} {path} HTTP/1.1\r\n{head}content-length: {len(body)}\r\n\r\n".encode() + body
        async with self._slots:
            while self._idle:
                connection = self._idle.pop()
                try:
                    return await self._exchange(*connection, message)
                except (asyncio.IncompleteReadError, ConnectionError):
                    continue  # closed by the server while idle: try the next one, then a new one
            return await self._exchange(*await asyncio.open_connection(self.host, self.port), message)

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, message: bytes
    ) -> tuple[int, bytes]:
        try:
            writer.write(message)
            status_line, *lines = (await reader.readuntil(b"\r\n\r\n"))[:-4].split(b"\r\n")
            answer_headers = _headers(lines)
            answer = await _read_body(reader, answer_headers)
        except BaseException:
            writer.close()
            raise
        if answer_headers.get("connection", "").lower() == "close":
            writer.close()
        else:
            self._idle.append((reader, writer))
        return int(status_line.split(b" ", 2)[1]), answer

    async def aclose(self) -> None:
        while self._idle:
            _, writer = self._idle.pop()
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
