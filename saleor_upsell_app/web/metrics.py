"""GET /metrics: Prometheus text exposition of the process's counters (kit/metrics.py) and, read from
the database at each scrape, the inbox's depth, the age of its oldest waiting event and its parked
count, so a stuck or parking inbox shows without reading logs.

With METRICS_TOKEN set the endpoint wants ``Authorization: Bearer <token>`` (401 otherwise); without
it, it is open (keep it off the public internet at the proxy).
"""

from __future__ import annotations

import hmac
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Gauge, generate_latest

from ..inbox.service import Inbox
from ..kit.clock import Clock
from ..kit.db import DATABASE_ERRORS

log = logging.getLogger("saleor_upsell.metrics")


def _inbox_metrics(registry: CollectorRegistry) -> tuple[Gauge, Gauge, Gauge]:
    events = Gauge(
        "saleor_upsell_inbox_events",
        "Inbox events needing attention, by status (pending, processing, parked).",
        ["status"],
        registry=registry,
    )
    oldest = Gauge(
        "saleor_upsell_inbox_oldest_pending_age_seconds",
        "Age of the oldest event waiting or in progress (0 when none).",
        registry=registry,
    )
    up = Gauge("saleor_upsell_database_up", "1 when the database answered this scrape.", registry=registry)
    return events, oldest, up


def build_metrics_router(inbox: Inbox, clock: Clock, token: str | None) -> APIRouter:
    router = APIRouter()

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
        if token is not None:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return JSONResponse({"error": {"code": "UNAUTHORIZED"}}, status_code=401)
        registry = CollectorRegistry()
        events, oldest, up = _inbox_metrics(registry)
        try:
            depth = await inbox.depth()
        except DATABASE_ERRORS as exc:
            log.warning("metrics: database unavailable", extra={"error": repr(exc)})
            up.set(0)
        else:
            up.set(1)
            events.labels("pending").set(depth.pending)
            events.labels("processing").set(depth.processing)
            events.labels("parked").set(depth.parked)
            received = depth.oldest_pending_received_at
            oldest.set(max((clock() - received).total_seconds(), 0.0) if received else 0.0)
        body = generate_latest(REGISTRY) + generate_latest(registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router
