"""Vouchers and their codes (captures graphql-staff-voucherCreate-*.json,
graphql-staff-voucherChannelListingUpdate-*.json). How a voucher changes prices is in pricing.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from .catalog import Category, Channel, Collection, Product, ProductInChannel, Variant, VariantInChannel
from .countries import country_display
from .ids import to_global_id
from .metadata import MetadataMixin
from .money import money, percent_off
from .pagination import connection
from .times import iso, now

ENTIRE_ORDER, SPECIFIC_PRODUCT, SHIPPING = "ENTIRE_ORDER", "SPECIFIC_PRODUCT", "SHIPPING"
PERCENTAGE, FIXED = "PERCENTAGE", "FIXED"


class NotApplicable(Exception):
    """Saleor's discount.models.NotApplicable: the voucher cannot be used on this checkout."""


@dataclass(eq=False)
class VoucherCode:
    graphql_type: ClassVar[str] = "VoucherCode"
    pk: int
    code: str
    used: int = 0
    is_active: bool = True
    created_at: datetime = field(default_factory=now)

    @property
    def id(self) -> str:
        return to_global_id("VoucherCode", self.pk)

    @property
    def isActive(self) -> bool:
        return self.is_active

    @property
    def createdAt(self) -> str:
        return iso(self.created_at)


@dataclass(eq=False)
class VoucherListing:
    """The per-channel value of a voucher (VoucherChannelListing)."""

    graphql_type: ClassVar[str] = "VoucherChannelListing"
    pk: int
    channel: Channel
    discount_value: Decimal
    min_spent: Decimal | None = None

    @property
    def id(self) -> str:
        return to_global_id("VoucherChannelListing", self.pk)

    @property
    def discountValue(self) -> float:
        return float(self.discount_value)

    @property
    def currency(self) -> str:
        return self.channel.currency

    @property
    def minSpent(self) -> dict[str, Any] | None:
        return money(self.min_spent, self.channel.currency) if self.min_spent is not None else None


def _page(items: list[Any], name: str, **args: Any) -> dict[str, Any]:
    return connection(items, field_name=name, sort_key=lambda i: [i.pk], **args)


@dataclass(eq=False)
class Voucher(MetadataMixin):
    graphql_type: ClassVar[str] = "Voucher"
    pk: int
    type: str = ENTIRE_ORDER
    name: str | None = None
    discount_value_type: str = FIXED  # Saleor's model default
    code_list: list[VoucherCode] = field(default_factory=list)
    listings: dict[str, VoucherListing] = field(default_factory=dict)  # by channel slug
    variant_list: list[Variant] = field(default_factory=list)
    product_list: list[Product] = field(default_factory=list)
    collection_list: list[Collection] = field(default_factory=list)
    category_list: list[Category] = field(default_factory=list)
    apply_once_per_order: bool = False
    apply_once_per_customer: bool = False
    only_for_staff: bool = False
    single_use: bool = False
    usage_limit: int | None = None
    min_checkout_items_quantity: int | None = None
    country_codes: list[str] = field(default_factory=list)
    start_date: datetime = field(default_factory=now)
    end_date: datetime | None = None
    deleted: bool = False

    def listing(self, channel: Channel) -> VoucherListing:
        found = self.listings.get(channel.slug)
        if found is None:
            raise NotApplicable("This voucher is not assigned to this channel")
        return found

    def covers(self, variant: Variant) -> bool:
        """Saleor's get_discounted_lines: a voucher naming no products, variants, collections or
        categories covers every line."""
        if not (self.variant_list or self.product_list or self.collection_list or self.category_list):
            return True
        product = variant.product
        return (
            variant in self.variant_list
            or product in self.product_list
            or (product.category is not None and product.category in self.category_list)
            or any(c in self.collection_list for c in product.collections)
        )

    def discount_for(self, price: Decimal, channel: Channel) -> Decimal:
        """Voucher.get_discount_amount_for: the amount taken off `price` (never more than it)."""
        value = self.listing(channel).discount_value
        if self.discount_value_type == PERCENTAGE:
            return min(percent_off(price, value, channel.currency), price)
        return min(value, price)

    # GraphQL fields
    @property
    def id(self) -> str:
        return to_global_id("Voucher", self.pk)

    @property
    def code(self) -> str | None:
        return self.code_list[0].code if self.code_list else None

    def codes(self, info: Any, **args: Any) -> dict[str, Any]:
        """Newest first (VoucherCode's ordering); `code` is the oldest (`codes.last()`)."""
        return connection(
            list(self.code_list), field_name="codes", sort_key=lambda c: [c.pk], descending=True, **args
        )

    def variants(self, info: Any, **args: Any) -> dict[str, Any]:
        return _page([VariantInChannel(v, None) for v in self.variant_list], "variants", **args)

    def products(self, info: Any, **args: Any) -> dict[str, Any]:
        return _page([ProductInChannel(p, None) for p in self.product_list], "products", **args)

    def collections(self, info: Any, **args: Any) -> dict[str, Any]:
        return _page(list(self.collection_list), "collections", **args)

    def categories(self, info: Any, **args: Any) -> dict[str, Any]:
        return _page(list(self.category_list), "categories", **args)

    @property
    def discountValueType(self) -> str:
        return self.discount_value_type

    @property
    def applyOncePerOrder(self) -> bool:
        return self.apply_once_per_order

    @property
    def applyOncePerCustomer(self) -> bool:
        return self.apply_once_per_customer

    @property
    def onlyForStaff(self) -> bool:
        return self.only_for_staff

    @property
    def singleUse(self) -> bool:
        return self.single_use

    @property
    def usageLimit(self) -> int | None:
        return self.usage_limit

    @property
    def used(self) -> int:
        return sum(c.used for c in self.code_list)

    @property
    def minCheckoutItemsQuantity(self) -> int | None:
        return self.min_checkout_items_quantity

    @property
    def startDate(self) -> str:
        return iso(self.start_date)

    @property
    def endDate(self) -> str | None:
        return iso(self.end_date) if self.end_date else None

    @property
    def countries(self) -> list[dict[str, Any]]:
        return [country_display(c) for c in self.country_codes]

    @property
    def channelListings(self) -> list[VoucherListing]:
        return list(self.listings.values())

    # Channel-context fields: the emulator serves vouchers without a channel context.
    discountValue = None
    currency = None
    minSpent = None
    translation = None
