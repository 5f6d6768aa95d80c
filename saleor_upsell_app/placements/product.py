"""The product page as the engine sees it: a checkout of the product being viewed (one unit of the
selected variant), so every guardrail of a checkout holds on the product page too (channel, active
window, declines, cap, price ceiling against the product's price, holdout of the shopper's checkout).

Pure: no I/O and no clock; the caller passes the cached rules, settings and catalogue pricing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ..engine.evaluation import evaluate_checkout, offer_variant_ids_to_price
from ..engine.index import RuleIndex
from ..engine.money import quantize
from ..engine.spec import ChannelMode, ChannelSettingsSpec
from ..engine.types import (
    CheckoutHistory,
    CheckoutLine,
    CheckoutSnapshot,
    Evaluation,
    OfferKind,
    VariantPricing,
)

VIEWED_LINE_ID = "placement:viewed"
NO_CHECKOUT = "placement:no-checkout"


def product_page_snapshot(viewed: VariantPricing, checkout_id: str | None) -> CheckoutSnapshot:
    """One unit of the viewed variant at its catalogue price, keyed by the shopper's checkout if any."""
    currency = viewed.currency
    price = quantize(viewed.current_price, currency)
    line = CheckoutLine(
        id=VIEWED_LINE_ID,
        variant_id=viewed.variant_id,
        product_id=viewed.product_id,
        category_id=viewed.category_id,
        collection_ids=viewed.collection_ids,
        quantity=1,
        unit_price=price,
        undiscounted_unit_price=quantize(viewed.regular_price, currency),
    )
    return CheckoutSnapshot(
        id=checkout_id or NO_CHECKOUT,
        channel_slug=viewed.channel,
        currency=currency,
        lines=(line,),
        subtotal=price,
    )


def product_page_settings(settings: ChannelSettingsSpec, has_checkout: bool) -> ChannelSettingsSpec:
    """Offers are listed, never injected, on a product page. The holdout group is the checkout's: before
    the shopper has one there is no group yet (the accept then runs on the new checkout, holdout and all)."""
    update: dict[str, object] = {"mode": ChannelMode.OFFER}
    if not has_checkout:
        update["holdout_percent"] = 0
    return settings.model_copy(update=update)


def variants_to_price(
    snapshot: CheckoutSnapshot,
    index: RuleIndex,
    settings: ChannelSettingsSpec,
    history: CheckoutHistory,
    now: datetime,
) -> tuple[str, ...]:
    return offer_variant_ids_to_price(snapshot, index, settings, history, now)


def evaluate_product_page(
    snapshot: CheckoutSnapshot,
    index: RuleIndex,
    settings: ChannelSettingsSpec,
    history: CheckoutHistory,
    pricing: Mapping[str, VariantPricing],
    now: datetime,
) -> Evaluation:
    """The engine's offers for the product page; upgrades are left to the cart (they swap a line)."""
    evaluation = evaluate_checkout(snapshot, index, settings, history, pricing, now)
    offers = tuple(offer for offer in evaluation.offers if offer.kind == OfferKind.BUMP)
    return Evaluation(evaluation.decisions, offers, evaluation.skips, evaluation.holdout)
