"""The emulator's HTTP surface: POST /graphql/ (Saleor's API URL, trailing slash) and
GET /.well-known/jwks.json, plus failure injection."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .auth import RequestContext, resolve_requestor
from .executor import run_graphql

if TYPE_CHECKING:
    from .emulator import SaleorEmulator


@dataclass
class Failure:
    """Answer `status` (after `delay` seconds); status None means: only delay, then answer normally.

    `body`: the failing answer's JSON (default: a plain-text "Service Unavailable"); `reset`: drop the
    connection instead of answering; `after`: execute the request first, then fail (the mutation has
    landed but its answer is lost); `only`: fail only requests whose query contains this text."""

    status: int | None = 503
    delay: float = 0.0
    remaining: int | None = 1  # None: until cleared
    body: Any = None
    reset: bool = False
    after: bool = False
    only: str | None = None


class _Reset(Response):
    """Starts an answer and drops the connection half-way (the client sees a reset/protocol error)."""

    def __init__(self) -> None:
        super().__init__(b"", status_code=200)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
        await send({"type": "http.response.body", "body": b'{"data": ', "more_body": True})
        raise ConnectionResetError("emulated connection reset")


@dataclass
class GraphQLCall:
    body: Any
    authorization: str | None
    status: int
    response: dict[str, Any] | None

    @property
    def query(self) -> str:
        return str(self.body.get("query", "")) if isinstance(self.body, dict) else ""


def _json(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status_code=status, media_type="application/json")


def build_app(emu: SaleorEmulator) -> Starlette:
    async def jwks(_: Request) -> Response:
        return _json(200, {"keys": [emu.key.jwk()]})

    def take_failure(query: str) -> Failure | None:
        failure = emu.failure
        if failure is None or (failure.only is not None and failure.only not in query):
            return None
        if failure.remaining is not None:
            failure.remaining -= 1
            if failure.remaining <= 0:
                emu.failure = None
        return failure

    async def fail(failure: Failure, request: Request) -> Response | None:
        if failure.delay:
            await asyncio.sleep(failure.delay)
        if failure.reset:
            return _Reset()
        if failure.status is None:
            return None
        emu.graphql_calls.append(
            GraphQLCall(None, request.headers.get("authorization"), failure.status, None)
        )
        if failure.body is not None:
            return _json(failure.status, failure.body)
        return Response("Service Unavailable", status_code=failure.status, media_type="text/plain")

    async def graphql(request: Request) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        query = str(body.get("query", "")) if isinstance(body, dict) else ""
        failure = take_failure(query)
        if failure is not None and not failure.after:
            failed = await fail(failure, request)
            if failed is not None:
                return failed
        authorization = request.headers.get("authorization") or request.headers.get("authorization-bearer")
        if authorization and " " not in authorization:
            authorization = f"Bearer {authorization}"
        requestor, expired = resolve_requestor(emu, authorization)
        ctx = RequestContext(emu=emu, requestor=requestor, token_expired=expired)
        status, payload = run_graphql(body, ctx)
        emu.graphql_calls.append(GraphQLCall(body, authorization, status, payload))
        for event in ctx.events:
            emu.send_event(
                event.event_type,
                event.subject,
                principal=event.principal,
                self_only=event.self_only,
                issued_at=event.issued_at,
            )
        if failure is not None and failure.after:
            failed = await fail(failure, request)
            if failed is not None:
                return failed
        return _json(status, payload)

    async def graphql_no_slash(_: Request) -> Response:
        # Django's APPEND_SLASH: the API lives at /graphql/ only.
        return RedirectResponse("/graphql/", status_code=301)

    return Starlette(
        routes=[
            Route("/.well-known/jwks.json", jwks, methods=["GET"]),
            Route("/graphql/", graphql, methods=["POST"]),
            Route("/graphql", graphql_no_slash, methods=["GET", "POST"]),
        ]
    )
