"""The app's webhooks: one list feeds the routes, the manifest and the inbox workers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..saleor.operations import GRAPHQL_DIR, with_fragments


def _checkout_subject(payload: Mapping[str, Any]) -> str:
    checkout = payload.get("checkout") or {}
    return f"checkout:{checkout.get('id', 'unknown')}"


def _order_subject(payload: Mapping[str, Any]) -> str:
    order = payload.get("order") or {}
    return f"order:{order.get('id', 'unknown')}"


def _app_subject(payload: Mapping[str, Any]) -> str:
    return "app"


@dataclass(frozen=True)
class WebhookDefinition:
    name: str
    event: str  # Saleor's WebhookEventTypeAsyncEnum name, e.g. CHECKOUT_UPDATED
    subscription_file: str
    subject: Callable[[Mapping[str, Any]], str]
    # A newer snapshot of the same subject makes an older one still waiting pointless.
    supersedable: bool = False

    @property
    def path(self) -> str:
        return f"/api/webhooks/{self.event.lower().replace('_', '-')}"

    @property
    def header_event(self) -> str:
        """The `Saleor-Event` header value: Saleor sends the event name lower-cased."""
        return self.event.lower()

    @cached_property
    def query(self) -> str:
        return with_fragments((GRAPHQL_DIR / "subscriptions" / self.subscription_file).read_text())


WEBHOOKS: tuple[WebhookDefinition, ...] = (
    WebhookDefinition(
        "saleor-upsell checkout created",
        "CHECKOUT_CREATED",
        "checkout_created.graphql",
        _checkout_subject,
        True,
    ),
    WebhookDefinition(
        "saleor-upsell checkout updated",
        "CHECKOUT_UPDATED",
        "checkout_updated.graphql",
        _checkout_subject,
        True,
    ),
    WebhookDefinition(
        "saleor-upsell order created", "ORDER_CREATED", "order_created.graphql", _order_subject
    ),
    WebhookDefinition("saleor-upsell app deleted", "APP_DELETED", "app_deleted.graphql", _app_subject),
)

WEBHOOKS_BY_EVENT: dict[str, WebhookDefinition] = {w.event: w for w in WEBHOOKS}
SUPERSEDABLE_EVENTS = frozenset(w.event for w in WEBHOOKS if w.supersedable)
