"""How accepted offers reach a payment, per channel: the storefront's checkout URL template, and the
channels whose UNCONFIRMED orders take the offer on the same order instead (from settings.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

ANY_CHANNEL = "*"


@dataclass(frozen=True, slots=True)
class PostPurchaseConfig:
    checkout_urls: dict[str, str] = field(default_factory=dict)
    same_order_channels: frozenset[str] = frozenset()
    checkout_hold: timedelta = timedelta(minutes=60)

    def checkout_url(self, channel: str, checkout_id: str) -> str | None:
        """Where the shopper pays for a follow-up checkout, or None when the channel has no template."""
        template = self.checkout_urls.get(channel) or self.checkout_urls.get(ANY_CHANNEL)
        if template is None:
            return None
        return template.format(id=checkout_id, channel=channel)

    def pays_by_checkout(self, channel: str) -> bool:
        return bool(self.checkout_urls.get(channel) or self.checkout_urls.get(ANY_CHANNEL))

    def same_order(self, channel: str, order_status: str) -> bool:
        """Whether an accept adds the line to the order itself (only while it is UNCONFIRMED)."""
        return channel in self.same_order_channels and order_status == "UNCONFIRMED"

    def can_collect(self, channel: str, order_status: str) -> bool:
        """Whether an accepted offer has a way to be paid for; no offer is made otherwise."""
        return self.same_order(channel, order_status) or self.pays_by_checkout(channel)
