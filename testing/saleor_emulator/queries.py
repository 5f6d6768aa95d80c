"""Query root resolvers (PROTOCOL §5.1; captures graphql-app-*.json)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .auth import RequestContext
from .catalog import Channel, ProductInChannel, VariantInChannel
from .errors import PermissionDenied, SaleorError
from .filters import checkout_filter, order_filter, order_where, product_where, variant_where
from .ids import from_global_id
from .pagination import connection
from .principals import App, StaffUser


def _ctx(info: Any) -> RequestContext:
    ctx: RequestContext = info.context
    return ctx


def _channel(info: Any, slug: str | None) -> Channel | None:
    if slug is None:
        return None
    channel = _ctx(info).state.channels.get(slug)
    if channel is None:
        raise SaleorError(f"Channel with '{slug}' slug does not exist.")
    return channel


def _pk(global_id: str, type_name: str) -> int | None:
    parsed = from_global_id(global_id)
    if parsed is None or parsed[0] != type_name or not parsed[1].isdigit():
        return None
    return int(parsed[1])


def resolve_app(_: Any, info: Any, id: str | None = None) -> App | None:
    requestor = _ctx(info).requestor
    if id is None:
        # A dashboard JWT is a user, so `app` is null for it (dashboard-app-token.json).
        return requestor if isinstance(requestor, App) else None
    app = _ctx(info).state.app(id)
    if isinstance(requestor, App) and app is requestor:
        return app
    if isinstance(requestor, StaffUser):
        return app
    raise PermissionDenied(permissions=["MANAGE_APPS"])


def resolve_me(_: Any, info: Any) -> StaffUser | None:
    requestor = _ctx(info).requestor
    return requestor if isinstance(requestor, StaffUser) else None


def resolve_shop(_: Any, info: Any) -> dict[str, Any]:
    emu = _ctx(info).emu
    host = urlsplit(emu.api_url).netloc
    return {
        "name": "Saleor e-commerce",
        "version": "3.23.28",
        "domain": {"host": host, "sslEnabled": False, "url": emu.origin},
        "channelCurrencies": sorted({c.currency for c in emu.state.channels.values()}),
        "defaultCountry": {"code": "US", "country": "United States of America"},
        "description": None,
        "headerText": None,
    }


def resolve_channels(_: Any, info: Any) -> list[Channel]:
    return list(_ctx(info).state.channels.values())


def resolve_channel(_: Any, info: Any, id: str | None = None, slug: str | None = None) -> Channel | None:
    state = _ctx(info).state
    if id is not None:
        return state.channel_by_id(id)
    return state.channels.get(slug) if slug else None


def resolve_checkout(_: Any, info: Any, id: str | None = None, token: Any = None) -> Any:
    state = _ctx(info).state
    if id is not None:
        return state.checkout(id)
    return state.checkouts.get(str(token)) if token else None


def _search(text: str | None, *fields: str | None) -> bool:
    if not text:
        return True
    needle = text.lower()
    return any(needle in (f or "").lower() for f in fields)


def resolve_product_variants(
    _: Any,
    info: Any,
    ids: list[str] | None = None,
    channel: str | None = None,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    search: str | None = None,
    where: dict[str, Any] | None = None,
    filter: Any = None,
    **_args: Any,
) -> dict[str, Any]:
    if filter:
        raise SaleorError("Saleor emulator: productVariants(filter:) is not modelled; use `where`")
    chan = _channel(info, channel)
    variants = list(_ctx(info).state.variants.values())
    if ids is not None:
        variants = [v for v in variants if v.id in ids]
    if where:
        check = variant_where(where)
        variants = [v for v in variants if check(v)]
    variants = [v for v in variants if _search(search, v.name, v.sku, v.product.name)]
    if chan is not None:
        variants = [v for v in variants if chan.slug in v.prices]
    nodes = [VariantInChannel(v, chan) for v in variants]
    return connection(
        nodes,
        field_name="productVariants",
        sort_key=lambda v: [v.variant.pk],
        first=first,
        last=last,
        after=after,
        before=before,
    )


def resolve_product_variant(
    _: Any, info: Any, id: str | None = None, channel: str | None = None, sku: str | None = None, **_args: Any
) -> VariantInChannel | None:
    chan = _channel(info, channel)
    state = _ctx(info).state
    variant = None
    if id is not None:
        pk = _pk(id, "ProductVariant")
        variant = state.variants.get(pk) if pk is not None else None
    elif sku is not None:
        variant = next((v for v in state.variants.values() if v.sku == sku), None)
    return VariantInChannel(variant, chan) if variant else None


def resolve_products(
    _: Any,
    info: Any,
    channel: str | None = None,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    search: str | None = None,
    where: dict[str, Any] | None = None,
    ids: list[str] | None = None,
    filter: dict[str, Any] | None = None,
    **_args: Any,
) -> dict[str, Any]:
    chan = _channel(info, channel)
    products = list(_ctx(info).state.products.values())
    if ids is not None:
        products = [p for p in products if p.id in ids]
    if where:
        check = product_where(where)
        products = [p for p in products if check(p)]
    if filter:
        unknown = set(filter) - {"ids", "categories", "collections", "search"}
        if unknown:
            raise SaleorError(f"Saleor emulator: products(filter: {sorted(unknown)}) is not modelled")
        if filter.get("ids"):
            products = [p for p in products if p.id in filter["ids"]]
        if filter.get("categories"):
            products = [p for p in products if p.category and p.category.id in filter["categories"]]
        if filter.get("collections"):
            products = [p for p in products if {c.id for c in p.collections} & set(filter["collections"])]
        search = search or filter.get("search")
    products = [p for p in products if _search(search, p.name, p.slug)]
    if chan is not None:
        products = [p for p in products if any(chan.slug in v.prices for v in p.variants)]
    nodes = [ProductInChannel(p, chan) for p in products]
    return connection(
        nodes,
        field_name="products",
        sort_key=lambda p: [p.name, p.pk],
        first=first,
        last=last,
        after=after,
        before=before,
    )


def resolve_product(
    _: Any,
    info: Any,
    id: str | None = None,
    slug: str | None = None,
    channel: str | None = None,
    **_args: Any,
) -> ProductInChannel | None:
    chan = _channel(info, channel)
    state = _ctx(info).state
    product = None
    if id is not None:
        pk = _pk(id, "Product")
        product = state.products.get(pk) if pk is not None else None
    elif slug is not None:
        product = next((p for p in state.products.values() if p.slug == slug), None)
    return ProductInChannel(product, chan) if product else None


def resolve_category(_: Any, info: Any, id: str | None = None, slug: str | None = None, **_a: Any) -> Any:
    cats = _ctx(info).state.categories.values()
    return next((c for c in cats if (id and c.id == id) or (slug and c.slug == slug)), None)


def resolve_collection(_: Any, info: Any, id: str | None = None, slug: str | None = None, **_a: Any) -> Any:
    cols = _ctx(info).state.collections.values()
    return next((c for c in cols if (id and c.id == id) or (slug and c.slug == slug)), None)


def _groups(items: Any, filter: dict[str, Any] | None) -> list[Any]:
    """Categories or collections matching a CategoryFilterInput / CollectionFilterInput's search and ids."""
    found = list(items)
    if filter and filter.get("search"):
        found = [g for g in found if _search(filter["search"], g.name, g.slug)]
    if filter and filter.get("ids") is not None:
        found = [g for g in found if g.id in filter["ids"]]
    return found


def resolve_categories(
    _: Any,
    info: Any,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    filter: dict[str, Any] | None = None,
    **_a: Any,
) -> dict[str, Any]:
    return connection(
        _groups(_ctx(info).state.categories.values(), filter),
        field_name="categories",
        sort_key=lambda c: [c.pk],
        first=first,
        last=last,
        after=after,
        before=before,
    )


def resolve_collections(
    _: Any,
    info: Any,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    filter: dict[str, Any] | None = None,
    **_a: Any,
) -> dict[str, Any]:
    return connection(
        _groups(_ctx(info).state.collections.values(), filter),
        field_name="collections",
        sort_key=lambda c: [c.pk],
        first=first,
        last=last,
        after=after,
        before=before,
    )


_ORDER_SORT = {
    "NUMBER": lambda o: [o.number],
    "CREATED_AT": lambda o: [o.created, o.number],
    "CREATION_DATE": lambda o: [o.created, o.number],
    "LAST_MODIFIED_AT": lambda o: [o.updatedAt, o.number],
}


def resolve_orders(
    _: Any,
    info: Any,
    where: dict[str, Any] | None = None,
    filter: dict[str, Any] | None = None,
    channel: str | None = None,
    search: str | None = None,
    sortBy: dict[str, Any] | None = None,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    **_a: Any,
) -> dict[str, Any]:
    chan = _channel(info, channel)
    orders = [o for o in _ctx(info).state.orders.values() if o.status != "DRAFT"]
    if chan is not None:
        orders = [o for o in orders if o.channel is chan]
    if where:
        check = order_where(where)
        orders = [o for o in orders if check(o)]
    if filter:
        check = order_filter(filter)
        orders = [o for o in orders if check(o)]
    orders = [o for o in orders if _search(search, str(o.number), o.user_email, o.id)]
    field_name = (sortBy or {}).get("field", "NUMBER")
    if field_name not in _ORDER_SORT:
        raise SaleorError(f"Saleor emulator: orders(sortBy: {field_name}) is not modelled")
    # Saleor's default order list is newest first (by number).
    descending = (sortBy or {}).get("direction", "DESC") == "DESC"
    return connection(
        orders,
        field_name="orders",
        sort_key=_ORDER_SORT[field_name],
        descending=descending,
        first=first,
        last=last,
        after=after,
        before=before,
    )


def resolve_order(_: Any, info: Any, id: str | None = None, **_a: Any) -> Any:
    """No permission needed: the id is the secret; fields are gated one by one (public metadata is
    readable, private metadata is not: graphql-shopper-order-by-id-*.json)."""
    return _ctx(info).state.order(id)


def resolve_order_by_token(_: Any, info: Any, token: Any) -> Any:
    """Deprecated but answered in 3.23 (graphql-shopper-orderByToken-metadata.json)."""
    order = _ctx(info).state.orders.get(str(token))
    return order if order is not None and order.status != "DRAFT" else None


_CHECKOUT_SORT = {
    "CREATION_DATE": lambda c: [c.created, c.token],
    "CUSTOMER": lambda c: [c.email or "", c.token],
    "LAST_MODIFIED_AT": lambda c: [c.lastChange, c.token],
}


def resolve_checkouts(
    _: Any,
    info: Any,
    filter: dict[str, Any] | None = None,
    channel: str | None = None,
    sortBy: dict[str, Any] | None = None,
    **page: Any,
) -> dict[str, Any]:
    """MANAGE_CHECKOUTS or HANDLE_PAYMENTS (schema gate). Without sortBy: most recently changed first
    (the Checkout model's ordering)."""
    chan = _channel(info, channel)
    checkouts = list(_ctx(info).state.checkouts.values())
    if chan is not None:
        checkouts = [c for c in checkouts if c.channel is chan]
    if filter:
        check = checkout_filter(filter)
        checkouts = [c for c in checkouts if check(c)]
    if sortBy is None:
        field_name, descending = "LAST_MODIFIED_AT", True
    else:
        field_name, descending = sortBy["field"], sortBy.get("direction") == "DESC"
    if field_name not in _CHECKOUT_SORT:
        raise SaleorError(f"Saleor emulator: checkouts(sortBy: {field_name}) is not modelled")
    return connection(
        checkouts, field_name="checkouts", sort_key=_CHECKOUT_SORT[field_name], descending=descending, **page
    )


def resolve_node(_: Any, info: Any, id: str) -> Any:
    node = _ctx(info).state.node(id)
    if node is None:
        return None
    if node.graphql_type == "ProductVariant":
        return VariantInChannel(node, None)
    if node.graphql_type == "Product":
        return ProductInChannel(node, None)
    return node


RESOLVERS: dict[str, dict[str, Any]] = {
    "Query": {
        "app": resolve_app,
        "me": resolve_me,
        "shop": resolve_shop,
        "channels": resolve_channels,
        "channel": resolve_channel,
        "checkout": resolve_checkout,
        "productVariants": resolve_product_variants,
        "productVariant": resolve_product_variant,
        "products": resolve_products,
        "product": resolve_product,
        "category": resolve_category,
        "categories": resolve_categories,
        "collection": resolve_collection,
        "collections": resolve_collections,
        "orders": resolve_orders,
        "order": resolve_order,
        "orderByToken": resolve_order_by_token,
        "checkouts": resolve_checkouts,
        "node": resolve_node,
    },
}
