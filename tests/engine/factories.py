"""Small builders for engine tests (real specs through the real validator)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from saleor_upsell_app.engine.ids import encode_global_id
from saleor_upsell_app.engine.spec import parse_rule_spec
from saleor_upsell_app.engine.types import CheckoutLine, CheckoutSnapshot, Rule, VariantPricing

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CHANNEL = "default-channel"
CHECKOUT_ID = encode_global_id("Checkout", "e3de4182-9fd0-4844-b942-3a7520ca6183")


def vid(n: int) -> str:
    return encode_global_id("ProductVariant", n)


def pid(n: int) -> str:
    return encode_global_id("Product", n)


def cat(n: int) -> str:
    return encode_global_id("Category", n)


def col(n: int) -> str:
    return encode_global_id("Collection", n)


def line(
    n: int,
    *,
    variant: int | None = None,
    product: int | None = None,
    category: int | None = 1,
    collections: Iterable[int] = (),
    quantity: int = 1,
    price: str = "40.00",
    undiscounted: str | None = None,
    metadata: Mapping[str, str] | None = None,
) -> CheckoutLine:
    return CheckoutLine(
        id=encode_global_id("CheckoutLine", f"line-{n}"),
        variant_id=vid(variant if variant is not None else n),
        product_id=pid(product if product is not None else n),
        category_id=cat(category) if category is not None else None,
        collection_ids=frozenset(col(c) for c in collections),
        quantity=quantity,
        unit_price=Decimal(price),
        undiscounted_unit_price=Decimal(undiscounted or price),
        metadata=dict(metadata or {}),
    )


def snapshot(
    lines: Iterable[CheckoutLine],
    *,
    currency: str = "USD",
    channel: str = CHANNEL,
    in_payment: bool = False,
    delivery_method_chosen: bool = False,
    checkout_id: str = CHECKOUT_ID,
) -> CheckoutSnapshot:
    lines = tuple(lines)
    return CheckoutSnapshot(
        id=checkout_id,
        channel_slug=channel,
        currency=currency,
        lines=lines,
        subtotal=sum((item.unit_price * item.quantity for item in lines), Decimal(0)),
        in_payment=in_payment,
        delivery_method_chosen=delivery_method_chosen,
    )


def bump_rule(
    rule_id: int,
    *,
    trigger: Mapping[str, Any] | None = None,
    offer: int = 900,
    price: Mapping[str, Any] | None = None,
    created_at: datetime | None = None,
    **fields: Any,
) -> Rule:
    data: dict[str, Any] = {
        "kind": "bump",
        "name": f"rule {rule_id}",
        "trigger": trigger if trigger is not None else {"variant_ids": [vid(1)]},
        "offer_variant_id": vid(offer),
        "price": price if price is not None else {"type": "percent_off", "percent": "20"},
        "copy": {"headline": "Add a mug", "reason": "Goes with your tee"},
        **fields,
    }
    return Rule(id=rule_id, spec=parse_rule_spec(data), created_at=created_at)


def upgrade_rule(
    rule_id: int,
    *,
    source: Iterable[int] = (1,),
    target: int = 800,
    price: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Rule:
    data: dict[str, Any] = {
        "kind": "upgrade",
        "name": f"upgrade {rule_id}",
        "from_variant_ids": [vid(n) for n in source],
        "to_variant_id": vid(target),
        "price": price if price is not None else {"type": "percent_off", "percent": "10"},
        "copy": {"headline": "Go premium", "reason": "Thicker cotton"},
        **fields,
    }
    return Rule(id=rule_id, spec=parse_rule_spec(data))


def variant_pricing(
    variant: int,
    regular: str = "10.00",
    current: str | None = None,
    *,
    currency: str = "USD",
    channel: str = CHANNEL,
    available: bool = True,
    product: int | None = None,
    category: int | None = 1,
) -> VariantPricing:
    return VariantPricing(
        variant_id=vid(variant),
        channel=channel,
        currency=currency,
        regular_price=Decimal(regular),
        current_price=Decimal(current or regular),
        available=available,
        name=f"Variant {variant}",
        product_id=pid(product if product is not None else variant),
        category_id=cat(category) if category is not None else None,
    )


def pricing_map(*items: VariantPricing) -> dict[str, VariantPricing]:
    return {item.variant_id: item for item in items}
