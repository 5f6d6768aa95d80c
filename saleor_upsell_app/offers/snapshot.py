"""Parse the ``UpsellCheckout`` fragment (graphql/saleor/subscriptions/checkout_updated.graphql).

Money arrives as JSON floats (``20.0``); it goes through ``Decimal(str(x))`` so 66.5 stays 66.5.
Fields the fragment selects but older captures lack (``authorizeStatus``, ``chargeStatus``,
``deliveryMethod``) are read as NONE / null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from sys import intern
from typing import Any

from .models import CheckoutLine, CheckoutSnapshot

_NOT_STARTED = "NONE"


class SnapshotError(ValueError):
    """The payload does not have the shape the fragment promises."""


def _get(data: Mapping[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, Mapping) or key not in data or data[key] is None:
        raise SnapshotError(f"checkout payload: missing {path}.{key}")
    return data[key]


def _amount(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SnapshotError(f"checkout payload: {path} is not a number: {value!r}")
    amount = Decimal(str(value))
    if not amount.is_finite():
        raise SnapshotError(f"checkout payload: {path} is not finite")
    return amount


def _metadata(items: Sequence[Mapping[str, Any]] | None) -> dict[str, str]:
    return {str(item["key"]): str(item["value"]) for item in items or ()}


def _line(data: Mapping[str, Any], index: int) -> CheckoutLine:
    path = f"lines[{index}]"
    variant = _get(data, "variant", path)
    product = _get(variant, "product", f"{path}.variant")
    category = product.get("category") or None
    quantity = _get(data, "quantity", path)
    if not isinstance(quantity, int) or quantity < 0:
        raise SnapshotError(f"checkout payload: {path}.quantity is not a count: {quantity!r}")
    return CheckoutLine(
        id=str(_get(data, "id", path)),
        # Interned like the rule index's keys, so index lookups compare pointers (see index._compact).
        variant_id=intern(str(_get(variant, "id", f"{path}.variant"))),
        product_id=intern(str(_get(product, "id", f"{path}.variant.product"))),
        category_id=intern(str(category["id"])) if category else None,
        collection_ids=frozenset(intern(str(c["id"])) for c in product.get("collections") or ()),
        quantity=quantity,
        unit_price=_amount(
            _get(_get(data, "unitPrice", path), "gross", f"{path}.unitPrice")["amount"], f"{path}.unitPrice"
        ),
        undiscounted_unit_price=_amount(
            _get(data, "undiscountedUnitPrice", path)["amount"], f"{path}.undiscountedUnitPrice"
        ),
        metadata=_metadata(data.get("metadata")),
    )


def _started(status: Any) -> bool:
    return status is not None and status != _NOT_STARTED


def checkout_snapshot_from_payload(
    checkout: Mapping[str, Any], issued_at: datetime | None = None
) -> CheckoutSnapshot:
    """Build the engine's snapshot from a webhook's ``checkout`` object.

    ``issued_at`` is the event envelope's ``issuedAt`` (it is not part of the checkout itself).
    """
    channel = _get(checkout, "channel", "checkout")
    subtotal = _get(_get(checkout, "subtotalPrice", "checkout"), "gross", "checkout.subtotalPrice")
    currency = channel.get("currencyCode") or _get(subtotal, "currency", "checkout.subtotalPrice.gross")
    lines = tuple(_line(line, i) for i, line in enumerate(_get(checkout, "lines", "checkout")))
    return CheckoutSnapshot(
        id=str(_get(checkout, "id", "checkout")),
        channel_slug=str(_get(channel, "slug", "checkout.channel")),
        currency=str(currency),
        lines=lines,
        subtotal=_amount(subtotal.get("amount"), "checkout.subtotalPrice.gross.amount"),
        metadata=_metadata(checkout.get("metadata")),
        in_payment=_started(checkout.get("authorizeStatus")) or _started(checkout.get("chargeStatus")),
        delivery_method_chosen=checkout.get("deliveryMethod") is not None,
        issued_at=issued_at,
    )
