from decimal import Decimal

import pytest

from saleor_upsell_app.engine.pricing import (
    CorrectPrice,
    KeepPrice,
    OfferPrice,
    PriceOutcome,
    PriceProblem,
    WithdrawOffer,
    check_offer_price,
    corrected_override,
    offer_price,
    override_for_target,
    price_override_reason,
)
from saleor_upsell_app.engine.spec import AmountOff, FixedPrice, FreeGift, PercentOff
from saleor_upsell_app.engine.types import SkipReason

from .factories import variant_pricing

D = Decimal


def priced(
    price: object, regular: str, current: str | None = None, *, currency: str = "USD", stacking: bool = False
) -> OfferPrice:
    result = offer_price(price, variant_pricing(1, regular, current, currency=currency), currency, stacking)  # type: ignore[arg-type]
    assert isinstance(result, OfferPrice), result
    return result


def problem(
    price: object,
    regular: str,
    current: str | None = None,
    *,
    currency: str = "USD",
    checkout_currency: str = "USD",
    stacking: bool = False,
) -> SkipReason:
    pricing = variant_pricing(1, regular, current, currency=currency)
    result = offer_price(price, pricing, checkout_currency, stacking)  # type: ignore[arg-type]
    assert isinstance(result, PriceProblem), result
    return result.reason


def test_percent_off_is_relative_to_the_regular_price_and_rounded() -> None:
    offer = priced(PercentOff(type="percent_off", percent=D("15")), "11.99")
    assert offer.unit_price == D("10.19")  # 10.1915
    assert offer.override_price == offer.unit_price
    assert offer.regular_price == D("11.99")


def test_amounts_are_per_currency_and_never_converted() -> None:
    off = AmountOff(type="amount_off", amounts={"USD": D("2.50"), "JPY": D("300")})
    assert priced(off, "10.00").unit_price == D("7.50")
    assert priced(off, "1500", currency="JPY").unit_price == D("1200")
    assert problem(off, "10.00", currency="EUR", checkout_currency="EUR") is SkipReason.NO_AMOUNT_FOR_CURRENCY
    assert problem(off, "10.00", currency="USD", checkout_currency="EUR") is SkipReason.CURRENCY_MISMATCH


def test_jpy_and_kwd_rounding() -> None:
    assert priced(PercentOff(type="percent_off", percent=D("33")), "999", currency="JPY").unit_price == D(
        "669"
    )
    kwd = priced(PercentOff(type="percent_off", percent=D("10")), "1.255", currency="KWD")
    assert kwd.unit_price == D("1.130")  # 1.1295 half up


def test_only_free_gift_may_be_zero() -> None:
    assert priced(FreeGift(type="free_gift"), "10.00").unit_price == 0
    off = AmountOff(type="amount_off", amounts={"USD": D("10.00")})
    assert problem(off, "10.00") is SkipReason.PRICE_NOT_POSITIVE
    assert problem(PercentOff(type="percent_off", percent=D("99.9")), "0.04") is SkipReason.PRICE_NOT_POSITIVE


def test_fixed_price_above_regular_is_refused() -> None:
    assert priced(FixedPrice(type="fixed", amounts={"USD": D("7")}), "10.00").unit_price == D("7")
    assert (
        problem(FixedPrice(type="fixed", amounts={"USD": D("12")}), "10.00") is SkipReason.ABOVE_REGULAR_PRICE
    )


def test_without_stacking_a_better_promotion_wins_and_the_offer_is_skipped() -> None:
    percent = PercentOff(type="percent_off", percent=D("20"))
    assert problem(percent, "10.00", "7.00") is SkipReason.PROMOTION_IS_BETTER
    offer = priced(percent, "10.00", "9.00")  # promotion 10%, offer 20%: the offer still applies
    assert offer.unit_price == D("8.00")


def test_with_stacking_the_target_is_the_lower_of_offer_and_promotion() -> None:
    percent = PercentOff(type="percent_off", percent=D("20"))
    offer = priced(percent, "10.00", "7.00", stacking=True)
    assert offer.unit_price == D("7.00")


def test_override_compensates_a_percentage_promotion_like_the_observed_saleor() -> None:
    # Saleor 3.23.28 charged 4.20 for an override of 6.00 under a 30% promotion.
    override = override_for_target(D("6.00"), D("11.99"), D("8.39"), "USD")
    assert (override * D("0.7")).quantize(D("0.01")) == D("6.00")
    offer = priced(FixedPrice(type="fixed", amounts={"USD": D("6.00")}), "11.99", "8.39")
    assert offer.unit_price == D("6.00") and offer.override_price == override


def test_override_without_promotion_is_the_target() -> None:
    assert override_for_target(D("6.00"), D("10.00"), D("10.00"), "USD") == D("6.00")
    assert override_for_target(D("0"), D("10.00"), D("7.00"), "USD") == 0


@pytest.mark.parametrize(
    ("sent", "observed", "target", "expected"),
    [
        (D("6.00"), D("4.20"), D("6.00"), D("7.80")),  # unknown 30% promo: fixed model is the smaller
        (D("7.14"), D("4.14"), D("5.00"), D("8.00")),  # fixed 3.00 promo, first try assumed a ratio
        (D("8.57"), D("6.01"), D("6.00"), D("8.55")),  # one cent over under a percentage promotion
        (D("6.00"), D("6.00"), D("6.00"), None),
        (D("6.00"), D("0.00"), D("6.00"), None),
        (D("0"), D("0"), D("0"), None),
    ],
)
def test_corrected_override(sent: D, observed: D, target: D, expected: D | None) -> None:
    assert corrected_override(sent, observed, target, "USD") == expected


@pytest.mark.parametrize("promo", ["percent", "fixed"])
def test_corrected_override_never_makes_the_shopper_pay_more_than_the_target(promo: str) -> None:
    def saleor_charge(override: D) -> D:
        charged = override * D("0.7") if promo == "percent" else override - D("3.00")
        return max(charged, D(0)).quantize(D("0.01"))

    target = D("5.00")
    sent = D("5.00")  # first try knew nothing about the promotion
    corrected = corrected_override(sent, saleor_charge(sent), target, "USD")
    assert corrected is not None
    assert saleor_charge(corrected) <= target
    assert saleor_charge(corrected) > saleor_charge(sent)


def check(charged: str, *, voucher: bool = False, corrected: bool = False, sent: str = "9.59") -> object:
    return check_offer_price(D("9.59"), D(sent), D(charged), "USD", voucher=voucher, corrected=corrected)


def test_price_check_keeps_the_exact_price() -> None:
    assert check("9.59") == KeepPrice(PriceOutcome.EXACT)
    assert check("9.590001") == KeepPrice(PriceOutcome.EXACT)  # compared per currency


def test_price_check_keeps_what_a_voucher_takes_off() -> None:
    # ENTIRE_ORDER 10% before the bump: 8.63 for 9.59 is the shopper's (the issue's first case).
    assert check("8.63", voucher=True) == KeepPrice(PriceOutcome.VOUCHER)
    assert check("0.00", voucher=True) == KeepPrice(PriceOutcome.VOUCHER)  # a 100% voucher is too


def test_price_check_corrects_a_promotion_once_and_never_above_the_target() -> None:
    verdict = check("6.71")  # an unforeseen 30% promotion
    assert isinstance(verdict, CorrectPrice) and verdict.override > D("9.59")
    assert verdict.override * D("0.7") <= D("9.59")
    assert check("6.71", corrected=True) == KeepPrice(PriceOutcome.BELOW)  # never a second time
    assert isinstance(check("0.00"), WithdrawOffer)  # the promotion took the whole price


def test_price_check_lowers_a_price_above_the_promise_or_withdraws_it() -> None:
    verdict = check("10.55")
    assert isinstance(verdict, CorrectPrice) and verdict.override < D("9.59")
    assert isinstance(check("10.55", voucher=True), CorrectPrice)  # a voucher never excuses more
    assert isinstance(check("9.60", corrected=True), WithdrawOffer)
    assert isinstance(check("0.02", sent="0.01"), CorrectPrice)  # upwards from a tiny override is fine
    assert isinstance(check("9.60", sent="0.01"), WithdrawOffer)  # nothing below the smallest unit


def test_reason_fits_saleor_limit() -> None:
    offer = OfferPrice(D("6.00"), D("8.57"), D("11.99"), False)
    text = price_override_reason(int("9" * 400), "bump", offer, "USD")
    assert len(text) == 255
    assert (
        price_override_reason(15, "bump", offer, "USD")
        == "saleor-upsell bump 15: 6.00 USD (regular 11.99 USD)"
    )
