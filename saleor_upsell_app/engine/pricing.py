"""Offer prices: from a rule's price form to the unit price the shopper pays and the override to send.

Terms:
- *regular price*: the variant's undiscounted catalogue price (``pricing.priceUndiscounted``).
- *catalogue price*: the price after active catalogue promotions (``pricing.price``).
- *target*: the unit price the shopper should pay for the offer.
- *override*: what the app sends as ``CheckoutLineInput.price``.

percent_off and amount_off are relative to the regular price; fixed is the rule's amount for the
checkout's currency (never converted); only free_gift yields 0. Without ``allow_promotion_stacking`` an
offer that costs more than the catalogue price is refused (the shopper would pay more than for buying the
product normally); with it, the target is min(offer price, catalogue price).

Price convention: every amount here (regular, catalogue, target, override) is in the channel's price
convention, the one its prices are entered in: net when prices are entered without tax, gross when with.
That is how Saleor reads a custom price (an override of 14.96 with a 10% rate is charged 16.46 gross in a
channel that enters prices without tax), so the shopper pays tax on an offer exactly as on any product.

Promotion compensation: on Saleor 3.23.28 a catalogue promotion is applied on top of a custom line price
(override 6.00 on a variant with a 30% promotion was charged 4.20). So the override is the target divided
by the promotion ratio (catalogue / regular). The caller reads the line's ``unitPrice`` back from the
mutation answer and asks :func:`check_offer_price` what to do: keep it, correct it once, or withdraw it.

Vouchers are the shopper's: Saleor applies them on top of the custom price too (ENTIRE_ORDER spread into
every line's price, SPECIFIC_PRODUCT on the covered lines), and the app never compensates them. So a
checkout that carries a voucher code may charge less than the target, and that is kept as it is.

Free gifts: the override is 0. Saleor's ``PositiveDecimal`` is documented in the 3.23 schema as
"0 or greater", and any promotion applied to 0 stays 0, so no compensation is needed. (A zero custom
price has not been tried on a real Saleor yet; if it is refused, the lead should drop free gifts rather
than charge a minimum unit.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from .money import quantize, smallest_unit
from .spec import AmountOff, FixedPrice, FreeGift, PercentOff
from .types import SkipReason, VariantPricing

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class OfferPrice:
    unit_price: Decimal  # target
    override_price: Decimal
    regular_price: Decimal
    is_free_gift: bool


@dataclass(frozen=True, slots=True)
class PriceProblem:
    reason: SkipReason
    message: str


def list_offer_price(
    price: PercentOff | AmountOff | FixedPrice | FreeGift, regular_price: Decimal, currency: str
) -> Decimal | PriceProblem:
    """The offer's unit price before promotions, quantized; a problem when the rule cannot price it."""
    if isinstance(price, FreeGift):
        return _ZERO
    if isinstance(price, PercentOff):
        raw = regular_price * (_HUNDRED - price.percent) / _HUNDRED
    else:
        amount = price.amounts.get(currency)
        if amount is None:
            return PriceProblem(
                SkipReason.NO_AMOUNT_FOR_CURRENCY, f"the rule has no {price.type} amount for {currency}"
            )
        raw = regular_price - amount if isinstance(price, AmountOff) else amount
    value = quantize(raw, currency)
    if value <= 0:
        return PriceProblem(SkipReason.PRICE_NOT_POSITIVE, f"the offer would cost {value} {currency}")
    if value > regular_price:
        return PriceProblem(
            SkipReason.ABOVE_REGULAR_PRICE,
            f"fixed price {value} {currency} is above the regular price {regular_price}",
        )
    return value


def override_for_target(
    target: Decimal, regular_price: Decimal, catalogue_price: Decimal, currency: str
) -> Decimal:
    """The custom price that makes Saleor charge ``target`` once it applies the catalogue promotion."""
    if target <= 0 or catalogue_price >= regular_price or regular_price <= 0 or catalogue_price <= 0:
        return target
    ratio = catalogue_price / regular_price
    rounded = quantize(target / ratio, currency)
    unit = smallest_unit(currency)
    # The ratio is read from rounded prices; pick the neighbour whose predicted charge hits the target.
    for candidate in (rounded, rounded - unit, rounded + unit):
        if candidate > 0 and quantize(candidate * ratio, currency) == target:
            return candidate
    return rounded


def offer_price(
    price: PercentOff | AmountOff | FixedPrice | FreeGift,
    pricing: VariantPricing,
    currency: str,
    allow_promotion_stacking: bool,
) -> OfferPrice | PriceProblem:
    """Price an offer of ``pricing``'s variant in ``currency``."""
    if pricing.currency != currency:
        return PriceProblem(
            SkipReason.CURRENCY_MISMATCH,
            f"variant is priced in {pricing.currency}, the checkout is in {currency}",
        )
    regular = quantize(pricing.regular_price, currency)
    catalogue = quantize(pricing.current_price, currency)
    listed = list_offer_price(price, regular, currency)
    if isinstance(listed, PriceProblem):
        return listed
    target = listed
    if allow_promotion_stacking:
        target = min(target, catalogue)
        if target <= 0 and not isinstance(price, FreeGift):
            return PriceProblem(SkipReason.PRICE_NOT_POSITIVE, f"the catalogue price is {catalogue}")
    elif target > catalogue:
        return PriceProblem(
            SkipReason.PROMOTION_IS_BETTER,
            f"offer {target} {currency} is above the promotion price {catalogue} {currency}",
        )
    return OfferPrice(
        unit_price=target,
        override_price=override_for_target(target, regular, catalogue, currency),
        regular_price=regular,
        is_free_gift=isinstance(price, FreeGift),
    )


def corrected_override(
    sent_override: Decimal, observed_unit_price: Decimal, target: Decimal, currency: str
) -> Decimal | None:
    """The override to send on the second try, or None when there is nothing (sensible) to correct.

    Two models explain a mismatch: a percentage promotion (charge = override × r, so the answer is
    target × sent / observed) and a fixed-amount promotion (charge = override − d, so sent + target −
    observed). One observation cannot tell them apart, so the *smaller* override is sent, rounded down:
    under either kind of promotion the shopper then pays at most the target (under the other kind, a
    little less). None when the charge already equals the target, when the target is 0 (a free gift
    cannot be corrected upwards), or when the promotion took the whole price (nothing to scale from).
    """
    target = quantize(target, currency)
    observed = quantize(observed_unit_price, currency)
    if observed == target or target <= 0 or observed <= 0 or sent_override <= 0:
        return None
    percent_model = target * sent_override / observed
    fixed_model = sent_override + target - observed
    corrected = quantize(min(percent_model, fixed_model), currency, rounding=ROUND_DOWN)
    if corrected < smallest_unit(currency) or corrected == sent_override:
        return None
    return corrected


class PriceOutcome(StrEnum):
    EXACT = "exact"  # Saleor charges the offer price
    VOUCHER = "voucher"  # less: the shopper's voucher, applied on top (never compensated)
    BELOW = "below"  # less, and nothing sensible to correct: the shopper pays less, never more


@dataclass(frozen=True, slots=True)
class KeepPrice:
    outcome: PriceOutcome


@dataclass(frozen=True, slots=True)
class CorrectPrice:
    """Send ``override`` once (a promotion Saleor applied differs from the one priced)."""

    override: Decimal


@dataclass(frozen=True, slots=True)
class WithdrawOffer:
    """Take the line out: Saleor charges more than promised (or nothing at all) and it cannot be fixed."""

    message: str


def check_offer_price(
    target: Decimal,
    sent_override: Decimal,
    charged: Decimal,
    currency: str,
    *,
    voucher: bool,
    corrected: bool,
) -> KeepPrice | CorrectPrice | WithdrawOffer:
    """What to do with an offer line Saleor charges ``charged`` per unit (channel price convention) after
    the app sent ``sent_override`` for a promised ``target``.

    ``voucher``: the checkout carries a voucher code (from the same mutation answer). ``corrected``: this
    is the reading after the one correction; nothing is sent again (the check never loops).

    - charged == target: kept.
    - charged > target (a promotion ended, a surcharge): corrected once, downwards; withdrawn if it
      stays above. The shopper never pays more than promised.
    - charged < target with a voucher: kept. The voucher is the shopper's entitlement, taken on top of
      the offer price; raising the override would take it back (an ENTIRE_ORDER 10% voucher on a 9.59
      offer charges 8.63, and 8.63 is what the shopper is owed).
    - charged < target without a voucher: a promotion deeper than the one priced; corrected once,
      upwards but never above the target (:func:`corrected_override`). A line priced at 0 for a paid
      offer is withdrawn (a promotion took the whole price).
    """
    target = quantize(target, currency)
    charged = quantize(charged, currency)
    if charged == target:
        return KeepPrice(PriceOutcome.EXACT)
    if charged > target:
        fixed = None if corrected else corrected_override(sent_override, charged, target, currency)
        if fixed is None or fixed >= sent_override:
            return WithdrawOffer(f"unit price {charged} {currency} is above the offer price {target}")
        return CorrectPrice(fixed)
    if voucher:
        return KeepPrice(PriceOutcome.VOUCHER)
    if charged <= 0 < target:
        return WithdrawOffer(f"unit price {charged} {currency} for an offer of {target}")
    fixed = None if corrected else corrected_override(sent_override, charged, target, currency)
    if fixed is None or fixed <= sent_override:
        return KeepPrice(PriceOutcome.BELOW)
    return CorrectPrice(fixed)


def price_override_reason(rule_id: int, kind: str, offer: OfferPrice, currency: str) -> str:
    """Text for ``priceOverrideReason`` (Saleor truncates at 255 characters; we never exceed it)."""
    text = (
        f"saleor-upsell {kind} {rule_id}: {offer.unit_price} {currency} "
        f"(regular {offer.regular_price} {currency})"
    )
    return text[:255]
