"""Order mutations (PROTOCOL §5.3; captures graphql-app-order*.json, surprises 18-21).
MANAGE_ORDERS is enforced by the schema gates (see schema.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .addresses import make_address
from .auth import RequestContext
from .errors import payload_error
from .ids import from_global_id
from .inputs import decimal, resolve_variants
from .metadata import apply_input
from .money import quantize
from .order_ops import add_variant_line, new_order
from .orders import EDITABLE_STATUSES, Order

Payload = dict[str, Any]
NOT_EDITABLE = "Only draft and unconfirmed orders can be edited."


def _ctx(info: Any) -> RequestContext:
    ctx: RequestContext = info.context
    return ctx


def _not_found(global_id: str | None, field: str = "id") -> Payload:
    return payload_error("NOT_FOUND", f"Couldn't resolve id: {global_id}.", field)


def _updated_event(ctx: RequestContext, order: Order) -> None:
    # Drafts get DRAFT_ORDER_UPDATED, others ORDER_UPDATED (call_event_by_order_status, PROTOCOL §5.3).
    order.touch()
    ctx.emit("DRAFT_ORDER_UPDATED" if order.status == "DRAFT" else "ORDER_UPDATED", order)


def order_lines_create(_: Any, info: Any, id: str, input: list[Payload]) -> Payload:
    ctx = _ctx(info)
    order = ctx.state.order(id)
    fail = {"order": None, "orderLines": None}
    if order is None:
        return {**fail, "errors": [_not_found(id)]}
    if order.status not in EDITABLE_STATUSES:
        return {
            **fail,
            "errors": [payload_error("NOT_EDITABLE", NOT_EDITABLE, "id", variants=None, orderLines=None)],
        }
    variants, error = resolve_variants(ctx.state, [line["variantId"] for line in input])
    if error:
        return {**fail, "errors": [error]}
    unavailable = [gid for gid, v in variants.items() if order.channel.slug not in v.prices]
    if unavailable:
        return {
            **fail,
            "errors": [
                payload_error(
                    "NOT_AVAILABLE_IN_CHANNEL",
                    "Cannot add lines with unavailable variants.",
                    "input",
                    variants=unavailable,
                )
            ],
        }
    order.stale_total = order.total_amount  # totalBalance lags one step (surprise 20)
    created = []
    for data in input:
        variant = variants[data["variantId"]]
        price = decimal(data["price"]) if data.get("price") is not None else None
        existing = None
        if not data.get("forceNewLine") and price is None:
            existing = next((ln for ln in order.lines if ln.variant_obj is variant), None)
        if existing is not None:
            existing.quantity += data["quantity"]
            created.append(existing)
        else:
            created.append(add_variant_line(order, variant, data["quantity"], price))
    _updated_event(ctx, order)
    return {"order": order, "orderLines": created, "errors": []}


def order_line_discount_update(_: Any, info: Any, orderLineId: str, input: Payload) -> Payload:
    """The manual discount *replaces* the promotion; the value is per unit and relative to the
    undiscounted price (surprise 20: 11.99 with FIXED 2.00 -> 9.99, up from 8.39)."""
    ctx = _ctx(info)
    line = ctx.state.order_line(orderLineId)
    if line is None:
        return {"orderLine": None, "order": None, "errors": [_not_found(orderLineId, "orderLineId")]}
    order = line.order
    if order.status not in EDITABLE_STATUSES:
        return {
            "orderLine": None,
            "order": None,
            "errors": [payload_error("CANNOT_DISCOUNT", NOT_EDITABLE, "orderLineId")],
        }
    value = decimal(input["value"])
    base = line.undiscounted_unit
    if input["valueType"] == "PERCENTAGE":
        if value > 100:
            return {
                "orderLine": None,
                "order": None,
                "errors": [payload_error("INVALID", "Invalid percentage value.", "value")],
            }
        amount = quantize(base * value / Decimal(100), order.currency)
    else:
        amount = min(value, base)
    order.stale_total = order.total_amount
    line.unit_discount, line.discount_type, line.discount_value = amount, input["valueType"], value
    line.discount_reason = input.get("reason")
    _updated_event(ctx, order)
    return {"orderLine": line, "order": order, "errors": []}


def order_confirm(_: Any, info: Any, id: str) -> Payload:
    ctx = _ctx(info)
    order = ctx.state.order(id)
    if order is None:
        return {"order": None, "errors": [_not_found(id)]}
    if order.status != "UNCONFIRMED":
        return {
            "order": None,
            "errors": [
                payload_error(
                    "INVALID",
                    "Provided order id belongs to an order with status different than unconfirmed.",
                    "id",
                )
            ],
        }
    if not order.lines:
        return {
            "order": None,
            "errors": [
                payload_error("INVALID", "Provided order id belongs to an order without products.", "id")
            ],
        }
    order.status, order.stale_total = "UNFULFILLED", None
    order.touch()
    ctx.emit("ORDER_CONFIRMED", order)
    return {"order": order, "errors": []}


def order_mark_as_paid(_: Any, info: Any, id: str, transactionReference: str | None = None) -> Payload:
    ctx = _ctx(info)
    order = ctx.state.order(id)
    if order is None:
        return {"order": None, "errors": [_not_found(id)]}
    if order.charged >= order.total_amount and order.total_amount > 0:
        return {"order": None, "errors": [payload_error("PAYMENT_ERROR", "Order is already paid.", "id")]}
    order.charged, order.stale_total = order.total_amount, None
    order.touch()
    # Only ORDER_FULLY_PAID is confirmed by a capture (webhook-order-fully-paid.json).
    ctx.emit("ORDER_FULLY_PAID", order)
    return {"order": order, "errors": []}


def draft_order_create(_: Any, info: Any, input: Payload) -> Payload:
    ctx = _ctx(info)
    channel = ctx.state.channel_by_id(input["channelId"]) if input.get("channelId") else None
    if channel is None:
        code = "REQUIRED" if not input.get("channelId") else "NOT_FOUND"
        return {"order": None, "errors": [payload_error(code, "Channel is required.", "channelId")]}
    lines = input.get("lines") or []
    variants, error = resolve_variants(ctx.state, [line["variantId"] for line in lines])
    if error:
        return {"order": None, "errors": [error]}
    order = new_order(ctx.state, channel, "DRAFT", "DRAFT", input.get("userEmail"))
    for data in lines:
        price = decimal(data["price"]) if data.get("price") is not None else None
        add_variant_line(order, variants[data["variantId"]], data["quantity"], price)
    if input.get("shippingAddress"):
        order.shipping_address = make_address(input["shippingAddress"])
    if input.get("billingAddress"):
        order.billing_address = make_address(input["billingAddress"])
    parsed = from_global_id(input.get("shippingMethod") or "")
    if parsed and parsed[0] == "ShippingMethod" and parsed[1].isdigit():
        method = ctx.state.shipping_methods.get(int(parsed[1]))
        if method is not None and channel.slug in method.prices:
            order.shipping_method_name = method.name
            order.shipping_price = method.prices[channel.slug]
    apply_input(order.meta, input.get("metadata"))
    apply_input(order.private_meta, input.get("privateMetadata"))
    ctx.emit("DRAFT_ORDER_CREATED", order)
    return {"order": order, "errors": []}


def draft_order_complete(_: Any, info: Any, id: str) -> Payload:
    ctx = _ctx(info)
    order = ctx.state.order(id)
    if order is None:
        return {"order": None, "errors": [_not_found(id)]}
    if order.status != "DRAFT":
        return {"order": None, "errors": [payload_error("INVALID", "The order is not draft.", "id")]}
    if not order.lines:
        return {
            "order": None,
            "errors": [payload_error("REQUIRED", "Could not create order without any products.", "lines")],
        }
    auto = order.channel.automatically_confirm_all_new_orders
    order.status = "UNFULFILLED" if auto else "UNCONFIRMED"
    order.touch()
    ctx.emit("ORDER_CREATED", order)
    if auto:
        ctx.emit("ORDER_CONFIRMED", order)
    return {"order": order, "errors": []}


RESOLVERS: dict[str, dict[str, Any]] = {
    "Mutation": {
        "orderLinesCreate": order_lines_create,
        "orderLineDiscountUpdate": order_line_discount_update,
        "orderConfirm": order_confirm,
        "orderMarkAsPaid": order_mark_as_paid,
        "draftOrderCreate": draft_order_create,
        "draftOrderComplete": draft_order_complete,
    },
}
