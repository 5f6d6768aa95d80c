"""Flat-rate taxes against the captures of part 4 (channel-pln, PL 10%, prices entered without and with
tax), then the rest of Saleor's flat-rate path (saleor/tax/calculations, checkout/calculations.py of
3.23.28): no charging, per-country settings, the address's country, shipping, orders, variant pricing."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.money import TaxMode
from testing.saleor_emulator.serve import serve_asgi

from .fake_app import FakeApp, capture
from .replay import IdMap, assert_webhook, replay

MONOSPACE_S, CUBES_M = "UHJvZHVjdFZhcmlhbnQ6MzQ4", "UHJvZHVjdFZhcmlhbnQ6Mzk1"
PLN = "channel-pln"


async def _part_4(emu: SaleorEmulator, app: FakeApp, installed: InstalledApp, ids: IdMap, mode: str) -> None:
    """channel-pln at PL 10%: the shopper's 90.00 tee, then the app's custom 100.00 line and its webhook."""
    await replay(emu, ids, f"graphql-shopper-checkoutCreate-channel-pln-taxed-prices-{mode}-tax.json")
    await replay(
        emu,
        ids,
        f"graphql-app-checkoutLinesAdd-custom-price-tax-prices-{mode}-tax.json",
        token=installed.token,
    )
    await emu.drain()
    name = f"webhook-channel-pln-checkout-updated-by-app-custom-price-tax-prices-{mode}-tax.json"
    assert_webhook(app, "checkout_updated", ids, name)


async def test_custom_price_is_net_then_gross_following_the_price_entry(
    emu: SaleorEmulator, capture_app: FakeApp, capture_installed: InstalledApp
) -> None:
    """4a, prices entered without tax: an override of 100.00 is charged 110.00 gross (net 100.00) and
    undiscountedUnitPrice stays 100.00. 4b, with tax: the same override is 100.00 gross, 90.91 net.
    Then the PL rate is deleted."""
    ids, staff = IdMap(), emu.staff_token()
    await replay(emu, ids, "graphql-staff-taxConfigurationUpdate-prices-without-tax.json", token=staff)
    await replay(emu, ids, "graphql-staff-taxCountryConfigurationUpdate-PL-10.json", token=staff)
    await _part_4(emu, capture_app, capture_installed, ids, "without")
    await replay(emu, ids, "graphql-staff-taxConfigurationUpdate-prices-with-tax.json", token=staff)
    await _part_4(emu, capture_app, capture_installed, ids, "with")
    await replay(emu, ids, "graphql-staff-taxCountryConfigurationDelete-PL.json", token=staff)
    assert emu.state.tax_rates == {}


TAX_SETTINGS = """query($slug: String!) {
  channel(slug: $slug) { taxConfiguration { id chargeTaxes taxCalculationStrategy pricesEnteredWithTax
    displayGrossPrices countries { country { code } chargeTaxes displayGrossPrices } } }
  taxConfigurations(first: 10) { edges { node { channel { slug } pricesEnteredWithTax } } }
  taxCountryConfiguration(countryCode: PL) { country { code } taxClassCountryRates { rate taxClass { id } } }
  taxCountryConfigurations { country { code } }
}"""


async def test_an_app_reads_the_tax_settings(emu: SaleorEmulator, installed: InstalledApp) -> None:
    """Channel.taxConfiguration, taxConfigurations and taxCountryConfiguration(s) need AUTHENTICATED_APP
    (or a staff user): an app token with no particular permission reads them, a shopper cannot."""
    emu.set_tax_rate("PL", 23)
    installed.app.permission_codes = []
    result = await emu.graphql(TAX_SETTINGS, {"slug": PLN}, token=installed.token)
    data = result["data"]
    assert data["channel"]["taxConfiguration"] == {
        "id": "VGF4Q29uZmlndXJhdGlvbjoy",
        "chargeTaxes": True,
        "taxCalculationStrategy": "FLAT_RATES",
        "pricesEnteredWithTax": True,
        "displayGrossPrices": True,
        "countries": [],
    }
    by_channel = {
        e["node"]["channel"]["slug"]: e["node"]["pricesEnteredWithTax"]
        for e in data["taxConfigurations"]["edges"]
    }
    assert by_channel == {"default-channel": False, PLN: True, "channel-jpy": True}
    assert data["taxCountryConfiguration"] == {
        "country": {"code": "PL"},
        "taxClassCountryRates": [{"rate": 23.0, "taxClass": None}],
    }
    assert data["taxCountryConfigurations"] == [{"country": {"code": "PL"}}]
    shopper = await emu.graphql(TAX_SETTINGS, {"slug": PLN})
    codes = {e["extensions"]["exception"]["code"] for e in shopper["errors"]}
    assert codes == {"PermissionDenied"}
    assert shopper["data"]["taxConfigurations"] is None and shopper["data"]["taxCountryConfiguration"] is None


LINE_PRICES = """query($id: ID!) { checkout(id: $id) { displayGrossPrices
  lines { unitPrice { net { amount } gross { amount } tax { amount } } }
  shippingPrice { net { amount } gross { amount } }
  totalPrice { net { amount } gross { amount } } } }"""


async def _taxed(emu: SaleorEmulator, checkout_id: str) -> dict[str, Any]:
    checkout: dict[str, Any] = (await emu.graphql(LINE_PRICES, {"id": checkout_id}))["data"]["checkout"]
    return checkout


def _unit(checkout: dict[str, Any], index: int = 0) -> tuple[float, float]:
    price = checkout["lines"][index]["unitPrice"]
    return price["net"]["amount"], price["gross"]["amount"]


async def test_not_charging_taxes_keeps_the_net_price(emu: SaleorEmulator) -> None:
    """chargeTaxes false: Saleor still computes the flat rate, then sets gross to net; with prices
    entered with tax the shopper pays the net 81.82 of a 90.00 price."""
    emu.set_tax_rate("PL", 10)
    emu.configure_taxes(PLN, chargeTaxes=False)
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)], channel=PLN)
    assert _unit(await _taxed(emu, checkout["id"])) == (81.82, 81.82)
    emu.configure_taxes(PLN, pricesEnteredWithTax=False)
    assert _unit(await _taxed(emu, checkout["id"])) == (90.0, 90.0)


async def test_country_settings_and_the_address_country(emu: SaleorEmulator) -> None:
    emu.set_tax_rate("PL", 10)
    emu.set_tax_rate("DE", 19)
    emu.configure_taxes(
        PLN,
        updateCountriesConfiguration=[
            {"countryCode": "PL", "chargeTaxes": False, "displayGrossPrices": False}
        ],
    )
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)], channel=PLN)
    untaxed = await _taxed(emu, checkout["id"])
    assert (_unit(untaxed), untaxed["displayGrossPrices"]) == ((81.82, 81.82), False)
    address = {"firstName": "Eva", "lastName": "K", "streetAddress1": "Hauptstr. 1", "city": "Berlin"}
    await emu.shopper.set_addresses(checkout["id"], {**address, "postalCode": "10115", "country": "DE"})
    german = await _taxed(emu, checkout["id"])
    assert (_unit(german), german["displayGrossPrices"]) == ((75.63, 90.0), True)  # 90 / 1.19


async def test_shipping_is_taxed_at_the_country_rate(emu: SaleorEmulator) -> None:
    emu.set_tax_rate("US", 10)  # default-channel: prices entered without tax
    checkout = await emu.shopper.ready_checkout([(MONOSPACE_S, 1)])
    taxed = await _taxed(emu, checkout["id"])
    assert taxed["shippingPrice"] == {"net": {"amount": 10.0}, "gross": {"amount": 11.0}}
    assert taxed["totalPrice"] == {"net": {"amount": 30.0}, "gross": {"amount": 33.0}}
    assert taxed["lines"][0]["unitPrice"]["tax"] == {"amount": 2.0}


ORDER = """mutation($id: ID!) { orderCreateFromCheckout(id: $id) { order {
  total { net { amount } gross { amount } } subtotal { net { amount } gross { amount } }
  lines { unitPrice { net { amount } gross { amount } }
          undiscountedUnitPrice { net { amount } gross { amount } } taxRate } } errors { code } } }"""


async def test_order_keeps_the_taxed_prices(emu: SaleorEmulator, installed: InstalledApp) -> None:
    emu.set_tax_rate("US", 10)
    checkout = await emu.shopper.ready_checkout([(MONOSPACE_S, 1)])
    add = capture("graphql-app-checkoutLinesAdd-custom-price-force-new-line.json")["request"]["body"]
    await emu.graphql(add["query"], {**add["variables"], "id": checkout["id"]}, token=installed.token)
    order = (await emu.graphql(ORDER, {"id": checkout["id"]}, token=installed.token))["data"][
        "orderCreateFromCheckout"
    ]["order"]
    assert [
        (line["unitPrice"]["net"]["amount"], line["unitPrice"]["gross"]["amount"]) for line in order["lines"]
    ] == [
        (20.0, 22.0),
        (24.0, 26.4),
    ]
    assert order["lines"][1]["undiscountedUnitPrice"] == {"net": {"amount": 24.0}, "gross": {"amount": 26.4}}
    assert order["lines"][1]["taxRate"] == 0.1
    assert order["subtotal"] == {"net": {"amount": 44.0}, "gross": {"amount": 48.4}}
    assert order["total"] == {"net": {"amount": 54.0}, "gross": {"amount": 59.4}}  # + 10.00 shipping + 10%


PRICING = """query($ids: [ID!]) { productVariants(ids: $ids, channel: "channel-pln", first: 5) {
  edges { node { id pricing { price { net { amount } gross { amount } } } } } } }"""


async def test_variant_pricing_is_taxed_like_the_catalogue(emu: SaleorEmulator) -> None:
    """Flat rates apply to VariantPricingInfo whether or not the channel charges taxes."""
    emu.set_tax_rate("PL", 10)
    emu.configure_taxes(PLN, chargeTaxes=False)
    result = await emu.graphql(PRICING, {"ids": [MONOSPACE_S]})
    [edge] = result["data"]["productVariants"]["edges"]
    assert edge["node"]["pricing"]["price"] == {"net": {"amount": 81.82}, "gross": {"amount": 90.0}}


def test_tax_mode_rounds_per_currency_half_up() -> None:
    assert TaxMode(Decimal(23)).apply(Decimal("0.05"), "USD") == (Decimal("0.05"), Decimal("0.06"))  # 0.0615
    assert TaxMode(Decimal(10), entered_with_tax=True).apply(Decimal("0.55"), "USD") == (
        Decimal("0.50"),
        Decimal("0.55"),
    )
    assert TaxMode(Decimal(10)).apply(Decimal("1505"), "JPY") == (Decimal("1505"), Decimal("1656"))  # 1655.5
    assert TaxMode().apply(Decimal("19.999"), "USD") == (Decimal("20.00"), Decimal("20.00"))


async def test_a_tax_app_strategy_is_not_silently_priced(emu: SaleorEmulator) -> None:
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)], channel=PLN)
    emu.configure_taxes(PLN, taxCalculationStrategy="TAX_APP")
    result = await emu.graphql(LINE_PRICES, {"id": checkout["id"]})
    assert result["errors"][0]["extensions"]["exception"]["code"] == "EmulatorUnsupported"


TAXED_UPDATE = """subscription { event { ... on CheckoutUpdated { checkout {
  displayGrossPrices channel { taxConfiguration { chargeTaxes pricesEnteredWithTax displayGrossPrices } }
  voucherCode discount { amount } taxExemption
  lines { unitPrice { net { amount } gross { amount } } undiscountedUnitPrice { amount } } } } } }"""


async def test_a_webhook_subscription_can_carry_the_tax_settings(emu: SaleorEmulator) -> None:
    """Webhook bodies run as the receiving app, so AUTHENTICATED_APP fields such as
    Channel.taxConfiguration can travel with every CHECKOUT_UPDATED."""
    hook = {
        "name": "taxed",
        "asyncEvents": ["CHECKOUT_UPDATED"],
        "query": TAXED_UPDATE,
        "targetPath": "/api/webhooks/t",
    }
    app = FakeApp(permissions=["MANAGE_CHECKOUTS"], hooks=[hook])
    emu.set_tax_rate("PL", 10)
    async with serve_asgi(app.asgi()) as url:
        app.base_url = url
        await emu.install_app(f"{url}/api/manifest")
        checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)], channel=PLN)
        await emu.shopper.set_email(checkout["id"], "ann@example.com")
        await emu.drain()
    [received] = app.events("checkout_updated")
    assert json.loads(received.body)["checkout"] == {
        "displayGrossPrices": True,
        "channel": {
            "taxConfiguration": {
                "chargeTaxes": True,
                "pricesEnteredWithTax": True,
                "displayGrossPrices": True,
            }
        },
        "voucherCode": None,
        "discount": {"amount": 0.0},
        "taxExemption": False,
        "lines": [
            {
                "unitPrice": {"net": {"amount": 81.82}, "gross": {"amount": 90.0}},
                "undiscountedUnitPrice": {"amount": 90.0},
            }
        ],
    }
