"""Vouchers against the captures of section "Vouchers, taxes and custom prices" (parts 1-3): the same
operations with the same inputs, answers and webhooks compared field by field; then what Saleor's
source does where the captures are silent (read in saleor/checkout/base_calculations.py,
saleor/discount/utils/voucher.py, saleor/checkout/utils.py of 3.23.28)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.serve import serve_asgi
from testing.saleor_emulator.shopper import ShopperError

from .fake_app import FakeApp, capture
from .replay import IdMap, assert_webhook, replay

MONOSPACE_S, CUBES_M, MIGHTY_MUG, APPLE_JUICE = (
    "UHJvZHVjdFZhcmlhbnQ6MzQ4",
    "UHJvZHVjdFZhcmlhbnQ6Mzk1",
    "UHJvZHVjdFZhcmlhbnQ6Mzgy",
    "UHJvZHVjdFZhcmlhbnQ6MzAw",
)
ORDER10, PROD10 = "CAPTURE-ORDER10", "CAPTURE-PROD10"
ADD_CUSTOM = "graphql-app-checkoutLinesAdd-custom-price-force-new-line.json"


async def _shopper_checkout(
    emu: SaleorEmulator, ids: IdMap, capture_name: str, lines: list[tuple[str, int]]
) -> str:
    """The shopper's checkout that `capture_name` was sent for (its id taken from the capture)."""
    checkout = await emu.shopper.create_checkout(lines, email="shopper@example.com")
    ids.pair(capture(capture_name)["request"]["body"]["variables"]["id"], checkout["id"])
    return str(checkout["id"])


async def _staff_vouchers(emu: SaleorEmulator, ids: IdMap) -> None:
    staff = emu.staff_token()
    for kind in ("entire-order", "specific-product"):
        await replay(emu, ids, f"graphql-staff-voucherCreate-{kind}.json", token=staff)
        await replay(emu, ids, f"graphql-staff-voucherChannelListingUpdate-{kind}.json", token=staff)


async def _custom_line(emu: SaleorEmulator, checkout_id: str, token: str, offer: str) -> dict[str, Any]:
    """The app's 24.00 Cubes Fountain Tee M line (forceNewLine, reason, metadata) as in the captures."""
    body = capture(ADD_CUSTOM)["request"]["body"]
    [line] = body["variables"]["lines"]
    line = {
        **line,
        "metadata": [{"key": "upsell", "value": "true"}, {"key": "upsell_offer_id", "value": offer}],
        "priceOverrideReason": f"upsell offer {offer}: custom price 24.00",
    }
    result = await emu.graphql(body["query"], {"id": checkout_id, "lines": [line]}, token=token)
    assert result["data"]["checkoutLinesAdd"]["errors"] == []
    return result


async def test_staff_creates_vouchers_as_captured(emu: SaleorEmulator) -> None:
    ids = IdMap()
    await _staff_vouchers(emu, ids)
    app_token_without_discounts = emu.dashboard_token("QXBwOjE=", permissions=["MANAGE_ORDERS"])
    body = capture("graphql-staff-voucherCreate-entire-order.json")["request"]["body"]
    denied = await emu.graphql(body["query"], body["variables"], token=app_token_without_discounts)
    assert denied["data"] == {"voucherCreate": None}
    assert denied["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    again = await emu.graphql(body["query"], body["variables"], token=emu.staff_token())
    assert again["data"]["voucherCreate"]["errors"] == [
        {"field": "codes", "message": "Promo code already exists.", "code": "ALREADY_EXISTS"}
    ]


async def test_entire_order_voucher_after_the_custom_price(
    emu: SaleorEmulator, capture_app: FakeApp, capture_installed: InstalledApp
) -> None:
    """Part 1: 20.00 + 24.00 (custom), then 10% off the whole order: 18.00 and 21.60, discount 4.40."""
    ids = IdMap()
    await _staff_vouchers(emu, ids)
    await _shopper_checkout(emu, ids, ADD_CUSTOM, [(MONOSPACE_S, 1)])
    await replay(emu, ids, ADD_CUSTOM, token=capture_installed.token)
    await emu.drain()
    assert_webhook(
        capture_app,
        "checkout_updated",
        ids,
        "webhook-checkout-updated-by-app-custom-price-force-new-line.json",
    )
    await replay(emu, ids, "graphql-shopper-checkoutAddPromoCode-entire-order-after-custom-price.json")
    await emu.drain()
    body = assert_webhook(
        capture_app,
        "checkout_updated",
        ids,
        "webhook-checkout-updated-by-shopper-promo-code-entire-order.json",
    )
    assert body["issuingPrincipal"] is None


async def test_entire_order_voucher_before_the_custom_price(
    emu: SaleorEmulator, capture_app: FakeApp, capture_installed: InstalledApp
) -> None:
    """Part 2: the voucher first (20.00 -> 18.00); the app's 24.00 line then comes back at 21.60."""
    emu.create_voucher(ORDER10, name="Capture 10% entire order", values={"default-channel": 10})
    ids = IdMap()
    await _shopper_checkout(
        emu, ids, "graphql-shopper-checkoutAddPromoCode-entire-order.json", [(MONOSPACE_S, 1)]
    )
    await replay(emu, ids, "graphql-shopper-checkoutAddPromoCode-entire-order.json")
    await replay(
        emu,
        ids,
        "graphql-app-checkoutLinesAdd-custom-price-after-entire-order-voucher.json",
        token=capture_installed.token,
    )
    await emu.drain()
    assert_webhook(
        capture_app,
        "checkout_updated",
        ids,
        "webhook-checkout-updated-by-app-custom-price-after-entire-order-voucher.json",
    )


async def test_specific_product_voucher_after_the_custom_price(
    emu: SaleorEmulator, capture_installed: InstalledApp
) -> None:
    """Part 3: only the covered (custom-priced) line is discounted, 24.00 -> 21.60, discount 2.40."""
    ids = IdMap()
    await _staff_vouchers(emu, ids)
    name = "graphql-shopper-checkoutAddPromoCode-specific-product-after-custom-price.json"
    checkout_id = await _shopper_checkout(emu, ids, name, [(MONOSPACE_S, 1)])
    await _custom_line(emu, checkout_id, capture_installed.token, "offer-cap-3")
    await replay(emu, ids, name)


async def test_specific_product_voucher_not_applicable_without_the_variant(
    emu: SaleorEmulator, capture_app: FakeApp, capture_installed: InstalledApp
) -> None:
    ids = IdMap()
    await _staff_vouchers(emu, ids)
    name = "graphql-shopper-checkoutAddPromoCode-specific-product-not-applicable.json"
    checkout_id = await _shopper_checkout(emu, ids, name, [(MONOSPACE_S, 1)])
    await replay(emu, ids, name)
    await emu.drain()
    assert capture_app.events("checkout_updated") == []  # no webhook for a refused promo code
    assert emu.checkout(checkout_id).voucher_code is None


async def test_specific_product_voucher_covers_a_second_custom_priced_line(
    emu: SaleorEmulator, capture_installed: InstalledApp
) -> None:
    """Part 3, voucher first on a list-price line (30.00 -> 27.00); the app's forced new line of the same
    variant at 24.00 is discounted too (21.60); discount 5.40."""
    ids = IdMap()
    await _staff_vouchers(emu, ids)
    name = "graphql-shopper-checkoutAddPromoCode-specific-product.json"
    await _shopper_checkout(emu, ids, name, [(MONOSPACE_S, 1), (CUBES_M, 1)])
    await replay(emu, ids, name)
    await replay(
        emu,
        ids,
        "graphql-app-checkoutLinesAdd-custom-price-after-specific-product-voucher.json",
        token=capture_installed.token,
    )


PRICES = """query($id: ID!) { checkout(id: $id) { voucherCode discount { amount } discountName
  subtotalPrice { gross { amount } } totalPrice { gross { amount } }
  lines { quantity unitPrice { gross { amount } } undiscountedUnitPrice { amount }
          totalPrice { gross { amount } } } } }"""


async def _prices(emu: SaleorEmulator, checkout_id: str) -> dict[str, Any]:
    result = await emu.graphql(PRICES, {"id": checkout_id})
    checkout: dict[str, Any] = result["data"]["checkout"]
    return checkout


def _units(checkout: dict[str, Any]) -> list[float]:
    return [line["unitPrice"]["gross"]["amount"] for line in checkout["lines"]]


async def test_promotion_first_then_voucher(emu: SaleorEmulator) -> None:
    """Mighty Mug 11.99 at 30% off is 8.39; 10% off the order is then taken from 8.39 (0.84)."""
    emu.create_voucher("TEN")
    checkout = await emu.shopper.create_checkout([(MIGHTY_MUG, 1)])
    await emu.shopper.add_promo_code(checkout["id"], "TEN")
    prices = await _prices(emu, checkout["id"])
    assert (prices["discount"]["amount"], _units(prices)) == (0.84, [7.55])
    assert prices["lines"][0]["undiscountedUnitPrice"]["amount"] == 11.99


async def test_fixed_entire_order_voucher_spreads_with_the_remainder_on_the_last_line(
    emu: SaleorEmulator,
) -> None:
    emu.create_voucher("ONE", value_type="FIXED", values={"default-channel": "1.00"})
    checkout = await emu.shopper.create_checkout([(APPLE_JUICE, 1), (MONOSPACE_S, 1)])  # 1.49 + 20.00
    await emu.shopper.add_promo_code(checkout["id"], "ONE")
    prices = await _prices(emu, checkout["id"])
    # 1.49 / 21.49 * 1.00 = 0.0693 -> 0.07 off the first line, the remaining 0.93 off the last.
    assert _units(prices) == [1.42, 19.07]
    assert (prices["discount"]["amount"], prices["totalPrice"]["gross"]["amount"]) == (1.0, 20.49)


async def test_voucher_on_a_line_of_several_units(emu: SaleorEmulator, installed: InstalledApp) -> None:
    """A SPECIFIC_PRODUCT percentage is taken from the line total (2 x 24.00 -> 43.20, unit 21.60)."""
    emu.create_voucher(PROD10, type="SPECIFIC_PRODUCT", variants=[CUBES_M])
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    query = capture(ADD_CUSTOM)["request"]["body"]["query"]
    line = {"variantId": CUBES_M, "quantity": 2, "price": "24.00", "forceNewLine": True}
    await emu.graphql(query, {"id": checkout["id"], "lines": [line]}, token=installed.token)
    await emu.shopper.add_promo_code(checkout["id"], PROD10)
    prices = await _prices(emu, checkout["id"])
    assert prices["lines"][1]["totalPrice"]["gross"]["amount"] == 43.2
    assert (_units(prices), prices["discount"]["amount"]) == ([20.0, 21.6], 4.8)


async def test_voucher_leaves_when_its_line_goes(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    emu.create_voucher(PROD10, type="SPECIFIC_PRODUCT", variants=[CUBES_M], name="Tees")
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1), (CUBES_M, 1)])
    applied = await emu.shopper.add_promo_code(checkout["id"], PROD10)
    assert (applied["voucherCode"], applied["discountName"], applied["discount"]["amount"]) == (
        PROD10,
        "Tees",
        3.0,
    )
    cubes_line = applied["lines"][1]["id"]
    after = await emu.shopper.remove_lines(checkout["id"], [cubes_line])
    assert after["subtotalPrice"]["gross"]["amount"] == 20.0
    assert (await _prices(emu, checkout["id"]))["voucherCode"] is None


async def test_remove_promo_code(emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp) -> None:
    emu.create_voucher(ORDER10)
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    await emu.shopper.add_promo_code(checkout["id"], ORDER10)
    removed = await emu.shopper.remove_promo_code(checkout["id"], ORDER10)
    assert (removed["voucherCode"], removed["discount"]["amount"], _units(removed)) == (None, 0.0, [20.0])
    with pytest.raises(ShopperError, match="Promo code does not exists"):
        await emu.shopper.remove_promo_code(checkout["id"], "NO-SUCH-CODE")
    await emu.drain()
    assert len(fake_app.events("checkout_updated")) == 2  # add and remove; not the failed remove


async def test_unknown_or_unlisted_code_is_invalid(emu: SaleorEmulator) -> None:
    emu.create_voucher("PLN-ONLY", values={"channel-pln": 10})
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    for code in ("NO-SUCH-CODE", "PLN-ONLY"):
        with pytest.raises(ShopperError, match="Promo code is invalid"):
            await emu.shopper.add_promo_code(checkout["id"], code)


async def test_minimum_spent_and_quantity(emu: SaleorEmulator) -> None:
    emu.create_voucher("BIG", min_spent={"default-channel": 30})
    emu.create_voucher("MANY", min_quantity=2)
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    for code in ("BIG", "MANY"):
        with pytest.raises(ShopperError, match="VOUCHER_NOT_APPLICABLE"):
            await emu.shopper.add_promo_code(checkout["id"], code)
    await emu.shopper.add_lines(checkout["id"], [(MONOSPACE_S, 1)])  # 2 x 20.00
    await emu.shopper.add_promo_code(checkout["id"], "BIG")
    assert (await _prices(emu, checkout["id"]))["discount"]["amount"] == 4.0
    line_id = (await emu.shopper.checkout(checkout["id"]))["lines"][0]["id"]
    await emu.shopper.set_quantity(checkout["id"], line_id, 1)  # 20.00 < 30.00: the voucher leaves
    assert (await _prices(emu, checkout["id"]))["voucherCode"] is None


async def test_apply_once_per_order_discounts_the_cheapest_unit(emu: SaleorEmulator) -> None:
    emu.create_voucher("ONCE", apply_once_per_order=True, values={"default-channel": 50})
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 2), (APPLE_JUICE, 3)])
    await emu.shopper.add_promo_code(checkout["id"], "ONCE")
    prices = await _prices(emu, checkout["id"])
    # Half of one juice (0.745 -> 0.75) comes off that line only: 4.47 - 0.75 = 3.72 over 3 units.
    assert [line["totalPrice"]["gross"]["amount"] for line in prices["lines"]] == [40.0, 3.72]
    assert prices["discount"]["amount"] == 0.75


VOUCHER_CREATED = """subscription { event { ... on VoucherCreated { issuingPrincipal { ... on User { email } }
  voucher { code type discountValueType channelListings { channel { slug } discountValue } } } } }"""


async def test_voucher_events_reach_apps_with_manage_discounts(emu: SaleorEmulator) -> None:
    hook = {
        "name": "vouchers",
        "asyncEvents": ["VOUCHER_CREATED"],
        "query": VOUCHER_CREATED,
        "targetPath": "/api/webhooks/vouchers",
    }
    app = FakeApp(permissions=["MANAGE_DISCOUNTS"], hooks=[hook])
    blind = FakeApp(identifier="other.app", permissions=["MANAGE_ORDERS"], hooks=[hook])
    async with serve_asgi(app.asgi()) as url, serve_asgi(blind.asgi()) as blind_url:
        app.base_url, blind.base_url = url, blind_url
        await emu.install_app(f"{url}/api/manifest")
        await emu.install_app(f"{blind_url}/api/manifest")
        await _staff_vouchers(emu, IdMap())
        await emu.drain()
    bodies = [json.loads(r.body) for r in app.received if r.path == "/api/webhooks/vouchers"]
    assert [b["voucher"]["code"] for b in bodies] == [ORDER10, PROD10]
    assert bodies[0]["issuingPrincipal"] == {"email": "admin@example.com"}
    assert bodies[0]["voucher"]["channelListings"] == []  # sent at voucherCreate, before the listing
    assert [r for r in blind.received if r.path == "/api/webhooks/vouchers"] == []


async def test_fixed_specific_product_voucher_is_per_unit(emu: SaleorEmulator) -> None:
    """FIXED and not once per order: the amount comes off each unit of a covered line, capped at its price."""
    emu.create_voucher(
        "FIVE", type="SPECIFIC_PRODUCT", value_type="FIXED", values={"default-channel": 5}, variants=[CUBES_M]
    )
    emu.create_voucher(
        "BIG",
        type="SPECIFIC_PRODUCT",
        value_type="FIXED",
        values={"default-channel": 99},
        variants=[APPLE_JUICE],
    )
    checkout = await emu.shopper.create_checkout([(CUBES_M, 2), (APPLE_JUICE, 1)])
    await emu.shopper.add_promo_code(checkout["id"], "FIVE")
    prices = await _prices(emu, checkout["id"])
    assert (
        [line["totalPrice"]["gross"]["amount"] for line in prices["lines"]],
        prices["discount"]["amount"],
    ) == (
        [50.0, 1.49],
        10.0,
    )
    await emu.shopper.add_promo_code(checkout["id"], "BIG")  # a second code replaces the first
    prices = await _prices(emu, checkout["id"])
    assert (_units(prices), prices["discount"]["amount"], prices["voucherCode"]) == ([30.0, 0.0], 1.49, "BIG")
