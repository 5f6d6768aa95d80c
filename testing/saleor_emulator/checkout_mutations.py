"""Checkout mutations (PROTOCOL §5.2; captures graphql-*-checkout*.json, surprises 5, 11, 14-17)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .addresses import make_address
from .auth import RequestContext, has_any
from .catalog import Variant
from .checkout import Checkout, CheckoutLine
from .errors import PermissionDenied, payload_error
from .ids import from_global_id
from .inputs import decimal, resolve_variants
from .metadata import apply_input
from .order_ops import order_from_checkout
from .orders import Order
from .pricing import check_voucher
from .principals import App
from .vouchers import NotApplicable

Payload = dict[str, Any]
CUSTOM_PRICE_DENIED = "Setting the custom price is allowed only for apps with `MANAGE_CHECKOUTS` permission."
REASON_MAX = 255


def _ctx(info: Any) -> RequestContext:
    ctx: RequestContext = info.context
    return ctx


def _fail(*errors: Payload, **extra: Any) -> Payload:
    return {"checkout": None, "errors": list(errors), **extra}


def not_found(global_id: str | None) -> Payload:
    return payload_error("NOT_FOUND", f"Couldn't resolve id: {global_id}.", "id")


def find_checkout(
    info: Any, id: str | None, token: Any = None, checkout_id: str | None = None
) -> Checkout | None:
    state = _ctx(info).state
    if token is not None:
        return state.checkouts.get(str(token))
    return state.checkout(id or checkout_id)


def _check_custom_price(info: Any, lines: list[Payload]) -> None:
    """price/priceOverrideReason need an *app* with HANDLE_CHECKOUTS; the message names MANAGE_CHECKOUTS
    (surprise 15, graphql-app-no-handle-checkouts-price-override.json)."""
    wants = any(
        line.get("price") is not None or line.get("priceOverrideReason") is not None for line in lines
    )
    requestor = _ctx(info).requestor
    if wants and not (isinstance(requestor, App) and "HANDLE_CHECKOUTS" in requestor.permission_codes):
        raise PermissionDenied(CUSTOM_PRICE_DENIED)


def _validate_lines(checkout: Checkout, lines: list[Payload], variants: dict[str, Variant]) -> Payload | None:
    for line in lines:
        if line.get("priceOverrideReason") is not None and line.get("price") is None:
            return payload_error(
                "PRICE_OVERRIDE_REASON_WITHOUT_OVERRIDE",
                "Cannot set priceOverrideReason without a price override on the line.",
                None,
                variants=None,
                lines=None,
            )
        if line.get("quantity") is not None and line["quantity"] < 0:
            return payload_error("ZERO_QUANTITY", "The quantity should be higher than zero.", "quantity")
    unavailable = [gid for gid, v in variants.items() if checkout.channel.slug not in v.prices]
    if unavailable:
        return payload_error(
            "UNAVAILABLE_VARIANT_IN_CHANNEL",
            "Cannot add lines with unavailable variants.",
            "lines",
            variants=unavailable,
        )
    return None


def _add_lines(checkout: Checkout, lines: list[Payload], variants: dict[str, Variant]) -> list[CheckoutLine]:
    """Merge into an existing line of the same variant unless forceNewLine (PROTOCOL §5.2). Returns the
    line each input went to."""
    touched = []
    for data in lines:
        variant = variants[data["variantId"]]
        target = None
        if not data.get("forceNewLine"):
            target = next((cl for cl in checkout.lines if cl.variant_obj is variant), None)
        if target is None:
            target = CheckoutLine(checkout=checkout, variant_obj=variant, quantity=0)
            checkout.lines.append(target)
        target.quantity += data["quantity"]
        if data.get("price") is not None:
            target.price_override = decimal(data["price"])
            reason = data.get("priceOverrideReason")
            target.price_override_reason = reason[:REASON_MAX] if reason is not None else None
        apply_input(target.meta, data.get("metadata"))
        touched.append(target)
    checkout.lines = [cl for cl in checkout.lines if cl.quantity > 0]
    return touched


def _stock_error(checkout: Checkout) -> Payload | None:
    for line in checkout.lines:
        variant = line.variant_obj
        total = sum(cl.quantity for cl in checkout.lines if cl.variant_obj is variant)
        if total > variant.quantity_available:
            return payload_error(
                "INSUFFICIENT_STOCK",
                f"Could not add items {variant.sku or variant.id}. "
                f"Only {variant.quantity_available} remaining in stock.",
                "quantity",
                variants=[variant.id],
            )
    return None


def checkout_create(_: Any, info: Any, input: Payload) -> Payload:
    ctx = _ctx(info)
    lines = input.get("lines") or []
    _check_custom_price(info, lines)
    slug = input.get("channel")
    if slug is None and len(ctx.state.channels) == 1:
        slug = next(iter(ctx.state.channels))
    if slug is None:
        return _fail(
            payload_error("MISSING_CHANNEL_SLUG", "You need to provide channel slug.", "channel"),
            created=False,
        )
    channel = ctx.state.channels.get(slug)
    if channel is None:
        return _fail(
            payload_error("NOT_FOUND", f"Channel with '{slug}' slug does not exist.", "channel"),
            created=False,
        )
    if input.get("privateMetadata") and not has_any(ctx, ["MANAGE_CHECKOUTS", "HANDLE_CHECKOUTS"]):
        raise PermissionDenied(permissions=["MANAGE_CHECKOUTS", "HANDLE_CHECKOUTS"])
    variants, error = resolve_variants(ctx.state, [line["variantId"] for line in lines])
    checkout = Checkout(channel=channel, email=input.get("email"), tax_rates=ctx.state.tax_rates)
    error = error or _validate_lines(checkout, lines, variants)
    if error:
        return _fail(error, created=False)
    _add_lines(checkout, lines, variants)
    error = _stock_error(checkout)
    if error:
        return _fail(error, created=False)
    if input.get("shippingAddress"):
        checkout.shipping_address = make_address(input["shippingAddress"])
    if input.get("billingAddress"):
        checkout.billing_address = make_address(input["billingAddress"])
    apply_input(checkout.meta, input.get("metadata"))
    apply_input(checkout.private_meta, input.get("privateMetadata"))
    ctx.state.checkouts[checkout.token] = checkout
    # checkoutCreate fires CHECKOUT_CREATED only (surprise 5).
    ctx.emit("CHECKOUT_CREATED", checkout)
    return {"checkout": checkout, "errors": [], "created": True}


def refresh_voucher(checkout: Checkout) -> None:
    """recalculate_checkout_discount: a voucher that no longer applies (its line went, the subtotal fell
    under its minimum) leaves the checkout silently."""
    if checkout.voucher is None:
        return
    try:
        check_voucher(checkout, checkout.voucher)
    except NotApplicable:
        checkout.voucher = checkout.voucher_code = None


def checkout_updated(info: Any, checkout: Checkout) -> Payload:
    refresh_voucher(checkout)
    checkout.touch()
    _ctx(info).emit("CHECKOUT_UPDATED", checkout)
    return {"checkout": checkout, "errors": []}


def checkout_lines_add(
    _: Any,
    info: Any,
    lines: list[Payload],
    id: str | None = None,
    checkoutId: str | None = None,
    token: Any = None,
) -> Payload:
    _check_custom_price(info, lines)
    checkout = find_checkout(info, id, token, checkoutId)
    if checkout is None:
        return _fail(not_found(id or checkoutId))
    variants, error = resolve_variants(_ctx(info).state, [line["variantId"] for line in lines])
    error = error or _validate_lines(checkout, lines, variants)
    if error:
        return _fail(error)
    for line in lines:
        if line["quantity"] <= 0:
            return _fail(
                payload_error("ZERO_QUANTITY", "The quantity should be higher than zero.", "quantity")
            )
    snapshot = [
        (cl, cl.quantity, cl.price_override, cl.price_override_reason, dict(cl.meta)) for cl in checkout.lines
    ]
    added = _add_lines(checkout, lines, variants)
    error = _stock_error(checkout)
    if error:
        _restore(checkout, snapshot)
        return _fail(error)
    window = _ctx(info).emu.transient_zero_price
    if window:
        # Saleor stores a new line before pricing it: a concurrent read sees 0.00 for a moment.
        until = time.monotonic() + window
        for target, data in zip(added, lines, strict=True):
            if data.get("price") is not None:
                target.unpriced_until, target.unpriced_for = until, _ctx(info)
    return checkout_updated(info, checkout)


def _restore(checkout: Checkout, snapshot: list[Any]) -> None:
    checkout.lines = []
    for line, qty, price, reason, meta in snapshot:
        line.quantity, line.price_override, line.price_override_reason = qty, price, reason
        line.meta.clear()
        line.meta.update(meta)
        checkout.lines.append(line)


def _line_by_id(checkout: Checkout, global_id: str | None) -> CheckoutLine | None:
    return next((cl for cl in checkout.lines if cl.id == global_id), None)


def checkout_lines_update(
    _: Any,
    info: Any,
    lines: list[Payload],
    id: str | None = None,
    checkoutId: str | None = None,
    token: Any = None,
) -> Payload:
    _check_custom_price(info, lines)
    checkout = find_checkout(info, id, token, checkoutId)
    if checkout is None:
        return _fail(not_found(id or checkoutId))
    targets: list[tuple[CheckoutLine, Payload]] = []
    for data in lines:
        line = _line_by_id(checkout, data.get("lineId"))
        if line is None and data.get("variantId"):
            line = next((cl for cl in checkout.lines if cl.variant_obj.id == data["variantId"]), None)
        if line is None:
            ref = data.get("lineId") or data.get("variantId")
            return _fail(
                payload_error(
                    "GRAPHQL_ERROR",
                    f"Could not resolve to a node with the global id list of '{[ref]}'.",
                    "lineId",
                    variants=None,
                    lines=None,
                )
            )
        if (
            data.get("priceOverrideReason") is not None
            and data.get("price") is None
            and line.price_override is None
        ):
            return _fail(
                payload_error(
                    "PRICE_OVERRIDE_REASON_WITHOUT_OVERRIDE",
                    "Cannot set priceOverrideReason without a price override on the line.",
                    None,
                    variants=None,
                    lines=None,
                )
            )
        if data.get("quantity") is not None and data["quantity"] < 0:
            return _fail(
                payload_error("ZERO_QUANTITY", "The quantity should be higher than zero.", "quantity")
            )
        targets.append((line, data))
    for line, data in targets:
        if data.get("quantity") is not None:
            line.quantity = data["quantity"]
        if data.get("price") is not None:
            line.price_override = decimal(data["price"])
        if data.get("priceOverrideReason") is not None:
            line.price_override_reason = data["priceOverrideReason"][:REASON_MAX]
        apply_input(line.meta, data.get("metadata"))
    checkout.lines = [cl for cl in checkout.lines if cl.quantity > 0]
    return checkout_updated(info, checkout)


def checkout_lines_delete(
    _: Any, info: Any, linesIds: list[str], id: str | None = None, token: Any = None
) -> Payload:
    checkout = find_checkout(info, id, token)
    if checkout is None:
        return _fail(not_found(id))
    known = {cl.id for cl in checkout.lines}
    if any(line_id not in known for line_id in linesIds):
        return _fail(payload_error("INVALID", "Provided line_ids aren't part of checkout.", "lineId"))
    checkout.lines = [cl for cl in checkout.lines if cl.id not in linesIds]
    return checkout_updated(info, checkout)


def checkout_email_update(
    _: Any, info: Any, email: str, id: str | None = None, checkoutId: str | None = None, token: Any = None
) -> Payload:
    checkout = find_checkout(info, id, token, checkoutId)
    if checkout is None:
        return _fail(not_found(id or checkoutId))
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        return _fail(payload_error("INVALID", "Enter a valid email address.", "email"))
    checkout.email = email
    return checkout_updated(info, checkout)


def _address_update(kind: str) -> Callable[..., Payload]:
    def resolve(
        _: Any,
        info: Any,
        id: str | None = None,
        checkoutId: str | None = None,
        token: Any = None,
        **args: Any,
    ) -> Payload:
        checkout = find_checkout(info, id, token, checkoutId)
        if checkout is None:
            return _fail(not_found(id or checkoutId))
        if kind == "shipping":
            if not checkout.is_shipping_required:
                return _fail(
                    payload_error(
                        "SHIPPING_NOT_REQUIRED", "This checkout doesn't need shipping", "shippingAddress"
                    )
                )
            checkout.shipping_address = make_address(args["shippingAddress"])
        else:
            checkout.billing_address = make_address(args["billingAddress"])
        return checkout_updated(info, checkout)

    return resolve


def checkout_delivery_method_update(
    _: Any, info: Any, id: str | None = None, deliveryMethodId: str | None = None, token: Any = None
) -> Payload:
    checkout = find_checkout(info, id, token)
    if checkout is None:
        return _fail(not_found(id))
    if not checkout.is_shipping_required:
        return _fail(
            payload_error("SHIPPING_NOT_REQUIRED", "This checkout doesn't need shipping", "deliveryMethodId")
        )
    parsed = from_global_id(deliveryMethodId or "")
    method = None
    if parsed and parsed[0] == "ShippingMethod" and parsed[1].isdigit():
        method = _ctx(info).state.shipping_methods.get(int(parsed[1]))
    if method is None or checkout.channel.slug not in method.prices:
        return _fail(
            payload_error(
                "DELIVERY_METHOD_NOT_APPLICABLE",
                "This shipping method is not applicable.",
                "deliveryMethodId",
            )
        )
    if checkout.shipping_address is None:
        return _fail(
            payload_error(
                "SHIPPING_ADDRESS_NOT_SET",
                "Cannot choose a shipping method for a checkout without the shipping address.",
                "deliveryMethodId",
            )
        )
    checkout.shipping_method = method
    return checkout_updated(info, checkout)


def unready(checkout: Checkout) -> tuple[str, str, str] | None:
    """(code, message, field) when addresses or delivery are missing (clean_checkout_shipping,
    clean_billing_address; the same for payments and completion)."""
    if checkout.is_shipping_required:
        if checkout.shipping_address is None:
            return "SHIPPING_ADDRESS_NOT_SET", "Shipping address is not set", "shippingAddress"
        if checkout.shipping_method is None:
            return "SHIPPING_METHOD_NOT_SET", "Shipping method is not set", "shippingMethod"
    if checkout.billing_address is None:
        return "BILLING_ADDRESS_NOT_SET", "Billing address is not set", "billingAddress"
    return None


def _completion_error(checkout: Checkout) -> Payload | None:
    if not checkout.lines:
        return payload_error("NO_LINES", "Cannot create order without product", "lines")
    if not checkout.email:
        return payload_error("EMAIL_NOT_SET", "Email is not set", "email")
    missing = unready(checkout)
    return payload_error(*missing) if missing is not None else None


def _place_order(
    ctx: RequestContext,
    checkout: Checkout,
    status: str,
    *,
    charged: bool,
    authorized: bool,
    remove: bool = True,
) -> Order:
    """The order and the events of Saleor's order_created: ORDER_CREATED; ORDER_UPDATED for an
    authorized-only payment; ORDER_PAID, ORDER_FULLY_PAID, ORDER_UPDATED when fully charged;
    ORDER_CONFIRMED when the channel confirms new orders automatically (surprise 18)."""
    order = order_from_checkout(ctx.state, checkout, status)
    if charged:
        order.charged = order.total_amount
    elif authorized:
        order.authorized = order.total_amount
    _use_voucher(checkout)
    if remove:
        del ctx.state.checkouts[checkout.token]
    ctx.emit("ORDER_CREATED", order)
    if authorized and not charged:
        ctx.emit("ORDER_UPDATED", order)
    if charged:
        for event in ("ORDER_PAID", "ORDER_FULLY_PAID", "ORDER_UPDATED"):
            ctx.emit(event, order)
    if checkout.channel.automatically_confirm_all_new_orders:
        ctx.emit("ORDER_CONFIRMED", order)
    return order


def _use_voucher(checkout: Checkout) -> None:
    """increase_voucher_usage: codes count uses only under a usage limit; a single-use code retires."""
    voucher = checkout.voucher
    if voucher is None:
        return
    code = next((c for c in voucher.code_list if c.code == checkout.voucher_code), None)
    if code is None:
        return
    if voucher.usage_limit is not None:
        code.used += 1
    if voucher.single_use:
        code.is_active = False


def checkout_complete(
    _: Any,
    info: Any,
    id: str | None = None,
    checkoutId: str | None = None,
    token: Any = None,
    metadata: list[Payload] | None = None,
    **_a: Any,
) -> Payload:
    """Shopper completion, paid by a legacy payment (checkoutPaymentCreate, processed here) or by
    transactions (`SaleorEmulator.start_payment`); unpaid only where the channel allows unpaid orders.
    UNFULFILLED when the channel auto-confirms (graphql-shopper-checkoutComplete-dummy.json)."""
    ctx = _ctx(info)
    checkout = find_checkout(info, id, token, checkoutId)
    extra = {"confirmationNeeded": False, "confirmationData": None}
    if checkout is None:
        return {"order": None, "errors": [not_found(id or checkoutId)], **extra}
    error = _completion_error(checkout)
    total = checkout.prices(info).total_gross
    payment = checkout.payment if checkout.payment is not None and checkout.payment.isActive else None
    charged = checkout.charge_status in ("FULL", "OVERCHARGED")
    authorized = checkout.authorize_status == "FULL"
    if payment is not None:
        covered = payment.amount >= total
    else:
        covered = charged or authorized or checkout.channel.allow_unpaid_orders or total == 0
    if error is None and not covered:
        error = payload_error(
            "CHECKOUT_NOT_FULLY_PAID",
            "Provided payment methods can not cover the checkout's total amount",
            None,
        )
    if error:
        return {"order": None, "errors": [error], **extra}
    if payment is not None:
        outcome = payment.process()
        charged, authorized = outcome == "charged", outcome == "authorized"
    auto = checkout.channel.automatically_confirm_all_new_orders
    order = _place_order(
        ctx, checkout, "UNFULFILLED" if auto else "UNCONFIRMED", charged=charged, authorized=authorized
    )
    if payment is not None:
        payment.order, payment.checkout = order, None
    apply_input(order.meta, metadata)
    return {"order": order, "errors": [], "confirmationNeeded": False, "confirmationData": "{}"}


def order_create_from_checkout(
    _: Any,
    info: Any,
    id: str,
    metadata: list[Payload] | None = None,
    privateMetadata: list[Payload] | None = None,
    removeCheckout: bool | None = True,
) -> Payload:
    """App-only, no payment needed (surprise 17). Without payment transactions the order stays
    UNCONFIRMED even on an auto-confirming channel, yet ORDER_CONFIRMED is still sent (surprise 18)."""
    ctx = _ctx(info)
    requestor = ctx.requestor
    if not (isinstance(requestor, App) and "HANDLE_CHECKOUTS" in requestor.permission_codes):
        raise PermissionDenied(permissions=["HANDLE_CHECKOUTS"])
    checkout = ctx.state.checkout(id)
    if checkout is None:
        return {
            "order": None,
            "errors": [
                payload_error("CHECKOUT_NOT_FOUND", "Checkout not found.", "id", variants=None, lines=None)
            ],
        }
    error = _completion_error(checkout)
    if error:
        error = {**error, "variants": None, "lines": None}
        return {"order": None, "errors": [error]}
    auto = checkout.channel.automatically_confirm_all_new_orders
    charged = checkout.charge_status in ("FULL", "OVERCHARGED")
    has_payment = charged or checkout.authorize_status != "NONE"
    status = "UNFULFILLED" if auto and has_payment else "UNCONFIRMED"
    order = _place_order(
        ctx, checkout, status, charged=charged, authorized=False, remove=removeCheckout is not False
    )
    apply_input(order.meta, metadata)
    apply_input(order.private_meta, privateMetadata)
    return {"order": order, "errors": []}


RESOLVERS: dict[str, dict[str, Any]] = {
    "Mutation": {
        "checkoutCreate": checkout_create,
        "checkoutLinesAdd": checkout_lines_add,
        "checkoutLinesUpdate": checkout_lines_update,
        "checkoutLinesDelete": checkout_lines_delete,
        "checkoutEmailUpdate": checkout_email_update,
        "checkoutShippingAddressUpdate": _address_update("shipping"),
        "checkoutBillingAddressUpdate": _address_update("billing"),
        "checkoutDeliveryMethodUpdate": checkout_delivery_method_update,
        "checkoutComplete": checkout_complete,
        "orderCreateFromCheckout": order_create_from_checkout,
    },
}
