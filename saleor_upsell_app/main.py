"""The composition root: every long-lived part is built here once (engine, sessions, clients, caches,
repositories, feature use cases) and handed, one by one, to the routes, the GraphQL context, the inbox
workers and the scheduled tasks that use it. Nothing else builds or looks up parts."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi import FastAPI

from .api.context import ApiParts
from .api.router import build_graphql_router
from .bumps.evaluation import Evaluator
from .bumps.storefront import Storefront
from .bumps.webhook import CheckoutStep
from .inbox.service import Inbox
from .inbox.worker import InboxWorker, WorkerConfig
from .inbox.writer import InboxWriter
from .insights.order_created import RecordOrder
from .installations.apl import InstallationStore
from .installations.app_deleted import handle_app_deleted
from .kit.clock import Clock, utc_now
from .kit.crypto import TokenCipher
from .kit.db import Database
from .kit.db.migrate import upgrade_to_head_async
from .kit.logging import configure_logging
from .postpurchase.make import MakeOffer
from .postpurchase.shopper_actions import ShopperActions
from .postpurchase.tasks import Sweeper
from .postpurchase.tokens import OfferLinks
from .rules.cache import RuleIndexCache
from .rules.gateway import VariantPricingCache
from .saleor.client import SaleorClientFactory
from .saleor.jwks import JwksRefetchLimiter, KeySets
from .settings import Settings
from .web import health, static
from .web.limits import BodySizeLimit
from .web.metrics import build_metrics_router
from .web.offer_pages import build_offer_router
from .web.protocol import ProtocolParts, build_protocol_router
from .webhooks import SUPERSEDABLE_EVENTS, WEBHOOKS, Handler, OrderCreated, handlers

log = logging.getLogger("saleor_upsell.main")
STATIC_DIR = Path(__file__).resolve().parent / "static"


@dataclass
class Parts:
    """The process's long-lived parts. Only this module (and tests setting up data) reads it whole."""

    settings: Settings
    clock: Clock
    db: Database
    http: httpx.AsyncClient
    saleor: SaleorClientFactory
    installations: InstallationStore
    keys: KeySets
    inbox: Inbox
    inbox_writer: InboxWriter
    rules_cache: RuleIndexCache
    catalogue: VariantPricingCache
    evaluator: Evaluator
    storefront: Storefront
    shopper_actions: ShopperActions
    offer_links: OfferLinks
    sweeper: Sweeper
    handlers: dict[str, Handler]
    workers: list[InboxWorker] = field(default_factory=list)

    def wake_workers(self) -> None:
        for worker in self.workers:
            worker.wake()

    async def aclose(self) -> None:
        await self.saleor.aclose()
        await self.http.aclose()
        await self.db.dispose()


def compose(settings: Settings, clock: Clock = utc_now) -> Parts:
    db = Database(settings.database_url)
    http = httpx.AsyncClient(timeout=httpx.Timeout(settings.saleor_timeout_seconds), follow_redirects=False)
    saleor = SaleorClientFactory(settings.saleor_timeout_seconds)
    installations = InstallationStore(db, TokenCipher(settings.secret_key))
    keys = KeySets(http, installations, JwksRefetchLimiter(settings.jwks_refetch_min_interval_seconds), clock)
    inbox = Inbox(db)
    rules_cache = RuleIndexCache(settings.rule_cache_seconds)
    catalogue = VariantPricingCache()
    evaluator = Evaluator(db, rules_cache, catalogue)
    links = OfferLinks(settings.secret_key, settings.app_url)
    use_cases = handlers(
        checkout=CheckoutStep(db, installations, saleor, evaluator, clock),
        order_created=OrderCreated(
            installations, [RecordOrder(db, clock), MakeOffer(db, saleor, catalogue, links, clock)]
        ),
        app_deleted=lambda event: handle_app_deleted(installations, event),
    )
    return Parts(
        settings=settings,
        clock=clock,
        db=db,
        http=http,
        saleor=saleor,
        installations=installations,
        keys=keys,
        inbox=inbox,
        inbox_writer=InboxWriter(inbox, settings.inbox_writers),
        rules_cache=rules_cache,
        catalogue=catalogue,
        evaluator=evaluator,
        storefront=Storefront(db, installations, saleor, evaluator, clock),
        shopper_actions=ShopperActions(db, installations, saleor, catalogue, settings.secret_key, clock),
        offer_links=links,
        sweeper=Sweeper(db, installations, saleor, clock),
        handlers=use_cases,
    )


def _start_workers(parts: Parts) -> list[asyncio.Task[None]]:
    settings = parts.settings
    config = WorkerConfig(
        poll_interval=settings.inbox_poll_interval_seconds,
        max_attempts=settings.inbox_max_attempts,
        backoff_base=settings.inbox_backoff_base_seconds,
        backoff_max=settings.inbox_backoff_max_seconds,
        lease_seconds=settings.inbox_lease_seconds,
    )
    parts.workers = [
        InboxWorker(parts.inbox, parts.handlers, SUPERSEDABLE_EVENTS, config, parts.clock)
        for _ in range(settings.inbox_workers)
    ]
    return [asyncio.create_task(worker.run(), name=worker.worker_id) for worker in parts.workers]


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
    parts = compose(settings, clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            await upgrade_to_head_async(settings.database_url)
        parts.inbox_writer.start()
        tasks = _start_workers(parts) if settings.run_workers else []
        # The post-purchase sweep runs next to the inbox workers (only where workers run).
        sweeper = asyncio.create_task(parts.sweeper.run()) if settings.run_workers else None
        if settings.tune_gc:
            _tune_gc()
        log.info("app started", extra={"app_url": settings.app_url, "workers": len(tasks)})
        try:
            yield
        finally:
            if sweeper is not None:
                sweeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeper
            for worker in parts.workers:
                worker.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            await parts.inbox_writer.stop()
            await parts.aclose()

    # redirect_slashes=False: Saleor never follows redirects and never retries a 3xx.
    app = FastAPI(title="saleor-upsell", lifespan=lifespan, redirect_slashes=False)
    app.state.parts = parts  # for tests that set up data; routes get their parts explicitly below
    # Webhook routes cap their own body (after the installation lookup); these are capped here.
    app.add_middleware(
        BodySizeLimit,
        limits={
            "/graphql": settings.graphql_max_body_bytes,
            "/api/register": settings.webhook_max_body_bytes,
        },
    )
    app.include_router(
        build_protocol_router(
            ProtocolParts(
                settings=settings,
                webhooks=WEBHOOKS,
                installations=parts.installations,
                keys=parts.keys,
                http=parts.http,
                inbox=parts.inbox_writer,
                wake_workers=parts.wake_workers,
                clock=clock,
            )
        )
    )
    app.include_router(health.build_health_router(parts.db, parts.inbox))
    app.include_router(build_metrics_router(parts.inbox, clock, settings.metrics_token))
    app.include_router(
        build_graphql_router(
            ApiParts(
                db=parts.db,
                installations=parts.installations,
                keys=parts.keys,
                saleor=parts.saleor,
                catalogue=parts.catalogue,
                rules_cache=parts.rules_cache,
                storefront=parts.storefront,
                clock=clock,
            )
        )
    )
    app.include_router(build_offer_router(parts.shopper_actions, parts.offer_links, clock))
    static.mount(app, STATIC_DIR)
    return app
