"""A checkout's prices, computed the way Saleor 3.23.28 does (read in saleor/checkout/base_calculations.py,
saleor/checkout/utils.py, saleor/discount/utils/voucher.py and saleor/tax/calculations/; checked
against the captures of section "Vouchers, taxes and custom prices").

Order of operations per line: the entered price (the custom price if the app set one, else the
listed price) -> catalogue promotion -> a line-level voucher (SPECIFIC_PRODUCT, or any voucher applied
once per order) -> the ENTIRE_ORDER voucher, spread over the lines in proportion to their totals
(the last line takes the remainder) -> flat-rate tax on the line total -> unit = total / quantity.
Every step is rounded per currency, ROUND_HALF_UP."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from .money import ZERO, TaxMode, percent_off, quantize
from .vouchers import ENTIRE_ORDER, PERCENTAGE, SPECIFIC_PRODUCT, NotApplicable, Voucher

if TYPE_CHECKING:
    from .checkout import Checkout, CheckoutLine


class LinePrices(NamedTuple):
    undiscounted_unit: Decimal  # the entered price: undiscountedUnitPrice
    base_total: Decimal  # after every discount, before tax
    total_net: Decimal
    total_gross: Decimal
    unit_net: Decimal
    unit_gross: Decimal
    tax_rate: Decimal
    voucher: Voucher | None  # a line-level voucher applied to this line


class CheckoutPrices(NamedTuple):
    lines: Mapping[CheckoutLine, LinePrices]
    subtotal_net: Decimal
    subtotal_gross: Decimal
    shipping_net: Decimal
    shipping_gross: Decimal
    total_net: Decimal
    total_gross: Decimal
    discount: Decimal  # Checkout.discount
    voucher: Voucher | None  # the voucher, when it applies
    tax: TaxMode
    display_gross: bool


def listed_unit(line: CheckoutLine) -> Decimal:
    """The entered unit price: a custom price replaces the listed one (surprise 14)."""
    if line.price_override is not None:
        return line.price_override
    return line.variant_obj.prices[line.checkout.channel.slug]


def promotion_unit_discount(line: CheckoutLine) -> Decimal:
    """A catalogue promotion applies on top of a custom price too (6.00 with 30% -> 4.20)."""
    promo = line.promotion
    if promo is None:
        return ZERO
    return percent_off(listed_unit(line), promo.percentage, line.checkout.currency)


def discounted_unit(line: CheckoutLine) -> Decimal:
    """Saleor's `variant_discounted_price`: the custom price as entered, else the promoted list price.
    Vouchers validate and size their checkout discount from it."""
    if line.price_override is not None:
        return line.price_override
    return listed_unit(line) - promotion_unit_discount(line)


def _line_voucher_discount(voucher: Voucher, line: CheckoutLine, total: Decimal) -> Decimal:
    """calculate_line_discount_amount_from_voucher: `total` already has the promotion taken off."""
    channel = line.checkout.channel
    quantity = line.quantity
    if voucher.apply_once_per_order:
        unit = total / quantity
        return min(voucher.discount_for(unit, channel), unit)
    if voucher.discount_value_type == PERCENTAGE:
        return min(voucher.discount_for(total, channel), total)
    return min(voucher.discount_for(total / quantity, channel) * quantity, total)


def _line_level_targets(voucher: Voucher, lines: Sequence[CheckoutLine]) -> list[CheckoutLine]:
    """attach_voucher_to_line_info: SPECIFIC_PRODUCT covers matching lines; applied once per order,
    only the cheapest of them (by discounted unit price) gets it."""
    targets = list(lines)
    if voucher.type == SPECIFIC_PRODUCT:
        targets = [line for line in lines if voucher.covers(line.variant_obj)]
    elif not voucher.apply_once_per_order:
        return []
    if voucher.apply_once_per_order and targets:
        targets = [min(targets, key=discounted_unit)]
    return targets


def voucher_discount(voucher: Voucher, checkout: Checkout, base_subtotal: Decimal) -> Decimal:
    """get_voucher_discount_for_checkout (raises NotApplicable); `base_subtotal` has promotions but no
    voucher taken off."""
    if voucher.deleted:
        raise NotApplicable("The voucher no longer exists.")
    channel = checkout.channel
    listing = voucher.listing(channel)
    if listing.min_spent is not None and base_subtotal < listing.min_spent:
        raise NotApplicable(
            f"This offer is only valid for orders over {listing.min_spent} {channel.currency}."
        )
    quantity = sum(line.quantity for line in checkout.lines)
    minimum = voucher.min_checkout_items_quantity
    if minimum and minimum > quantity:
        raise NotApplicable(f"This offer is only valid for orders with a minimum of {minimum} quantity.")
    if voucher.type == ENTIRE_ORDER:
        if voucher.apply_once_per_order:
            units = [discounted_unit(line) for line in checkout.lines for _ in range(line.quantity)]
            return voucher.discount_for(min(units), channel) if units else ZERO
        return voucher.discount_for(base_subtotal, channel)
    if voucher.type == SPECIFIC_PRODUCT:
        units = [
            discounted_unit(line)
            for line in checkout.lines
            if not line.isGift and voucher.covers(line.variant_obj)
            for _ in range(line.quantity)
        ]
        if not units:
            raise NotApplicable("This offer is only valid for selected items.")
        if voucher.apply_once_per_order:
            return voucher.discount_for(min(units), channel)
        return sum((voucher.discount_for(unit, channel) for unit in units), ZERO)
    raise NotApplicable(f"Saleor emulator: {voucher.type} vouchers are not modelled")


def check_voucher(checkout: Checkout, voucher: Voucher) -> Decimal:
    """The discount `voucher` would give `checkout` now (raises NotApplicable)."""
    currency = checkout.currency
    subtotal = sum(
        (
            quantize((listed_unit(li) - promotion_unit_discount(li)) * li.quantity, currency)
            for li in checkout.lines
        ),
        ZERO,
    )
    return min(voucher_discount(voucher, checkout, subtotal), subtotal)


def _spread(totals: list[Decimal], discount: Decimal, currency: str) -> list[Decimal]:
    """_propagate_checkout_discount_on_checkout_lines_prices."""
    if len(totals) == 1:
        return [max(totals[0] - discount, ZERO)]
    whole = sum(totals, ZERO)
    out: list[Decimal] = []
    remaining = discount
    for index, total in enumerate(totals):
        if not whole:
            out.append(ZERO)
        elif index < len(totals) - 1:
            share = quantize(min(total / whole * discount, total), currency)
            out.append(max(total - share, ZERO))
            remaining -= share
        else:
            out.append(max(total - remaining, ZERO))
    return out


def tax_country(checkout: Checkout) -> str:
    """get_checkout_active_country: shipping address, else billing address, else the channel's country."""
    for address in (checkout.shipping_address, checkout.billing_address):
        if address is not None:
            return str(address["country"]["code"])
    return checkout.channel.default_country


def price_checkout(checkout: Checkout, *, zeroed: Collection[CheckoutLine] = ()) -> CheckoutPrices:
    """All prices of `checkout`. Lines in `zeroed` read as 0.00 (a just-added line before Saleor has
    priced it: the transient reading of PROTOCOL "Money facts")."""
    currency = checkout.currency
    channel = checkout.channel
    lines = checkout.lines
    country = tax_country(checkout)
    tax = channel.tax.mode(country, checkout.tax_rates)

    voucher = checkout.voucher
    discount = ZERO
    if voucher is not None:
        try:
            discount = check_voucher(checkout, voucher)
        except NotApplicable:
            voucher = None

    line_level = _line_level_targets(voucher, lines) if voucher is not None else []
    undiscounted: list[Decimal] = []
    base_totals: list[Decimal] = []
    for line in lines:
        unit = listed_unit(line)
        total = unit * line.quantity - promotion_unit_discount(line) * line.quantity
        if voucher is not None and line in line_level:
            total -= _line_voucher_discount(voucher, line, total)
        undiscounted.append(unit)
        base_totals.append(quantize(total, currency))
    spreads = voucher is not None and voucher.type == ENTIRE_ORDER and not voucher.apply_once_per_order
    if spreads and lines:
        base_totals = _spread(base_totals, discount, currency)

    priced: dict[CheckoutLine, LinePrices] = {}
    subtotal_net = subtotal_gross = ZERO
    for line, unit, base in zip(lines, undiscounted, base_totals, strict=True):
        if zeroed and line in zeroed:
            net = gross = unit_net = unit_gross = ZERO
        else:
            net, gross = tax.apply(base, currency)
            unit_net, unit_gross = net, gross
            if line.quantity != 1:
                unit_net, unit_gross = (
                    quantize(net / line.quantity, currency),
                    quantize(gross / line.quantity, currency),
                )
        priced[line] = LinePrices(
            undiscounted_unit=unit,
            base_total=base,
            total_net=net,
            total_gross=gross,
            unit_net=unit_net,
            unit_gross=unit_gross,
            tax_rate=tax.rate,
            voucher=voucher if line in line_level else None,
        )
        subtotal_net += net
        subtotal_gross += gross

    shipping_base = checkout.shipping_base
    shipping_net, shipping_gross = tax.apply(shipping_base, currency)
    return CheckoutPrices(
        lines=priced,
        subtotal_net=subtotal_net,
        subtotal_gross=subtotal_gross,
        shipping_net=shipping_net,
        shipping_gross=shipping_gross,
        total_net=subtotal_net + shipping_net,
        total_gross=subtotal_gross + shipping_gross,
        discount=discount,
        voucher=voucher,
        tax=tax,
        display_gross=channel.tax.shows_gross(country),
    )
