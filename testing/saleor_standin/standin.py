"""The stand-in's behaviour: answer the app's GraphQL operations from the captured world, send the signed
CHECKOUT_UPDATED echo of each mutation, and (driven by the bench over /bench/*) install the app and
deliver one shopper CHECKOUT_UPDATED per checkout.

Signing and headers are the emulator's own (`SigningKey`, `webhook_headers`), so a signature the app
accepts from the emulator it accepts from here, for the same reasons.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import orjson

from testing.saleor_emulator.delivery import webhook_headers
from testing.saleor_emulator.keys import SigningKey

from .http import Pool, Request, Response
from .selection import Field, operation, project
from .world import SALEOR_VERSION, World, app_lines

EXTENSIONS = {"cost": {"requestedQueryCost": 3, "maximumAvailable": 50000}}  # as in the captures
RETRY_DELAYS = (0.2, 0.4, 0.8, 1.6, 3.2)  # Saleor retries 5 times (faster here: a bench, not 5 minutes)


def _json(status: int, value: Any) -> Response:
    return Response(status, orjson.dumps(value))


def _graphql_error(message: str) -> Response:
    return _json(
        400, {"errors": [{"message": message, "extensions": {"exception": {"code": "GraphQLError"}}}]}
    )


class Hook:
    def __init__(self, url: str, query: str) -> None:
        self.url = url
        self.path = urlsplit(url).path
        # The body is the `event` field's value (PROTOCOL: a subscription on `event`).
        self.event: Field = operation(query).plan[0]


class StandIn:
    def __init__(self, api_url: str, deliveries: int = 64, key: SigningKey | None = None) -> None:
        self.api_url = api_url
        self.key = key or SigningKey()
        self.world = World()
        self.token = secrets.token_urlsafe(22)[:30]
        self.identifier = ""
        self.hook: Hook | None = None
        self._app_pool: Pool | None = None
        self._deliveries = asyncio.Semaphore(deliveries)
        self._prepared: list[tuple[bytes, str]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.stats = {
            "delivered": 0,
            "mutations": 0,
            "echoes": 0,
            "failed_attempts": 0,
            "lost": 0,
            "unanswered": 0,
        }
        self._resolvers: dict[str, Callable[[dict[str, Any], Field], Any]] = {
            "app": lambda variables, field: self.world.app,
            "channel": lambda variables, field: self.world.channel,
            "productVariants": self._product_variants,
            "checkout": lambda variables, field: self.world.checkouts.get(variables.get("id", "")),
            "checkoutLinesAdd": self._checkout_lines_add,
        }

    # HTTP surface ---------------------------------------------------------------------------------
    def handle(self, request: Request) -> Response | Awaitable[Response]:
        """GraphQL answers at once (no task per request); the bench's control requests may wait."""
        if request.path == "/graphql/" and request.method == "POST":
            return self.graphql(request)
        if request.path == "/.well-known/jwks.json":
            return _json(200, {"keys": [self.key.jwk()]})
        if request.path.startswith("/bench/"):
            return self.control(request)
        return Response(404, b"not found", "text/plain")

    def graphql(self, request: Request) -> Response:
        body = orjson.loads(request.body)
        query, variables = body.get("query", ""), body.get("variables") or {}
        authorization = request.headers.get("authorization", "")
        if authorization != f"Bearer {self.token}":
            return _graphql_error("stand-in: only the installed app's token is answered")
        plan = operation(query).plan
        data = {}
        for field in plan:
            resolver = self._resolvers.get(field.name)
            if resolver is None:
                self.stats["unanswered"] += 1
                return _graphql_error(f"stand-in does not answer {field.name}")
            try:
                data[field.key] = project(resolver(variables, field), field.plan)
            except KeyError as exc:  # a field the captures don't give: visible in the bench's check
                self.stats["unanswered"] += 1
                return _graphql_error(f"stand-in has no value for {exc} in {field.name}")
        return _json(200, {"data": data, "extensions": EXTENSIONS})

    def _product_variants(self, variables: dict[str, Any], field: Field) -> dict[str, Any]:
        ids = variables.get(dict(field.arguments).get("ids", "ids")) or list(self.world.variants)
        return {"edges": [{"node": self.world.variant_node(i)} for i in ids if i in self.world.variants]}

    def _checkout_lines_add(self, variables: dict[str, Any], field: Field) -> dict[str, Any]:
        checkout = self.world.checkouts.get(variables["id"])
        if checkout is None:
            error = {"field": "id", "message": "Couldn't resolve to a node.", "code": "NOT_FOUND"}
            return {"checkout": None, "errors": [{**error, "variants": None, "lines": None}]}
        self.world.add_lines(checkout, variables["lines"], datetime.now(UTC))
        self.stats["mutations"] += 1
        self._spawn(self._echo(self._event(checkout, by_app=True)))  # the payload as of this change
        return {"checkout": checkout, "errors": []}

    # Webhooks -------------------------------------------------------------------------------------
    def _event(self, checkout: dict[str, Any], by_app: bool) -> bytes:
        assert self.hook is not None
        app = {"id": self.world.app["id"], "identifier": self.identifier}
        envelope = {
            "__typename": "CheckoutUpdated",
            "issuedAt": datetime.now(UTC).isoformat(),
            "version": SALEOR_VERSION,
            "issuingPrincipal": {"__typename": "App", **app} if by_app else None,
            "recipient": app,
            "checkout": checkout,
        }
        # Saleor serialises with json.dumps' defaults (captures README); the signature covers these bytes.
        return json.dumps(project(envelope, self.hook.event.plan)).encode()

    def _signed(self, body: bytes) -> tuple[bytes, str]:
        return body, self.key.sign_detached(body)

    async def _echo(self, body: bytes) -> None:
        if await self._deliver(*self._signed(body)):
            self.stats["echoes"] += 1

    async def _deliver(self, body: bytes, signature: str) -> bool:
        """POST with Saleor's retries (connection errors and non-2xx); False when all attempts failed."""
        assert self.hook is not None and self._app_pool is not None
        headers = webhook_headers("CHECKOUT_UPDATED", self.hook.url, self.api_url, signature)
        for delay in (*RETRY_DELAYS, None):
            try:
                status, _ = await self._app_pool.request("POST", self.hook.path, headers, body)
                if 200 <= status < 300:
                    return True
            except (OSError, asyncio.IncompleteReadError):
                pass
            self.stats["failed_attempts"] += 1
            if delay is None:
                break
            await asyncio.sleep(delay)
        self.stats["lost"] += 1
        return False

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # Bench control --------------------------------------------------------------------------------
    async def control(self, request: Request) -> Response:
        args = orjson.loads(request.body) if request.body else {}
        if request.path == "/bench/install":
            return _json(200, await self.install(args["manifest_url"]))
        if request.path == "/bench/checkouts":
            return _json(200, self.prepare(int(args["count"])))
        if request.path == "/bench/deliver":
            self._spawn(self._deliver_prepared())
            return _json(202, {"delivering": len(self._prepared)})
        if request.path == "/bench/stats":
            return _json(
                200, {**self.stats, "cpu_seconds": time.process_time(), "in_flight": len(self._tasks)}
            )
        if request.path == "/bench/check":
            counts = [app_lines(c) for c in self.world.checkouts.values()]
            return _json(
                200,
                {
                    "checkouts": len(counts),
                    "exactly_one": sum(1 for n in counts if n == 1),
                    "none": sum(1 for n in counts if n == 0),
                    "more": sum(1 for n in counts if n > 1),
                },
            )
        return Response(404, b"no such control", "text/plain")

    async def install(self, manifest_url: str) -> dict[str, Any]:
        """The install handshake as Saleor does it: GET the manifest, POST the token to the app."""
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(manifest_url))
        self._app_pool = Pool(origin, 128)
        base = {"User-Agent": "Saleor/3.23", "Accept": "*/*", "Host": urlsplit(manifest_url).hostname or ""}
        status, raw = await self._app_pool.request("GET", urlsplit(manifest_url).path, base)
        manifest = orjson.loads(raw)
        self.identifier = manifest["id"]
        hook = next(h for h in manifest["webhooks"] if "CHECKOUT_UPDATED" in (h.get("asyncEvents") or []))
        self.hook = Hook(urljoin(manifest_url, hook["targetUrl"]), hook["query"])
        domain = urlsplit(self.api_url).netloc
        register = {
            **base,
            "Content-Type": "application/json",
            "Saleor-Domain": domain,
            "Saleor-Api-Url": self.api_url,
            "Saleor-Schema-Version": "3.23",
        }
        token_path = urlsplit(urljoin(manifest_url, manifest["tokenTargetUrl"])).path
        body = json.dumps({"auth_token": self.token}).encode()
        status, raw = await self._app_pool.request("POST", token_path, register, body)
        if not 200 <= status < 300:
            raise RuntimeError(f"register answered {status}: {raw[:300]!r}")
        return {"app_id": self.world.app["id"], "identifier": self.identifier, "token": self.token}

    def prepare(self, count: int) -> dict[str, Any]:
        """`count` checkouts, each with its shopper CHECKOUT_UPDATED built and signed (before the clock)."""
        self._prepared = [
            self._signed(self._event(self.world.new_checkout(), by_app=False)) for _ in range(count)
        ]
        return {"prepared": count, "checkouts": len(self.world.checkouts)}

    async def _deliver_prepared(self) -> None:
        async def one(body: bytes, signature: str) -> None:
            async with self._deliveries:
                if await self._deliver(body, signature):
                    self.stats["delivered"] += 1

        prepared, self._prepared = self._prepared, []
        await asyncio.gather(*(one(body, signature) for body, signature in prepared))
