"""Run one GraphQL request the way Saleor answers it (captures: validation errors -> HTTP 400 without
`data`; everything else HTTP 200, errors before data, `extensions.cost`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, execute, parse, validate

from .auth import RequestContext
from .schema import saleor_schema

_COST = {"cost": {"requestedQueryCost": 0, "maximumAvailable": 50000}}


def format_error(error: GraphQLError) -> dict[str, Any]:
    out: dict[str, Any] = {"message": error.message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        out["path"] = list(error.path)
    extensions = error.extensions or {}
    out["extensions"] = extensions if "exception" in extensions else {"exception": {"code": "GraphQLError"}}
    return out


def _rejected(errors: list[GraphQLError]) -> tuple[int, dict[str, Any]]:
    return 400, {"errors": [format_error(e) for e in errors], "extensions": _COST}


@lru_cache(maxsize=512)
def _parsed_and_validated(query: str) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
    """Like Saleor's query cache: the same document text is parsed and validated once."""
    document = parse(query)
    return document, tuple(validate(saleor_schema(), document))


def run_graphql(body: Any, ctx: RequestContext) -> tuple[int, dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return _rejected([GraphQLError("Must provide a query string.")])
    try:
        document, errors = _parsed_and_validated(body["query"])
    except GraphQLError as exc:
        return _rejected([exc])
    if errors:
        return _rejected(list(errors))
    schema = saleor_schema()
    result = execute(
        schema,
        document,
        variable_values=body.get("variables"),
        operation_name=body.get("operationName"),
        context_value=ctx,
    )
    if result.data is None and result.errors:
        return _rejected(list(result.errors))  # e.g. bad variables: the request is rejected as a whole
    out: dict[str, Any] = {}
    if result.errors:
        out["errors"] = [format_error(e) for e in result.errors]
    out["data"] = result.data
    out["extensions"] = _COST
    return 200, out
