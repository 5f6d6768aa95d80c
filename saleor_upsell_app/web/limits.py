"""Request body size caps, refused with 413 before more than the cap is read.

A declared ``Content-Length`` over the cap is refused without reading any of the body; a body sent
without one (chunked) is counted as it streams in and refused as soon as it passes the cap. Webhook
routes read their body through :func:`read_capped` after the installation lookup (an unknown store's
body is never read); other routes (GraphQL) are wrapped by :class:`BodySizeLimit`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..saleor.errors import ProtocolError


class BodyTooLarge(ProtocolError):
    def __init__(self, limit: int) -> None:
        super().__init__("PAYLOAD_TOO_LARGE", f"Request body is larger than {limit} bytes.", 413)


def declared_length(headers: Mapping[str, str]) -> int | None:
    """The body's declared size; a 400 ProtocolError when the header is not a number."""
    value = headers.get("content-length")
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):  # isdigit alone takes '³', which int() refuses
        raise ProtocolError("INVALID_CONTENT_LENGTH", "Content-Length is not a number.", 400)
    return int(value)


async def read_capped(request: Request, limit: int) -> bytes:
    """The request body, or BodyTooLarge as soon as it is known to be over ``limit`` bytes."""
    declared = declared_length(request.headers)
    if declared is not None and declared > limit:
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


class BodySizeLimit:
    """ASGI middleware: requests to a path starting with one of ``limits``' prefixes get that cap."""

    def __init__(self, app: ASGIApp, limits: Mapping[str, int]) -> None:
        self.app = app
        self.limits = dict(limits)

    def _limit(self, path: str) -> int | None:
        return next((limit for prefix, limit in self.limits.items() if path.startswith(prefix)), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self._limit(scope["path"]) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            declared = declared_length(headers)
        except ProtocolError as exc:
            await _refuse(send, exc)
            return
        if declared is not None and declared > limit:
            await _refuse(send, BodyTooLarge(limit))
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as exc:
            if started:
                raise
            await _refuse(send, exc)


async def _refuse(send: Send, error: ProtocolError) -> None:
    body: dict[str, Any] = error.as_body()
    encoded = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(encoded)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": encoded})
