"""Vouchers: staff mutations (voucherCreate, voucherChannelListingUpdate, voucherDelete; MANAGE_DISCOUNTS is
enforced by the schema gates) and the shopper's checkoutAddPromoCode / checkoutRemovePromoCode
(captures graphql-staff-voucher*.json, graphql-shopper-checkoutAddPromoCode-*.json; Saleor's
checkout/utils.py add_voucher_code_to_checkout, remove_promo_code_from_checkout_or_error)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .auth import RequestContext
from .catalog import Category, Channel, Collection, Product, Variant
from .checkout_mutations import checkout_updated, find_checkout, not_found
from .errors import SaleorError, Unsupported, payload_error
from .filters import parse_datetime
from .ids import from_global_id
from .inputs import decimal
from .pricing import check_voucher
from .state import State
from .times import now
from .vouchers import (
    ENTIRE_ORDER,
    FIXED,
    PERCENTAGE,
    SHIPPING,
    NotApplicable,
    Voucher,
    VoucherCode,
    VoucherListing,
)

Payload = dict[str, Any]


def _ctx(info: Any) -> RequestContext:
    ctx: RequestContext = info.context
    return ctx


def _discount_error(code: str, message: str, field: str | None, **extra: Any) -> Payload:
    return payload_error(
        code, message, field, **{"products": None, "channels": None, "voucherCodes": None, **extra}
    )


@dataclass
class VoucherSpec:
    """What a voucher is, as voucherCreate's input or the emulator's `create_voucher` helper gives it."""

    codes: list[str]
    type: str = ENTIRE_ORDER
    discount_value_type: str = FIXED
    name: str | None = None
    variants: list[Variant] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    collections: list[Collection] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    apply_once_per_order: bool = False
    min_checkout_items_quantity: int | None = None
    usage_limit: int | None = None
    single_use: bool = False
    start_date: datetime | None = None
    end_date: datetime | None = None


def generate_code() -> str:
    """Saleor's generate_promo_code: "ABCD-EFGH-IJKL"."""
    raw = secrets.token_hex(6).upper()
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def add_voucher(state: State, spec: VoucherSpec) -> Voucher:
    if spec.type == SHIPPING:
        raise Unsupported("Saleor emulator: SHIPPING vouchers are not modelled")
    voucher = Voucher(
        pk=next(state.pks),
        type=spec.type,
        name=spec.name,
        discount_value_type=spec.discount_value_type,
        variant_list=list(spec.variants),
        product_list=list(spec.products),
        collection_list=list(spec.collections),
        category_list=list(spec.categories),
        apply_once_per_order=spec.apply_once_per_order,
        min_checkout_items_quantity=spec.min_checkout_items_quantity,
        usage_limit=spec.usage_limit,
        single_use=spec.single_use,
        start_date=spec.start_date or now(),
        end_date=spec.end_date,
    )
    voucher.code_list = [VoucherCode(next(state.pks), code) for code in spec.codes]
    state.vouchers[voucher.pk] = voucher
    return voucher


def set_listings(
    state: State, voucher: Voucher, values: Mapping[str, tuple[Decimal, Decimal | None]]
) -> None:
    """Channel slug -> (discount value, minimum spent)."""
    for slug, (value, min_spent) in values.items():
        channel = state.channels[slug]
        current = voucher.listings.get(slug)
        if current is None:
            voucher.listings[slug] = VoucherListing(next(state.pks), channel, value, min_spent)
        else:
            current.discount_value, current.min_spent = value, min_spent


def _nodes(state: State, ids: Iterable[str], type_name: str) -> tuple[list[Any], str | None]:
    found, missing = [], []
    for global_id in ids:
        node = state.node(global_id)
        parsed = from_global_id(global_id)
        if node is None or parsed is None or parsed[0] != type_name:
            missing.append(global_id)
        else:
            found.append(node)
    if missing:
        return [], f"Could not resolve to a node with the global id list of '{missing}'."
    return found, None


def _codes(state: State, input: Payload) -> tuple[list[str], Payload | None]:
    if input.get("code") and input.get("addCodes"):
        message = "Argument 'code' cannot be combined with 'addCodes'"
        return [], _discount_error("GRAPHQL_ERROR", message, None)
    wanted = [c.strip() for c in input.get("addCodes") or []] or [str(input.get("code") or "").strip()]
    duplicated = sorted({c for c in wanted if c and wanted.count(c) > 1})
    if duplicated:
        message = "Duplicated promo codes provided."
        return [], _discount_error("DUPLICATED_INPUT_ITEM", message, "codes", voucherCodes=duplicated)
    codes = [c or generate_code() for c in wanted]
    taken = [c for c in codes if state.voucher_code(c) is not None]
    if taken:
        return [], _discount_error(
            "ALREADY_EXISTS", "Promo code already exists.", "codes", voucherCodes=taken
        )
    return codes, None


def voucher_create(_: Any, info: Any, input: Payload) -> Payload:
    state = _ctx(info).state
    codes, error = _codes(state, input)
    if error:
        return {"voucher": None, "errors": [error]}
    catalogue: dict[str, list[Any]] = {}
    for key, type_name in (
        ("variants", "ProductVariant"),
        ("products", "Product"),
        ("collections", "Collection"),
        ("categories", "Category"),
    ):
        catalogue[key], message = _nodes(state, input.get(key) or [], type_name)
        if message:
            return {"voucher": None, "errors": [_discount_error("GRAPHQL_ERROR", message, key)]}
    spec = VoucherSpec(
        codes=codes,
        type=input.get("type") or ENTIRE_ORDER,
        discount_value_type=input.get("discountValueType") or FIXED,
        name=input.get("name"),
        apply_once_per_order=bool(input.get("applyOncePerOrder")),
        min_checkout_items_quantity=input.get("minCheckoutItemsQuantity"),
        usage_limit=input.get("usageLimit"),
        single_use=bool(input.get("singleUse")),
        start_date=parse_datetime(input["startDate"]) if input.get("startDate") else None,
        end_date=parse_datetime(input["endDate"]) if input.get("endDate") else None,
        **catalogue,
    )
    unmodelled = [key for key in ("applyOncePerCustomer", "onlyForStaff", "countries") if input.get(key)]
    if unmodelled:
        raise Unsupported(f"Saleor emulator: voucherCreate(input: {unmodelled}) is not modelled")
    voucher = add_voucher(state, spec)
    _ctx(info).emit("VOUCHER_CREATED", voucher)
    return {"voucher": voucher, "errors": []}


def _voucher_not_found(global_id: str) -> Payload:
    error = _discount_error("NOT_FOUND", f"Couldn't resolve to a node: {global_id}", "id")
    return {"voucher": None, "errors": [error]}


def voucher_channel_listing_update(_: Any, info: Any, id: str, input: Payload) -> Payload:
    state = _ctx(info).state
    voucher = state.voucher(id)
    if voucher is None:
        return _voucher_not_found(id)
    values: dict[str, tuple[Decimal, Decimal | None]] = {}
    missing_value: list[str] = []
    bad_percentage: list[str] = []
    for entry in input.get("addChannels") or []:
        channel = state.channel_by_id(entry["channelId"])
        if channel is None:
            message = f"Couldn't resolve to a node: {entry['channelId']}"
            return {"voucher": None, "errors": [_discount_error("NOT_FOUND", message, "channelId")]}
        current = voucher.listings.get(channel.slug)
        raw = entry.get("discountValue")
        if raw is None and current is None:
            missing_value.append(entry["channelId"])
            continue
        value = decimal(raw) if raw is not None else current.discount_value
        if voucher.discount_value_type == PERCENTAGE and value > 100:
            bad_percentage.append(entry["channelId"])
        minimum = entry.get("minAmountSpent")
        values[channel.slug] = (value, decimal(minimum) if minimum is not None else None)
    errors = []
    if missing_value:
        errors.append(
            _discount_error(
                "REQUIRED", "Value is required for voucher.", "discountValue", channels=missing_value
            )
        )
    if bad_percentage:
        errors.append(
            _discount_error("INVALID", "Invalid percentage value.", "discountValue", channels=bad_percentage)
        )
    if errors:
        return {"voucher": None, "errors": errors}
    set_listings(state, voucher, values)
    for channel_id in input.get("removeChannels") or []:
        channel = state.channel_by_id(channel_id)
        if channel is not None:
            voucher.listings.pop(channel.slug, None)
    _ctx(info).emit("VOUCHER_UPDATED", voucher)
    return {"voucher": voucher, "errors": []}


def voucher_delete(_: Any, info: Any, id: str) -> Payload:
    state = _ctx(info).state
    voucher = state.voucher(id)
    if voucher is None:
        return _voucher_not_found(id)
    voucher.deleted = True
    del state.vouchers[voucher.pk]
    _ctx(info).emit("VOUCHER_DELETED", voucher)
    return {"voucher": voucher, "errors": []}


def _usable(voucher: Voucher, code: VoucherCode, channel: Channel) -> bool:
    """Voucher.objects.active_in_channel + an active code (get_voucher_code_instance)."""
    moment = now()
    return (
        code.is_active
        and channel.slug in voucher.listings
        and voucher.start_date <= moment
        and (voucher.end_date is None or voucher.end_date >= moment)
        and (voucher.usage_limit is None or voucher.used < voucher.usage_limit)
    )


def _checkout_error(code: str, message: str, field: str | None) -> Payload:
    return {"checkout": None, "errors": [payload_error(code, message, field, variants=None, lines=None)]}


def checkout_add_promo_code(
    _: Any, info: Any, promoCode: str, id: str | None = None, checkoutId: str | None = None, token: Any = None
) -> Payload:
    """A voucher code: INVALID when unknown or not active in the checkout's channel; VOUCHER_NOT_APPLICABLE
    (field promoCode, checkout null, no webhook) when it would not discount this checkout. Gift cards are
    not modelled."""
    checkout = find_checkout(info, id, token, checkoutId)
    if checkout is None:
        return {"checkout": None, "errors": [not_found(id or checkoutId)]}
    found = _ctx(info).state.voucher_code(promoCode)
    if found is None or not _usable(found[0], found[1], checkout.channel):
        return _checkout_error("INVALID", "Promo code is invalid", "promoCode")
    voucher, code = found
    try:
        check_voucher(checkout, voucher)
    except NotApplicable:
        return _checkout_error(
            "VOUCHER_NOT_APPLICABLE", "Voucher is not applicable to this checkout.", "promoCode"
        )
    checkout.voucher, checkout.voucher_code = voucher, code.code
    return checkout_updated(info, checkout)


def checkout_remove_promo_code(
    _: Any,
    info: Any,
    id: str | None = None,
    checkoutId: str | None = None,
    token: Any = None,
    promoCode: str | None = None,
    promoCodeId: str | None = None,
) -> Payload:
    if (promoCode is None) == (promoCodeId is None):
        raise SaleorError("Argument 'promoCode' or 'promoCodeId' must be provided.")
    checkout = find_checkout(info, id, token, checkoutId)
    if checkout is None:
        return {"checkout": None, "errors": [not_found(id or checkoutId)]}
    state = _ctx(info).state
    if promoCode is not None:
        attached = checkout.voucher is not None and promoCode in [c.code for c in checkout.voucher.code_list]
        if attached or (checkout.voucher is None and checkout.voucher_code == promoCode):
            checkout.voucher = checkout.voucher_code = None
        elif state.voucher_code(promoCode) is not None:
            return _checkout_error(
                "INVALID", "Cannot remove a voucher not attached to this checkout.", "promoCode"
            )
        else:
            return _checkout_error("NOT_FOUND", "Promo code does not exists.", "promoCode")
    else:
        parsed = from_global_id(promoCodeId or "")
        if parsed is None or parsed[0] not in ("Voucher", "GiftCard"):
            return _checkout_error("NOT_FOUND", "Must receive Voucher or GiftCard id.", "promoCodeId")
        if parsed[0] == "Voucher" and checkout.voucher_code is not None:
            voucher = state.voucher(promoCodeId)
            if voucher is None:
                return _checkout_error("NOT_FOUND", f"Couldn't resolve to a node: {parsed[1]}", "promoCodeId")
            if checkout.voucher_code not in [c.code for c in voucher.code_list]:
                return _checkout_error(
                    "NOT_FOUND", "Couldn't remove a promo code from a checkout.", "promoCodeId"
                )
            checkout.voucher = checkout.voucher_code = None
    return checkout_updated(info, checkout)


RESOLVERS: dict[str, dict[str, Any]] = {
    "Mutation": {
        "voucherCreate": voucher_create,
        "voucherChannelListingUpdate": voucher_channel_listing_update,
        "voucherDelete": voucher_delete,
        "checkoutAddPromoCode": checkout_add_promo_code,
        "checkoutRemovePromoCode": checkout_remove_promo_code,
    },
}
