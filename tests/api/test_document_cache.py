"""Parsed and validated documents reused by query text (api/document_cache.py)."""

from __future__ import annotations

import strawberry
from strawberry.extensions import QueryDepthLimiter

from saleor_upsell_app.api.document_cache import DocumentCache, DocumentLru
from saleor_upsell_app.api.schema import schema as app_schema


@strawberry.type
class Node:
    name: str

    @strawberry.field
    def child(self) -> Node:
        return Node(name=self.name + "+")


@strawberry.type
class Query:
    @strawberry.field
    def node(self, name: str) -> Node:
        return Node(name=name)


def _schema(lru: DocumentLru, *, depth_limit: int | None = None) -> strawberry.Schema:
    extensions = [lambda: DocumentCache(lru)]
    if depth_limit is not None:
        extensions.append(lambda: QueryDepthLimiter(max_depth=depth_limit))
    return strawberry.Schema(query=Query, extensions=extensions)


QUERY = "query($n: String!) { node(name: $n) { name child { name } } }"


async def test_same_text_is_parsed_and_validated_once_and_answers_with_its_own_variables() -> None:
    lru = DocumentLru()
    schema = _schema(lru)
    first = await schema.execute(QUERY, variable_values={"n": "a"})
    second = await schema.execute(QUERY, variable_values={"n": "b"})
    assert first.errors is None and second.errors is None
    assert first.data == {"node": {"name": "a", "child": {"name": "a+"}}}
    assert second.data == {"node": {"name": "b", "child": {"name": "b+"}}}
    assert (lru.misses, lru.hits, len(lru)) == (1, 1, 1)


async def test_invalid_documents_are_not_kept_and_fail_every_time() -> None:
    lru = DocumentLru()
    schema = _schema(lru)
    for _ in range(2):
        result = await schema.execute("{ node(name: 1) { nope } }")
        assert result.errors and "Cannot query field 'nope'" in str(result.errors)
    syntax = await schema.execute("{ node(")
    assert syntax.errors and "Syntax Error" in syntax.errors[0].message
    assert len(lru) == 0 and lru.hits == 0


async def test_a_document_accepted_without_a_rule_is_checked_again_where_the_rule_applies() -> None:
    lru = DocumentLru()
    assert (await _schema(lru).execute(QUERY, variable_values={"n": "a"})).errors is None
    limited = await _schema(lru, depth_limit=1).execute(QUERY, variable_values={"n": "a"})
    assert limited.errors and "exceeds maximum operation depth" in limited.errors[0].message
    assert lru.hits == 0


async def test_the_cache_is_bounded_least_recently_used_first_out() -> None:
    lru = DocumentLru(size=2)
    schema = _schema(lru)
    texts = [f'{{ node(name: "{n}") {{ name }} }}' for n in "abc"]
    await schema.execute(texts[0])
    await schema.execute(texts[1])
    await schema.execute(texts[0])  # a is now the most recent
    await schema.execute(texts[2])  # drops b
    assert len(lru) == 2
    hits = lru.hits
    await schema.execute(texts[0])
    assert lru.hits == hits + 1
    await schema.execute(texts[1])
    assert lru.hits == hits + 1  # b was dropped: parsed again


async def test_the_app_schema_uses_the_cache() -> None:
    from saleor_upsell_app.api.schema import documents

    text = "query CacheProbe { __typename }"
    before = documents.hits
    for _ in range(2):
        result = await app_schema.execute(text)
        assert result.data == {"__typename": "Query"}
    assert documents.hits == before + 1
