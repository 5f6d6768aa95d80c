"""Who may call the dashboard fields: a staff token of this installation; writes need MANAGE_DISCOUNTS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.keys import SigningKey
from testing.sample_data import bump_rule
from tests.api.client import ALL_BUT_DISCOUNTS, Api, error_codes

RULES = "{ rules { id name } }"
CREATE = "mutation($spec: JSON!) { ruleCreate(spec: $spec) { rule { id } errors { field code message } } }"


async def test_no_token_is_unauthenticated(api: Api) -> None:
    body = await api.post(RULES, headers={"saleor-api-url": api.emulator.api_url})
    assert body["data"] is None
    assert error_codes(body) == [("UNAUTHENTICATED", "MISSING_TOKEN")]


async def test_malformed_token(api: Api) -> None:
    body = await api.dashboard(RULES, token="not-a-jwt")
    assert error_codes(body) == [("UNAUTHENTICATED", "INVALID_TOKEN")]


async def test_token_signed_by_another_key(api: Api) -> None:
    body = await api.dashboard(RULES, token=api.token(key=SigningKey()))
    assert error_codes(body) == [("UNAUTHENTICATED", "INVALID_TOKEN")]


async def test_expired_token(api: Api) -> None:
    issued = datetime.now(UTC) - timedelta(hours=1)
    body = await api.dashboard(RULES, token=api.token(issued_at=issued, ttl=300))
    assert error_codes(body) == [("UNAUTHENTICATED", "TOKEN_EXPIRED")]


async def test_unknown_saleor(api: Api) -> None:
    body = await api.dashboard(RULES, api_url="https://elsewhere.example.com/graphql/")
    assert error_codes(body) == [("UNAUTHENTICATED", "UNKNOWN_INSTALLATION")]


async def test_reads_need_no_discount_permission_but_writes_do(api: Api) -> None:
    reader = api.token(user_permissions=ALL_BUT_DISCOUNTS)
    assert (await api.data(RULES, token=reader))["rules"] == []

    body = await api.dashboard(CREATE, {"spec": bump_rule()}, token=reader)
    assert error_codes(body) == [("PERMISSION_DENIED", "MISSING_PERMISSIONS")]
    assert (await api.data(RULES))["rules"] == []  # nothing was written

    created = await api.data(CREATE, {"spec": bump_rule()})
    assert created["ruleCreate"]["errors"] == []


async def test_other_installations_rules_are_invisible_and_untouchable(api: Api) -> None:
    """Two Saleors share one app process and database; each merchant sees only their own rules."""
    ours = (await api.data(CREATE, {"spec": bump_rule(name="ours")}))["ruleCreate"]["rule"]["id"]
    async with SaleorEmulator() as other:
        other_app = await other.install_app(api.app.manifest_url)
        theirs_token = other.dashboard_token(
            other_app.id, permissions=[], user_permissions=["MANAGE_DISCOUNTS"]
        )
        theirs_body = await api.dashboard(
            CREATE, {"spec": bump_rule(name="theirs")}, token=theirs_token, api_url=other.api_url
        )
        theirs = theirs_body["data"]["ruleCreate"]["rule"]["id"]

        # Our token sees only our rule, cannot read, change or delete theirs.
        assert [r["id"] for r in (await api.data(RULES))["rules"]] == [ours]
        assert (await api.data("query($id: ID!) { rule(id: $id) { id } }", {"id": theirs}))["rule"] is None
        deleted = await api.data(
            "mutation($id: ID!) { ruleDelete(id: $id) { deletedId errors { code } } }", {"id": theirs}
        )
        assert deleted["ruleDelete"] == {"deletedId": None, "errors": [{"code": "NOT_FOUND"}]}
        updated = await api.data(
            "mutation($id: ID!, $spec: JSON!) { ruleUpdate(id: $id, spec: $spec) { errors { code } } }",
            {"id": theirs, "spec": bump_rule(name="hijacked")},
        )
        assert updated["ruleUpdate"]["errors"] == [{"code": "NOT_FOUND"}]

        # Their token is not accepted for our installation (signed by their Saleor's key).
        crossed = await api.dashboard(RULES, token=theirs_token)
        assert error_codes(crossed) == [("UNAUTHENTICATED", "INVALID_TOKEN")]
        theirs_view = await api.dashboard(RULES, token=theirs_token, api_url=other.api_url)
        assert theirs_view["data"]["rules"] == [{"id": theirs, "name": "theirs"}]
