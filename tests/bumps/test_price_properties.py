"""Properties of the whole price path, with random promotions, vouchers, tax settings and currencies:

engine (offer_price from the variant pricing Saleor returns, read by the app's gateway) -> the override
the app sends -> what Saleor charges (the emulator's pricing, built from the captures; the promotion may
have changed since the engine priced it) -> the app's price check (engine.pricing.check_offer_price,
with at most one correction) -> what the shopper pays.

- the shopper's unit price for the offer is never above the promised price, never negative;
- with a voucher on the checkout it is exactly what Saleor charges for the same lines at the app's
  first (promotion-compensated) override: the app never takes the shopper's voucher back;
- it is never more than Saleor charges for the same item bought at its catalogue price with the same
  voucher (when the promotion did not change in between);
- without a voucher, an offer whose promotion the engine priced is kept at exactly the promise.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from saleor_upsell_app.engine.pricing import (
    CorrectPrice,
    KeepPrice,
    OfferPrice,
    PriceOutcome,
    WithdrawOffer,
    check_offer_price,
    offer_price,
)
from saleor_upsell_app.engine.spec import FixedPrice, PercentOff
from saleor_upsell_app.rules.gateway import variant_pricing
from saleor_upsell_app.saleor.results import OfferVariant
from testing.saleor_emulator.catalog import Promotion, VariantInChannel
from testing.saleor_emulator.checkout import Checkout, CheckoutLine
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.pricing import price_checkout
from testing.saleor_emulator.seed import default_state
from testing.saleor_emulator.vouchers import ENTIRE_ORDER, FIXED, PERCENTAGE, SPECIFIC_PRODUCT
from testing.sample_data import CUBES_M, TEE_S

D = Decimal
CHANNELS = {"default-channel": ("USD", "US", D("0.01")), "channel-pln": ("PLN", "PL", D("0.01"))}
CHANNELS["channel-jpy"] = ("JPY", "JP", D(1))
CUBES_PRODUCT = "UHJvZHVjdDoxNjE="  # Cubes Fountain Tee


@dataclass(frozen=True)
class Case:
    channel: str
    regular: Decimal
    shopper_price: Decimal
    shopper_quantity: int
    offer_quantity: int
    promotion: int | None
    # The promotion Saleor applies when the line is added, when it changed since the engine priced the
    # offer (the catalogue pricing is cached): 0 = ended.
    promotion_changed_to: int | None
    percent_off: int | None  # else a fixed price of `fixed_share` of the regular price
    fixed_share: int
    stacking: bool
    voucher: tuple[str, str, int] | None  # (type, value type, value)
    tax_rate: int
    prices_entered_with_tax: bool


def _amount(unit: Decimal) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=100, max_value=50_000).map(lambda n: D(n) * unit)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    channel = draw(st.sampled_from(sorted(CHANNELS)))
    unit = CHANNELS[channel][2]
    voucher = draw(
        st.none()
        | st.tuples(st.just(ENTIRE_ORDER), st.just(PERCENTAGE), st.integers(1, 60))
        | st.tuples(st.just(ENTIRE_ORDER), st.just(FIXED), st.integers(1, 20))
        | st.tuples(st.just(SPECIFIC_PRODUCT), st.just(PERCENTAGE), st.integers(1, 60))
        | st.tuples(st.just(SPECIFIC_PRODUCT), st.just(FIXED), st.integers(1, 5))
    )
    return Case(
        channel=channel,
        regular=draw(_amount(unit)),
        shopper_price=draw(_amount(unit)),
        shopper_quantity=draw(st.integers(1, 3)),
        offer_quantity=draw(st.integers(1, 2)),
        promotion=draw(st.none() | st.integers(1, 90)),
        promotion_changed_to=draw(st.none() | st.integers(0, 90)),
        percent_off=draw(st.none() | st.integers(1, 90)),
        fixed_share=draw(st.integers(5, 100)),
        stacking=draw(st.booleans()),
        voucher=voucher,
        tax_rate=draw(st.sampled_from([0, 5, 8, 10, 23])),
        prices_entered_with_tax=draw(st.booleans()),
    )


CODES = itertools.count()
EMULATOR = SaleorEmulator()  # only its in-memory state and voucher/tax helpers are used (no server)


def _saleor(case: Case) -> tuple[Any, Any, Any]:
    """A fresh Saleor state for the case: (state, channel, offer variant)."""
    emu = EMULATOR
    emu.state = state = default_state()
    _, country, _ = CHANNELS[case.channel]
    emu.configure_taxes(case.channel, pricesEnteredWithTax=case.prices_entered_with_tax)
    emu.set_tax_rate(country, case.tax_rate or None)
    channel = state.channels[case.channel]
    offer = state.node(CUBES_M)
    offer.prices[case.channel] = case.regular
    offer.promotion = Promotion("random", D(case.promotion)) if case.promotion else None
    state.node(TEE_S).prices[case.channel] = case.shopper_price
    return state, channel, offer


def _engine_price(case: Case, state: Any, channel: Any, offer: Any) -> OfferPrice | None:
    """What the app prices: the variant pricing Saleor returns, read by the app's gateway, then the engine."""
    info = SimpleNamespace(context=SimpleNamespace(state=state))
    node = {
        "id": offer.id,
        "name": offer.name,
        "pricing": VariantInChannel(offer, channel).pricing(info),
        "product": {"id": offer.product.id, "name": offer.product.name},
    }
    parsed = OfferVariant.model_validate(json.loads(json.dumps(node)))  # JSON floats, as on the wire
    pricing = variant_pricing(parsed, case.channel, case.prices_entered_with_tax)
    assert pricing is not None
    currency = CHANNELS[case.channel][0]
    if case.percent_off is not None:
        spec: PercentOff | FixedPrice = PercentOff(type="percent_off", percent=D(case.percent_off))
    else:
        amount = (pricing.regular_price * case.fixed_share / 100).quantize(CHANNELS[case.channel][2])
        spec = FixedPrice(type="fixed", amounts={currency: amount})
    priced = offer_price(spec, pricing, currency, case.stacking)
    return priced if isinstance(priced, OfferPrice) else None


def _charged(checkout: Checkout, line: CheckoutLine, with_tax: bool) -> tuple[Decimal, bool]:
    """The offer line's unit price in the channel's convention, and whether the checkout carries a
    voucher (what the app reads from the mutation's answer)."""
    prices = price_checkout(checkout)
    unit = prices.lines[line].unit_gross if with_tax else prices.lines[line].unit_net
    return unit, prices.voucher is not None or prices.discount > 0


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_shopper_never_pays_more_than_promised_and_keeps_their_voucher(case: Case) -> None:
    state, channel, offer = _saleor(case)
    priced = _engine_price(case, state, channel, offer)
    assume(priced is not None)
    assert priced is not None
    currency = channel.currency
    if case.promotion_changed_to is not None:
        changed = case.promotion_changed_to
        offer.promotion = Promotion("changed", D(changed)) if changed else None
    checkout = Checkout(channel=channel, tax_rates=state.tax_rates)
    checkout.lines.append(CheckoutLine(checkout, state.node(TEE_S), case.shopper_quantity))
    line = CheckoutLine(checkout, offer, case.offer_quantity, price_override=priced.override_price)
    checkout.lines.append(line)
    if case.voucher is not None:
        kind, value_type, value = case.voucher
        code = f"V{next(CODES)}"
        products = [CUBES_PRODUCT] if kind == SPECIFIC_PRODUCT else []
        voucher = EMULATOR.create_voucher(
            code, type=kind, value_type=value_type, values={case.channel: value}, products=products
        )
        checkout.voucher, checkout.voucher_code = voucher, code

    with_tax = case.prices_entered_with_tax
    first, voucher = _charged(checkout, line, with_tax)
    verdict = check_offer_price(
        priced.unit_price, priced.override_price, first, currency, voucher=voucher, corrected=False
    )
    paid: Decimal | None = first
    if isinstance(verdict, CorrectPrice):
        line.price_override = verdict.override
        second, voucher = _charged(checkout, line, with_tax)
        verdict = check_offer_price(
            priced.unit_price, verdict.override, second, currency, voucher=voucher, corrected=True
        )
        paid = second
    assert not isinstance(verdict, CorrectPrice)  # at most one correction: the check never loops
    event(f"voucher applied: {voucher}; verdict: {type(verdict).__name__} {getattr(verdict, 'outcome', '')}")
    if isinstance(verdict, WithdrawOffer):
        paid = None  # the line is taken out: the shopper pays nothing for it

    if paid is not None:
        assert D(0) <= paid <= priced.unit_price
    if voucher and first <= priced.unit_price:
        # Exactly Saleor's price at the first override: the voucher is never compensated.
        assert isinstance(verdict, KeepPrice) and paid == first
    if paid is not None and case.promotion_changed_to is None:
        # Never more than Saleor charges for the same item bought normally, with the same voucher.
        line.price_override = None
        plain, _ = _charged(checkout, line, with_tax)
        assert paid <= plain, (paid, plain)
    if not voucher and case.promotion_changed_to is None:
        # Promotion compensated up front: the offer is kept (never withdrawn), and without a promotion
        # its price is exactly the promise, tax or not.
        assert isinstance(verdict, KeepPrice), (verdict, first, priced)
        if case.promotion is None:
            assert verdict.outcome is PriceOutcome.EXACT and paid == priced.unit_price
