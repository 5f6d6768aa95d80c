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
    """Answer `status` (after `delay` seconds); status None means: only delay, then answer normally."""

    status: int | None = 503
    delay: float = 0.0
    remaining: int | None = 1  # None: until cleared


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

    async def graphql(request: Request) -> Response:
        failure = emu.failure
        if failure is not None:
            if failure.remaining is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    emu.failure = None
            if failure.delay:
                await asyncio.sleep(failure.delay)
            if failure.status is not None:
                emu.graphql_calls.append(
                    GraphQLCall(None, request.headers.get("authorization"), failure.status, None)
                )
                return Response("Service Unavailable", status_code=failure.status, media_type="text/plain")
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
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
