"""What a rule (saved or not) would offer in a channel, and which guardrails it would hit.

Uses the engine's own pricing and ceiling functions, so the preview and the checkout cannot disagree.
The ceiling is measured against ``sample_trigger_price`` when given, otherwise against the catalogue price
of the rule's most expensive trigger variant (upgrades: source variant), or its ``min_subtotal``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..engine.guardrails import upgrade_within_ceiling, within_ceiling
from ..engine.pricing import PriceProblem, offer_price
from ..engine.spec import ChannelSettingsSpec, UpgradeRuleSpec
from ..engine.types import SkipReason, VariantPricing
from ..saleor.client import SaleorClient
from .gateway import VariantPricingCache
from .service import validate_rule
from .stored import AnyRuleSpec


@dataclass(frozen=True, slots=True)
class Warning:
    code: SkipReason
    message: str


@dataclass(slots=True)
class Preview:
    """Amounts are in ``currency``; ``variant`` is None when the offered variant is not sold there."""

    variant: VariantPricing | None = None
    currency: str = ""
    unit_price: Decimal | None = None
    regular_price: Decimal | None = None
    ceiling_base: Decimal | None = None
    warnings: list[Warning] = field(default_factory=list)


def _source_variants(spec: AnyRuleSpec) -> list[str]:
    return list(spec.from_variant_ids if isinstance(spec, UpgradeRuleSpec) else spec.trigger.variant_ids)


def _ceiling_base(
    spec: AnyRuleSpec, pricing: dict[str, VariantPricing], currency: str, sample: Decimal | None
) -> Decimal | None:
    if sample is not None:
        return sample
    prices = [pricing[v].current_price for v in _source_variants(spec) if v in pricing]
    if prices:
        return max(prices)
    if not isinstance(spec, UpgradeRuleSpec) and spec.trigger.min_subtotal:
        return spec.trigger.min_subtotal.get(currency)
    return None


def _channels_of(spec: AnyRuleSpec) -> list[str]:
    return list(spec.channels if isinstance(spec, UpgradeRuleSpec) else spec.trigger.channels)


async def preview_rule(
    data: Any,
    channel: str,
    sample_trigger_price: Decimal | None,
    *,
    client: SaleorClient,
    catalogue: VariantPricingCache,
    channel_settings: Callable[[str], Awaitable[ChannelSettingsSpec]],
) -> Preview:
    """InvalidRule for a spec that does not validate; SaleorApiError when Saleor does not give prices."""
    rule = validate_rule(data)
    offered = rule.to_variant_id if isinstance(rule, UpgradeRuleSpec) else rule.offer_variant_id
    pricing = await catalogue.get(client, channel, [offered, *_source_variants(rule)])
    preview = Preview()
    channels = _channels_of(rule)
    if channels and channel not in channels:
        preview.warnings.append(
            Warning(SkipReason.OTHER_CHANNEL, f"The rule is limited to {', '.join(channels)}.")
        )
    variant = pricing.get(offered)
    if variant is None:
        preview.warnings.append(
            Warning(SkipReason.PRICING_MISSING, f"The offered variant is not sold in {channel}.")
        )
        return preview
    currency = variant.currency
    preview.variant, preview.currency, preview.regular_price = variant, currency, variant.regular_price
    if not variant.available:
        preview.warnings.append(Warning(SkipReason.UNAVAILABLE, "The offered variant is out of stock."))
    price = offer_price(rule.price, variant, currency, rule.allow_promotion_stacking)
    if isinstance(price, PriceProblem):
        preview.warnings.append(Warning(price.reason, price.message))
        return preview
    preview.unit_price, preview.regular_price = price.unit_price, price.regular_price
    base = _ceiling_base(rule, pricing, currency, sample_trigger_price)
    if base is None:
        return preview
    preview.ceiling_base = base
    settings = await channel_settings(channel)
    percent, overridden = settings.price_ceiling_percent, rule.overrides.price_ceiling
    if isinstance(rule, UpgradeRuleSpec):
        ok = upgrade_within_ceiling(price.unit_price, base, percent, overridden)
        message = (
            f"The upgrade adds {price.unit_price - base} {currency}, above {percent}% of {base} {currency}."
        )
    else:
        ok = within_ceiling(price.unit_price, base, percent, overridden)
        message = f"{price.unit_price} {currency} is above {percent}% of {base} {currency}."
    if not ok:
        preview.warnings.append(Warning(SkipReason.ABOVE_PRICE_CEILING, message))
    return preview
