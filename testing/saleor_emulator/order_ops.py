"""Building orders and order lines the way Saleor does (captures surprises 17-20)."""

from __future__ import annotations

from decimal import Decimal

from .catalog import Channel, Variant
from .checkout import Checkout
from .money import percent_off
from .orders import Order, OrderLine
from .state import State


def new_order(state: State, channel: Channel, status: str, origin: str, user_email: str | None) -> Order:
    order = Order(
        number=next(state.order_numbers), channel=channel, status=status, origin=origin, user_email=user_email
    )
    state.orders[str(order.uuid)] = order
    return order


def add_variant_line(
    order: Order, variant: Variant, quantity: int, price: Decimal | None = None
) -> OrderLine:
    """A line as orderLinesCreate/draftOrderCreate make it: the active catalogue promotion is applied
    as a PERCENTAGE unit discount with reason "Promotion: <id>" (graphql-app-orderLinesCreate.json)."""
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
    )
    promo = variant.promotion_in(channel)
    if promo is not None:
        line.unit_discount = percent_off(base, promo.percentage, channel.currency)
        line.discount_type, line.discount_value = "PERCENTAGE", promo.percentage
        line.discount_reason = f"Promotion: {promo.id}"
    order.lines.append(line)
    return line


def order_from_checkout(state: State, checkout: Checkout, status: str) -> Order:
    """Copy lines, prices, overrides, reasons and metadata (checkout and lines) into a new order.
    A promotion carried over from a checkout shows as a FIXED unit discount (orderCreateFromCheckout
    capture: unitDiscountType FIXED, value 22.5)."""
    order = new_order(state, checkout.channel, status, "CHECKOUT", checkout.email)
    order.checkout_token = checkout.token
    order.meta.update(checkout.meta)
    order.private_meta.update(checkout.private_meta)
    order.shipping_price = checkout.shipping
    order.shipping_method_name = checkout.shipping_method.name if checkout.shipping_method else None
    order.shipping_address = checkout.shipping_address
    order.billing_address = checkout.billing_address
    for cline in checkout.lines:
        variant = cline.variant_obj
        line = OrderLine(
            order=order,
            variant_obj=variant,
            quantity=cline.quantity,
            undiscounted_unit=cline.undiscounted_unit,
            product_name=variant.product.name,
            variant_name=variant.name,
            product_sku=variant.sku,
            is_price_overridden=cline.price_override is not None,
            price_override_reason=cline.price_override_reason,
            is_shipping_required=cline.requiresShipping,
        )
        promo = cline.promotion
        if promo is not None:
            line.unit_discount = cline.unit_discount
            line.discount_value = cline.unit_discount
            line.discount_reason = f"Promotion: {promo.id}"
        line.meta.update(cline.meta)
        line.private_meta.update(cline.private_meta)
        order.lines.append(line)
    return order
