"""Checkouts and their lines (PROTOCOL §5.2, captures surprise 14 and section "Vouchers, taxes and
custom prices"). Prices come from pricing.py: a custom price replaces the listed price *and* becomes
undiscountedUnitPrice; catalogue promotions and vouchers apply on top of it; flat-rate taxes read it
as net or gross following the channel's `pricesEnteredWithTax`.

GraphQL price fields are methods: graphql-core passes them `info`, whose request context prices each
checkout once per request (and knows who reads, for the transient 0.00 reading)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from .catalog import Channel, Promotion, ShippingMethod, Variant, VariantInChannel
from .ids import to_global_id
from .metadata import MetadataMixin
from .money import ZERO, money, taxed_money
from .pricing import CheckoutPrices, LinePrices, price_checkout
from .times import iso, now

if TYPE_CHECKING:
    from .vouchers import Voucher

__all__ = ["Checkout", "CheckoutLine", "iso", "now"]

DUMMY_GATEWAY = "mirumee.payments.dummy"  # the legacy dummy gateway of Saleor's sample setup


def _prices(checkout: Checkout, info: Any) -> CheckoutPrices:
    """Through the request's cache when GraphQL asks (`info`), freshly computed from Python."""
    if info is None:
        return price_checkout(checkout)
    prices: CheckoutPrices = info.context.checkout_prices(checkout)
    return prices


@dataclass(eq=False)
class CheckoutLine(MetadataMixin):
    graphql_type: ClassVar[str] = "CheckoutLine"
    checkout: Checkout
    variant_obj: Variant
    quantity: int
    price_override: Decimal | None = None
    price_override_reason: str | None = None
    uuid: uuid.UUID = field(default_factory=uuid.uuid4)
    # Transient reading: until this time.monotonic() value, other requests see the line at 0.00.
    unpriced_until: float | None = None
    unpriced_for: object = None  # the request that added it sees the real price

    @property
    def id(self) -> str:
        return to_global_id("CheckoutLine", self.uuid)

    @property
    def currency(self) -> str:
        return self.checkout.channel.currency

    @property
    def promotion(self) -> Promotion | None:
        return self.variant_obj.promotion_in(self.checkout.channel)

    def prices(self, info: Any = None) -> LinePrices:
        return _prices(self.checkout, info).lines[self]

    # Python-side readings (gross, as the shopper pays).
    @property
    def undiscounted_unit(self) -> Decimal:
        return self.prices().undiscounted_unit

    @property
    def unit(self) -> Decimal:
        return self.prices().unit_gross

    @property
    def total(self) -> Decimal:
        return self.prices().total_gross

    # GraphQL fields
    @property
    def variant(self) -> VariantInChannel:
        return VariantInChannel(self.variant_obj, self.checkout.channel)

    def unitPrice(self, info: Any) -> dict[str, Any]:
        p = self.prices(info)
        return taxed_money(p.unit_net, p.unit_gross, self.currency)

    def undiscountedUnitPrice(self, info: Any) -> dict[str, Any]:
        return money(self.prices(info).undiscounted_unit, self.currency)

    def totalPrice(self, info: Any) -> dict[str, Any]:
        p = self.prices(info)
        return taxed_money(p.total_net, p.total_gross, self.currency)

    def undiscountedTotalPrice(self, info: Any) -> dict[str, Any]:
        return money(self.prices(info).undiscounted_unit * self.quantity, self.currency)

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
    voucher: Voucher | None = None
    voucher_code: str | None = None
    payment: Any = None  # the active legacy Payment (payments.py)
    # The shop's flat rates by country (State.tax_rates, shared so rate changes apply at once).
    tax_rates: Mapping[str, Decimal] = field(default_factory=dict, repr=False)
    token_uuid: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)

    def touch(self) -> None:
        self.updated_at = now()

    def prices(self, info: Any = None) -> CheckoutPrices:
        return _prices(self, info)

    @property
    def currency(self) -> str:
        return self.channel.currency

    @property
    def is_shipping_required(self) -> bool:
        return any(line.requiresShipping for line in self.lines)

    @property
    def shipping_base(self) -> Decimal:
        """The delivery price before tax (no shipping vouchers modelled)."""
        if self.shipping_method is None or not self.is_shipping_required:
            return ZERO
        return self.shipping_method.prices[self.channel.slug]

    # Python-side readings (gross).
    @property
    def subtotal(self) -> Decimal:
        return self.prices().subtotal_gross

    @property
    def shipping(self) -> Decimal:
        return self.prices().shipping_gross

    @property
    def total(self) -> Decimal:
        return self.prices().total_gross

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

    def subtotalPrice(self, info: Any) -> dict[str, Any]:
        p = self.prices(info)
        return taxed_money(p.subtotal_net, p.subtotal_gross, self.currency)

    def totalPrice(self, info: Any) -> dict[str, Any]:
        p = self.prices(info)
        return taxed_money(p.total_net, p.total_gross, self.currency)

    def shippingPrice(self, info: Any) -> dict[str, Any]:
        p = self.prices(info)
        return taxed_money(p.shipping_net, p.shipping_gross, self.currency)

    def discount(self, info: Any) -> dict[str, Any]:
        return money(self.prices(info).discount, self.currency)

    def discountName(self, info: Any) -> str | None:
        voucher = self.prices(info).voucher
        return voucher.name if voucher is not None else None

    def translatedDiscountName(self, info: Any) -> str | None:
        return "" if self.prices(info).voucher is not None else None

    @property
    def voucherCode(self) -> str | None:
        return self.voucher_code

    def displayGrossPrices(self, info: Any) -> bool:
        return self.prices(info).display_gross

    def totalBalance(self, info: Any) -> dict[str, Any]:
        return money(-self.prices(info).total_gross, self.currency)

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

    def availablePaymentGateways(self, info: Any) -> list[dict[str, Any]]:
        return [{"id": DUMMY_GATEWAY, "name": "Dummy", "config": [], "currencies": [self.currency]}]

    @property
    def authorizeStatus(self) -> str:
        return self.authorize_status

    @property
    def chargeStatus(self) -> str:
        return self.charge_status

    user = None
    taxExemption = False
    customerNote = ""
    note = ""
    languageCode = "EN_US"
    stockReservationExpires = None
    problems: ClassVar[list[Any]] = []
    giftCards: ClassVar[list[Any]] = []
    transactions: ClassVar[list[Any]] = []
    availableCollectionPoints: ClassVar[list[Any]] = []
