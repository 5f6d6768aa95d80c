"""The periodic sweep: close offers whose window passed, and confirm the orders that waited for them.

``sweep_offers(services, now)`` is one pass (tests call it with any ``now``); ``run_sweeper`` repeats it
in each app process. Every step is a conditional transition or an idempotent Saleor call, so processes
may sweep concurrently: a second ``orderConfirm`` answers ``INVALID``, which counts as done.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..saleor.errors import SaleorApiError, SaleorMutationError, SaleorUnavailable
from ..services import Services
from ..store.events import NewEvent
from . import order_metadata as om
from .common import OFFER_TYPE, offers_of, write_order_metadata
from .repository import ACCEPTING, CONFIRM_DONE, EXPIRED, FAILED, OPEN, StoredOffer

log = logging.getLogger("saleor_upsell.postpurchase.sweep")

SWEEP_INTERVAL_SECONDS = 15.0
# An accept still "accepting" after this long lost its process mid-way (crash, deploy).
STUCK_AFTER = timedelta(minutes=5)
CONFIRM_SKIPPED, CONFIRM_FAILED = "skipped", "failed"
_ALREADY_CONFIRMED = {"INVALID", "NOT_FOUND"}


@dataclass(frozen=True, slots=True)
class SweepReport:
    expired: int = 0
    confirmed: int = 0
    released: int = 0


def _expired_event(offer: StoredOffer) -> NewEvent:
    return NewEvent(
        kind="expired",
        offer_type=OFFER_TYPE,
        rule_id=offer.rule_id,
        order_id=offer.order_id,
        channel_slug=offer.channel_slug,
        variant_id=offer.variant_id,
    )


async def sweep_offers(services: Services, now: datetime) -> SweepReport:
    offers = offers_of(services)
    expired = 0
    for offer in await offers.open_past_expiry(now):
        if await offers.transition(offer.id, OPEN, EXPIRED, now, events=[_expired_event(offer)]):
            expired += 1
            installation = await services.installations.get_by_id(offer.installation_id)
            if installation is not None:
                client = services.saleor_client(installation)
                await write_order_metadata(
                    client, offer.order_id, {om.OFFER_STATUS: EXPIRED}, best_effort=True
                )
    released = 0
    for offer in await offers.stuck_accepting(now - STUCK_AFTER):
        # The process that claimed it is gone; whether its line landed is unknown, so mark it for the
        # merchant rather than risk a second line (a retry of the same link would reuse a found line).
        if await offers.transition(
            offer.id, ACCEPTING, FAILED, now, outcome={"error": "accept interrupted; check the order"}
        ):
            released += 1
            log.error(
                "post-purchase accept interrupted", extra={"offer_id": offer.id, "order_id": offer.order_id}
            )
    confirmed = 0
    for offer in await offers.due_confirmations(now):
        state = await _confirm(services, offer)
        if state is None:
            continue  # Saleor unavailable: the next sweep tries again
        await offers.set_confirm_state(offer.id, state, now)
        confirmed += state == CONFIRM_DONE
    return SweepReport(expired=expired, confirmed=confirmed, released=released)


async def _confirm(services: Services, offer: StoredOffer) -> str | None:
    """The order's new confirm state, or None to try again later."""
    settings = await services.rules.channel_settings(offer.installation_id, offer.channel_slug)
    if not settings.post_purchase_auto_confirm:
        return CONFIRM_SKIPPED  # the merchant confirms orders themselves
    installation = await services.installations.get_by_id(offer.installation_id)
    if installation is None:
        return CONFIRM_SKIPPED
    try:
        await services.saleor_client(installation).mutate(
            "OrderConfirm", {"id": offer.order_id}, "orderConfirm"
        )
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


async def run_sweeper(services: Services, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
    """Sweep forever (until cancelled); a failing pass is logged and the next one runs on time."""
    while True:
        try:
            await sweep_offers(services, services.clock())
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("post-purchase sweep failed")
        await asyncio.sleep(interval)
