"""Catalog entities (channels, categories, collections, products, variants, promotions, shipping).

Attribute and method names in camelCase are the GraphQL fields: graphql-core's default resolver reads
them directly (methods receive `info` and the field arguments).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from .countries import country_display
from .ids import to_global_id
from .metadata import MetadataMixin
from .money import money, percent_off, taxed_money
from .taxes import TaxSettings


@dataclass(eq=False)
class Channel:
    graphql_type: ClassVar[str] = "Channel"
    pk: int
    slug: str
    name: str
    currency: str
    automatically_confirm_all_new_orders: bool = True
    allow_unpaid_orders: bool = False
    is_active: bool = True
    default_country: str = "US"
    tax: TaxSettings = field(default_factory=TaxSettings)

    def __post_init__(self) -> None:
        self.tax.channel = self

    @property
    def id(self) -> str:
        return to_global_id("Channel", self.pk)

    @property
    def taxConfiguration(self) -> TaxSettings:
        return self.tax

    @property
    def currencyCode(self) -> str:
        return self.currency

    @property
    def isActive(self) -> bool:
        return self.is_active

    @property
    def defaultCountry(self) -> dict[str, Any]:
        return country_display(self.default_country)

    @property
    def orderSettings(self) -> dict[str, Any]:
        return {
            "automaticallyConfirmAllNewOrders": self.automatically_confirm_all_new_orders,
            "automaticallyFulfillNonShippableGiftCard": True,
            "markAsPaidStrategy": "TRANSACTION_FLOW",
            "allowUnpaidOrders": self.allow_unpaid_orders,
            "includeDraftOrderInVoucherUsage": False,
            "deleteExpiredOrdersAfter": 60,
            "expireOrdersAfter": None,
        }


@dataclass(eq=False)
class Category(MetadataMixin):
    graphql_type: ClassVar[str] = "Category"
    pk: int
    name: str
    slug: str
    parent: Category | None = None

    @property
    def id(self) -> str:
        return to_global_id("Category", self.pk)

    @property
    def level(self) -> int:
        return 0 if self.parent is None else self.parent.level + 1


@dataclass(eq=False)
class Collection(MetadataMixin):
    graphql_type: ClassVar[str] = "Collection"
    pk: int
    name: str
    slug: str

    @property
    def id(self) -> str:
        return to_global_id("Collection", self.pk)


@dataclass(eq=False)
class ProductType:
    graphql_type: ClassVar[str] = "ProductType"
    pk: int
    name: str
    is_shipping_required: bool = True

    @property
    def id(self) -> str:
        return to_global_id("ProductType", self.pk)

    @property
    def isShippingRequired(self) -> bool:
        return self.is_shipping_required


@dataclass(eq=False)
class Promotion:
    """A catalogue promotion: a percentage off listed variants, optionally limited to channels."""

    name: str
    percentage: Decimal
    channels: set[str] | None = None
    active: bool = True
    uuid: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def id(self) -> str:
        return to_global_id("Promotion", self.uuid)

    def applies_in(self, channel: Channel) -> bool:
        return self.active and (self.channels is None or channel.slug in self.channels)


@dataclass(eq=False)
class Product(MetadataMixin):
    graphql_type: ClassVar[str] = "Product"
    pk: int
    name: str
    slug: str
    category: Category | None
    product_type: ProductType
    collections: list[Collection] = field(default_factory=list)
    media_pk: int | None = None
    variants: list[Variant] = field(default_factory=list)

    @property
    def id(self) -> str:
        return to_global_id("Product", self.pk)


@dataclass(eq=False)
class Variant(MetadataMixin):
    graphql_type: ClassVar[str] = "ProductVariant"
    pk: int
    product: Product
    name: str
    sku: str | None
    prices: dict[str, Decimal]  # channel slug -> listed price
    promotion: Promotion | None = None
    quantity_available: int = 50

    @property
    def id(self) -> str:
        return to_global_id("ProductVariant", self.pk)

    def promotion_in(self, channel: Channel) -> Promotion | None:
        promo = self.promotion
        return promo if promo is not None and promo.applies_in(channel) else None


@dataclass(eq=False)
class ShippingMethod:
    graphql_type: ClassVar[str] = "ShippingMethod"
    pk: int
    name: str
    prices: dict[str, Decimal]

    @property
    def id(self) -> str:
        return to_global_id("ShippingMethod", self.pk)

    def view(self, channel: Channel) -> dict[str, Any]:
        return {
            "__typename": "ShippingMethod",
            "id": self.id,
            "name": self.name,
            "active": True,
            "price": money(self.prices[channel.slug], channel.currency),
            "description": None,
            "minimumDeliveryDays": None,
            "maximumDeliveryDays": None,
            "metadata": [],
            "privateMetadata": [],
            "type": "PRICE",
            "message": None,
        }


class ProductInChannel:
    """A product seen through a channel (Saleor's ChannelContext)."""

    graphql_type: ClassVar[str] = "Product"

    def __init__(self, product: Product, channel: Channel | None) -> None:
        self._product, self._channel = product, channel

    def __getattr__(self, name: str) -> Any:
        return getattr(self._product, name)

    @property
    def productType(self) -> ProductType:
        return self._product.product_type

    @property
    def channel(self) -> str | None:
        return self._channel.slug if self._channel else None

    @property
    def variants(self) -> list[VariantInChannel]:
        return [VariantInChannel(v, self._channel) for v in self._product.variants]

    def thumbnail(self, info: Any, size: int | None = None, format: str | None = None) -> Any:
        if self._product.media_pk is None:
            return None
        media_id = to_global_id("ProductMedia", self._product.media_pk)
        return {
            "url": f"{info.context.emu.origin}/thumbnail/{media_id}/{size or 256}/",
            "alt": self._product.name,
        }


class VariantInChannel:
    """A variant seen through a channel: pricing and listings depend on it."""

    graphql_type: ClassVar[str] = "ProductVariant"

    def __init__(self, variant: Variant, channel: Channel | None) -> None:
        self.variant, self._channel = variant, channel

    def __getattr__(self, name: str) -> Any:
        return getattr(self.variant, name)

    @property
    def product(self) -> ProductInChannel:
        return ProductInChannel(self.variant.product, self._channel)

    @property
    def channel(self) -> str | None:
        return self._channel.slug if self._channel else None

    def quantityAvailable(self, info: Any, **_: Any) -> int:
        return self.variant.quantity_available

    def pricing(self, info: Any, address: Any = None) -> dict[str, Any] | None:
        """VariantPricingInfo: catalogue promotion, then the channel's flat tax for the address's country
        (or the channel's), whether or not the channel charges taxes (get_variant_availability)."""
        channel = self._channel
        if channel is None or channel.slug not in self.variant.prices:
            return None
        base = self.variant.prices[channel.slug]
        promo = self.variant.promotion_in(channel)
        cur = channel.currency
        discount = percent_off(base, promo.percentage, cur) if promo else Decimal(0)
        country = (address or {}).get("country") or channel.default_country
        tax = channel.tax.catalogue_mode(country, info.context.state.tax_rates)
        net, gross = tax.apply(base - discount, cur)
        full_net, full_gross = tax.apply(base, cur)
        return {
            "onSale": promo is not None,
            "discount": taxed_money(full_net - net, full_gross - gross, cur) if promo else None,
            "discountPrior": None,
            "price": taxed_money(net, gross, cur),
            "priceUndiscounted": taxed_money(full_net, full_gross, cur),
            "pricePrior": None,
            "discountLocalCurrency": None,
            "priceLocalCurrency": None,
        }

    def channelListings(self, info: Any) -> list[dict[str, Any]]:
        state = info.context.emu.state
        out = []
        for slug, price in self.variant.prices.items():
            channel = state.channels[slug]
            out.append(
                {
                    "id": to_global_id("ProductVariantChannelListing", f"{self.variant.pk}-{slug}"),
                    "channel": channel,
                    "price": money(price, channel.currency),
                    "costPrice": None,
                    "priorPrice": None,
                    "preorderThreshold": None,
                    "margin": None,
                }
            )
        return out
