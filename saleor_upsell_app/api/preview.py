"""Dashboard: what a rule (saved or not) would offer in a channel, and which guardrails it would hit.

Uses the engine's own pricing and ceiling functions, so the preview and the checkout cannot disagree.
The ceiling is measured against ``sampleTriggerPrice`` when given, otherwise against the catalogue price
of the rule's most expensive trigger variant (upgrades: source variant), or its ``min_subtotal``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from ..offers.guardrails import upgrade_within_ceiling, within_ceiling
from ..offers.models import SkipReason, VariantPricing
from ..offers.pricing import PriceProblem, offer_price
from ..offers.spec import UpgradeRuleSpec
from ..rule_service import InvalidRule, validate_rule
from ..saleor.errors import SaleorApiError
from ..store.rules import AnyRuleSpec
from . import conversions as convert
from . import types as t
from .context import ApiContext


def _warning(reason: SkipReason, message: str) -> t.PreviewWarning:
    return t.PreviewWarning(code=reason, message=message)


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


async def rule_preview(
    info: Info[ApiContext, None],
    spec: JSON,
    channel: str,
    sample_trigger_price: Annotated[
        Decimal | None,
        strawberry.argument(description="Price of what triggers the offer (unit price, or cart subtotal)."),
    ] = None,
) -> t.RulePreview:
    auth = await info.context.dashboard()
    services = info.context.services
    empty = t.RulePreview(
        variant_name=None, image_url=None, price=None, regular_price=None, catalogue_price=None,
        ceiling_base=None, warnings=[], errors=[],
    )  # fmt: skip
    try:
        rule = validate_rule(spec)
    except InvalidRule as exc:
        empty.errors = convert.upsell_errors(exc.errors)
        return empty
    offered = rule.to_variant_id if isinstance(rule, UpgradeRuleSpec) else rule.offer_variant_id
    client = services.saleor_client(auth.installation)
    try:
        pricing = await services.variant_pricing.get(client, channel, [offered, *_source_variants(rule)])
    except SaleorApiError as exc:
        empty.errors = convert.error(t.ErrorCode.SALEOR_ERROR, f"Could not read prices from Saleor: {exc}")
        return empty
    warnings: list[t.PreviewWarning] = []
    channels = _channels_of(rule)
    if channels and channel not in channels:
        warnings.append(_warning(SkipReason.OTHER_CHANNEL, f"The rule is limited to {', '.join(channels)}."))
    variant = pricing.get(offered)
    if variant is None:
        warnings.append(
            _warning(SkipReason.PRICING_MISSING, f"The offered variant is not sold in {channel}.")
        )
        empty.warnings = warnings
        return empty
    currency = variant.currency
    preview = t.RulePreview(
        variant_name=variant.name,
        image_url=variant.thumbnail_url,
        price=None,
        regular_price=convert.money(variant.regular_price, currency),
        catalogue_price=convert.money(variant.current_price, currency),
        ceiling_base=None,
        warnings=warnings,
        errors=[],
    )
    if not variant.available:
        warnings.append(_warning(SkipReason.UNAVAILABLE, "The offered variant is out of stock."))
    price = offer_price(rule.price, variant, currency, rule.allow_promotion_stacking)
    if isinstance(price, PriceProblem):
        warnings.append(_warning(price.reason, price.message))
        return preview
    preview.price = convert.money(price.unit_price, currency)
    preview.regular_price = convert.money(price.regular_price, currency)
    base = _ceiling_base(rule, pricing, currency, sample_trigger_price)
    if base is None:
        return preview
    preview.ceiling_base = convert.money(base, currency)
    settings = await services.rules.channel_settings(auth.installation_id, channel)
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
        warnings.append(_warning(SkipReason.ABOVE_PRICE_CEILING, message))
    return preview
