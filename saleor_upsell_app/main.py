"""create_app(settings): the FastAPI app — routes, lifespan (migrations, inbox workers), dashboard."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from .api.router import build_graphql_router
from .clock import Clock, utc_now
from .inbox.worker import InboxWorker, WorkerConfig
from .logging_setup import configure_logging
from .postpurchase import routes as offer_routes
from .services import Services
from .settings import Settings
from .store.migrate import upgrade_to_head_async
from .web import health, protocol, static
from .webhooks.definitions import SUPERSEDABLE_EVENTS
from .webhooks.handlers import build_handlers

log = logging.getLogger("saleor_upsell.main")
STATIC_DIR = Path(__file__).resolve().parent / "static"


def _start_workers(services: Services) -> list[asyncio.Task[None]]:
    settings = services.settings
    config = WorkerConfig(
        poll_interval=settings.inbox_poll_interval_seconds,
        max_attempts=settings.inbox_max_attempts,
        backoff_base=settings.inbox_backoff_base_seconds,
        backoff_max=settings.inbox_backoff_max_seconds,
        lease_seconds=settings.inbox_lease_seconds,
    )
    handlers = build_handlers(services)
    services.workers = [
        InboxWorker(services.inbox, handlers, SUPERSEDABLE_EVENTS, config, services.clock)
        for _ in range(settings.inbox_workers)
    ]
    return [asyncio.create_task(worker.run(), name=worker.worker_id) for worker in services.workers]


def _tune_gc() -> None:
    """Fewer, cheaper pauses of the cyclic garbage collector, which showed as latency tails under load.

    Everything built at start-up lives as long as the process, so it is frozen out of the collector's
    scans; larger thresholds make full collections rare (bench/RESULTS.md: webhook ingest p99 ~150 ms
    -> ~30 ms at 64 connections).
    """
    gc.freeze()
    gc.set_threshold(100_000, 20, 100)


def create_app(settings: Settings | None = None, *, clock: Clock = utc_now, migrate: bool = True) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            await upgrade_to_head_async(settings.database_url)
        services = Services.build(settings, clock)
        app.state.services = services
        services.inbox_writer.start()
        tasks = _start_workers(services) if settings.run_workers else []
        if settings.tune_gc:
            _tune_gc()
        log.info("app started", extra={"app_url": settings.app_url, "workers": len(tasks)})
        try:
            yield
        finally:
            for worker in services.workers:
                worker.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            await services.inbox_writer.stop()
            await services.aclose()

    # redirect_slashes=False: Saleor never follows redirects and never retries a 3xx.
    app = FastAPI(title="saleor-upsell", lifespan=lifespan, redirect_slashes=False)
    app.include_router(protocol.build_protocol_router())
    app.include_router(health.router)
    app.include_router(build_graphql_router())
    app.include_router(offer_routes.router)  # post-purchase offer pages + their sweep
    static.mount(app, STATIC_DIR)
    return app
