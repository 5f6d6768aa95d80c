"""Scheduled tasks: the periodic sweep closes offers whose window passed (and takes their price off the
order's metadata), resumes accepts whose process died, retries pending offer e-mails, takes the offer
line off follow-up checkouts left unpaid past their hold, and confirms the orders that waited.

``Sweeper.sweep(now)`` is one pass (tests call it with any ``now``); ``Sweeper.run`` repeats it in each
app process (started by main.py where workers run). Every step is a conditional transition or an
idempotent Saleor call, so processes may sweep concurrently: a second ``orderConfirm`` answers
``INVALID``, which counts as done.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from ..insights import events as event_log
from ..insights.events import EventKind, NewEvent, OfferType
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import Database
from ..rules import service as rules
from ..saleor.client import SaleorClient, SaleorClientFactory
from ..saleor.errors import SaleorApiError, SaleorMutationError, SaleorUnavailable
from . import follow_up, gateway
from . import order_metadata as om
from .accept import Acceptor
from .config import PostPurchaseConfig
from .email import OfferMailer
from .errors import OfferError
from .repository import (
    ACCEPTING,
    CONFIRM_DONE,
    EXPIRED,
    OPEN,
    ConfirmState,
    PostPurchaseOfferRepository,
    StoredOffer,
)
from .shopper_actions import RESUME_AFTER

log = logging.getLogger("saleor_upsell.postpurchase.sweep")

SWEEP_INTERVAL_SECONDS = 15.0
CONFIRM_SKIPPED, CONFIRM_FAILED = ConfirmState.SKIPPED, ConfirmState.FAILED
_ALREADY_CONFIRMED = {"INVALID", "NOT_FOUND"}


@dataclass(frozen=True, slots=True)
class SweepReport:
    expired: int = 0
    confirmed: int = 0
    resumed: int = 0
    emailed: int = 0
    released: int = 0


def _expired_event(offer: StoredOffer) -> NewEvent:
    return NewEvent(
        kind=EventKind.EXPIRED,
        offer_type=OfferType.POST_PURCHASE,
        rule_id=offer.rule_id,
        order_id=offer.order_id,
        channel_slug=offer.channel_slug,
        variant_id=offer.variant_id,
    )


@dataclass(frozen=True, slots=True)
class Sweeper:
    db: Database
    installations: InstallationStore
    saleor: SaleorClientFactory
    acceptor: Acceptor
    config: PostPurchaseConfig
    mailer: OfferMailer | None
    clock: Clock

    async def _open_past_expiry(self, now: datetime) -> list[StoredOffer]:
        async with self.db.read() as session:
            return await PostPurchaseOfferRepository(session).open_past_expiry(now)

    async def _stuck_accepting(self, before: datetime) -> list[StoredOffer]:
        async with self.db.read() as session:
            return await PostPurchaseOfferRepository(session).stuck_accepting(before)

    async def _due_confirmations(self, now: datetime) -> list[StoredOffer]:
        async with self.db.read() as session:
            return await PostPurchaseOfferRepository(session).due_confirmations(now)

    async def sweep(self, now: datetime) -> SweepReport:
        expired = await self._expire(now)
        resumed = await self._resume(now)
        emailed = await self.mailer.send_due(now) if self.mailer is not None else 0
        released = await self._release_unpaid_checkouts(now)
        confirmed = 0
        for offer in await self._due_confirmations(now):
            state = await self._confirm(offer)
            if state is None:
                continue  # Saleor unavailable: the next sweep tries again
            async with self.db.transaction() as session:
                await PostPurchaseOfferRepository(session).set_confirm_state(offer.id, state, now)
            confirmed += state == CONFIRM_DONE
        return SweepReport(
            expired=expired, confirmed=confirmed, resumed=resumed, emailed=emailed, released=released
        )

    async def _expire(self, now: datetime) -> int:
        """Open offers past their window: expired, and their price and link gone from the order."""
        expired = 0
        for offer in await self._open_past_expiry(now):
            async with self.db.transaction() as session:
                moved = await PostPurchaseOfferRepository(session).transition(offer.id, OPEN, EXPIRED, now)
                if moved:
                    await event_log.record(session, offer.installation_id, [_expired_event(offer)], now)
            if not moved:
                continue
            expired += 1
            installation = await self.installations.get_by_id(offer.installation_id)
            if installation is not None:
                client = self.saleor.for_auth(installation)
                await gateway.write_order_metadata(
                    client, offer.order_id, {om.OFFER_STATUS: EXPIRED}, best_effort=True
                )
                await gateway.delete_order_metadata(client, offer.order_id, om.PRICE_KEYS)
                if self.config.pays_by_checkout(offer.channel_slug):
                    await self._remove_offer_line(client, offer)
        return expired

    async def _remove_offer_line(self, client: SaleorClient, offer: StoredOffer) -> bool:
        """Take the offer line off its follow-up checkout, if one exists (found by the offer id): an
        accept interrupted by Saleor failing after the checkout was made leaves one the row never got."""
        try:
            checkout = await follow_up.find_checkout(client, offer.id)
            line = follow_up.offer_line(checkout, offer.id) if checkout is not None else None
            if checkout is not None and line is not None:
                await follow_up.remove_offer_line(client, checkout.id, line.id)
        except SaleorApiError as exc:
            log.warning("follow-up checkout not released", extra={"offer_id": offer.id, "error": str(exc)})
            return False
        return True

    async def _resume(self, now: datetime) -> int:
        """Accepts whose process died (crash, deploy): taken over and carried out from what Saleor has."""
        resumed = 0
        stale = now - RESUME_AFTER
        for offer in await self._stuck_accepting(stale):
            if not await self.acceptor.move(offer, ACCEPTING, ACCEPTING, untouched_since=stale):
                continue  # a click or another process took it over first
            try:
                await self.acceptor.finish(offer)
            except OfferError as exc:
                log.warning("interrupted accept not resumed", extra={"offer_id": offer.id, "code": exc.code})
                continue
            resumed += 1
            log.info("interrupted accept resumed", extra={"offer_id": offer.id, "order_id": offer.order_id})
        return resumed

    async def _release_unpaid_checkouts(self, now: datetime) -> int:
        """The offer line leaves a follow-up checkout still unpaid a hold after the window: its price ends."""
        async with self.db.read() as session:
            unpaid = await PostPurchaseOfferRepository(session).unpaid_checkouts(
                now - self.config.checkout_hold
            )
        released = 0
        for offer in unpaid:
            installation = await self.installations.get_by_id(offer.installation_id)
            if installation is None or offer.checkout_id is None:
                continue
            client = self.saleor.for_auth(installation)
            try:
                checkout = await follow_up.find_checkout(client, offer.id)
                line = follow_up.offer_line(checkout, offer.id) if checkout is not None else None
                if checkout is not None and line is not None:
                    await follow_up.remove_offer_line(client, checkout.id, line.id)
            except SaleorApiError as exc:
                log.warning(
                    "follow-up checkout not released", extra={"offer_id": offer.id, "error": str(exc)}
                )
                continue
            async with self.db.transaction() as session:
                await PostPurchaseOfferRepository(session).forget_checkout(offer.id, now)
            released += 1
        return released

    async def _confirm(self, offer: StoredOffer) -> str | None:
        """The order's new confirm state, or None to try again later."""
        async with self.db.read() as session:
            settings = await rules.channel_settings(session, offer.installation_id, offer.channel_slug)
        if not settings.post_purchase_auto_confirm:
            return CONFIRM_SKIPPED  # the merchant confirms orders themselves
        installation = await self.installations.get_by_id(offer.installation_id)
        if installation is None:
            return CONFIRM_SKIPPED
        try:
            await gateway.confirm_order(self.saleor.for_auth(installation), offer.order_id)
        except SaleorUnavailable:
            return None
        except SaleorMutationError as exc:
            if exc.codes <= _ALREADY_CONFIRMED:
                return CONFIRM_DONE  # confirmed by someone else (merchant, another process) or gone
            log.error("order not confirmed", extra={"order_id": offer.order_id, "error": str(exc)})
            return CONFIRM_FAILED
        except SaleorApiError as exc:
            log.error("order not confirmed", extra={"order_id": offer.order_id, "error": str(exc)})
            return CONFIRM_FAILED
        log.info("order confirmed after its post-purchase window", extra={"order_id": offer.order_id})
        return CONFIRM_DONE

    async def run(self, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
        """Sweep forever (until cancelled); a failing pass is logged and the next one runs on time."""
        while True:
            try:
                await self.sweep(self.clock())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("post-purchase sweep failed")
            await asyncio.sleep(interval)
