"""Guardrails shared by checkout and post-purchase offers.

Price ceiling (the "25% rule"), exactly:
- ``percent`` is the channel's ``price_ceiling_percent`` (default 25; None = no ceiling). A rule with
  ``overrides.price_ceiling`` is not limited.
- Bump or post-purchase rule with item triggers: the offer's unit price (the target, what the shopper pays
  per unit) must be ≤ percent% of the unit price of the most expensive line that matches one of the rule's
  item triggers (the line's ``unitPrice``, after promotions).
- Rule with only ``min_subtotal``: ≤ percent% of the subtotal of the lines that are not bump lines
  (Σ unit price × quantity; for orders, the same sum over non-upsell order lines).
- Upgrade: the *increase* per unit (upgrade target − the line's current unit price) must be ≤ percent%
  of the line's current unit price.
The comparison is exact (no rounding of the limit). A free gift (0) always passes.

Timing: once the checkout is in payment (authorizeStatus or chargeStatus not NONE) nothing is added,
swapped or split, only removed. After a delivery method is chosen nothing is added or swapped in
``inject`` mode unless the channel allows it or the rule overrides ``delivery_stage``; ``offer`` mode may
still list opt-in offers then (the shopper adds them knowingly).

Cap: ``max_offers_per_checkout`` counts the bump and upgrade lines already in the checkout plus those
decided in this evaluation; a rule with ``overrides.max_offers`` may exceed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .spec import ChannelMode, ChannelSettingsSpec

_HUNDRED = Decimal(100)


def ceiling_limit(base: Decimal, percent: Decimal) -> Decimal:
    return base * percent / _HUNDRED


def within_ceiling(unit_price: Decimal, base: Decimal, percent: Decimal | None, overridden: bool) -> bool:
    if percent is None or overridden or unit_price <= 0:
        return True
    return unit_price <= ceiling_limit(base, percent)


def upgrade_within_ceiling(
    upgrade_price: Decimal, current_price: Decimal, percent: Decimal | None, overridden: bool
) -> bool:
    if percent is None or overridden:
        return True
    return upgrade_price - current_price <= ceiling_limit(current_price, percent)


def lines_subtotal(lines: Iterable[tuple[Decimal, int]]) -> Decimal:
    """Σ unit price × quantity."""
    return sum((price * quantity for price, quantity in lines), Decimal(0))


def adds_allowed_at_delivery_stage(
    delivery_method_chosen: bool, settings: ChannelSettingsSpec, rule_overrides_stage: bool
) -> bool:
    if not delivery_method_chosen or settings.mode == ChannelMode.OFFER:
        return True
    return settings.allow_after_delivery_method or rule_overrides_stage


def cap_allows(used: int, settings: ChannelSettingsSpec, rule_overrides_cap: bool) -> bool:
    return rule_overrides_cap or used < settings.max_offers_per_checkout
