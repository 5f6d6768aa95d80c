"""Shared input handling for mutations: variant ids and prices (captures
graphql-app-checkoutLinesAdd-{invalid-variant,malformed-id,wrong-type-id}.json)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .catalog import Variant
from .errors import SaleorError, payload_error
from .ids import from_global_id
from .state import State


def resolve_variants(
    state: State, ids: list[str], field: str = "variantId"
) -> tuple[dict[str, Variant], dict[str, Any] | None]:
    """Map each id to its variant, or return the payload error Saleor gives (GRAPHQL_ERROR)."""
    found: dict[str, Variant] = {}
    missing: list[str] = []
    for global_id in ids:
        parsed = from_global_id(global_id)
        if parsed is not None and parsed[0] != "ProductVariant":
            return {}, payload_error(
                "GRAPHQL_ERROR",
                f"Must receive ProductVariant id: {global_id}.",
                field,
                variants=None,
                lines=None,
            )
        variant = state.variants.get(int(parsed[1])) if parsed and parsed[1].isdigit() else None
        if variant is None:
            missing.append(global_id)
        else:
            found[global_id] = variant
    if missing:
        message = f"Could not resolve to a node with the global id list of '{missing}'."
        return {}, payload_error("GRAPHQL_ERROR", message, field, variants=None, lines=None)
    return found, None


def decimal(value: Any) -> Decimal:
    """PositiveDecimal arrives as a string ("24.00") or a number."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise SaleorError(f"Invalid decimal: {value!r}") from exc
    if amount < 0:
        raise SaleorError("Value must be greater than or equal to 0.")
    return amount
