"""Typed results of the GraphQL operations in graphql/saleor/ (queries, mutations, subscription payloads).

Each model holds what the app reads from the operation's selection (Saleor JSON stops here: gateways
parse into these and hand the features typed values). A model may be more lenient than Saleor's schema
(a field Saleor never omits may still have a default, as older payloads lack some fields) but never
stricter, and every field it declares is selected by its operation: tests/saleor/test_results.py walks
each operation against Saleor's schema to prove it. ``OPERATION_RESULTS`` and ``SUBSCRIPTION_PAYLOADS``
say which model reads which operation.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt
from pydantic.alias_generators import to_camel

Count = Annotated[StrictInt, Field(ge=0)]


class Result(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, extra="ignore", frozen=True)


class Node(Result):
    id: str


class Money(Result):
    amount: Decimal
    currency: str


class TaxedMoney(Result):
    gross: Money


class NetGrossMoney(TaxedMoney):
    """A TaxedMoney selected with its net part (which one is the price as entered depends on the channel).
    Payloads recorded before the net part was selected lack it."""

    net: Money | None = None


def entered_amount(money: NetGrossMoney, prices_entered_with_tax: bool) -> Decimal:
    """The amount in the channel's price convention: net when prices are entered without tax (Saleor
    reads a custom line price as net there), gross otherwise (docs/pricing.md)."""
    if not prices_entered_with_tax and money.net is not None:
        return money.net.amount
    return money.gross.amount


class MetadataItem(Result):
    key: str
    value: str


def metadata_dict(items: list[MetadataItem] | None) -> dict[str, str]:
    """A metadata list as a dict (the one place the app reads key/value lists)."""
    return {item.key: item.value for item in items or ()}


def metadata_input(metadata: Mapping[str, str]) -> list[dict[str, str]]:
    """A dict as Saleor's MetadataInput list (the one place the app writes them)."""
    return [{"key": key, "value": value} for key, value in metadata.items()]


class Image(Result):
    url: str


# ---------------------------------------------------------------------------------------------- checkout


class CheckoutProduct(Result):
    id: str
    name: str | None = None
    category: Node | None = None
    collections: list[Node] | None = None


class CheckoutVariant(Result):
    id: str
    product: CheckoutProduct


class CheckoutLine(Result):
    id: str
    quantity: Count
    metadata: list[MetadataItem] | None = None
    unit_price: NetGrossMoney
    undiscounted_unit_price: Money  # the entered price: a custom price as sent
    variant: CheckoutVariant


class ChannelTaxConfiguration(Result):
    prices_entered_with_tax: bool
    charge_taxes: bool | None = None
    display_gross_prices: bool | None = None


class Channel(Result):
    slug: str
    currency_code: str | None = None


class CheckoutChannel(Channel):
    # Older payloads (and the captures of 2026-11-25) lack it; Saleor's default is prices with tax.
    tax_configuration: ChannelTaxConfiguration | None = None

    @property
    def prices_entered_with_tax(self) -> bool:
        config = self.tax_configuration
        return config.prices_entered_with_tax if config is not None else True


class TypeName(Result):
    typename: str | None = Field(default=None, alias="__typename")


class Checkout(Result):
    """The UpsellCheckout fragment. Older payloads lack authorizeStatus, chargeStatus and deliveryMethod."""

    id: str
    updated_at: str | None = None
    channel: CheckoutChannel
    subtotal_price: TaxedMoney
    voucher_code: str | None = None  # the shopper's voucher: applied on top of a custom price
    discount: Money | None = None
    authorize_status: str | None = None
    charge_status: str | None = None
    delivery_method: TypeName | None = None
    metadata: list[MetadataItem] | None = None
    lines: list[CheckoutLine]


class CheckoutSnapshotData(Result):
    checkout: Checkout | None = None


class CheckoutLinesPayload(Result):
    """checkoutLinesAdd / checkoutLinesDelete / checkoutLinesUpdate."""

    checkout: Checkout | None = None


# ---------------------------------------------------------------------------------------------- catalogue


class VariantPricing(Result):
    price: NetGrossMoney | None = None
    price_undiscounted: NetGrossMoney | None = None


class OfferProduct(Result):
    id: str
    name: str
    thumbnail: Image | None = None
    category: Node | None = None
    collections: list[Node] | None = None


class PricedVariant(Result):
    """The VariantPrice fragment."""

    id: str
    name: str
    sku: str | None = None
    quantity_available: int | None = None
    pricing: VariantPricing | None = None


class OfferVariant(PricedVariant):
    product: OfferProduct


class OfferVariantEdge(Result):
    node: OfferVariant


class OfferVariantConnection(Result):
    edges: list[OfferVariantEdge]


class PricesEntered(Result):
    prices_entered_with_tax: bool


class TaxedChannel(Result):
    tax_configuration: PricesEntered


class OfferVariantsData(Result):
    channel: TaxedChannel | None = None
    product_variants: OfferVariantConnection | None = None


class SearchProduct(Result):
    id: str
    name: str
    thumbnail: Image | None = None
    category: Node | None = None
    collections: list[Node] | None = None
    variants: list[PricedVariant] | None = None


class SearchProductEdge(Result):
    node: SearchProduct


class SearchProductConnection(Result):
    edges: list[SearchProductEdge]


class ProductSearchData(Result):
    products: SearchProductConnection | None = None


class NamedProduct(Result):
    id: str
    name: str
    thumbnail: Image | None = None


class NamedProductEdge(Result):
    node: NamedProduct


class NamedProductConnection(Result):
    edges: list[NamedProductEdge]


class ProductNamesData(Result):
    products: NamedProductConnection | None = None


class NamedGroup(Result):
    id: str
    name: str


class NamedGroupEdge(Result):
    node: NamedGroup


class NamedGroupConnection(Result):
    edges: list[NamedGroupEdge]


class CatalogGroupsData(Result):
    categories: NamedGroupConnection | None = None
    collections: NamedGroupConnection | None = None


class ChannelInfo(Result):
    slug: str
    name: str
    currency_code: str
    is_active: bool


class ChannelsData(Result):
    channels: list[ChannelInfo] | None = None


class AppIdData(Result):
    app: Node | None = None


# ---------------------------------------------------------------------------------------------- orders


class HistoryProduct(Result):
    id: str
    category: Node | None = None


class HistoryVariant(Result):
    id: str
    product: HistoryProduct


class HistoryLine(Result):
    quantity: Count
    variant: HistoryVariant | None = None
    unit_price: TaxedMoney | None = None


class SlugChannel(Result):
    slug: str


class HistoryOrder(Result):
    """The HistoryOrder fragment; the order webhook's UpsellOrder has the same fields (and more)."""

    id: str
    created: str
    checkout_id: str | None = None
    channel: SlugChannel
    total: TaxedMoney
    lines: list[HistoryLine]


class PageInfo(Result):
    has_next_page: bool
    end_cursor: str | None = None


class HistoryOrderEdge(Result):
    node: HistoryOrder


class HistoryOrderConnection(Result):
    total_count: int | None = None
    page_info: PageInfo
    edges: list[HistoryOrderEdge]


class OrderHistoryData(Result):
    orders: HistoryOrderConnection | None = None


class OrderProduct(HistoryProduct):
    collections: list[Node] | None = None


class OrderVariant(HistoryVariant):
    product: OrderProduct


class OrderLine(HistoryLine):
    id: str
    product_name: str
    variant: OrderVariant | None = None
    unit_price: NetGrossMoney
    metadata: list[MetadataItem] | None = None


class OrderChannel(CheckoutChannel):
    pass


class Order(HistoryOrder):
    """The UpsellOrder fragment (ORDER_CREATED)."""

    number: str | None = None
    status: str
    channel: OrderChannel  # type: ignore[assignment]
    user_email: str | None = None
    user: Node | None = None
    lines: list[OrderLine]  # type: ignore[assignment]
    metadata: list[MetadataItem] | None = None


class PurchaseLine(Result):
    """The PostPurchaseOrderLine fragment (net and gross: which one is the price as entered depends on
    the order's channel)."""

    id: str
    variant: Node | None = None
    unit_price: NetGrossMoney
    undiscounted_unit_price: NetGrossMoney


class Country(Result):
    code: str


class Address(Result):
    """The PostPurchaseAddress fragment: exactly what AddressInput takes back."""

    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    street_address1: str | None = None
    street_address2: str | None = None
    city: str | None = None
    city_area: str | None = None
    postal_code: str | None = None
    country: Country | None = None
    country_area: str | None = None
    phone: str | None = None


class PurchaseChannel(CheckoutChannel):
    id: str


class DeliveryMethodRef(Result):
    """``deliveryMethod { __typename ... on ShippingMethod { id } }`` (a Warehouse has no id selected)."""

    typename: str | None = Field(default=None, alias="__typename")
    id: str | None = None


class PurchaseOrder(Result):
    id: str
    number: str | None = None
    status: str
    user_email: str | None = None
    user: Node | None = None
    channel: PurchaseChannel
    lines: list[PurchaseLine]
    shipping_address: Address | None = None
    billing_address: Address | None = None
    delivery_method: DeliveryMethodRef | None = None


class PostPurchaseOrderData(Result):
    order: PurchaseOrder | None = None


class OrderLinesCreatePayload(Result):
    order_lines: list[PurchaseLine] | None = None


class FollowUpLine(Result):
    """A line of the PostPurchaseCheckout fragment."""

    id: str
    quantity: Count
    variant: Node
    metadata: list[MetadataItem] | None = None
    unit_price: NetGrossMoney
    undiscounted_unit_price: Money


class FollowUpCheckout(Result):
    """The PostPurchaseCheckout fragment: a follow-up checkout holding an accepted offer."""

    id: str
    email: str | None = None
    channel: CheckoutChannel
    metadata: list[MetadataItem] | None = None
    lines: list[FollowUpLine]
    shipping_methods: list[Node] | None = None
    delivery_method: DeliveryMethodRef | None = None


class FollowUpCheckoutPayload(Result):
    """checkoutCreate / checkoutDeliveryMethodUpdate of a follow-up checkout."""

    checkout: FollowUpCheckout | None = None


class FollowUpCheckoutEdge(Result):
    node: FollowUpCheckout


class FollowUpCheckoutConnection(Result):
    edges: list[FollowUpCheckoutEdge]


class PostPurchaseCheckoutsData(Result):
    checkouts: FollowUpCheckoutConnection | None = None


class CheckoutLinesDeletePayload(Result):
    checkout: Node | None = None


class OrderLineDiscountUpdatePayload(Result):
    order_line: PurchaseLine | None = None


class OrderLineDeletePayload(Result):
    order_line: Node | None = None


class OrderConfirmPayload(Result):
    order: Node | None = None


class UpdateMetadataPayload(Result):
    pass


# ---------------------------------------------------------------------------------------------- webhooks


class Principal(Result):
    typename: str | None = Field(default=None, alias="__typename")
    id: str | None = None


class WebhookEvent(Result):
    issued_at: str | None = None
    issuing_principal: Principal | None = None


class CheckoutRef(WebhookEvent):
    """What ingest reads of a checkout event: the envelope and which checkout it is about."""

    checkout: Node | None = None


class OrderRef(WebhookEvent):
    """What ingest reads of an order event: the envelope and which order it is about."""

    order: Node | None = None


class CheckoutEvent(WebhookEvent):
    checkout: Checkout | None = None


class OrderEvent(WebhookEvent):
    order: Order | None = None


class DeletedApp(Result):
    id: str


class AppDeletedEvent(WebhookEvent):
    app: DeletedApp | None = None


# What each operation's answer is read into: the whole `data` of a query, the payload field of a mutation.
OPERATION_RESULTS: dict[str, type[Result]] = {
    "AppId": AppIdData,
    "Channels": ChannelsData,
    "CheckoutSnapshot": CheckoutSnapshotData,
    "OfferVariants": OfferVariantsData,
    "OrderHistory": OrderHistoryData,
    "PostPurchaseCheckouts": PostPurchaseCheckoutsData,
    "PostPurchaseOrder": PostPurchaseOrderData,
    "ProductSearch": ProductSearchData,
    "ProductNames": ProductNamesData,
    "CatalogGroups": CatalogGroupsData,
    "CheckoutCreate": CheckoutLinesPayload,
    "CheckoutLinesAdd": CheckoutLinesPayload,
    "CheckoutLinesDelete": CheckoutLinesPayload,
    "CheckoutLinesUpdate": CheckoutLinesPayload,
    "PostPurchaseCheckoutCreate": FollowUpCheckoutPayload,
    "PostPurchaseCheckoutDeliveryMethod": FollowUpCheckoutPayload,
    "PostPurchaseCheckoutLinesDelete": CheckoutLinesDeletePayload,
    "OrderConfirm": OrderConfirmPayload,
    "OrderLineDelete": OrderLineDeletePayload,
    "OrderLineDiscountUpdate": OrderLineDiscountUpdatePayload,
    "OrderLinesCreate": OrderLinesCreatePayload,
    "OrderUpdateMetadata": UpdateMetadataPayload,
    "OrderDeleteMetadata": UpdateMetadataPayload,
}
# The `event` of each subscription (graphql/saleor/subscriptions/<file>).
SUBSCRIPTION_PAYLOADS: dict[str, type[WebhookEvent]] = {
    "checkout_created.graphql": CheckoutEvent,
    "checkout_updated.graphql": CheckoutEvent,
    "order_created.graphql": OrderEvent,
    "app_deleted.graphql": AppDeletedEvent,
}
