"""What one request to /graphql may ask for, and how often a storefront client may ask.

Storefront fields need no token and each one calls the merchant's Saleor with the app's token, so an
anonymous request must not multiply them (300 aliased ``checkoutOffers`` were 300 Saleor calls):

- ``RequestLimits`` (a schema extension) adds one validation rule per request: operation depth, aliases
  and storefront fields per operation (fragments expanded), each refused with ``QUERY_TOO_COMPLEX`` and
  the limit in ``extensions`` (reason DEPTH, ALIASES, STOREFRONT_FIELDS); the parser stops at
  ``max_tokens`` (reason TOKENS); introspection is refused when off (production). A refused request
  costs no Saleor call.
- ``StorefrontRateLimit`` (a field extension on each storefront field) takes one token per field from
  the bucket of (Saleor API URL, client IP) and refuses with ``RATE_LIMITED`` when it is empty.

The limits come from the request's context (``ApiContext.limits``), built from settings by main.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.types import Info

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

from ..kit.rate_limit import TokenBuckets
from .errors import ApiError

QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
RATE_LIMITED = "RATE_LIMITED"
# Root fields that call Saleor with the app's token on behalf of anyone who knows a checkout id (or an
# order's id or token, or a post-purchase offer token).
STOREFRONT_FIELDS = frozenset(
    {
        "checkoutOffers",
        "acceptCheckoutOffer",
        "revertUpgrade",
        "postPurchaseOffer",
        "acceptPostPurchaseOffer",
        "declinePostPurchaseOffer",
    }
)


@dataclass(frozen=True, slots=True)
class ApiLimits:
    introspection: bool = True
    max_depth: int = 10
    max_aliases: int = 20
    max_tokens: int = 2000
    max_storefront_fields: int = 3


@dataclass(frozen=True, slots=True)
class _Tally:
    depth: int
    aliases: int
    storefront_fields: int


def _fields(
    selections: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    depth: int,
    seen: frozenset[str],
) -> Iterator[tuple[FieldNode, int]]:
    """Every field under ``selections`` with its depth (1 = root), through fragments, each fragment at
    most once per path (a cycle is refused by GraphQL's own rule; here it must merely end)."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection, depth
            # Introspection's nesting (ofType chains) is not the app's cost; it is switched off whole.
            if selection.selection_set is not None and not selection.name.value.startswith("__"):
                yield from _fields(selection.selection_set, fragments, depth + 1, seen)
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, depth, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                yield from _fields(fragment.selection_set, fragments, depth, seen | {name})


def tally(operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]) -> _Tally:
    depth = aliases = 0
    storefront: set[str] = set()  # response keys: the same key twice is merged into one execution
    for field, level in _fields(operation.selection_set, fragments, 1, frozenset()):
        depth = max(depth, level)
        aliases += field.alias is not None
        if level == 1 and field.name.value in STOREFRONT_FIELDS:
            storefront.add((field.alias or field.name).value)
    return _Tally(depth, aliases, len(storefront))


def _too_complex(message: str, reason: str, limit: int) -> GraphQLError:
    return GraphQLError(message, extensions={"code": QUERY_TOO_COMPLEX, "reason": reason, "limit": limit})


@lru_cache(maxsize=16)
def _cost_rule(limits: ApiLimits) -> type[ASTValidationRule]:
    class RequestCost(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            definitions = context.document.definitions
            fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
            for operation in definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                cost = tally(operation, fragments)
                if cost.depth > limits.max_depth:
                    context.report_error(
                        _too_complex(
                            f"The operation is nested {cost.depth} levels deep; at most "
                            f"{limits.max_depth} are allowed.",
                            "DEPTH",
                            limits.max_depth,
                        )
                    )
                if cost.aliases > limits.max_aliases:
                    context.report_error(
                        _too_complex(
                            f"The operation uses {cost.aliases} aliases; at most {limits.max_aliases} "
                            "are allowed.",
                            "ALIASES",
                            limits.max_aliases,
                        )
                    )
                if cost.storefront_fields > limits.max_storefront_fields:
                    context.report_error(
                        _too_complex(
                            f"The operation asks for {cost.storefront_fields} storefront fields "
                            f"({', '.join(sorted(STOREFRONT_FIELDS))}); at most "
                            f"{limits.max_storefront_fields} are allowed per request.",
                            "STOREFRONT_FIELDS",
                            limits.max_storefront_fields,
                        )
                    )

    return RequestCost


class RequestLimits(SchemaExtension):
    """Applies the context's ApiLimits to each operation (parse, then validate)."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        limits: ApiLimits = getattr(context, "limits", None) or ApiLimits()
        self.execution_context.parse_options["max_tokens"] = limits.max_tokens
        rules: tuple[type[ASTValidationRule], ...] = (_cost_rule(limits),)
        if not limits.introspection:
            rules += (NoSchemaIntrospectionCustomRule,)
        self.execution_context.validation_rules = (*self.execution_context.validation_rules, *rules)
        yield
        # The parser's refusal of a long document is a plain syntax error: give it the same code.
        for error in self.execution_context.pre_execution_errors or ():
            if (
                isinstance(error, GraphQLSyntaxError)
                and f"more than {limits.max_tokens} tokens" in error.message
            ):
                error.extensions = {"code": QUERY_TOO_COMPLEX, "reason": "TOKENS", "limit": limits.max_tokens}


class StorefrontRateLimit(FieldExtension):
    """One token per call from the (Saleor API URL, client IP) bucket; RATE_LIMITED when empty."""

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        buckets: TokenBuckets | None = getattr(info.context, "storefront_rate", None)
        key = (str(kwargs.get("saleor_api_url")), str(getattr(info.context, "client_ip", "")))
        if buckets is not None and not buckets.take(key):
            raise ApiError(
                RATE_LIMITED,
                "Too many storefront requests from this client for this shop; try again in a moment.",
                reason="STOREFRONT_RATE",
            )
        return await next_(source, info, **kwargs)
