"""Building orders and order lines the way Saleor does (captures surprises 17-20;
saleor/checkout/complete_checkout.py `_create_line_for_order`)."""

from __future__ import annotations

from decimal import Decimal

from .catalog import Channel, Variant
from .checkout import Checkout
from .money import NO_TAX, TaxMode, percent_off, quantize
from .orders import Order, OrderLine
from .state import State
from .vouchers import ENTIRE_ORDER


def _country(order: Order) -> str:
    for address in (order.shipping_address, order.billing_address):
        if address is not None:
            return str(address["country"]["code"])
    return order.channel.default_country


def order_tax(state: State, order: Order) -> TaxMode:
    """The flat rate a line added to `order` now is taxed with."""
    return order.channel.tax.mode(_country(order), state.tax_rates) if state.tax_rates else NO_TAX


def new_order(state: State, channel: Channel, status: str, origin: str, user_email: str | None) -> Order:
    order = Order(
        number=next(state.order_numbers), channel=channel, status=status, origin=origin, user_email=user_email
    )
    order.shipping_tax = order_tax(state, order)
    order.display_gross_prices = channel.tax.shows_gross(channel.default_country)
    state.orders[str(order.uuid)] = order
    return order


def add_variant_line(
    order: Order, variant: Variant, quantity: int, price: Decimal | None = None, *, tax: TaxMode | None = None
) -> OrderLine:
    """A line as orderLinesCreate/draftOrderCreate make it: the active catalogue promotion is applied
    as a PERCENTAGE unit discount with reason "Promotion: <id>" (graphql-app-orderLinesCreate.json);
    taxed like the order's shipping unless `tax` says otherwise."""
    channel = order.channel
    base = price if price is not None else variant.prices[channel.slug]
    line = OrderLine(
        order=order,
        variant_obj=variant,
        quantity=quantity,
        undiscounted_unit=base,
        product_name=variant.product.name,
        variant_name=variant.name,
        product_sku=variant.sku,
        is_price_overridden=price is not None,
        is_shipping_required=variant.product.product_type.is_shipping_required,
        tax=tax if tax is not None else order.shipping_tax,
    )
    promo = variant.promotion_in(channel)
    if promo is not None:
        line.unit_discount = percent_off(base, promo.percentage, channel.currency)
        line.discount_type, line.discount_value = "PERCENTAGE", promo.percentage
        line.discount_reason = f"Promotion: {promo.id}"
    order.lines.append(line)
    return line


def order_from_checkout(state: State, checkout: Checkout, status: str) -> Order:
    """Copy lines, prices (after promotions, vouchers and taxes), overrides, reasons and metadata
    (checkout and lines) into a new order. Discounts carried over from a checkout show as one FIXED
    unit discount in the price-entry mode (orderCreateFromCheckout capture: unitDiscountType FIXED,
    value 22.5), the reasons joined with " & " (Saleor's legacy line discount propagation, the default)."""
    prices = checkout.prices()
    order = new_order(state, checkout.channel, status, "CHECKOUT", checkout.email)
    order.checkout_token = checkout.token
    order.meta.update(checkout.meta)
    order.private_meta.update(checkout.private_meta)
    order.shipping_address = checkout.shipping_address
    order.billing_address = checkout.billing_address
    order.shipping_price = checkout.shipping_base
    order.shipping_tax = prices.tax
    order.display_gross_prices = prices.display_gross
    order.shipping_method_name = checkout.shipping_method.name if checkout.shipping_method else None
    order.shipping_method = checkout.shipping_method
    voucher = prices.voucher
    order.voucher_code = checkout.voucher_code if voucher is not None else None
    spread = voucher is not None and voucher.type == ENTIRE_ORDER and not voucher.apply_once_per_order
    for cline in checkout.lines:
        priced = prices.lines[cline]
        variant = cline.variant_obj
        line = OrderLine(
            order=order,
            variant_obj=variant,
            quantity=cline.quantity,
            undiscounted_unit=priced.undiscounted_unit,
            product_name=variant.product.name,
            variant_name=variant.name,
            product_sku=variant.sku,
            is_price_overridden=cline.price_override is not None,
            price_override_reason=cline.price_override_reason,
            is_shipping_required=cline.requiresShipping,
            voucher_code=checkout.voucher_code if priced.voucher is not None else None,
            tax=prices.tax,
        )
        unit = quantize(priced.base_total / cline.quantity, checkout.currency)
        line.unit_discount = line.discount_value = priced.undiscounted_unit - unit
        reasons = [f"Entire order voucher code: {checkout.voucher_code}"] if spread else []
        promo = cline.promotion
        if promo is not None:
            reasons.append(f"Promotion: {promo.id}")
        if priced.voucher is not None:
            reasons.append(f"Voucher code: {checkout.voucher_code}")
        line.discount_reason = " & ".join(reasons) or None
        line.meta.update(cline.meta)
        line.private_meta.update(cline.private_meta)
        order.lines.append(line)
    return order
