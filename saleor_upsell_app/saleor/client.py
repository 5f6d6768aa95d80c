"""The only way the app talks to Saleor's GraphQL API: gql over httpx, one client per installation."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from typing import Any, TypeVar

import httpx
from gql import GraphQLRequest
from gql.transport.exceptions import TransportConnectionFailed, TransportError, TransportServerError
from gql.transport.httpx import HTTPXAsyncTransport
from pydantic import ValidationError

from ..kit.metrics import SALEOR_ERRORS, SALEOR_REQUEST_SECONDS
from .apl import AuthData
from .errors import SaleorApiError, SaleorGraphQLError, SaleorMutationError, SaleorUnavailable
from .operations import mutation_field, operation_document, operation_text
from .results import Result
from .url_safety import TransportFactory

R = TypeVar("R", bound=Result)

log = logging.getLogger("saleor_upsell.saleor_client")

# Answers that say "try again later" whatever their body holds (a 503 may carry GraphQL `errors`).
TRANSIENT_STATUSES = frozenset({429}) | frozenset(range(500, 600))
# Failures before the request left: nothing can have landed in Saleor.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class _TransientStatus(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"Saleor answered HTTP {status}")
        self.status = status


async def _refuse_transient_status(response: httpx.Response) -> None:
    # httpx response hook: runs on the headers, before gql reads a body it would take for a result.
    if response.status_code in TRANSIENT_STATUSES:
        raise _TransientStatus(response.status_code)


def _unavailable(operation: str, exc: BaseException) -> SaleorUnavailable:
    cause = exc.__cause__ if isinstance(exc, TransportConnectionFailed) and exc.__cause__ else exc
    if isinstance(cause, _TransientStatus):
        return SaleorUnavailable(f"{operation}: {cause}", may_have_applied=cause.status != 429)
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return SaleorUnavailable(
        f"{operation}: Saleor unreachable: {detail}", may_have_applied=not isinstance(cause, _NOT_SENT)
    )


# Requests in flight per client. More wait here, not in httpcore's pool: its scan of waiting requests
# against open connections costs O(requests x connections) CPU on every request start and finish.
MAX_CONCURRENT_REQUESTS = 16


class _OperationRequest(GraphQLRequest):
    """Sends the operation's file text, the exact document the schema test validates, instead of
    gql's default of printing the parsed document again on every request."""

    def __init__(self, operation: str, variables: dict[str, Any]) -> None:
        super().__init__(operation_document(operation), variable_values=variables)
        self._text = operation_text(operation)

    @property
    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"query": self._text}
        if self.variable_values:
            payload["variables"] = self.variable_values
        return payload


class SaleorClient:
    def __init__(
        self,
        api_url: str,
        token: str | None,
        timeout_seconds: float,
        transports: TransportFactory | None = None,
    ) -> None:
        """``transports`` builds the HTTP transport (saleor/url_safety.py: the address guard)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.api_url = api_url
        limits = httpx.Limits(
            max_connections=MAX_CONCURRENT_REQUESTS, max_keepalive_connections=MAX_CONCURRENT_REQUESTS
        )
        extra: dict[str, Any] = {"transport": transports(limits)} if transports is not None else {}
        self._transport = HTTPXAsyncTransport(
            url=api_url,
            headers=headers,
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 5.0)),
            follow_redirects=False,
            limits=limits,
            event_hooks={"response": [_refuse_transient_status]},
            **extra,
        )
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_REQUESTS)
        self._connected = False

    async def _ensure_connected(self) -> None:
        if not self._connected:
            await self._transport.connect()  # type: ignore[no-untyped-call]
            self._connected = True

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
        await self._ensure_connected()
        request = _OperationRequest(operation, variables or {})
        try:
            async with self._slots:
                result = await self._transport.execute(request)
        except (httpx.TimeoutException, httpx.TransportError, TransportConnectionFailed) as exc:
            raise _unavailable(operation, exc) from exc
        except TransportServerError as exc:
            if exc.code is None or exc.code in TRANSIENT_STATUSES:
                raise SaleorUnavailable(f"{operation}: Saleor answered HTTP {exc.code}") from exc
            raise SaleorGraphQLError(operation, [{"message": str(exc)}]) from exc
        except TransportError as exc:
            raise SaleorUnavailable(f"{operation}: unexpected answer from Saleor: {exc}") from exc
        if result.errors:
            # gql hands back the raw JSON error objects despite its GraphQLError annotation.
            errors: list[dict[str, Any]] = [
                e if isinstance(e, dict) else dict(e.formatted) for e in result.errors
            ]
            raise SaleorGraphQLError(operation, errors)
        return dict(result.data or {})

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
        if self._connected:
            await self._transport.close()  # type: ignore[no-untyped-call]
            self._connected = False


def _parse(operation: str, result: type[R], data: dict[str, Any]) -> R:
    try:
        return result.model_validate(data)
    except ValidationError as exc:  # Saleor answered something the operation does not promise
        raise SaleorGraphQLError(operation, [{"message": f"unexpected answer: {exc}"}]) from exc


class SaleorClientFactory:
    """Keeps one connected client per (API URL, token), so connections are reused across events."""

    def __init__(self, timeout_seconds: float, transports: TransportFactory | None = None) -> None:
        self._timeout = timeout_seconds
        self._transports = transports
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
        return SaleorClient(api_url, token, self._timeout, self._transports)

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
