"""Accepts in a taxed channel (flat 10% rate in the emulated Saleor): the offer line is read in the channel's
price convention. With prices entered without tax Saleor adds the tax on top of the custom price, so the
line is at the offer price *net* (and dearer gross); with prices entered with tax it is at the offer price
gross. Either way the accept succeeds and no correction is sent (follow-up checkout and same order)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_upsell_app.postpurchase import order_metadata as om
from tests.postpurchase.helpers import (
    APPLE_JUICE,
    CHANNEL,
    Shop,
    add_rule,
    buy_tee,
    events,
    keep_orders_unconfirmed,
    lines_of,
    offer_rows,
    offer_token,
)
from tests.postpurchase.test_follow_up_checkout import checkout_id_of, follow_ups


def price_updates(shop: Shop) -> list[object]:
    """The app's checkoutLinesUpdate calls (a "correction" of the line's price)."""
    return [call for call in shop.emulator.graphql_calls if "checkoutLinesUpdate" in call.query]


TAXED = pytest.mark.parametrize(
    ("with_tax", "net", "gross"),
    [
        (False, Decimal("1.19"), Decimal("1.31")),  # 1.19 net + 10% tax
        (True, Decimal("1.08"), Decimal("1.19")),  # 1.19 gross of which 0.11 tax
    ],
    ids=["prices-entered-without-tax", "prices-entered-with-tax"],
)


@TAXED
async def test_accept_in_a_taxed_channel_keeps_the_offer_price_as_entered(
    shop: Shop, with_tax: bool, net: Decimal, gross: Decimal
) -> None:
    shop.emulator.configure_taxes(CHANNEL, pricesEnteredWithTax=with_tax)
    shop.emulator.set_tax_rate("US", 10)
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)
    [offer] = await offer_rows(shop.app)
    assert offer.unit_price == Decimal("1.19")  # the signed offer price, in the channel's convention

    response = await shop.accept(offer_token(order))
    assert response.status_code == 303, response.text
    checkout_id = checkout_id_of(response.headers["location"])
    [checkout] = follow_ups(shop.emulator, order)
    assert checkout is shop.emulator.checkout(checkout_id)
    [line] = checkout.lines
    assert (line.variant_obj.id, line.price_override) == (APPLE_JUICE, Decimal("1.19"))
    prices = checkout.prices().lines[line]
    assert (prices.tax_rate, prices.unit_net, prices.unit_gross) == (Decimal(10), net, gross)
    assert price_updates(shop) == []  # tax was not read as a surcharge to correct
    assert order.meta[om.OFFER_STATUS] == "accepted"
    assert order.meta[om.OFFER_RESULT] == "follow-up-checkout"
    assert order.meta[om.OFFER_CHECKOUT] == checkout_id


@TAXED
async def test_same_order_accept_in_a_taxed_channel_keeps_the_offer_price_as_entered(
    shop: Shop, with_tax: bool, net: Decimal, gross: Decimal
) -> None:
    shop.emulator.configure_taxes(CHANNEL, pricesEnteredWithTax=with_tax)
    shop.emulator.set_tax_rate("US", 10)
    keep_orders_unconfirmed(shop.emulator)
    await add_rule(shop.app)
    order = await buy_tee(shop.app, shop.emulator)

    response = await shop.accept(offer_token(order))
    assert response.status_code == 200, response.text
    assert "Added to your order" in response.text
    [line] = lines_of(order, APPLE_JUICE)
    assert line.unit_discount == 0  # no "correction" discount: tax is not a surcharge
    assert line.unitPrice["net"]["amount"] == float(net) and line.unitPrice["gross"]["amount"] == float(gross)
    [accepted] = await events(shop.app, "accepted")
    assert accepted.amount == Decimal("1.19")  # the offer price, in the channel's convention
    assert order.meta[om.OFFER_AMOUNT_DUE] == str(gross)  # what the merchant still collects: tax included
