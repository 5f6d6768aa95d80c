"""An async webhook as Saleor knows it: name, event, subscription document and the app's target path."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .operations import GRAPHQL_DIR, with_fragments


@dataclass(frozen=True)
class AsyncWebhook:
    name: str
    event: str  # Saleor's WebhookEventTypeAsyncEnum name, e.g. CHECKOUT_UPDATED
    subscription_file: str  # under graphql/saleor/subscriptions/

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
