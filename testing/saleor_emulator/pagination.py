"""Relay cursor pagination like Saleor's connections: `first`/`last` required, at most 100, cursors
that encode the sort key (so pages stay stable when new rows arrive)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any

from .errors import SaleorError

MAX_PAGE = 100


def _cursor(values: list[Any]) -> str:
    return base64.b64encode(json.dumps(values).encode()).decode()


def _decode(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.b64decode(cursor))
    except ValueError as exc:
        raise SaleorError("Received cursor is invalid.") from exc
    if not isinstance(values, list):
        raise SaleorError("Received cursor is invalid.")
    return values


def connection(
    items: Sequence[Any],
    *,
    field_name: str,
    sort_key: Callable[[Any], list[Any]],
    descending: bool = False,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> dict[str, Any]:
    """`items` may be in any order; they are sorted by `sort_key` (which must end with a unique value)."""
    if first is None and last is None:
        raise SaleorError(
            f"You must provide a `first` or `last` value to properly paginate the `{field_name}` connection."
        )
    for arg, value in (("first", first), ("last", last)):
        if value is not None and value > MAX_PAGE:
            raise SaleorError(
                f"Requesting {value} records on the `{field_name}` connection exceeds the `{arg}` limit of "
                f"{MAX_PAGE} records."
            )
        if value is not None and value < 0:
            raise SaleorError(f"Argument `{arg}` must be a non-negative integer.")
    ordered = sorted(items, key=sort_key, reverse=descending)
    total = len(ordered)
    if after is not None:
        mark = _decode(after)
        ordered = [i for i in ordered if (sort_key(i) < mark if descending else sort_key(i) > mark)]
    if before is not None:
        mark = _decode(before)
        ordered = [i for i in ordered if (sort_key(i) > mark if descending else sort_key(i) < mark)]
    has_next = has_prev = False
    if first is not None:
        has_next = len(ordered) > first
        ordered = ordered[:first]
    if last is not None:
        has_prev = len(ordered) > last
        ordered = ordered[-last:] if last else []
    edges = [{"node": item, "cursor": _cursor(sort_key(item))} for item in ordered]
    return {
        "edges": edges,
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_prev,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
        "totalCount": total,
    }
