"""The line metadata the app writes, and how a line's upsell marker is read back.

Bump and upgrade lines are recognised in a checkout snapshot by these keys alone (the storefront never
shows them; they are copied to the order line at completion, which makes attribution possible).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .ids import digits_of, rule_id_of
from .types import OfferKind

PREFIX = "saleor-upsell."
RULE = PREFIX + "rule"
KIND = PREFIX + "kind"  # "bump" | "upgrade"
OFFER_PRICE = PREFIX + "offer-price"  # target unit price the shopper was promised
REGULAR_PRICE = PREFIX + "regular-price"  # the variant's undiscounted price when offered
CURRENCY = PREFIX + "currency"
MAX_QUANTITY = PREFIX + "max-quantity"  # units allowed at the offer price (bumps)
ORIGINAL_VARIANT = PREFIX + "original-variant"  # upgrades: what to revert to
ORIGINAL_QUANTITY = PREFIX + "original-quantity"

_KINDS: dict[str, OfferKind] = {kind.value: kind for kind in OfferKind}


@dataclass(frozen=True, slots=True)
class UpsellMarker:
    # None when the line names something that is not a rule id: it is marked, but never trusted.
    rule_id: int | None
    kind: OfferKind
    offer_price: Decimal | None
    regular_price: Decimal | None
    max_quantity: int
    original_variant_id: str | None
    original_quantity: int | None


def _decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        parsed = Decimal(value)
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def _positive_int(value: str | None) -> int | None:
    parsed = digits_of(value) if value is not None else None
    return parsed if parsed is not None and parsed > 0 else None


def read_marker(metadata: Mapping[str, str]) -> UpsellMarker | None:
    """The line's upsell marker, or None for an ordinary line.

    A line needs both a rule id and a known kind to count as ours; other values are read leniently
    (metadata is public and may have been edited), falling back to the safest value.
    """
    if not metadata:
        return None  # the common case: a shopper's line without any metadata
    rule_id = metadata.get(RULE)
    kind = _KINDS.get(metadata.get(KIND, ""))
    if not rule_id or kind is None:
        return None
    return UpsellMarker(
        rule_id=rule_id_of(rule_id),
        kind=kind,
        offer_price=_decimal(metadata.get(OFFER_PRICE)),
        regular_price=_decimal(metadata.get(REGULAR_PRICE)),
        max_quantity=_positive_int(metadata.get(MAX_QUANTITY)) or 1,
        original_variant_id=metadata.get(ORIGINAL_VARIANT) or None,
        original_quantity=_positive_int(metadata.get(ORIGINAL_QUANTITY)),
    )


def bump_metadata(
    rule_id: int, offer_price: Decimal, regular_price: Decimal, currency: str, max_quantity: int
) -> dict[str, str]:
    return {
        RULE: str(rule_id),
        KIND: OfferKind.BUMP.value,
        OFFER_PRICE: str(offer_price),
        REGULAR_PRICE: str(regular_price),
        CURRENCY: currency,
        MAX_QUANTITY: str(max_quantity),
    }


def upgrade_metadata(
    rule_id: int,
    offer_price: Decimal,
    regular_price: Decimal,
    currency: str,
    original_variant_id: str,
    original_quantity: int,
) -> dict[str, str]:
    return {
        RULE: str(rule_id),
        KIND: OfferKind.UPGRADE.value,
        OFFER_PRICE: str(offer_price),
        REGULAR_PRICE: str(regular_price),
        CURRENCY: currency,
        ORIGINAL_VARIANT: original_variant_id,
        ORIGINAL_QUANTITY: str(original_quantity),
    }
