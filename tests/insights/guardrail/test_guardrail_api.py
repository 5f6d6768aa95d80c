"""The guardrail through the API: the merchant's settings (default on, 0-point margin, 10% holdout), and
the pauses it made, with their reasons, for the dashboard."""

from __future__ import annotations

from datetime import timedelta

from saleor_upsell_app.insights.guardrail import run_guardrail
from saleor_upsell_app.rules.service import validate_rule
from testing.experiment_simulator import rule_scenario
from testing.sample_data import bump_rule
from testing.shopper_log import write_shoppers
from tests.api.client import Api
from tests.insights.guardrail.test_guardrail import START

SETTINGS = """query { channelSetting(channel: "default-channel") {
  holdoutPercent guardrailEnabled guardrailMarginPoints isDefault } }"""
UPDATE = """mutation($input: ChannelSettingsInput!) {
  channelSettingsUpdate(channel: "default-channel", input: $input) {
    settings { guardrailEnabled guardrailMarginPoints } errors { field code } } }"""
PAUSES = """query($active: Boolean) { guardrailPauses(active: $active) {
  ruleId ruleName channel reason pausedAt active } }"""


async def test_guardrail_settings_default_and_update(api: Api) -> None:
    default = (await api.data(SETTINGS))["channelSetting"]
    assert default == {
        "holdoutPercent": "10", "guardrailEnabled": True, "guardrailMarginPoints": "0", "isDefault": True
    }  # fmt: skip
    changed = (await api.data(UPDATE, {"input": {"guardrailMarginPoints": "1.5"}}))["channelSettingsUpdate"]
    assert changed == {"settings": {"guardrailEnabled": True, "guardrailMarginPoints": "1.5"}, "errors": []}
    refused = (await api.data(UPDATE, {"input": {"guardrailMarginPoints": "25"}}))["channelSettingsUpdate"]
    assert refused["errors"] == [{"field": "guardrailMarginPoints", "code": "INVALID"}]


async def test_pauses_are_listed_with_their_reason(api: Api) -> None:
    own = await api.installation_id()
    data = api.app.data
    rule = await data.rules.create(own, validate_rule(bump_rule(name="Pushy")), START)
    written = await write_shoppers(
        rule_scenario(checkouts_per_day=400, days=8, completion_effect=-0.20),
        seed=3,
        rule_id=rule.id,
        start=START + timedelta(minutes=1),
        record=lambda events, at: data.events.record(own, events, at),
        store=lambda orders: data.orders.upsert_many(own, orders),
    )
    assert (await api.data(PAUSES))["guardrailPauses"] == []

    await run_guardrail(data.db, own, written.last_day + timedelta(days=2))

    [pause] = (await api.data(PAUSES, {"active": True}))["guardrailPauses"]
    assert (pause["ruleId"], pause["ruleName"], pause["channel"], pause["active"]) == (
        str(rule.id), "Pushy", "default-channel", True
    )  # fmt: skip
    assert pause["reason"].startswith("Paused this rule: its checkouts completed")
    assert (await api.data(PAUSES, {"active": False}))["guardrailPauses"] == []
