"""Parsed and validated GraphQL documents kept by query text, so a storefront or dashboard that sends the
same operation again (they all do: their queries are fixed strings) skips graphql-core's parse and
validation, which were about a quarter of the CPU of a `checkoutOffers` request (bench/RESULTS.md).

Only documents that passed validation are kept, in a bounded LRU shared by every request of the
process; a query text not seen before is parsed and validated as usual. The key also holds the parse
options and the names of the validation rules in force, so a document is reused only under the same
checks that accepted it (rules added by other extensions are classes built per request: their names
are stable, their identities are not).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from threading import Lock

from strawberry.extensions import SchemaExtension

from graphql import DocumentNode

DEFAULT_SIZE = 256

Key = tuple[str, str, tuple[str, ...]]


class DocumentLru:
    """Query key -> validated document, least recently used dropped first."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._documents: OrderedDict[Key, DocumentNode] = OrderedDict()
        self._lock = Lock()  # a sync schema execution may run in a worker thread
        self.hits = 0
        self.misses = 0

    def get(self, key: Key) -> DocumentNode | None:
        with self._lock:
            document = self._documents.get(key)
            if document is None:
                self.misses += 1
                return None
            self._documents.move_to_end(key)
            self.hits += 1
            return document

    def put(self, key: Key, document: DocumentNode) -> None:
        with self._lock:
            self._documents[key] = document
            self._documents.move_to_end(key)
            while len(self._documents) > self.size:
                self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)


class DocumentCache(SchemaExtension):
    """Reuses the parsed, validated document of a query text seen before (see the module docstring).

    Pass a factory to the schema (``extensions=[lambda: DocumentCache(lru)]``), one LRU per process.
    """

    def __init__(self, lru: DocumentLru) -> None:
        super().__init__()
        self._lru = lru
        self._key: Key | None = None
        self._hit = False

    def _make_key(self) -> Key | None:
        context = self.execution_context
        if not context.query:
            return None
        options = repr(sorted(context.parse_options.items()))
        rules = tuple(sorted(f"{rule.__module__}.{rule.__qualname__}" for rule in context.validation_rules))
        return (context.query, options, rules)

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        self._key = self._make_key()
        cached = self._lru.get(self._key) if self._key is not None else None
        if cached is not None:
            context.graphql_document = cached  # strawberry skips its parse when a document is set
            self._hit = True
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self._hit:
            context.pre_execution_errors = []  # validated when it was cached: strawberry skips it
        yield
        if (
            not self._hit
            and self._key is not None
            and context.graphql_document is not None
            and context.pre_execution_errors is not None
            and not context.pre_execution_errors
        ):
            self._lru.put(self._key, context.graphql_document)
