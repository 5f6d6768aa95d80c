"""updateMetadata / updatePrivateMetadata / deleteMetadata / deletePrivateMetadata (PROTOCOL §5.2;
captures graphql-app-update*Metadata-checkout.json, surprise 6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .auth import RequestContext, has_any
from .checkout import Checkout, CheckoutLine
from .errors import PermissionDenied, payload_error
from .metadata import apply_input
from .orders import Order, OrderLine
from .principals import App
from .vouchers import Voucher

Payload = dict[str, Any]


def _permissions(obj: Any, private: bool) -> list[str] | None:
    """Permissions needed to write; None means anyone may (public checkout metadata)."""
    if isinstance(obj, Checkout | CheckoutLine):
        return ["MANAGE_CHECKOUTS"] if private else None
    if isinstance(obj, Order | OrderLine):
        return ["MANAGE_ORDERS"]
    if isinstance(obj, App):
        return ["MANAGE_APPS", "OWNER"]
    if isinstance(obj, Voucher):
        return ["MANAGE_DISCOUNTS"]
    return ["MANAGE_PRODUCTS"]


def _mutation(private: bool, delete: bool) -> Callable[..., Payload]:
    def resolve(
        _: Any, info: Any, id: str, input: list[Payload] | None = None, keys: list[str] | None = None
    ) -> Payload:
        ctx: RequestContext = info.context
        obj = ctx.state.node(id)
        if obj is None:
            return {
                "item": None,
                "errors": [payload_error("NOT_FOUND", f"Couldn't resolve to a node: {id}", "id")],
            }
        needed = _permissions(obj, private)
        if needed is not None and not has_any(ctx, needed, owner=obj):
            raise PermissionDenied(permissions=[p for p in needed if p != "OWNER"])
        store = obj.private_meta if private else obj.meta
        if delete:
            for key in keys or []:
                store.pop(key, None)
        else:
            apply_input(store, input)
        # Checkout metadata: CHECKOUT_METADATA_UPDATED plus CHECKOUT_UPDATED (legacy emission, on by
        # default). Line metadata emits nothing.
        if isinstance(obj, Checkout):
            ctx.emit("CHECKOUT_METADATA_UPDATED", obj)
            if ctx.emu.legacy_update_webhook_emission:
                ctx.emit("CHECKOUT_UPDATED", obj)
        elif isinstance(obj, Order):
            ctx.emit("ORDER_METADATA_UPDATED", obj)
        return {"item": obj, "errors": []}

    return resolve


RESOLVERS: dict[str, dict[str, Any]] = {
    "Mutation": {
        "updateMetadata": _mutation(private=False, delete=False),
        "updatePrivateMetadata": _mutation(private=True, delete=False),
        "deleteMetadata": _mutation(private=False, delete=True),
        "deletePrivateMetadata": _mutation(private=True, delete=True),
    },
}
