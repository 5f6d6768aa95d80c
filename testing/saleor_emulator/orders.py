"""Orders and order lines (captures: graphql-app-orderCreateFromCheckout / orderLinesCreate /
orderLineDiscountUpdate, surprises 17-21)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from .catalog import Channel, Variant, VariantInChannel
from .ids import to_global_id
from .metadata import MetadataMixin
from .money import NO_TAX, ZERO, TaxMode, money, quantize, taxed_money
from .times import iso, now

EDITABLE_STATUSES = ("DRAFT", "UNCONFIRMED")


@dataclass(eq=False)
class OrderLine(MetadataMixin):
    graphql_type: ClassVar[str] = "OrderLine"
    order: Order
    variant_obj: Variant | None
    quantity: int
    undiscounted_unit: Decimal
    product_name: str
    variant_name: str
    product_sku: str | None
    unit_discount: Decimal = Decimal(0)
    discount_type: str = "FIXED"
    discount_value: Decimal = Decimal(0)
    discount_reason: str | None = None
    is_price_overridden: bool = False
    price_override_reason: str | None = None
    is_shipping_required: bool = True
    voucher_code: str | None = None
    tax: TaxMode = NO_TAX  # the line's flat rate and price-entry mode, fixed when it was created
    uuid: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def currency(self) -> str:
        return self.order.channel.currency

    @property
    def unit(self) -> Decimal:
        """Unit price before tax, after discounts."""
        return self.undiscounted_unit - self.unit_discount

    @property
    def base_total(self) -> Decimal:
        return quantize(self.unit * self.quantity, self.currency)

    @property
    def total_taxed(self) -> tuple[Decimal, Decimal]:
        """(net, gross) of the line total: tax on the total, as Saleor's flat rates do."""
        return self.tax.apply(self.base_total, self.currency)

    @property
    def total(self) -> Decimal:
        return self.total_taxed[1]

    # GraphQL fields
    @property
    def id(self) -> str:
        return to_global_id("OrderLine", self.uuid)

    @property
    def variant(self) -> VariantInChannel | None:
        return VariantInChannel(self.variant_obj, self.order.channel) if self.variant_obj else None

    @property
    def productVariantId(self) -> str | None:
        return self.variant_obj.id if self.variant_obj else None

    @property
    def productName(self) -> str:
        return self.product_name

    @property
    def variantName(self) -> str:
        return self.variant_name

    @property
    def productSku(self) -> str | None:
        return self.product_sku

    @property
    def unitPrice(self) -> dict[str, Any]:
        net, gross = self.total_taxed
        cur = self.currency
        return taxed_money(quantize(net / self.quantity, cur), quantize(gross / self.quantity, cur), cur)

    @property
    def undiscountedUnitPrice(self) -> dict[str, Any]:
        return taxed_money(*self.tax.apply(self.undiscounted_unit, self.currency), self.currency)

    @property
    def unitDiscount(self) -> dict[str, Any]:
        return money(self.unit_discount, self.currency)

    @property
    def unitDiscountReason(self) -> str | None:
        return self.discount_reason

    @property
    def unitDiscountType(self) -> str:
        return self.discount_type

    @property
    def unitDiscountValue(self) -> float:
        return float(self.discount_value)

    @property
    def totalPrice(self) -> dict[str, Any]:
        return taxed_money(*self.total_taxed, self.currency)

    @property
    def undiscountedTotalPrice(self) -> dict[str, Any]:
        return taxed_money(
            *self.tax.apply(self.undiscounted_unit * self.quantity, self.currency), self.currency
        )

    @property
    def taxRate(self) -> float:
        return float(self.tax.rate / 100)

    @property
    def voucherCode(self) -> str | None:
        return self.voucher_code

    @property
    def isPriceOverridden(self) -> bool:
        return self.is_price_overridden

    @property
    def priceOverrideReason(self) -> str | None:
        return self.price_override_reason

    @property
    def isShippingRequired(self) -> bool:
        return self.is_shipping_required

    @property
    def quantityToFulfill(self) -> int:
        return self.quantity

    quantityFulfilled = 0
    isGift = False
    thumbnail = None
    saleId = None
    translatedProductName = ""
    translatedVariantName = ""
    discounts: ClassVar[list[Any]] = []


@dataclass(eq=False)
class Order(MetadataMixin):
    graphql_type: ClassVar[str] = "Order"
    number: int
    channel: Channel
    status: str
    origin: str
    user_email: str | None = None
    lines: list[OrderLine] = field(default_factory=list)
    shipping_price: Decimal = Decimal(0)  # before tax
    shipping_tax: TaxMode = NO_TAX
    voucher_code: str | None = None
    display_gross_prices: bool = True
    shipping_method_name: str | None = None
    # The checkout's shipping method (Order.deliveryMethod; Saleor keeps it while the method exists).
    shipping_method: Any = None
    shipping_address: dict[str, Any] | None = None
    billing_address: dict[str, Any] | None = None
    charged: Decimal = Decimal(0)
    authorized: Decimal = Decimal(0)
    checkout_token: str | None = None
    # Saleor's totalBalance lags one mutation behind after line/discount edits (surprise 20).
    stale_total: Decimal | None = None
    uuid: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)

    def touch(self) -> None:
        self.updated_at = now()

    @property
    def currency(self) -> str:
        return self.channel.currency

    @property
    def subtotal_taxed(self) -> tuple[Decimal, Decimal]:
        totals = [line.total_taxed for line in self.lines]
        return sum((t[0] for t in totals), ZERO), sum((t[1] for t in totals), ZERO)

    @property
    def shipping_taxed(self) -> tuple[Decimal, Decimal]:
        return self.shipping_tax.apply(self.shipping_price, self.currency)

    @property
    def total_taxed(self) -> tuple[Decimal, Decimal]:
        (net, gross), (ship_net, ship_gross) = self.subtotal_taxed, self.shipping_taxed
        return net + ship_net, gross + ship_gross

    @property
    def subtotal_amount(self) -> Decimal:
        return self.subtotal_taxed[1]

    @property
    def total_amount(self) -> Decimal:
        """The gross total: what the shopper pays."""
        return self.total_taxed[1]

    @property
    def undiscounted_total_taxed(self) -> tuple[Decimal, Decimal]:
        net, gross = self.shipping_taxed
        for line in self.lines:
            line_net, line_gross = line.tax.apply(line.undiscounted_unit * line.quantity, self.currency)
            net, gross = net + line_net, gross + line_gross
        return net, gross

    # GraphQL fields
    @property
    def id(self) -> str:
        return to_global_id("Order", self.uuid)

    @property
    def token(self) -> str:
        return str(self.uuid)

    @property
    def created(self) -> str:
        return iso(self.created_at)

    @property
    def updatedAt(self) -> str:
        return iso(self.updated_at)

    @property
    def userEmail(self) -> str | None:
        return self.user_email

    @property
    def total(self) -> dict[str, Any]:
        return taxed_money(*self.total_taxed, self.currency)

    @property
    def subtotal(self) -> dict[str, Any]:
        return taxed_money(*self.subtotal_taxed, self.currency)

    @property
    def undiscountedTotal(self) -> dict[str, Any]:
        return taxed_money(*self.undiscounted_total_taxed, self.currency)

    @property
    def shippingPrice(self) -> dict[str, Any]:
        return taxed_money(*self.shipping_taxed, self.currency)

    @property
    def voucherCode(self) -> str | None:
        return self.voucher_code

    @property
    def displayGrossPrices(self) -> bool:
        return self.display_gross_prices

    @property
    def undiscountedShippingPrice(self) -> dict[str, Any]:
        return money(self.shipping_price, self.currency)

    @property
    def shippingMethodName(self) -> str | None:
        return self.shipping_method_name

    @property
    def shippingAddress(self) -> dict[str, Any] | None:
        return self.shipping_address

    @property
    def billingAddress(self) -> dict[str, Any] | None:
        return self.billing_address

    @property
    def isPaid(self) -> bool:
        return self.total_amount > 0 and self.charged >= self.total_amount

    @property
    def chargeStatus(self) -> str:
        if self.charged <= 0:
            return "FULL" if self.total_amount == 0 else "NONE"
        if self.charged < self.total_amount:
            return "PARTIAL"
        return "FULL" if self.charged == self.total_amount else "OVERCHARGED"

    @property
    def authorizeStatus(self) -> str:
        if self.authorized <= 0:
            return "NONE"
        return "FULL" if self.authorized >= self.total_amount else "PARTIAL"

    @property
    def paymentStatus(self) -> str:
        return "FULLY_CHARGED" if self.isPaid else "NOT_CHARGED"

    @property
    def totalCharged(self) -> dict[str, Any]:
        return money(self.charged, self.currency)

    @property
    def totalAuthorized(self) -> dict[str, Any]:
        return money(self.authorized, self.currency)

    @property
    def totalBalance(self) -> dict[str, Any]:
        total = self.stale_total if self.stale_total is not None else self.total_amount
        return money(self.charged - total, self.currency)

    @property
    def checkoutId(self) -> str | None:
        return to_global_id("Checkout", self.checkout_token) if self.checkout_token else None

    @property
    def isShippingRequired(self) -> bool:
        return any(line.is_shipping_required for line in self.lines)

    @property
    def canFinalize(self) -> bool:
        return self.status == "DRAFT"

    user = None
    voucher = None
    taxExemption = False
    customerNote = ""
    redirectUrl = None
    externalReference = None
    languageCode = "en-us"
    languageCodeEnum = "EN_US"
    discountName = None
    translatedDiscountName = None
    collectionPointName = None
    trackingClientId = ""
    original = None

    @property
    def deliveryMethod(self) -> dict[str, Any] | None:
        return self.shipping_method.view(self.channel) if self.shipping_method is not None else None

    @property
    def shippingMethod(self) -> dict[str, Any] | None:
        return self.deliveryMethod

    discounts: ClassVar[list[Any]] = []
    errors: ClassVar[list[Any]] = []
    fulfillments: ClassVar[list[Any]] = []
    invoices: ClassVar[list[Any]] = []
    giftCards: ClassVar[list[Any]] = []
    payments: ClassVar[list[Any]] = []
    transactions: ClassVar[list[Any]] = []
    events: ClassVar[list[Any]] = []
    actions: ClassVar[list[Any]] = []
