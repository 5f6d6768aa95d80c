"""Saleor's real schema (schema.graphql, 3.23.28) made executable with graphql-core.

Resolvers come from the query/mutation modules; model objects answer the remaining fields through
graphql-core's default resolver. Field permissions are read from the schema's own descriptions
("Requires one of the following permissions: ..."), so gates follow Saleor's documentation."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLAbstractType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    default_field_resolver,
)

from . import checkout_mutations, metadata_mutations, order_mutations, payments, queries, tax_ops, voucher_ops
from .auth import has_any
from .errors import ExpiredSignature, PermissionDenied, Unsupported

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "shared" / "saleor" / "schema.graphql"
_PERMS = re.compile(r"Requires one of the following permissions: ([A-Z_][A-Z_, ]*[A-Z_])")

# Private metadata is guarded in Saleor's resolvers, not in the descriptions.
_PRIVATE_META_GATES = {
    "Checkout": ["MANAGE_CHECKOUTS"],
    "CheckoutLine": ["MANAGE_CHECKOUTS"],
    "Order": ["MANAGE_ORDERS"],
    "OrderLine": ["MANAGE_ORDERS"],
    "Product": ["MANAGE_PRODUCTS"],
    "ProductVariant": ["MANAGE_PRODUCTS"],
    "App": ["MANAGE_APPS", "OWNER"],
    "Voucher": ["MANAGE_DISCOUNTS"],
    "Payment": ["HANDLE_PAYMENTS"],
    "TaxConfiguration": ["MANAGE_TAXES"],
}


def schema_sdl() -> str:
    return SCHEMA_PATH.read_text()


def _resolve_type(obj: Any, info: Any, abstract: GraphQLAbstractType) -> str | None:
    if isinstance(obj, dict):
        return obj.get("__typename")
    return getattr(obj, "graphql_type", None)


def _gate(resolver: Callable[..., Any], perms: list[str], *, name_them: bool = True) -> Callable[..., Any]:
    """Field permissions; private metadata is refused without naming them (check_private_metadata_privilege;
    graphql-shopper-order-by-id-private-metadata-denied.json)."""

    def gated(source: Any, info: Any, **args: Any) -> Any:
        ctx = info.context
        if has_any(ctx, perms, owner=source):
            return resolver(source, info, **args)
        if "OWNER" in perms and resolver(source, info, **args) is None:
            return None  # nothing to protect (e.g. Checkout.user of an anonymous checkout)
        if ctx.token_expired:
            raise ExpiredSignature()
        raise PermissionDenied(permissions=perms if name_them else None)

    return gated


def _mutation(resolver: Callable[..., Any]) -> Callable[..., Any]:
    """Mutations run one after another: prices read before one must not be served after it."""

    def mutate(source: Any, info: Any, **args: Any) -> Any:
        info.context.forget_prices()
        return resolver(source, info, **args)

    return mutate


def _not_modelled(type_name: str, field_name: str) -> Callable[..., Any]:
    def resolve(*_: Any, **__: Any) -> Any:
        raise Unsupported(f"Saleor emulator: {type_name}.{field_name} is not implemented")

    return resolve


def _attach(schema: GraphQLSchema) -> None:
    registry: dict[str, dict[str, Any]] = {}
    for module in (
        queries,
        checkout_mutations,
        order_mutations,
        metadata_mutations,
        voucher_ops,
        tax_ops,
        payments,
    ):
        for type_name, fields in module.RESOLVERS.items():
            registry.setdefault(type_name, {}).update(fields)
    for type_name, graphql_type in schema.type_map.items():
        if isinstance(graphql_type, GraphQLInterfaceType | GraphQLUnionType):
            graphql_type.resolve_type = _resolve_type
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        is_root = type_name in ("Query", "Mutation")
        for field_name, field in graphql_type.fields.items():
            resolver = registry.get(type_name, {}).get(field_name)
            if resolver is None and is_root:
                resolver = _not_modelled(type_name, field_name)
            resolver = resolver or default_field_resolver
            if type_name == "Mutation":
                resolver = _mutation(resolver)
            match = _PERMS.search(field.description or "")
            perms = re.split(r"[,\s]+", match.group(1).strip()) if match else None
            private = field_name in ("privateMetadata", "privateMetafield", "privateMetafields")
            if private:
                perms = _PRIVATE_META_GATES.get(type_name, perms)
            field.resolve = _gate(resolver, perms, name_them=not private) if perms else resolver


@functools.cache
def saleor_schema() -> GraphQLSchema:
    """Built once per process (about 2 s); resolvers read everything from `info.context`."""
    schema = build_schema(schema_sdl())
    _attach(schema)
    return schema
