"""The app's webhooks: event -> subscription document -> feature use case. This one list feeds the
manifest (saleor/manifest.py), the routes (web/protocol.py) and the inbox workers (main.py).

A use case is an inbox handler (``Handler``); ``handlers`` says which feature step handles which event,
given the steps main.py built with their dependencies.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .inbox.types import ClaimedEvent
from .installations.apl import InstallationStore
from .saleor.apl import AuthData
from .saleor.results import CheckoutRef, Order, OrderEvent, OrderRef, WebhookEvent
from .saleor.webhook import AsyncWebhook

log = logging.getLogger("saleor_upsell.webhooks")

Handler = Callable[[ClaimedEvent], Awaitable[None]]


def _checkout_subject(envelope: WebhookEvent) -> str:
    checkout = envelope.checkout if isinstance(envelope, CheckoutRef) else None
    return f"checkout:{checkout.id if checkout else 'unknown'}"


def _order_subject(envelope: WebhookEvent) -> str:
    order = envelope.order if isinstance(envelope, OrderRef) else None
    return f"order:{order.id if order else 'unknown'}"


def _app_subject(envelope: WebhookEvent) -> str:
    return "app"


@dataclass(frozen=True)
class Webhook(AsyncWebhook):
    # What ingest reads of a body (saleor/results.py): the envelope and the subject's id, no more.
    envelope: type[WebhookEvent] = WebhookEvent
    # Which inbox subject (checkout, order) an event is about: its events are processed in order.
    subject: Callable[[WebhookEvent], str] = _app_subject
    # A newer snapshot of the same subject makes an older one still waiting pointless.
    supersedable: bool = False


WEBHOOKS: tuple[Webhook, ...] = (
    Webhook(
        "saleor-upsell checkout created",
        "CHECKOUT_CREATED",
        "checkout_created.graphql",
        envelope=CheckoutRef,
        subject=_checkout_subject,
        supersedable=True,
    ),
    Webhook(
        "saleor-upsell checkout updated",
        "CHECKOUT_UPDATED",
        "checkout_updated.graphql",
        envelope=CheckoutRef,
        subject=_checkout_subject,
        supersedable=True,
    ),
    Webhook(
        "saleor-upsell order created",
        "ORDER_CREATED",
        "order_created.graphql",
        envelope=OrderRef,
        subject=_order_subject,
    ),
    Webhook("saleor-upsell app deleted", "APP_DELETED", "app_deleted.graphql"),
)

WEBHOOKS_BY_EVENT: dict[str, Webhook] = {w.event: w for w in WEBHOOKS}
SUPERSEDABLE_EVENTS = frozenset(w.event for w in WEBHOOKS if w.supersedable)


class OrderStep(Protocol):
    async def __call__(self, installation: AuthData, order: Order) -> None: ...


class OrderCreated:
    """ORDER_CREATED: the order read once, then each feature's step in order (history and conversions,
    then the post-purchase offer)."""

    def __init__(self, installations: InstallationStore, steps: Sequence[OrderStep]) -> None:
        self._installations = installations
        self._steps = steps

    async def __call__(self, event: ClaimedEvent) -> None:
        installation = await self._installations.get_by_id(event.installation_id)
        order = OrderEvent.model_validate_json(event.payload).order
        if installation is None or order is None:
            return
        for step in self._steps:
            await step(installation, order)


def handlers(*, checkout: Handler, order_created: Handler, app_deleted: Handler) -> dict[str, Handler]:
    """Which use case handles which inbox event."""
    return {
        "CHECKOUT_CREATED": checkout,
        "CHECKOUT_UPDATED": checkout,
        "ORDER_CREATED": order_created,
        "APP_DELETED": app_deleted,
    }
