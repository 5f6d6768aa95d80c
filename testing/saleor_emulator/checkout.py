"""Checkouts and their lines, with Saleor's price rules (PROTOCOL §5.2, captures surprises 14 and
the storefront note): a custom price replaces the listed price *and* becomes undiscountedUnitPrice,
and an active catalogue promotion still applies on top of it (6.00 with 30% -> 4.20)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from .catalog import Channel, Promotion, ShippingMethod, Variant, VariantInChannel
from .ids import to_global_id
from .metadata import MetadataMixin
from .money import money, percent_off, quantize, taxed


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat()  # "+00:00", microseconds, like the captures


@dataclass(eq=False)
class CheckoutLine(MetadataMixin):
    graphql_type: ClassVar[str] = "CheckoutLine"
    checkout: Checkout
    variant_obj: Variant
    quantity: int
    price_override: Decimal | None = None
    price_override_reason: str | None = None
    uuid: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def id(self) -> str:
        return to_global_id("CheckoutLine", self.uuid)

    @property
    def currency(self) -> str:
        return self.checkout.channel.currency

    @property
    def undiscounted_unit(self) -> Decimal:
        if self.price_override is not None:
            return self.price_override
        return self.variant_obj.prices[self.checkout.channel.slug]

    @property
    def promotion(self) -> Promotion | None:
        return self.variant_obj.promotion_in(self.checkout.channel)

    @property
    def unit_discount(self) -> Decimal:
        promo = self.promotion
        return percent_off(self.undiscounted_unit, promo.percentage, self.currency) if promo else Decimal(0)

    @property
    def unit(self) -> Decimal:
        return self.undiscounted_unit - self.unit_discount

    @property
    def total(self) -> Decimal:
        return quantize(self.unit * self.quantity, self.currency)

    # GraphQL fields
    @property
    def variant(self) -> VariantInChannel:
        return VariantInChannel(self.variant_obj, self.checkout.channel)

    @property
    def unitPrice(self) -> dict[str, Any]:
        return taxed(self.unit, self.currency)

    @property
    def undiscountedUnitPrice(self) -> dict[str, Any]:
        return money(self.undiscounted_unit, self.currency)

    @property
    def totalPrice(self) -> dict[str, Any]:
        return taxed(self.total, self.currency)

    @property
    def undiscountedTotalPrice(self) -> dict[str, Any]:
        return money(self.undiscounted_unit * self.quantity, self.currency)

    @property
    def priceOverrideReason(self) -> str | None:
        return self.price_override_reason

    @property
    def requiresShipping(self) -> bool:
        return self.variant_obj.product.product_type.is_shipping_required

    priorUnitPrice = None
    isGift = False
    problems: ClassVar[list[Any]] = []


@dataclass(eq=False)
class Checkout(MetadataMixin):
    graphql_type: ClassVar[str] = "Checkout"
    channel: Channel
    lines: list[CheckoutLine] = field(default_factory=list)
    email: str | None = None
    shipping_address: dict[str, Any] | None = None
    billing_address: dict[str, Any] | None = None
    shipping_method: ShippingMethod | None = None
    authorize_status: str = "NONE"
    charge_status: str = "NONE"
    token_uuid: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)

    def touch(self) -> None:
        self.updated_at = now()

    @property
    def currency(self) -> str:
        return self.channel.currency

    @property
    def is_shipping_required(self) -> bool:
        return any(line.requiresShipping for line in self.lines)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def shipping(self) -> Decimal:
        if self.shipping_method is None or not self.is_shipping_required:
            return Decimal(0)
        return self.shipping_method.prices[self.channel.slug]

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping

    # GraphQL fields
    @property
    def id(self) -> str:
        return to_global_id("Checkout", self.token_uuid)

    @property
    def token(self) -> str:
        return str(self.token_uuid)

    @property
    def created(self) -> str:
        return iso(self.created_at)

    @property
    def updatedAt(self) -> str:
        return iso(self.updated_at)

    @property
    def lastChange(self) -> str:
        return iso(self.updated_at)

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def subtotalPrice(self) -> dict[str, Any]:
        return taxed(self.subtotal, self.currency)

    @property
    def totalPrice(self) -> dict[str, Any]:
        return taxed(self.total, self.currency)

    @property
    def shippingPrice(self) -> dict[str, Any]:
        return taxed(self.shipping, self.currency)

    @property
    def discount(self) -> dict[str, Any]:
        return money(Decimal(0), self.currency)

    @property
    def totalBalance(self) -> dict[str, Any]:
        return money(-self.total, self.currency)

    @property
    def isShippingRequired(self) -> bool:
        return self.is_shipping_required

    @property
    def shippingAddress(self) -> dict[str, Any] | None:
        return self.shipping_address

    @property
    def billingAddress(self) -> dict[str, Any] | None:
        return self.billing_address

    @property
    def deliveryMethod(self) -> dict[str, Any] | None:
        return self.shipping_method.view(self.channel) if self.shipping_method else None

    @property
    def shippingMethod(self) -> dict[str, Any] | None:
        return self.deliveryMethod

    def shippingMethods(self, info: Any) -> list[dict[str, Any]]:
        if self.shipping_address is None:
            return []
        methods = info.context.emu.state.shipping_methods.values()
        return [m.view(self.channel) for m in methods if self.channel.slug in m.prices]

    def availableShippingMethods(self, info: Any) -> list[dict[str, Any]]:
        return self.shippingMethods(info)

    @property
    def authorizeStatus(self) -> str:
        return self.authorize_status

    @property
    def chargeStatus(self) -> str:
        return self.charge_status

    user = None
    voucherCode = None
    voucher = None
    customerNote = ""
    note = ""
    discountName = None
    translatedDiscountName = None
    languageCode = "EN_US"
    displayGrossPrices = True
    stockReservationExpires = None
    problems: ClassVar[list[Any]] = []
    giftCards: ClassVar[list[Any]] = []
    transactions: ClassVar[list[Any]] = []
    availablePaymentGateways: ClassVar[list[Any]] = []
    availableCollectionPoints: ClassVar[list[Any]] = []
