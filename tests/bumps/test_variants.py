"""A/B variants end to end: each checkout gets its assigned variant's price (stable by checkout id), the
exposure event records the variant, per-variant results come out of the analytics API, and promoting
the winner makes its offer the rule's in one mutation."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from saleor_upsell_app.insights.experiments import VariantWeight, assign_variant
from saleor_upsell_app.tables import OfferEvent
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.sample_data import APPLE_JUICE, TEE_S
from tests.api.client import Api
from tests.bumps.helpers import add_rule, offer_lines, unit_price
from tests.conftest import AppUnderTest

VARIANTS = [
    {"name": "A", "weight": 1},
    {"name": "B", "weight": 1, "price": {"type": "fixed", "amounts": {"USD": "0.99"}}},
]
PRICE = {"A": Decimal("1.19"), "B": Decimal("0.99")}  # 1.49 − 20%, or a fixed 0.99
WEIGHTS = [VariantWeight("A", 1), VariantWeight("B", 1)]
PROMOTE = """mutation($id: ID!, $variant: String!) { ruleVariantPromote(id: $id, variant: $variant) {
  rule { id spec } errors { field code message } } }"""


async def test_each_checkout_sees_its_variant_and_the_winner_is_promoted(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, api: Api
) -> None:
    rule_id = await add_rule(app, variants=VARIANTS)
    checkouts: list[str] = []
    while len({assign_variant(c, rule_id, WEIGHTS) for c in checkouts}) < 2 or len(checkouts) < 4:
        checkouts.append((await emulator.shopper.create_checkout([(TEE_S, 1)]))["id"])
    await app.wait_idle(emulator)

    for checkout_id in checkouts:
        [bump] = offer_lines(await emulator.shopper.checkout(checkout_id))
        arm = assign_variant(checkout_id, rule_id, WEIGHTS)
        assert (bump["variant"]["id"], unit_price(bump)) == (APPLE_JUICE, PRICE[arm]), checkout_id
    async with app.data.sessions() as session:
        exposures = list(await session.scalars(select(OfferEvent).where(OfferEvent.kind == "eligible")))
    assert sorted(e.checkout_id for e in exposures) == sorted(checkouts)
    for event in exposures:
        arm = assign_variant(str(event.checkout_id), rule_id, WEIGHTS)
        assert event.details == {"rule_ids": [str(rule_id)], "arms": {str(rule_id): arm}}
        assert event.currency == "USD"

    refused = (await api.data(PROMOTE, {"id": str(rule_id), "variant": "C"}))["ruleVariantPromote"]
    assert refused["rule"] is None and refused["errors"][0]["field"] == "variant"
    assert "its variants: A, B" in refused["errors"][0]["message"]
    promoted = (await api.data(PROMOTE, {"id": str(rule_id), "variant": "B"}))["ruleVariantPromote"]
    assert promoted["errors"] == []
    spec = promoted["rule"]["spec"]
    assert spec["price"] == {"type": "fixed", "amounts": {"USD": "0.99"}} and spec["variants"] == []
    # From now on every new checkout gets the winner.
    later = (await emulator.shopper.create_checkout([(TEE_S, 1)]))["id"]
    await app.wait_idle(emulator)
    [bump] = offer_lines(await emulator.shopper.checkout(later))
    assert unit_price(bump) == Decimal("0.99")
