"""The shopper pays exactly what was promised, with everything Saleor applies on top of a custom price:
vouchers (before and after the bump, ENTIRE_ORDER and SPECIFIC_PRODUCT), flat-rate taxes with prices
entered with and without tax, and a catalogue promotion together with a voucher (PROTOCOL "Money facts",
captures "Vouchers, taxes and custom prices"). All through the emulated Saleor and real webhooks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.ids import to_global_id
from testing.saleor_emulator.install import InstalledApp
from testing.sample_data import APPLE_JUICE, CUBES_M, MIGHTY_MUG, TEE_S
from tests.bumps.helpers import add_rule, offer_lines, unit_price
from tests.conftest import AppUnderTest

D = Decimal
PIRATE_MUG = to_global_id("ProductVariant", 383)  # 9.99, no promotion
CUBES_L = to_global_id("ProductVariant", 396)  # 30.00
CUBES_PRODUCT = to_global_id("Product", 161)
NO_CEILING = {"overrides": {"price_ceiling": True}}


def fixed(amount: str, currency: str = "USD") -> dict[str, Any]:
    return {"type": "fixed", "amounts": {currency: amount}}


async def net_and_gross(emulator: SaleorEmulator, checkout_id: str, line_id: str) -> tuple[Decimal, Decimal]:
    """A line's unit price, net and gross, as the shopper's storefront reads it."""
    query = (
        "query($id: ID!) { checkout(id: $id) { lines { id unitPrice { net { amount } gross { amount } } } } }"
    )
    result = await emulator.graphql(query, {"id": checkout_id})
    [price] = [line["unitPrice"] for line in result["data"]["checkout"]["lines"] if line["id"] == line_id]
    return D(str(price["net"]["amount"])), D(str(price["gross"]["amount"]))


def price_updates(emulator: SaleorEmulator) -> list[Any]:
    """The app's CheckoutLinesUpdate calls (the price correction)."""
    return [call for call in emulator.graphql_calls if "checkoutLinesUpdate" in call.query]


async def _bump(emulator: SaleorEmulator, checkout_id: str) -> dict[str, Any]:
    [bump] = offer_lines(await emulator.shopper.checkout(checkout_id))
    return bump


async def test_entire_order_voucher_before_the_bump_is_the_shoppers(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # The case: a 9.59 offer with a 10% ENTIRE_ORDER voucher already on the checkout is
    # charged 8.63; the app used to read that as a promotion and raise it to 9.49.
    emulator.create_voucher("ORDER10", values={"default-channel": 10})
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await emulator.shopper.add_promo_code(checkout["id"], "ORDER10")
    await app.wait_idle(emulator)  # no rule yet
    await add_rule(app, offer_variant_id=PIRATE_MUG, price=fixed("9.59"), **NO_CEILING)
    await emulator.shopper.set_email(checkout["id"], "shopper@example.com")  # any change: CHECKOUT_UPDATED
    await app.wait_idle(emulator)

    bump = await _bump(emulator, checkout["id"])
    assert unit_price(bump) == D("8.63")  # 9.59 - its share of 10% of (20.00 + 9.59)
    assert D(str(bump["undiscountedUnitPrice"]["amount"])) == D("9.59")  # the override was not raised
    assert price_updates(emulator) == []
    assert emulator.checkout(checkout["id"]).prices().voucher is not None  # still applied


async def test_specific_product_voucher_covering_the_offer_is_the_shoppers(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # The voucher covers the Cubes Fountain Tee; the shopper holds one, the app offers another at 12.00:
    # 10.80 is due (the app used to charge 11.88).
    emulator.create_voucher(
        "TEE10", type="SPECIFIC_PRODUCT", values={"default-channel": 10}, products=[CUBES_PRODUCT]
    )
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1), (CUBES_L, 1)])
    await emulator.shopper.add_promo_code(checkout["id"], "TEE10")
    await app.wait_idle(emulator)
    await add_rule(app, offer_variant_id=CUBES_M, price=fixed("12.00"), **NO_CEILING)
    await emulator.shopper.set_email(checkout["id"], "shopper@example.com")
    await app.wait_idle(emulator)

    bump = await _bump(emulator, checkout["id"])
    assert unit_price(bump) == D("10.80")
    assert price_updates(emulator) == []


async def test_voucher_after_the_bump_is_left_to_saleor(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    await add_rule(app)  # apple juice at 20% off: 1.19
    emulator.create_voucher("ORDER10", values={"default-channel": 10})
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)
    assert unit_price(await _bump(emulator, checkout["id"])) == D("1.19")

    await emulator.shopper.add_promo_code(checkout["id"], "ORDER10")
    await app.wait_idle(emulator)

    bump = await _bump(emulator, checkout["id"])
    assert bump["variant"]["id"] == APPLE_JUICE
    assert unit_price(bump) == D("1.07")  # 1.19 - its share of 10% of 21.19 (2.12): 0.12
    assert price_updates(emulator) == []


async def test_promotion_is_compensated_and_a_voucher_applies_on_top(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # Mighty Mug has a 30% catalogue promotion: the app sends 6.43 so that Saleor charges 4.50; the
    # shopper's 10% voucher then takes its share off that, and the app leaves it so.
    emulator.create_voucher("ORDER10", values={"default-channel": 10})
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await emulator.shopper.add_promo_code(checkout["id"], "ORDER10")
    await app.wait_idle(emulator)
    await add_rule(app, offer_variant_id=MIGHTY_MUG, price=fixed("4.50"))
    await emulator.shopper.set_email(checkout["id"], "shopper@example.com")
    await app.wait_idle(emulator)

    bump = await _bump(emulator, checkout["id"])
    assert D(str(bump["undiscountedUnitPrice"]["amount"])) == D("6.43")  # promotion compensated
    assert unit_price(bump) == D("4.05")  # 4.50 - 10% (24.50 x 10% = 2.45, its share 0.45)
    assert price_updates(emulator) == []


async def test_prices_entered_with_tax_make_the_offer_price_gross(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    emulator.configure_taxes("default-channel", pricesEnteredWithTax=True)
    emulator.set_tax_rate("US", 10)
    await add_rule(app, offer_variant_id=CUBES_M, price=fixed("14.96"), **NO_CEILING)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)

    bump = await _bump(emulator, checkout["id"])
    assert bump["variant"]["id"] == CUBES_M
    assert await net_and_gross(emulator, checkout["id"], bump["id"]) == (D("13.60"), D("14.96"))
    assert price_updates(emulator) == []


async def test_prices_entered_without_tax_make_the_offer_price_net(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # default-channel enters prices without tax (as the sample data): an offer of 14.96 is net, and the
    # shopper pays the tax on it as on any product (the app used to "correct" it to 13.46 net).
    emulator.set_tax_rate("US", 10)
    await add_rule(app, offer_variant_id=CUBES_M, price=fixed("14.96"), **NO_CEILING)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)

    bump = await _bump(emulator, checkout["id"])
    assert await net_and_gross(emulator, checkout["id"], bump["id"]) == (D("14.96"), D("16.46"))
    assert price_updates(emulator) == []


async def test_percent_off_is_taken_from_the_price_as_entered(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # The variant's pricing is taxed (30.00 net, 33.00 gross); 20% off is taken from the entered 30.00.
    emulator.set_tax_rate("US", 10)
    await add_rule(
        app, offer_variant_id=CUBES_M, price={"type": "percent_off", "percent": "20"}, **NO_CEILING
    )
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)

    bump = await _bump(emulator, checkout["id"])
    assert await net_and_gross(emulator, checkout["id"], bump["id"]) == (D("24.00"), D("26.40"))
    assert price_updates(emulator) == []
