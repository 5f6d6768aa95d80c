"""The only way the app talks to Saleor's GraphQL API: one client per installation, over saleor/http.py.

A request is the operation's precomputed text (saleor/operations.py, the exact document the schema test
validates) and its variables, serialised with orjson; the answer is read with orjson. gql is no longer
the transport (its httpx path cost ~0.5 ms of CPU per request, bench/transport_bench.py): it stays the
dependency that loads our .graphql operations (operations.py), which tests/saleor validate against
Saleor's schema.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any, TypeVar

import orjson
from pydantic import ValidationError

from ..kit.metrics import SALEOR_ERRORS, SALEOR_REQUEST_SECONDS
from .apl import AuthData
from .errors import SaleorApiError, SaleorGraphQLError, SaleorMutationError, SaleorUnavailable
from .http import HttpFailure, HttpPool
from .operations import mutation_field, operation_json
from .results import Result

R = TypeVar("R", bound=Result)

log = logging.getLogger("saleor_upsell.saleor_client")

# Answers that say "try again later" whatever their body holds (a 503 may carry GraphQL `errors`).
TRANSIENT_STATUSES = frozenset({429}) | frozenset(range(500, 600))

# Requests in flight (and connections) per client; more wait for a free connection.
MAX_CONCURRENT_REQUESTS = 16


class SaleorClient:
    def __init__(
        self, api_url: str, token: str | None, timeout_seconds: float, *, guarded: bool = False
    ) -> None:
        """``guarded``: connect only to public addresses (saleor/url_safety.py: the address guard)."""
        self.api_url = api_url
        self._http = HttpPool(
            api_url,
            {"Authorization": f"Bearer {token}"} if token else {},
            timeout=timeout_seconds,
            connect_timeout=min(timeout_seconds, 5.0),
            max_connections=MAX_CONCURRENT_REQUESTS,
            guarded=guarded,
        )

    async def execute(self, operation: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run an operation from graphql/saleor/ and return `data`; raise a typed error otherwise."""
        started = time.perf_counter()
        try:
            return await self._execute(operation, variables)
        except SaleorApiError as exc:
            SALEOR_ERRORS.labels(operation, exc.code).inc()
            raise
        finally:
            SALEOR_REQUEST_SECONDS.labels(operation).observe(time.perf_counter() - started)

    async def _execute(self, operation: str, variables: dict[str, Any] | None) -> dict[str, Any]:
        body = operation_json(operation)
        if variables:
            body += b',"variables":' + orjson.dumps(variables)
        try:
            status, answer = await self._http.post(body + b"}")
        except HttpFailure as exc:
            raise SaleorUnavailable(
                f"{operation}: Saleor unreachable: {exc}", may_have_applied=exc.sent
            ) from exc
        if status in TRANSIENT_STATUSES:
            # 5xx: the mutation may have landed before the failure; 429: Saleor did not take it.
            raise SaleorUnavailable(
                f"{operation}: Saleor answered HTTP {status}", may_have_applied=status != 429
            )
        try:
            result = orjson.loads(answer)
        except orjson.JSONDecodeError:
            result = None
        if not isinstance(result, dict) or ("data" not in result and "errors" not in result):
            if status >= 400:  # e.g. a 400 or 413 from a proxy in front of Saleor
                raise SaleorGraphQLError(operation, [{"message": f"Saleor answered HTTP {status}"}])
            raise SaleorUnavailable(
                f"{operation}: unexpected answer from Saleor: HTTP {status}, {answer[:200]!r}"
            )
        if errors := result.get("errors"):
            listed = errors if isinstance(errors, list) else [errors]
            raise SaleorGraphQLError(
                operation, [e if isinstance(e, dict) else {"message": str(e)} for e in listed]
            )
        data = result.get("data")
        return data if isinstance(data, dict) else {}

    async def mutate(self, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
        """Run a mutation and fail on its payload `errors` list (Saleor answers those with HTTP 200);
        returns the payload (the mutation's one top-level field, e.g. ``checkoutLinesAdd``)."""
        payload_field = mutation_field(operation)
        data = await self.execute(operation, variables)
        payload = data.get(payload_field)
        if payload is None:
            raise SaleorGraphQLError(operation, [{"message": f"{payload_field} returned null"}])
        errors = payload.get("errors") or []
        if errors:
            raise SaleorMutationError(operation, errors)
        return dict(payload)

    async def query(self, operation: str, variables: dict[str, Any], result: type[R]) -> R:
        """Run a query and read its `data` into ``result`` (a model of saleor.results)."""
        return _parse(operation, result, await self.execute(operation, variables))

    async def mutation(self, operation: str, variables: dict[str, Any], result: type[R]) -> R:
        """Run a mutation (failing on its payload `errors`) and read its payload into ``result``."""
        return _parse(operation, result, await self.mutate(operation, variables))

    async def aclose(self) -> None:
        await self._http.aclose()


def _parse(operation: str, result: type[R], data: dict[str, Any]) -> R:
    try:
        return result.model_validate(data)
    except ValidationError as exc:  # Saleor answered something the operation does not promise
        raise SaleorGraphQLError(operation, [{"message": f"unexpected answer: {exc}"}]) from exc


class SaleorClientFactory:
    """Keeps one connected client per (API URL, token), so connections are reused across events."""

    def __init__(self, timeout_seconds: float, *, guarded: bool) -> None:
        """``guarded``: every client connects only to public addresses (saleor/url_safety.py). No default:
        each caller says, from ALLOW_PRIVATE_SALEOR_URLS (Settings.private_saleor_urls_allowed)."""
        self._timeout = timeout_seconds
        self._guarded = guarded
        self._clients: dict[tuple[str, str], SaleorClient] = {}

    def for_auth(self, auth: AuthData) -> SaleorClient:
        return self.for_installation(auth.saleor_api_url, auth.token)

    def for_installation(self, api_url: str, token: str) -> SaleorClient:
        key = (api_url, hashlib.sha256(token.encode()).hexdigest())
        client = self._clients.get(key)
        if client is None:
            client = self.single_use(api_url, token)
            self._clients[key] = client
        return client

    def single_use(self, api_url: str, token: str) -> SaleorClient:
        """A client not kept by the factory (a token not verified yet); the caller closes it."""
        return SaleorClient(api_url, token, self._timeout, guarded=self._guarded)

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
