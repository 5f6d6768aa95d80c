"""Issue 11: a fuzz test of the app's GraphQL API. hypothesis-graphql writes operations from the exported
SDL (graphql/api.graphql), valid ones and invalid ones; each goes over real HTTP to the app installed in
the emulated Saleor, as the dashboard (staff token) or anonymously. None may answer 5xx or end in an
unhandled exception (masked as "Unexpected error.")."""

from __future__ import annotations

import asyncio
from datetime import UTC
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from graphql import NameNode, ObjectFieldNode, build_schema
from saleor_upsell_app.api.export_schema import SDL_PATH
from tests.api.client import Api

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SCHEMA = build_schema(SDL_PATH.read_text())


def _json_value() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.integers(-(2**40), 2**40).map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        st.text(max_size=20).map(nodes.String),
        st.booleans().map(nodes.Boolean),
        st.just(nodes.Null),
    )

    def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        fields = st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), children, max_size=5)
        return st.one_of(
            st.lists(children, max_size=5).map(nodes.List),
            fields.map(
                lambda d: nodes.Object(
                    [ObjectFieldNode(name=NameNode(value=k), value=v) for k, v in d.items()]
                )
            ),
        )

    return st.recursive(leaves, containers, max_leaves=12)


SCALARS = {
    "DateTime": st.one_of(
        st.datetimes(timezones=st.none() | st.just(UTC)).map(lambda d: nodes.String(d.isoformat())),
        st.text(max_size=30).map(nodes.String),
    ),
    "Decimal": st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(nodes.String),
        st.text(max_size=20).map(nodes.String),
    ),
    "JSON": _json_value(),
}


def _check(query: str, response: httpx.Response) -> None:
    assert response.status_code < 500, (query, response.text)
    body = response.json()
    assert isinstance(body, dict) and ("data" in body or "errors" in body), (query, body)
    messages = [e.get("message") for e in body.get("errors") or ()]
    assert "Unexpected error." not in messages, (query, body)


def _fuzz(api: Api, mode: Mode, examples: int) -> None:
    """Runs in a worker thread: the app's server keeps serving on the test's event loop."""
    token = api.token()
    headers = {"authorization-bearer": token, "saleor-api-url": api.emulator.api_url}
    with httpx.Client(base_url=api.app.base_url, timeout=30) as client:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            query=from_schema(SCHEMA, custom_scalars=SCALARS, mode=mode, allow_x00=False),
            as_staff=st.booleans(),
        )
        def run(query: str, as_staff: bool) -> None:
            _check(query, client.post("/graphql", json={"query": query}, headers=headers if as_staff else {}))

        run()


@SQLITE_ONLY
async def test_valid_operations_never_crash(api: Api) -> None:
    await asyncio.to_thread(_fuzz, api, Mode.POSITIVE, 200)


@SQLITE_ONLY
async def test_invalid_operations_are_refused_not_crashed(api: Api) -> None:
    await asyncio.to_thread(_fuzz, api, Mode.NEGATIVE, 100)


# -- what the fuzz found ------------------------------------------------------------------------------


@SQLITE_ONLY
async def test_analytics_with_an_empty_or_naive_range(api: Api) -> None:
    empty = (
        '{ analytics(since: "2026-02-01T00:00:00+00:00", until: "2026-01-01T00:00:00+00:00") '
        "{ rules { ruleId } } }"
    )
    body = await api.dashboard(empty)
    assert [(e["extensions"]["code"], e["extensions"]["reason"]) for e in body["errors"]] == [
        ("BAD_REQUEST", "EMPTY_RANGE")
    ]
    naive = (
        '{ analytics(since: "2026-01-01T00:00:00", until: "2026-02-01T00:00:00+00:00") { rules { ruleId } } }'
    )
    assert (await api.data(naive))["analytics"] == {"rules": []}
