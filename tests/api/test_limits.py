"""Issue 11 item 7 (and introspection, item 8): what one /graphql request may ask for, how many Saleor
calls an anonymous request can cause (counted in the emulator), and the storefront rate limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from saleor_upsell_app.kit.rate_limit import TokenBuckets
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.sample_data import TEE_S
from tests.api.client import Api
from tests.bumps.helpers import add_rule, set_channel
from tests.conftest import AppUnderTest, run_app

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
OFFERS_FIELD = "checkoutOffers(saleorApiUrl: $u, checkoutId: $c) { mode offers { ruleId } }"


def aliased(count: int, field: str = OFFERS_FIELD, operation: str = "query") -> str:
    selections = " ".join(f"o{i}: {field}" for i in range(count))
    variables = "$u: String!, $c: ID!" + (", $r: ID!" if "$r" in field else "")
    return f"{operation}({variables}) {{ {selections} }}"


def saleor_calls(api: Api) -> int:
    """GraphQL requests the emulated Saleor got with the app's token."""
    token = f"Bearer {api.installed.token}"
    return sum(1 for call in api.emulator.graphql_calls if call.authorization == token)


def codes(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [
        (e.get("extensions", {}).get("code"), e.get("extensions", {}).get("reason"))
        for e in body.get("errors") or ()
    ]


@SQLITE_ONLY
async def test_300_aliased_checkout_offers_cost_no_saleor_call(api: Api) -> None:
    checkout = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
    await api.app.wait_idle(api.emulator)
    before = saleor_calls(api)

    body = await api.storefront(aliased(300), {"u": api.emulator.api_url, "c": checkout["id"]})

    # Longer than the token limit: the parser stops before anything runs.
    assert body.get("data") is None and codes(body) == [("QUERY_TOO_COMPLEX", "TOKENS")]
    assert saleor_calls(api) == before


@pytest.mark.parametrize("limited", [{"graphql_max_tokens": 100_000}], indirect=True)
async def test_300_aliased_checkout_offers_within_the_token_limit_are_refused_too(limited: Api) -> None:
    before = len(limited.emulator.graphql_calls)
    body = await post(limited.app, aliased(300), u=limited.emulator.api_url, c="Q2hlY2tvdXQ6MQ==")
    assert body.get("data") is None
    assert codes(body) == [("QUERY_TOO_COMPLEX", "ALIASES"), ("QUERY_TOO_COMPLEX", "STOREFRONT_FIELDS")]
    assert len(limited.emulator.graphql_calls) == before


@SQLITE_ONLY
async def test_100_aliased_accepts_cost_no_saleor_call(api: Api) -> None:
    await set_channel(api.app, mode="offer")
    rule_id = await add_rule(api.app)
    checkout = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
    await api.app.wait_idle(api.emulator)
    before = saleor_calls(api)
    accept = "acceptCheckoutOffer(saleorApiUrl: $u, checkoutId: $c, ruleId: $r) { lineId }"

    body = await api.storefront(
        aliased(100, accept, "mutation"), {"u": api.emulator.api_url, "c": checkout["id"], "r": str(rule_id)}
    )

    assert body.get("data") is None and codes(body) == [("QUERY_TOO_COMPLEX", "TOKENS")]
    assert saleor_calls(api) == before
    assert [line for line in api.emulator.checkout(checkout["id"]).lines if line.metadata] == []


@SQLITE_ONLY
async def test_storefront_fields_hidden_in_fragments_are_counted(api: Api) -> None:
    query = (
        "query($u: String!, $c: ID!) { ...A ...B } "
        f"fragment A on Query {{ a: {OFFERS_FIELD} b: {OFFERS_FIELD} }} "
        f"fragment B on Query {{ c: {OFFERS_FIELD} ... on Query {{ d: {OFFERS_FIELD} }} }}"
    )
    body = await api.storefront(query, {"u": api.emulator.api_url, "c": "Q2hlY2tvdXQ6MQ=="})
    assert codes(body) == [("QUERY_TOO_COMPLEX", "STOREFRONT_FIELDS")]


@pytest.mark.parametrize("limited", [{"storefront_snapshot_seconds": 0}], indirect=True)
async def test_the_allowed_storefront_fields_make_a_small_fixed_number_of_saleor_calls(limited: Api) -> None:
    # Every listing reads Saleor here (no webhook snapshot answers): the bound on what one costs.
    api = limited
    await set_channel(api.app, mode="offer")
    await add_rule(api.app)
    checkout = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
    await api.app.wait_idle(api.emulator)
    variables = {"u": api.emulator.api_url, "c": checkout["id"]}

    before = saleor_calls(api)
    one = await api.storefront(aliased(1), variables)
    per_field = saleor_calls(api) - before
    assert "errors" not in one and len(one["data"]["o0"]["offers"]) == 1

    before = saleor_calls(api)
    three = await api.storefront(aliased(3), variables)
    assert "errors" not in three and three["data"]["o0"] == three["data"]["o2"]
    assert 1 <= per_field <= 2  # the checkout snapshot (variant prices are cached)
    assert saleor_calls(api) - before == per_field  # one checkout, read once for all three aliases

    other = await api.emulator.shopper.create_checkout([(TEE_S, 2)])
    await api.app.wait_idle(api.emulator)
    before = saleor_calls(api)
    two_checkouts = (
        "query($u: String!, $c: ID!, $d: ID!) { a: checkoutOffers(saleorApiUrl: $u, checkoutId: $c) "
        "{ mode } b: checkoutOffers(saleorApiUrl: $u, checkoutId: $d) { mode } "
        "c: checkoutOffers(saleorApiUrl: $u, checkoutId: $d) { mode } }"
    )
    assert "errors" not in await api.storefront(two_checkouts, {**variables, "d": other["id"]})
    assert saleor_calls(api) - before <= 2 * per_field


# -- limits from settings --------------------------------------------------------------------------------


@pytest.fixture
async def limited(
    sqlite_url: str, emulator: SaleorEmulator, request: pytest.FixtureRequest
) -> AsyncIterator[Api]:
    overrides: dict[str, Any] = getattr(request, "param", {})
    async with run_app(sqlite_url, **overrides) as app:
        yield Api(app, emulator, await emulator.install_app(app.manifest_url))


async def post(app: AppUnderTest, query: str, *, local_address: str | None = None, **variables: Any) -> Any:
    transport = httpx.AsyncHTTPTransport(local_address=local_address) if local_address else None
    async with httpx.AsyncClient(base_url=app.base_url, timeout=20, transport=transport) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code in (200, 400), response.text
    return response.json()


@pytest.mark.parametrize("limited", [{"graphql_max_depth": 2}], indirect=True)
async def test_depth_limit(limited: Api) -> None:
    deep = "{ analytics { rules { revenue { amount } } } }"
    body = await limited.dashboard(deep)
    assert codes(body) == [("QUERY_TOO_COMPLEX", "DEPTH")]
    assert body["errors"][0]["extensions"]["limit"] == 2
    assert "errors" not in await limited.dashboard("{ rules { id } }")


@pytest.mark.parametrize("limited", [{"graphql_max_aliases": 2}], indirect=True)
async def test_alias_limit(limited: Api) -> None:
    assert "errors" not in await limited.dashboard("{ a: rules { id } b: rules { id } }")
    body = await limited.dashboard("{ a: rules { id } b: rules { id } c: rules { id } }")
    assert codes(body) == [("QUERY_TOO_COMPLEX", "ALIASES")]


async def test_token_limit(limited: Api) -> None:
    huge = "{ rules { " + " ".join(["id"] * 2500) + " } }"
    body = await limited.dashboard(huge)
    assert body.get("data") is None and codes(body) == [("QUERY_TOO_COMPLEX", "TOKENS")]
    assert body["errors"][0]["extensions"]["limit"] == 2000


@pytest.mark.parametrize(
    "limited", [{"storefront_rate_burst": 3, "storefront_rate_per_second": 0}], indirect=True
)
async def test_storefront_rate_limit_per_shop_and_client(limited: Api) -> None:
    app, emulator = limited.app, limited.emulator
    query = aliased(1)
    unknown = "Q2hlY2tvdXQ6OTk5OTk="
    for _ in range(3):
        body = await post(app, query, u=emulator.api_url, c=unknown)
        assert codes(body) == [("NOT_FOUND", None)]
    refused = await post(app, query, u=emulator.api_url, c=unknown)
    assert codes(refused) == [("RATE_LIMITED", "STOREFRONT_RATE")]
    calls = len(emulator.graphql_calls)
    assert codes(await post(app, query, u=emulator.api_url, c=unknown)) == [
        ("RATE_LIMITED", "STOREFRONT_RATE")
    ]
    assert len(emulator.graphql_calls) == calls  # refused before Saleor is asked
    # Another client (another source address) and another shop have their own buckets.
    other_client = await post(app, query, local_address="127.0.0.2", u=emulator.api_url, c=unknown)
    assert codes(other_client) == [("NOT_FOUND", None)]
    other_shop = await post(app, query, u="https://other.example/graphql/", c=unknown)
    assert codes(other_shop) == [("NOT_FOUND", None)]
    # The dashboard is not a storefront field: not limited.
    assert "errors" not in await limited.dashboard("{ rules { id } }")


# -- introspection ---------------------------------------------------------------------------------------

INTROSPECTION = "{ __schema { queryType { name } } }"


@SQLITE_ONLY
async def test_introspection_is_off_in_production_and_on_in_development(db_url: str) -> None:
    production = {"environment": "production", "allowed_saleor_urls": r"https://shop\.example\.com/graphql/"}
    async with run_app(db_url, **production) as app:
        body = await post(app, INTROSPECTION)
        assert body.get("data") is None and "introspection" in body["errors"][0]["message"].lower()
        assert (await post(app, "{ __typename }"))["data"] == {"__typename": "Query"}
    async with run_app(db_url, environment="development") as app:
        assert (await post(app, INTROSPECTION))["data"]["__schema"]["queryType"]["name"] == "Query"


# -- the buckets --------------------------------------------------------------------------------------------


def test_buckets_refill_at_the_rate_and_stay_bounded() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=3, max_keys=2, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(4)] == [True, True, True, False]
    now[0] += 0.5  # one token back
    assert [buckets.take("a"), buckets.take("a")] == [True, False]
    now[0] += 100
    assert [buckets.take("a") for _ in range(4)] == [True, True, True, False]  # never above the burst
    buckets.take("b")
    buckets.take("c")
    assert len(buckets) == 2


@SQLITE_ONLY
async def test_a_document_accepted_under_looser_limits_is_checked_again(
    db_url: str, emulator: SaleorEmulator
) -> None:
    """Two apps in one process share the parsed-document cache; each applies its own limits."""
    query = "{ a: rules { id } b: rules { id } c: rules { id } }"
    async with run_app(db_url) as loose:
        api = Api(loose, emulator, await emulator.install_app(loose.manifest_url))
        assert "errors" not in await api.dashboard(query)
        assert "errors" not in await api.dashboard(query)  # now from the cache
    async with run_app(db_url, graphql_max_aliases=2) as strict:
        api = Api(strict, emulator, api.installed)
        assert codes(await api.dashboard(query)) == [("QUERY_TOO_COMPLEX", "ALIASES")]


@pytest.mark.parametrize(
    "limited", [{"storefront_rate_burst": 2, "storefront_rate_per_second": 0}], indirect=True
)
async def test_post_purchase_storefront_fields_are_limited_too(limited: Api) -> None:
    app = limited.app
    accept = "mutation($t: String!) { acceptPostPurchaseOffer(token: $t) { errors { code } } }"
    for _ in range(2):
        body = await post(app, accept, t="not-a-token")
        assert "errors" not in body and body["data"]["acceptPostPurchaseOffer"]["errors"]
    assert codes(await post(app, accept, t="not-a-token")) == [("RATE_LIMITED", "STOREFRONT_RATE")]
    many = (
        "query($u: String!) { "
        + " ".join(
            f'p{i}: postPurchaseOffer(saleorApiUrl: $u, orderToken: "x{i}") {{ id }}' for i in range(4)
        )
        + " }"
    )
    body = await post(app, many, u=limited.emulator.api_url)
    assert codes(body) == [("QUERY_TOO_COMPLEX", "STOREFRONT_FIELDS")]
