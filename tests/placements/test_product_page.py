"""The product page as the engine sees it (pure): one unit of the viewed variant, offers listed never
injected, and no holdout group before the shopper has a checkout."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from saleor_upsell_app.engine.index import RuleIndex
from saleor_upsell_app.engine.spec import ChannelMode, ChannelSettingsSpec, parse_rule_spec
from saleor_upsell_app.engine.types import CheckoutHistory, Rule, VariantPricing
from saleor_upsell_app.placements.product import (
    NO_CHECKOUT,
    evaluate_product_page,
    product_page_settings,
    product_page_snapshot,
)
from testing.sample_data import APPLE_JUICE, TEE_PRODUCT, TEE_S, bump_rule

NOW = datetime(2026, 12, 2, tzinfo=UTC)


def _pricing(variant: str, product: str, regular: str, current: str | None = None) -> VariantPricing:
    return VariantPricing(
        variant_id=variant,
        channel="default-channel",
        currency="USD",
        regular_price=Decimal(regular),
        current_price=Decimal(current or regular),
        available=True,
        name=product,
        product_id=product,
    )


TEE = _pricing(TEE_S, TEE_PRODUCT, "20.00", "18.004")
JUICE = _pricing(APPLE_JUICE, "juice", "1.49")
INDEX = RuleIndex.build([Rule(1, parse_rule_spec(bump_rule()), NOW)])


def test_snapshot_is_one_unit_of_the_viewed_variant_at_its_catalogue_price() -> None:
    snapshot = product_page_snapshot(TEE, None)
    [line] = snapshot.lines
    assert (snapshot.id, snapshot.currency, snapshot.subtotal) == (NO_CHECKOUT, "USD", Decimal("18.00"))
    assert (line.variant_id, line.product_id, line.quantity) == (TEE_S, TEE_PRODUCT, 1)
    assert line.undiscounted_unit_price == Decimal("20.00")
    assert product_page_snapshot(TEE, "Q2hlY2tvdXQ6MQ==").id == "Q2hlY2tvdXQ6MQ=="


def test_offers_are_listed_and_the_holdout_waits_for_a_checkout() -> None:
    inject = ChannelSettingsSpec(mode=ChannelMode.INJECT, holdout_percent=Decimal(50))
    without = product_page_settings(inject, has_checkout=False)
    assert (without.mode, without.holdout_percent) == (ChannelMode.OFFER, Decimal(0))
    with_checkout = product_page_settings(inject, has_checkout=True)
    assert with_checkout.holdout_percent == Decimal(50)

    pricing = {TEE_S: TEE, APPLE_JUICE: JUICE}
    evaluation = evaluate_product_page(
        product_page_snapshot(TEE, None), INDEX, without, CheckoutHistory(), pricing, NOW
    )
    [offer] = evaluation.offers
    assert offer.rule_id == 1 and offer.action.unit_price == Decimal("1.19") and not evaluation.decisions
    declined = CheckoutHistory(declined_rule_ids=frozenset({1}), offered_rule_ids=frozenset({1}))
    again = evaluate_product_page(product_page_snapshot(TEE, "c"), INDEX, without, declined, pricing, NOW)
    assert again.offers == ()
