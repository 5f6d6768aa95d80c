"""The emulator's in-memory database and global-id lookups."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .catalog import Category, Channel, Collection, Product, ProductType, ShippingMethod, Variant
from .checkout import Checkout
from .ids import from_global_id
from .orders import Order, OrderLine
from .principals import App
from .vouchers import Voucher, VoucherCode


@dataclass
class State:
    channels: dict[str, Channel] = field(default_factory=dict)  # by slug
    categories: dict[int, Category] = field(default_factory=dict)
    collections: dict[int, Collection] = field(default_factory=dict)
    product_types: dict[int, ProductType] = field(default_factory=dict)
    products: dict[int, Product] = field(default_factory=dict)
    variants: dict[int, Variant] = field(default_factory=dict)
    shipping_methods: dict[int, ShippingMethod] = field(default_factory=dict)
    checkouts: dict[str, Checkout] = field(default_factory=dict)  # by token
    orders: dict[str, Order] = field(default_factory=dict)  # by uuid
    apps: dict[int, App] = field(default_factory=dict)
    vouchers: dict[int, Voucher] = field(default_factory=dict)
    # Default flat tax rate by country (TaxClassCountryRate without a tax class), in percent. Checkouts
    # hold this very dict, so change it in place.
    tax_rates: dict[str, Decimal] = field(default_factory=dict)
    order_numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    app_pks: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    webhook_pks: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Any other table's pks (vouchers, their codes and listings, payments).
    pks: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- catalog building -------------------------------------------------------------------------
    def add_channel(self, channel: Channel) -> Channel:
        self.channels[channel.slug] = channel
        return channel

    def add_product(self, product: Product) -> Product:
        self.products[product.pk] = product
        if product.category is not None:
            self.categories[product.category.pk] = product.category
        for collection in product.collections:
            self.collections[collection.pk] = collection
        self.product_types[product.product_type.pk] = product.product_type
        for variant in product.variants:
            self.variants[variant.pk] = variant
        return product

    # -- lookups ----------------------------------------------------------------------------------
    def channel_by_id(self, global_id: str) -> Channel | None:
        parsed = from_global_id(global_id)
        if parsed is None or parsed[0] != "Channel":
            return None
        return next((c for c in self.channels.values() if str(c.pk) == parsed[1]), None)

    def checkout(self, global_id: str | None) -> Checkout | None:
        parsed = from_global_id(global_id or "")
        if parsed is None or parsed[0] != "Checkout":
            return None
        return self.checkouts.get(parsed[1])

    def order(self, global_id: str | None) -> Order | None:
        parsed = from_global_id(global_id or "")
        if parsed is None or parsed[0] != "Order":
            return None
        return self.orders.get(parsed[1])

    def order_line(self, global_id: str | None) -> OrderLine | None:
        parsed = from_global_id(global_id or "")
        if parsed is None or parsed[0] != "OrderLine":
            return None
        for order in self.orders.values():
            for line in order.lines:
                if str(line.uuid) == parsed[1]:
                    return line
        return None

    def voucher_code(self, code: str) -> tuple[Voucher, VoucherCode] | None:
        for voucher in self.vouchers.values():
            for entry in voucher.code_list:
                if entry.code == code:
                    return voucher, entry
        return None

    def voucher(self, global_id: str | None) -> Voucher | None:
        parsed = from_global_id(global_id or "")
        if parsed is None or parsed[0] != "Voucher" or not parsed[1].isdigit():
            return None
        return self.vouchers.get(int(parsed[1]))

    def app_by_token(self, token: str) -> App | None:
        # Tokens of inactive apps do not authenticate (PROTOCOL §2).
        return next((a for a in self.apps.values() if a.token == token and a.is_active), None)

    def app(self, global_id: str | None) -> App | None:
        parsed = from_global_id(global_id or "")
        if parsed is None or parsed[0] != "App" or not parsed[1].isdigit():
            return None
        return self.apps.get(int(parsed[1]))

    def node(self, global_id: str) -> Any:
        """Any object by global id (for `node`, metadata mutations)."""
        parsed = from_global_id(global_id)
        if parsed is None:
            return None
        type_name, pk = parsed
        if type_name == "Checkout":
            return self.checkouts.get(pk)
        if type_name == "CheckoutLine":
            lines = (line for c in self.checkouts.values() for line in c.lines)
            return next((line for line in lines if str(line.uuid) == pk), None)
        if type_name == "Order":
            return self.orders.get(pk)
        if type_name == "OrderLine":
            return self.order_line(global_id)
        if type_name == "App":
            return self.app(global_id)
        if type_name == "Voucher":
            return self.voucher(global_id)
        tables: dict[str, dict[int, Any]] = {
            "Product": self.products,
            "ProductVariant": self.variants,
            "Category": self.categories,
            "Collection": self.collections,
            "ProductType": self.product_types,
        }
        if type_name in tables and pk.isdigit():
            return tables[type_name].get(int(pk))
        return None
