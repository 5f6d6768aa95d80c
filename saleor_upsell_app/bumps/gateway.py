"""Saleor for checkout offers: the checkout payload read into the engine's snapshot, and the line
mutations that make, fix and take back offers. Saleor JSON stops here.

Money arrives as JSON floats (``20.0``); it is read through its text so 66.5 stays 66.5. Fields the
fragment selects but older captures lack (``authorizeStatus``, ``chargeStatus``, ``deliveryMethod``,
``taxConfiguration``, net amounts) are read as NONE / null / prices entered with tax / the gross amount.

Line prices are read in the channel's price convention (docs/pricing.md): the net amount when its prices
are entered without tax (Saleor reads a custom price as net there), the gross amount otherwise. Tax is
then never mistaken for a discount or a surcharge.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from sys import intern
from typing import Any

from pydantic import ValidationError

from ..engine import metadata as md
from ..engine.types import CheckoutLine, CheckoutSnapshot
from ..kit.errors import AppError
from ..saleor.client import SaleorClient
from ..saleor.errors import SaleorMutationError
from ..saleor.results import (
    Checkout,
    CheckoutEvent,
    CheckoutLinesPayload,
    CheckoutSnapshotData,
    entered_amount,
    metadata_dict,
    metadata_input,
)
from ..saleor.results import CheckoutLine as LineData

log = logging.getLogger("saleor_upsell.bumps")

_NOT_STARTED = "NONE"


class SnapshotError(AppError):
    """The payload does not have the shape the fragment promises."""

    code = "INVALID_PAYLOAD"
    status = 400


def _path(location: Sequence[int | str]) -> str:
    text = "checkout"
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _invalid(error: ValidationError, prefix: tuple[str, ...] = ()) -> SnapshotError:
    first = error.errors()[0]
    location = tuple(first["loc"])[len(prefix) :]
    return SnapshotError(f"checkout payload: {_path(location)}: {first['msg']}")


@dataclass(frozen=True, slots=True)
class CheckoutState:
    """A checkout as Saleor holds it: the engine's snapshot, plus what only the app's surfaces need."""

    snapshot: CheckoutSnapshot
    updated_at: datetime | None  # Saleor's updatedAt: an older snapshot can't prove a removal
    shopper_products: dict[str, str]  # product id -> name, of the shopper's own lines (social proof)


def prices_entered_with_tax(checkout: Checkout) -> bool:
    return checkout.channel.prices_entered_with_tax


def _line(data: LineData, with_tax: bool) -> CheckoutLine:
    variant, product = data.variant, data.variant.product
    return CheckoutLine(
        id=data.id,
        # Interned like the rule index's keys, so index lookups compare pointers (see index._compact).
        variant_id=intern(variant.id),
        product_id=intern(product.id),
        category_id=intern(product.category.id) if product.category else None,
        collection_ids=frozenset(intern(c.id) for c in product.collections or ()),
        quantity=data.quantity,
        unit_price=entered_amount(data.unit_price, with_tax),
        undiscounted_unit_price=data.undiscounted_unit_price.amount,
        metadata=metadata_dict(data.metadata),
    )


def _started(status: str | None) -> bool:
    return status is not None and status != _NOT_STARTED


def _saleor_time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def checkout_state(checkout: Checkout, issued_at: datetime | None = None) -> CheckoutState:
    """The engine's snapshot of a typed checkout (``issued_at``: the event envelope's ``issuedAt``)."""
    with_tax = prices_entered_with_tax(checkout)
    lines = tuple(_line(line, with_tax) for line in checkout.lines)
    products: dict[str, str] = {}
    for data, line in zip(checkout.lines, lines, strict=True):
        if md.read_marker(line.metadata) is None:
            product = data.variant.product
            products[product.id] = product.name or product.id
    snapshot = CheckoutSnapshot(
        id=checkout.id,
        channel_slug=checkout.channel.slug,
        currency=checkout.channel.currency_code or checkout.subtotal_price.gross.currency,
        lines=lines,
        subtotal=checkout.subtotal_price.gross.amount,
        metadata=metadata_dict(checkout.metadata),
        in_payment=_started(checkout.authorize_status) or _started(checkout.charge_status),
        delivery_method_chosen=checkout.delivery_method is not None,
        issued_at=issued_at,
        voucher_code=checkout.voucher_code or None,
        discount=checkout.discount.amount if checkout.discount is not None else Decimal(0),
        prices_entered_with_tax=with_tax,
    )
    return CheckoutState(snapshot, _saleor_time(checkout.updated_at), products)


def parse_checkout(data: Mapping[str, Any]) -> Checkout:
    try:
        return Checkout.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from exc


def checkout_snapshot_from_payload(
    checkout: Mapping[str, Any], issued_at: datetime | None = None
) -> CheckoutSnapshot:
    """The engine's snapshot from a webhook's ``checkout`` object (SnapshotError when malformed)."""
    return checkout_state(parse_checkout(checkout), issued_at).snapshot


def checkout_event(body: str) -> CheckoutEvent:
    """A CHECKOUT_CREATED / CHECKOUT_UPDATED body as stored in the inbox."""
    try:
        return CheckoutEvent.model_validate_json(body)
    except ValidationError as exc:
        raise _invalid(exc, ("checkout",)) from exc


class CheckoutLines:
    """The Saleor calls on one checkout. Each returns the checkout as Saleor holds it afterwards, or None
    when the checkout no longer exists (nothing left to do)."""

    def __init__(self, client: SaleorClient, checkout_id: str) -> None:
        self.client = client
        self.checkout_id = checkout_id

    async def fetch(self, issued_at: datetime | None = None) -> CheckoutState | None:
        data = await self.client.query("CheckoutSnapshot", {"id": self.checkout_id}, CheckoutSnapshotData)
        return checkout_state(data.checkout, issued_at) if data.checkout is not None else None

    async def add(self, lines: list[dict[str, Any]]) -> CheckoutState | None:
        return await self._mutate("CheckoutLinesAdd", {"lines": lines})

    async def update(self, lines: list[dict[str, Any]]) -> CheckoutState | None:
        return await self._mutate("CheckoutLinesUpdate", {"lines": lines})

    async def delete(self, line_ids: list[str]) -> CheckoutState | None:
        return await self._mutate("CheckoutLinesDelete", {"linesIds": line_ids})

    async def _mutate(self, operation: str, variables: dict[str, Any]) -> CheckoutState | None:
        try:
            payload = await self.client.mutation(
                operation, {"id": self.checkout_id, **variables}, CheckoutLinesPayload
            )
        except SaleorMutationError as exc:
            if "NOT_FOUND" in exc.codes or any(e.get("field") == "id" for e in exc.errors):
                log.info("checkout no longer exists", extra={"checkout_id": self.checkout_id})
                return None
            raise
        return checkout_state(payload.checkout) if payload.checkout is not None else None


def offer_line_input(
    variant_id: str,
    quantity: int,
    *,
    price: str | None = None,
    reason: str | None = None,
    metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A CheckoutLineInput of its own line (``forceNewLine``: never merged into, and re-priced with, the
    shopper's line of that variant)."""
    line: dict[str, Any] = {"variantId": variant_id, "quantity": quantity}
    if price is not None:
        line["price"] = price
    if reason is not None:
        line["priceOverrideReason"] = reason
    line["forceNewLine"] = True
    if metadata:
        line["metadata"] = metadata_input(metadata)
    return line
