"""Cutting a plain dict down to a GraphQL document's selection, without executing the document.

A document is parsed once per distinct text (the app sends the same few texts every time) into a plan:
(response key, field name, arguments, sub-plan, type condition) tuples with fragments inlined. Values are
dicts carrying `__typename` where an inline fragment needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    name: str
    arguments: tuple[tuple[str, str], ...]  # argument name -> variable name (only variables are used)
    plan: Plan | None
    on: str | None  # the inline fragment's type condition this field sits under


Plan = tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Operation:
    kind: str  # query, mutation, subscription
    name: str | None
    plan: Plan


@lru_cache(maxsize=64)
def operation(text: str) -> Operation:
    document = parse(text)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    op = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return Operation(
        op.operation.value, op.name.value if op.name else None, _plan(op.selection_set, fragments)
    )


def _plan(
    selection: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], on: str | None = None
) -> Plan:
    fields: list[Field] = []
    for node in selection.selections:
        if isinstance(node, FieldNode):
            arguments = tuple(
                (a.name.value, getattr(getattr(a.value, "name", None), "value", ""))
                for a in node.arguments or ()
            )
            sub = _plan(node.selection_set, fragments) if node.selection_set else None
            key = node.alias.value if node.alias else node.name.value
            fields.append(Field(key, node.name.value, arguments, sub, on))
        elif isinstance(node, FragmentSpreadNode):
            fields.extend(_plan(fragments[node.name.value].selection_set, fragments, on))
        elif isinstance(node, InlineFragmentNode):
            condition = node.type_condition.name.value if node.type_condition else on
            fields.extend(_plan(node.selection_set, fragments, condition))
    return tuple(fields)


def project(value: Any, plan: Plan | None) -> Any:
    """`value` as a document with this selection would read it (a missing field is a bug: KeyError)."""
    if plan is None or value is None:
        return value
    if isinstance(value, list):
        return [project(item, plan) for item in value]
    typename = value.get("__typename")
    out: dict[str, Any] = {}
    for field in plan:
        if field.on is not None and typename is not None and field.on != typename:
            continue
        projected = project(value[field.name], field.plan)
        if field.key in out and field.plan is not None:
            projected = _merge(out[field.key], projected)  # selected twice: GraphQL merges them
        out[field.key] = projected
    return out


def _merge(first: Any, second: Any) -> Any:
    if isinstance(first, dict) and isinstance(second, dict):
        return {**first, **{k: _merge(first[k], v) if k in first else v for k, v in second.items()}}
    if isinstance(first, list) and isinstance(second, list):
        return [_merge(a, b) for a, b in zip(first, second, strict=True)]
    return second
