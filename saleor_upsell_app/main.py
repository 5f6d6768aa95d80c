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
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .api.context import ApiParts
from .api.limits import ApiLimits
from .api.router import build_graphql_router
from .bumps.evaluation import Evaluator
from .bumps.storefront import Storefront
from .bumps.webhook import CheckoutStep
from .inbox.notify import InboxSignal, asyncpg_dsn
from .inbox.service import Inbox
from .inbox.worker import InboxWorker, WorkerConfig, wake_idle
from .inbox.writer import InboxWriter
from .insights.jobs import InsightJobs, JobPeriods
from .insights.order_created import RecordOrder
from .insights.social_proof import MinedPairsCache
from .installations.apl import InstallationStore
from .installations.app_deleted import handle_app_deleted
from .kit.clock import Clock, utc_now
from .kit.crypto import TokenCipher
from .kit.db import Database
from .kit.db.migrate import upgrade_to_head_async
from .kit.logging import configure_logging
from .kit.rate_limit import TokenBuckets
from .kit.scheduler import Job, Scheduler, every
from .placements.service import Placements
from .postpurchase.accept import Acceptor
from .postpurchase.config import PostPurchaseConfig
from .postpurchase.conversion import RecordConversion
from .postpurchase.email import OfferMailer, Unsubscribes
from .postpurchase.make import MakeOffer
from .postpurchase.shopper_actions import ShopperActions
from .postpurchase.tasks import Sweeper
from .postpurchase.tokens import OfferLinks
from .rules.cache import RuleIndexCache
from .rules.gateway import VariantPricingCache
from .saleor.client import SaleorClientFactory
from .saleor.jwks import JwksRefetchLimiter, KeySets
from .saleor.url_safety import transport_factory
from .settings import Settings, load_settings
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
    placements: Placements
    shopper_actions: ShopperActions
    offer_links: OfferLinks
    unsubscribes: Unsubscribes
    sweeper: Sweeper
    handlers: dict[str, Handler]
    scheduler: Scheduler
    workers: list[InboxWorker] = field(default_factory=list)
    # PostgreSQL only: LISTEN/NOTIFY wake-ups between processes (inbox/notify.py).
    signal: InboxSignal | None = None

    def wake_workers(self) -> None:
        for worker in self.workers:
            worker.wake()

    def announce_enqueue(self) -> None:
        """After an enqueue: wake one of this process's idle workers now, or, with none idle, every
        other process's by NOTIFY (inbox/worker.py wake_idle)."""
        if not wake_idle(self.workers) and self.signal is not None:
            self.signal.notify()

    def idle_ceiling(self) -> float:
        """How long idle workers may go without polling: long while enqueues reach them as wake-ups
        (SQLite: one process's own; PostgreSQL: while the listener is up), else the short poll."""
        if self.signal is None or self.signal.listening:
            return self.settings.inbox_idle_poll_max_seconds
        return self.settings.inbox_poll_interval_seconds

    async def aclose(self) -> None:
        await self.saleor.aclose()
        await self.http.aclose()
        await self.db.dispose()


def compose(settings: Settings, clock: Clock = utc_now) -> Parts:
    db = Database(settings.database_url)
    # Every connection to a Saleor goes through the address guard (saleor/url_safety.py) unless allowed.
    transports = transport_factory(allow_private=settings.private_saleor_urls_allowed)
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.saleor_timeout_seconds),
        follow_redirects=False,
        transport=transports(httpx.Limits()),
    )
    saleor = SaleorClientFactory(
        settings.saleor_timeout_seconds, guarded=not settings.private_saleor_urls_allowed
    )
    installations = InstallationStore(db, TokenCipher(settings.secret_key))
    keys = KeySets(http, installations, JwksRefetchLimiter(settings.jwks_refetch_min_interval_seconds), clock)
    inbox = Inbox(db)
    rules_cache = RuleIndexCache(settings.rule_cache_seconds)
    catalogue = VariantPricingCache()
    evaluator = Evaluator(db, rules_cache, catalogue)
    links = OfferLinks(settings.secret_key, settings.app_url)
    # Mined pairs change only when mining runs: the storefront and the placements read them through one cache.
    pairs = MinedPairsCache(db)
    storefront = Storefront(
        db,
        installations,
        saleor,
        evaluator,
        clock,
        snapshot_fresh_for=timedelta(seconds=settings.storefront_snapshot_seconds),
        pairs=pairs,
    )
    dsn = asyncpg_dsn(settings.database_url)
    post_purchase = post_purchase_config(settings)
    mailer = offer_mailer(settings, db, links)
    acceptor = Acceptor(db, installations, saleor, catalogue, post_purchase, clock)
    shopper_actions = ShopperActions(db, installations, saleor, acceptor, links, clock)
    use_cases = handlers(
        checkout=CheckoutStep(db, installations, saleor, evaluator, clock),
        order_created=OrderCreated(
            installations,
            [
                RecordOrder(db, clock),
                RecordConversion(db, saleor, clock),
                MakeOffer(db, saleor, catalogue, links, post_purchase, mailer, clock),
            ],
        ),
        app_deleted=lambda event: handle_app_deleted(installations, event),
    )
    parts = Parts(
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
        storefront=storefront,
        placements=Placements(
            db,
            installations,
            saleor,
            evaluator,
            storefront,
            shopper_actions,
            links,
            pairs,
            clock,
        ),
        shopper_actions=shopper_actions,
        offer_links=links,
        unsubscribes=Unsubscribes(db, settings.secret_key),
        sweeper=Sweeper(db, installations, saleor, acceptor, post_purchase, mailer, clock),
        handlers=use_cases,
        scheduler=Scheduler(
            db, _jobs(settings, db, installations), clock, tick_seconds=settings.scheduler_tick_seconds
        ),
    )
    if dsn is not None:
        parts.signal = InboxSignal(dsn, parts.wake_workers)
    return parts


def post_purchase_config(settings: Settings) -> PostPurchaseConfig:
    return PostPurchaseConfig(
        checkout_urls=dict(settings.post_purchase_checkout_urls),
        same_order_channels=frozenset(settings.post_purchase_same_order_channels),
        checkout_hold=timedelta(minutes=settings.post_purchase_checkout_hold_minutes),
    )


def offer_mailer(settings: Settings, db: Database, links: OfferLinks) -> OfferMailer | None:
    """The offer e-mail sender, when SMTP is configured (SMTP_HOST and SMTP_FROM)."""
    smtp = settings.smtp
    return OfferMailer(db, smtp, links) if smtp is not None else None


def _jobs(settings: Settings, db: Database, installations: InstallationStore) -> list[Job]:
    insight_jobs = InsightJobs(db, installations, settings.smtp, tuple(settings.digest_recipient_list))
    slot = settings.scheduler_period_seconds
    periods = JobPeriods(every(slot), every(slot), every(slot)) if slot else JobPeriods()
    return insight_jobs.jobs(periods)


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
        InboxWorker(parts.inbox, parts.handlers, SUPERSEDABLE_EVENTS, config, parts.clock, parts.idle_ceiling)
        for _ in range(settings.inbox_workers)
    ]
    return [asyncio.create_task(worker.run(), name=worker.worker_id) for worker in parts.workers]


def _tune_gc() -> None:
    """Fewer, cheaper pauses of the cyclic garbage collector, which showed as latency tails under load.

    Everything built at start-up lives as long as the process, so it is frozen out of the collector's
    scans; larger thresholds make full collections rare (bench/RESULTS.md: webhook ingest p99 ~150 ms
    -> ~30 ms at 64 connections). The young generation stays at 10,000 objects: at 100,000 each of its
    collections took 20-220 ms (a storefront GraphQL request leaves ~130 objects in cycles), the
    placement's p99 at 100 req/s 93 ms against 10 ms (bench/RESULTS.md "Placements").
    """
    gc.freeze()
    gc.set_threshold(10_000, 20, 100)


def create_app(settings: Settings | None = None, *, clock: Clock = utc_now, migrate: bool = True) -> FastAPI:
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_json)
    parts = compose(settings, clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            await upgrade_to_head_async(settings.database_url)
        parts.inbox_writer.start()
        listener = asyncio.create_task(parts.signal.run()) if parts.signal is not None else None
        tasks = _start_workers(parts) if settings.run_workers else []
        # The post-purchase sweep runs next to the inbox workers (only where workers run).
        sweeper = asyncio.create_task(parts.sweeper.run()) if settings.run_workers else None
        # Guardrail, mining and the digest: each once per period across every process (kit/scheduler.py).
        scheduled = (
            asyncio.create_task(parts.scheduler.run(), name="scheduler")
            if settings.run_workers and settings.run_scheduler
            else None
        )
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
            if scheduled is not None:
                parts.scheduler.stop()
                scheduled.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await scheduled
            for worker in parts.workers:
                worker.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener
            if parts.signal is not None:
                await parts.signal.aclose()
            await parts.inbox_writer.stop()
            await parts.aclose()

    # redirect_slashes=False: Saleor never follows redirects and never retries a 3xx.
    app = FastAPI(title="saleor-upsell", lifespan=lifespan, redirect_slashes=False)
    app.state.parts = parts  # for tests that set up data; routes get their parts explicitly below
    # Storefront pages (the widget) call /graphql from their own origin; no cookies are ever involved.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.storefront_origin_list,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
        max_age=600,
    )
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
                saleor=parts.saleor,
                inbox=parts.inbox_writer,
                wake_workers=parts.announce_enqueue,
                clock=clock,
            )
        )
    )
    app.include_router(health.build_health_router(parts.db, parts.inbox, settings.health_token))
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
                shopper_actions=parts.shopper_actions,
                placements=parts.placements,
                clock=clock,
                limits=ApiLimits(
                    introspection=settings.introspection_enabled,
                    max_depth=settings.graphql_max_depth,
                    max_aliases=settings.graphql_max_aliases,
                    max_tokens=settings.graphql_max_tokens,
                    max_storefront_fields=settings.graphql_max_storefront_fields,
                ),
                storefront_rate=TokenBuckets(
                    settings.storefront_rate_per_second, settings.storefront_rate_burst
                ),
            ),
            graphiql=settings.environment == "development",
        )
    )
    app.include_router(
        build_offer_router(parts.shopper_actions, parts.offer_links, parts.unsubscribes, clock)
    )
    static.mount(app, STATIC_DIR)
    return app
