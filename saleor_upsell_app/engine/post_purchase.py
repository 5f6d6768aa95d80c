"""Choose at most one post-purchase offer for a freshly created order (pure; ``now`` is a parameter).

Same pricing (``pricing.py``) and ceiling (``guardrails.py``) as checkout bumps; order lines the app
added (bump/upgrade markers are copied from checkout lines to order lines) never trigger an offer and are
left out of the ceiling's base. Holdout is keyed on the order's checkout id when known, so a shopper in
the control group sees no offer on either surface. The offer quantity is 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from . import metadata as md
from .guardrails import lines_subtotal, within_ceiling
from .holdout import in_holdout
from .index import rule_sort_key
from .pricing import PriceProblem, offer_price, price_override_reason
from .spec import ChannelSettingsSpec, PostPurchaseRuleSpec, TriggerSpec
from .types import OrderLine, OrderSnapshot, PostPurchaseDecision, Rule, VariantPricing

_EDITABLE_STATUS = "UNCONFIRMED"  # orderLinesCreate works only on DRAFT/UNCONFIRMED orders


@dataclass(frozen=True, slots=True)
class _OrderView:
    order: OrderSnapshot
    shopper_lines: tuple[OrderLine, ...]
    variants: frozenset[str]
    subtotal: Decimal
    settings: ChannelSettingsSpec
    pricing: Mapping[str, VariantPricing]
    now: datetime


def _line_matches(trigger: TriggerSpec, line: OrderLine) -> bool:
    return (
        line.variant_id in trigger.variant_ids
        or line.product_id in trigger.product_ids
        or (line.category_id is not None and line.category_id in trigger.category_ids)
        or any(c in trigger.collection_ids for c in line.collection_ids)
    )


def _active(spec: PostPurchaseRuleSpec, view: _OrderView) -> bool:
    now = view.now
    return (
        spec.enabled
        and (spec.starts_at is None or spec.starts_at <= now)
        and (spec.ends_at is None or now < spec.ends_at)
        and (not spec.trigger.channels or view.order.channel_slug in spec.trigger.channels)
    )


def evaluate_post_purchase(
    order: OrderSnapshot,
    rules: Iterable[Rule],
    settings: ChannelSettingsSpec,
    pricing: Mapping[str, VariantPricing],
    now: datetime,
) -> PostPurchaseDecision | None:
    """The best eligible post-purchase offer for ``order`` (priority, then older rule), or None."""
    if in_holdout(order.checkout_id or order.id, settings.holdout_percent):
        return None
    shopper_lines = tuple(line for line in order.lines if md.read_marker(line.metadata) is None)
    if not shopper_lines:
        return None
    view = _OrderView(
        order=order,
        shopper_lines=shopper_lines,
        variants=frozenset(line.variant_id for line in order.lines),
        subtotal=lines_subtotal((line.unit_price, line.quantity) for line in shopper_lines),
        settings=settings,
        pricing=pricing,
        now=now,
    )
    candidates = sorted((r for r in rules if isinstance(r.spec, PostPurchaseRuleSpec)), key=rule_sort_key)
    for rule in candidates:
        assert isinstance(rule.spec, PostPurchaseRuleSpec)
        decision = _consider(rule.id, rule.spec, view)
        if decision is not None:
            return decision
    return None


def _consider(rule_id: int, spec: PostPurchaseRuleSpec, view: _OrderView) -> PostPurchaseDecision | None:
    order, trigger = view.order, spec.trigger
    if not _active(spec, view) or spec.offer_variant_id in view.variants:
        return None
    if trigger.min_subtotal is not None:
        minimum = trigger.min_subtotal.get(order.currency)
        if minimum is None or view.subtotal < minimum:
            return None
    matching = [line for line in view.shopper_lines if _line_matches(trigger, line)]
    if trigger.has_item_trigger and not matching:
        return None
    variant = view.pricing.get(spec.offer_variant_id)
    if variant is None or variant.channel != order.channel_slug or not variant.available:
        return None
    price = offer_price(spec.price, variant, order.currency, spec.allow_promotion_stacking)
    if isinstance(price, PriceProblem):
        return None
    base = max(line.unit_price for line in matching) if matching else view.subtotal
    percent = view.settings.price_ceiling_percent
    if not within_ceiling(price.unit_price, base, percent, spec.overrides.price_ceiling):
        return None
    return PostPurchaseDecision(
        rule_id=rule_id,
        order_id=order.id,
        variant_id=variant.variant_id,
        product_id=variant.product_id,
        quantity=1,
        unit_price=price.unit_price,
        override_price=price.override_price,
        regular_price=price.regular_price,
        currency=order.currency,
        expires_at=view.now + timedelta(minutes=spec.window_minutes),
        headline=spec.copy_text.headline,
        benefits=tuple(spec.copy_text.benefits),
        show_value_comparison=spec.copy_text.show_value_comparison,
        price_override_reason=price_override_reason(rule_id, "post-purchase", price, order.currency),
        add_to_same_order=order.status == _EDITABLE_STATUS,
        auto_confirm=view.settings.post_purchase_auto_confirm,
    )
