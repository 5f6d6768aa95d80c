"""GraphQL operations the app sends to Saleor, loaded from graphql/saleor/{queries,mutations}/*.graphql.

An operation file may use fragments from graphql/saleor/fragments/ by name; they are appended here so
every document sent is complete (and the schema test validates exactly what is sent). gql parses each
operation once (``operation_document``); the client sends the text, its JSON prefix precomputed
(``operation_json``), so no request handles a document.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import orjson
from gql import gql

from graphql import DocumentNode, FieldNode, OperationDefinitionNode

GRAPHQL_DIR = Path(__file__).resolve().parents[2] / "graphql" / "saleor"
_SPREAD = re.compile(r"\.\.\.\s*([A-Z_a-z][A-Za-z0-9_]*)")
_FRAGMENT_DEF = re.compile(r"fragment\s+([A-Za-z0-9_]+)\s+on\s")


@cache
def _fragments() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((GRAPHQL_DIR / "fragments").glob("*.graphql")):
        text = path.read_text()
        for name in _FRAGMENT_DEF.findall(text):
            found[name] = text
    return found


def with_fragments(text: str) -> str:
    """`text` followed by every fragment from graphql/saleor/fragments/ it uses (transitively)."""
    fragments = _fragments()
    included: dict[str, str] = {}
    pending = [n for n in _SPREAD.findall(text) if n in fragments]
    while pending:
        name = pending.pop()
        if name in included or f"fragment {name} " in text:
            continue
        included[name] = fragments[name]
        pending.extend(n for n in _SPREAD.findall(fragments[name]) if n in fragments)
    unique = list(dict.fromkeys(included.values()))
    return "\n".join([text, *unique])


def operation_files() -> list[Path]:
    return sorted([*GRAPHQL_DIR.glob("queries/*.graphql"), *GRAPHQL_DIR.glob("mutations/*.graphql")])


@cache
def operation_text(name: str) -> str:
    """The full document for operation `name` (the file stem), fragments included."""
    for path in operation_files():
        if path.stem == name:
            return with_fragments(path.read_text())
    raise KeyError(f"no GraphQL operation file named {name}.graphql under {GRAPHQL_DIR}")


@cache
def operation_document(name: str) -> DocumentNode:
    """The parsed operation (gql's parser: it also checks the file is one well-formed document)."""
    return gql(operation_text(name)).document


@cache
def operation_json(name: str) -> bytes:
    """The start of a request body for `name`: ``{"query":"..."`` (the caller closes the object)."""
    return b'{"query":' + orjson.dumps(operation_text(name))


@cache
def mutation_field(name: str) -> str:
    """The top-level field a mutation file selects (its payload): ``updateMetadata`` for
    OrderUpdateMetadata, ``checkoutLinesAdd`` for CheckoutLinesAdd."""
    for definition in operation_document(name).definitions:
        if isinstance(definition, OperationDefinitionNode):
            first = definition.selection_set.selections[0]
            assert isinstance(first, FieldNode)
            return first.name.value
    raise KeyError(f"{name}.graphql defines no operation")
