"""The app's long-lived parts, built once per process and passed to routes, handlers and the CLI."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .catalog import VariantPricingCache
from .clock import Clock, utc_now
from .crypto import TokenCipher
from .inbox.repository import InboxRepository
from .inbox.worker import InboxWorker
from .inbox.writer import InboxWriter
from .saleor.client import SaleorClient, SaleorClientFactory
from .saleor.errors import ProtocolError
from .saleor.jwks import fetch_jwks
from .saleor.webhook_validation import JwksRefetchLimiter
from .settings import Settings
from .store.checkout_offers import CheckoutOfferRepository
from .store.db import create_engine, create_sessionmaker
from .store.events import EventLog
from .store.installations import InstallationData, InstallationRepository
from .store.orders import OrderRepository
from .store.rules import RuleIndexCache, RuleRepository

log = logging.getLogger("saleor_upsell.services")


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    installations: InstallationRepository
    inbox: InboxRepository
    inbox_writer: InboxWriter
    http: httpx.AsyncClient
    saleor_clients: SaleorClientFactory
    jwks_limiter: JwksRefetchLimiter
    clock: Clock
    rules: RuleRepository
    rule_indexes: RuleIndexCache
    checkout_offers: CheckoutOfferRepository
    events: EventLog
    variant_pricing: VariantPricingCache
    orders: OrderRepository
    workers: list[InboxWorker] = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings, clock: Clock = utc_now) -> Services:
        engine = create_engine(settings.database_url)
        sessions = create_sessionmaker(engine)
        rules = RuleRepository(sessions)
        inbox = InboxRepository(sessions, engine.dialect.name)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            installations=InstallationRepository(sessions, TokenCipher(settings.secret_key)),
            inbox=inbox,
            inbox_writer=InboxWriter(inbox, settings.inbox_writers),
            http=httpx.AsyncClient(
                timeout=httpx.Timeout(settings.saleor_timeout_seconds), follow_redirects=False
            ),
            saleor_clients=SaleorClientFactory(settings.saleor_timeout_seconds),
            jwks_limiter=JwksRefetchLimiter(settings.jwks_refetch_min_interval_seconds),
            clock=clock,
            rules=rules,
            rule_indexes=RuleIndexCache(rules, settings.rule_cache_seconds),
            checkout_offers=CheckoutOfferRepository(sessions, engine.dialect.name),
            events=EventLog(sessions),
            variant_pricing=VariantPricingCache(),
            orders=OrderRepository(sessions, engine.dialect.name),
        )

    def saleor_client(self, installation: InstallationData) -> SaleorClient:
        return self.saleor_clients.for_installation(installation.saleor_api_url, installation.token)

    async def refresh_jwks(self, installation: InstallationData) -> str | None:
        """Fetch Saleor's key set again (key rotation) and store it if it changed."""
        try:
            jwks = await fetch_jwks(self.http, installation.saleor_api_url)
        except ProtocolError:
            log.warning("JWKS refetch failed", extra={"saleor_api_url": installation.saleor_api_url})
            return None
        if jwks != installation.jwks:
            await self.installations.update_jwks(installation.id, jwks, self.clock())
            log.info("JWKS changed, stored", extra={"saleor_api_url": installation.saleor_api_url})
        return jwks

    def wake_workers(self) -> None:
        for worker in self.workers:
            worker.wake()

    async def aclose(self) -> None:
        await self.saleor_clients.aclose()
        await self.http.aclose()
        await self.engine.dispose()
