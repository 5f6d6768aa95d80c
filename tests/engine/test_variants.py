"""A/B variants of a bump rule in the engine: the checkout's assigned variant decides the offer, price and
copy; the decision names the variant; without an assignment the rule offers its own offer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from saleor_upsell_app.engine.evaluation import evaluate_checkout, offer_variant_ids_to_price
from saleor_upsell_app.engine.index import RuleIndex
from saleor_upsell_app.engine.spec import BumpRuleSpec, ChannelMode, ChannelSettingsSpec
from saleor_upsell_app.engine.types import AddBump, CheckoutHistory

from .factories import NOW, bump_rule, line, pricing_map, snapshot, variant_pricing, vid

VARIANTS = [
    {"name": "A", "weight": 1},
    {
        "name": "B",
        "weight": 1,
        "offer_variant_id": vid(901),
        "price": {"type": "fixed", "amounts": {"USD": "5.00"}},
        "copy": {"headline": "Add a cap", "reason": "Sun hats sell out"},
    },
]
PRICING = pricing_map(variant_pricing(900, "10.00"), variant_pricing(901, "10.00"))
NO_HOLDOUT = ChannelSettingsSpec(holdout_percent=Decimal(0))


def test_the_assigned_variant_decides_offer_price_and_copy() -> None:
    rule = bump_rule(1, variants=VARIANTS)
    index = RuleIndex.build([rule])
    assert index.variant_weights == {1: (("A", 1), ("B", 1))}
    checkout = snapshot([line(1, variant=1)])

    def decide(arms: dict[int, str] | None) -> AddBump:
        [decision] = evaluate_checkout(
            checkout, index, NO_HOLDOUT, CheckoutHistory(), PRICING, NOW, arms
        ).decisions
        assert isinstance(decision, AddBump)
        return decision

    a, b, plain = decide({1: "A"}), decide({1: "B"}), decide(None)
    assert (a.variant_id, a.unit_price, a.arm) == (vid(900), Decimal("8.00"), "A")
    assert (b.variant_id, b.unit_price, b.arm) == (vid(901), Decimal("5.00"), "B")
    assert (plain.variant_id, plain.arm) == (vid(900), None)  # no assignment: the rule's own offer
    wanted = offer_variant_ids_to_price(checkout, index, NO_HOLDOUT, CheckoutHistory(), NOW, arms={1: "B"})
    assert wanted == (vid(901),)  # only the assigned variant's pricing is fetched


def test_offer_mode_shows_the_variants_copy() -> None:
    rule = bump_rule(1, variants=VARIANTS)
    settings = ChannelSettingsSpec(holdout_percent=Decimal(0), mode=ChannelMode.OFFER)
    checkout = snapshot([line(1, variant=1)])
    [offer] = evaluate_checkout(
        checkout, RuleIndex.build([rule]), settings, CheckoutHistory(), PRICING, NOW, {1: "B"}
    ).offers
    assert (offer.headline, offer.reason) == ("Add a cap", "Sun hats sell out")
    assert isinstance(offer.action, AddBump) and offer.action.arm == "B"


def test_with_variant_and_validation() -> None:
    spec = bump_rule(1, variants=VARIANTS).spec
    assert isinstance(spec, BumpRuleSpec)
    winner = spec.with_variant("B")
    assert (winner.offer_variant_id, winner.copy_text.headline, winner.variants) == (
        vid(901),
        "Add a cap",
        [],
    )
    assert spec.with_variant("A").offer_variant_id == spec.offer_variant_id
    for bad, message in [
        ([VARIANTS[0]], "at least two variants"),
        ([VARIANTS[0], VARIANTS[0]], "unique"),
        ([{"name": "holdout"}, {"name": "B"}], "reserved"),
        ([{"name": "A", "weight": 0}, {"name": "B", "weight": 0}], "weight above 0"),
        ([{"name": "A"}, {"name": "B", "offer_variant_id": vid(1)}], "also in trigger.variant_ids"),
    ]:
        with pytest.raises(ValidationError, match=message):
            bump_rule(1, variants=bad)
