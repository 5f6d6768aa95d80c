"""Async webhook delivery over real HTTP with Saleor's policy (PROTOCOL §3.1, §3.3; captures README
surprises 2, 3): retry only on connection errors, timeouts and 5xx, never on 3xx/4xx, at most 5
retries with backoff, never follow redirects, every attempt recorded."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

SALEOR_BACKOFF = (10.0, 20.0, 40.0, 80.0, 160.0)  # countdown 10 * 2**retry, max_retries=5
SALEOR_TIMEOUT = httpx.Timeout(18.0, connect=2.0)
# Saleor sends webhooks from a bounded pool of celery workers; more requests than that wait their turn
# here rather than in httpx's pool, whose queue scan grows with the square of the waiting requests.
DELIVERY_CONCURRENCY = 32


@dataclass
class WebhookRequest:
    """What Saleor would POST; tests may alter any part before sending it."""

    event_type: str
    url: str
    headers: dict[str, str]
    body: bytes
    app_id: str | None = None

    def json(self) -> object:
        return json.loads(self.body)


@dataclass
class Delivery:
    event_type: str
    target_url: str
    attempt: int
    status: int | None
    error: str | None
    body: bytes
    headers: dict[str, str]
    app_id: str | None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def webhook_headers(
    event_type: str, url: str, api_url: str, signature: str | None, custom: dict[str, str] | None = None
) -> dict[str, str]:
    """Header names and order as in captures/webhook-*.json (no Saleor-Schema-Version)."""
    domain = urlsplit(api_url).netloc
    event = event_type.lower()
    headers = {
        "User-Agent": "Saleor/3.23",
        "Accept-Encoding": "gzip, deflate",
        "Accept": "*/*",
        "Connection": "keep-alive",
        "Content-Type": "application/json",
        "X-Saleor-Event": event,
        "X-Saleor-Domain": domain,
    }
    if signature is not None:
        headers["X-Saleor-Signature"] = signature
    headers["Saleor-Event"] = event
    headers["Saleor-Domain"] = domain
    if signature is not None:
        headers["Saleor-Signature"] = signature
    headers["Saleor-Api-Url"] = api_url
    headers["traceparent"] = f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"
    headers.update(custom or {})
    # Saleor's HTTP client sends Host without the port (surprise 3).
    headers["Host"] = urlsplit(url).hostname or ""
    return headers


class Deliverer:
    def __init__(
        self, retry_delays: Sequence[float] = SALEOR_BACKOFF, timeout: httpx.Timeout = SALEOR_TIMEOUT
    ) -> None:
        self.retry_delays = tuple(retry_delays)
        self.timeout = timeout
        self.deliveries: list[Delivery] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(DELIVERY_CONCURRENCY)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                follow_redirects=False,
                timeout=self.timeout,
                limits=httpx.Limits(max_connections=DELIVERY_CONCURRENCY),
            )
        return self._client

    async def send_once(self, request: WebhookRequest, attempt: int = 1) -> Delivery:
        status: int | None = None
        error: str | None = None
        try:
            async with self._slots:
                response = await self._http().post(request.url, content=request.body, headers=request.headers)
            status = response.status_code
        except httpx.TimeoutException as exc:
            error = f"timeout: {exc!r}"
        except httpx.TransportError as exc:
            error = f"connection error: {exc!r}"
        record = Delivery(
            request.event_type,
            request.url,
            attempt,
            status,
            error,
            request.body,
            dict(request.headers),
            request.app_id,
        )
        self.deliveries.append(record)
        return record

    async def _with_retries(self, make_request: Callable[[], WebhookRequest]) -> None:
        for attempt in range(1, len(self.retry_delays) + 2):
            record = await self.send_once(make_request(), attempt)
            retryable = record.status is None or record.status >= 500
            if record.ok or not retryable or attempt > len(self.retry_delays):
                return
            await asyncio.sleep(self.retry_delays[attempt - 1])

    async def send_with_retries(self, request: WebhookRequest) -> None:
        """Deliver a prepared request with Saleor's retry policy, and wait until it is done."""
        await self._with_retries(lambda: request)

    def schedule(self, make_request: Callable[[], WebhookRequest]) -> None:
        """`make_request` is called per attempt, so each retry is signed again (with the current key)."""
        task = asyncio.get_running_loop().create_task(self._with_retries(make_request))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
