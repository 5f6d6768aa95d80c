"""Rules through the API: the CRUD round trip, filters, and field-level validation errors."""

from __future__ import annotations

from testing.sample_data import APPLE_JUICE, CUBES_M, TEE_S, bump_rule
from tests.api.client import Api

RULE_FIELDS = "id kind name enabled priority channels offerVariantId headline spec"
CREATE = f"""mutation($spec: JSON!) {{
  ruleCreate(spec: $spec) {{ rule {{ {RULE_FIELDS} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($id: ID!, $spec: JSON!) {{
  ruleUpdate(id: $id, spec: $spec) {{ rule {{ {RULE_FIELDS} }} errors {{ field code message }} }} }}"""
LIST = "query($filter: RuleFilterInput) { rules(filter: $filter) { id name } }"


def upgrade_rule(**overrides: object) -> dict[str, object]:
    rule: dict[str, object] = {
        "kind": "upgrade",
        "name": "Tee to the Cubes tee",
        "from_variant_ids": [TEE_S],
        "to_variant_id": CUBES_M,
        "price": {"type": "percent_off", "percent": "20"},
        "copy": {"headline": "Upgrade to Cubes", "reason": "Softer cotton"},
        "channels": ["channel-pln"],
    }
    rule.update(overrides)
    return rule


async def _names(api: Api, **filter: object) -> list[str]:
    return [r["name"] for r in (await api.data(LIST, {"filter": filter}))["rules"]]


async def test_crud_round_trip(api: Api) -> None:
    created = (await api.data(CREATE, {"spec": bump_rule(priority=5)}))["ruleCreate"]
    assert created["errors"] == []
    rule = created["rule"]
    assert (rule["kind"], rule["name"], rule["priority"], rule["offerVariantId"]) == (
        "BUMP",
        "Juice with every tee",
        5,
        APPLE_JUICE,
    )
    assert rule["spec"]["price"] == {"type": "percent_off", "percent": "20"}

    fetched = await api.data(f"query($id: ID!) {{ rule(id: $id) {{ {RULE_FIELDS} }} }}", {"id": rule["id"]})
    assert fetched["rule"] == rule

    changed_spec = {
        **rule["spec"],
        "name": "Juice, renamed",
        "copy": {"headline": "Cold juice?", "reason": "Hot"},
    }
    updated = (await api.data(UPDATE, {"id": rule["id"], "spec": changed_spec}))["ruleUpdate"]
    assert updated["errors"] == []
    assert (updated["rule"]["name"], updated["rule"]["headline"]) == ("Juice, renamed", "Cold juice?")

    disabled = await api.data(
        "mutation($id: ID!) { ruleSetEnabled(id: $id, enabled: false) { rule { enabled } errors { code } } }",
        {"id": rule["id"]},
    )
    assert disabled["ruleSetEnabled"] == {"rule": {"enabled": False}, "errors": []}
    stored = await api.app.data.rules.get(await api.installation_id(), int(rule["id"]))
    assert stored is not None and stored.spec.enabled is False and stored.spec.name == "Juice, renamed"

    deleted = await api.data(
        "mutation($id: ID!) { ruleDelete(id: $id) { deletedId errors { code } } }", {"id": rule["id"]}
    )
    assert deleted["ruleDelete"] == {"deletedId": rule["id"], "errors": []}
    assert (await api.data("query($id: ID!) { rule(id: $id) { id } }", {"id": rule["id"]}))["rule"] is None


async def test_filters(api: Api) -> None:
    await api.data(CREATE, {"spec": bump_rule(name="Juice bump")})
    await api.data(
        CREATE,
        {
            "spec": bump_rule(
                name="Off bump",
                enabled=False,
                trigger={"product_ids": [], "variant_ids": [TEE_S], "channels": ["default-channel"]},
            )
        },
    )
    await api.data(CREATE, {"spec": upgrade_rule()})

    assert await _names(api) == ["Juice bump", "Off bump", "Tee to the Cubes tee"]
    assert await _names(api, kinds=["UPGRADE"]) == ["Tee to the Cubes tee"]
    assert await _names(api, enabled=False) == ["Off bump"]
    # Rules for every channel match any channel; channel-limited ones only their own.
    assert await _names(api, channel="default-channel") == ["Juice bump", "Off bump"]
    assert await _names(api, channel="channel-pln") == ["Juice bump", "Tee to the Cubes tee"]
    assert await _names(api, search="CUBES") == ["Tee to the Cubes tee"]
    assert await _names(api, kinds=["BUMP"], enabled=True, search="juice") == ["Juice bump"]


async def test_validation_errors_name_the_fields(api: Api) -> None:
    spec = bump_rule(price={"type": "percent_off", "percent": "150"}, offer_variant_id="not-an-id")
    del spec["copy"]
    result = (await api.data(CREATE, {"spec": spec}))["ruleCreate"]
    assert result["rule"] is None
    by_field = {e["field"]: e for e in result["errors"]}
    assert set(by_field) == {"price.percent", "offer_variant_id", "copy"}
    assert by_field["copy"]["code"] == "REQUIRED"
    assert by_field["price.percent"]["code"] == "INVALID"
    assert "100" in by_field["price.percent"]["message"]
    assert (await api.data(LIST))["rules"] == []  # nothing stored


async def test_whole_input_errors_have_no_field(api: Api) -> None:
    for spec in (
        "not an object",
        {"kind": "coupon"},
        bump_rule(starts_at="2026-02-01T00:00:00Z", ends_at="2026-01-01T00:00:00Z"),
    ):
        errors = (await api.data(CREATE, {"spec": spec}))["ruleCreate"]["errors"]
        assert errors and errors[0]["field"] is None, errors


async def test_update_validates_too_and_keeps_the_old_rule(api: Api) -> None:
    rule = (await api.data(CREATE, {"spec": bump_rule()}))["ruleCreate"]["rule"]
    bad = {**rule["spec"], "trigger": {"channels": ["default-channel"]}}
    result = (await api.data(UPDATE, {"id": rule["id"], "spec": bad}))["ruleUpdate"]
    assert [e["field"] for e in result["errors"]] == ["trigger"]
    fetched = await api.data("query($id: ID!) { rule(id: $id) { spec } }", {"id": rule["id"]})
    assert fetched["rule"]["spec"] == rule["spec"]
