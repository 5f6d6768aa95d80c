"""The guardrail acts: simulated shoppers through the real event log and order history; a rule whose
checkouts complete much less often than held-out ones is paused (disabled, reason stored, shown); a rule
without effect is not; the merchant's margin and switch are obeyed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from saleor_upsell_app.engine.spec import BumpRuleSpec, ChannelSettingsSpec
from saleor_upsell_app.insights.experiments import GuardrailAction
from saleor_upsell_app.insights.guardrail import list_pauses, run_guardrail
from saleor_upsell_app.rules.service import validate_rule
from testing.experiment_simulator import ArmModel, rule_scenario, with_variants
from testing.sample_data import bump_rule
from testing.shopper_log import Written, write_shoppers
from tests.data import AppData
from tests.store import Store

START = datetime(2026, 11, 2, 9, tzinfo=UTC)


async def _rule_with_shoppers(
    store: Store, name: str, completion_effect: float, *, days: int = 8, seed: int = 7
) -> tuple[int, Written]:
    data: AppData = store.data
    rule = await data.rules.create(store.installation_id, validate_rule(bump_rule(name=name)), START)
    scenario = rule_scenario(
        holdout_share=0.10, checkouts_per_day=400, days=days, completion_effect=completion_effect
    )
    written = await write_shoppers(
        scenario,
        seed=seed,
        rule_id=rule.id,
        start=START + timedelta(minutes=1),
        record=lambda events, at: data.events.record(store.installation_id, events, at),
        store=lambda orders: data.orders.upsert_many(store.installation_id, orders),
        prefix=f"r{rule.id}",
    )
    return rule.id, written


async def test_a_rule_that_costs_orders_is_paused_and_a_harmless_one_is_not(store: Store) -> None:
    # 65% → 45% completion with the rule (a 20-point drop); the other rule changes nothing.
    harmful, written = await _rule_with_shoppers(store, "Pushy", -0.20)
    harmless, _ = await _rule_with_shoppers(store, "Fine", 0.0, seed=8)
    assert written.checkouts == 3200 and 0 < written.orders < 3200
    now = written.last_day + timedelta(days=2)

    run = await run_guardrail(store.data.db, store.installation_id, now)

    decisions = {check.rule_id: check.decision for check in run.checks}
    assert decisions[harmful].action is GuardrailAction.PAUSE_RULE
    assert decisions[harmless].action is GuardrailAction.KEEP
    [pause] = run.paused
    assert (pause.rule_id, pause.rule_name, pause.channel, pause.active) == (
        harmful,
        "Pushy",
        "default-channel",
        True,
    )
    assert pause.reason.startswith("Paused this rule: its checkouts completed ")
    assert "points less often than held-out ones" in pause.reason
    assert pause.details["arms"]["holdout"]["checkouts"] > 250
    rule = await store.data.rules.get(store.installation_id, harmful)
    assert rule is not None and rule.spec.enabled is False
    kept = await store.data.rules.get(store.installation_id, harmless)
    assert kept is not None and kept.spec.enabled is True
    assert [p.rule_id for p in await list_pauses(store.data.db, store.installation_id)] == [harmful]

    # Running again changes nothing: the paused rule is no longer checked, the other is kept.
    again = await run_guardrail(store.data.db, store.installation_id, now + timedelta(hours=1))
    assert again.paused == () and [c.rule_id for c in again.checks] == [harmless]

    # The merchant resumes it: a new experiment starts, the pause is history (no longer active).
    async with store.data.db.transaction() as session:
        from saleor_upsell_app.rules import service as rules

        await rules.set_enabled(session, store.installation_id, harmful, True, now + timedelta(hours=2))
    [history] = await list_pauses(store.data.db, store.installation_id)
    assert history.active is False
    resumed = await run_guardrail(store.data.db, store.installation_id, now + timedelta(hours=3))
    assert resumed.paused == ()  # none of the old checkouts count for the resumed rule


async def test_checkouts_too_young_to_complete_do_not_count(store: Store) -> None:
    _, written = await _rule_with_shoppers(store, "Pushy", -0.20)
    # Right after the last day, with a 30-day window, no checkout is old enough: nothing is decided.
    run = await run_guardrail(
        store.data.db, store.installation_id, written.last_day, completion_window=timedelta(days=30)
    )
    assert run.paused == () and run.checks == ()


async def test_the_merchants_margin_and_switch_are_obeyed(store: Store) -> None:
    harmful, written = await _rule_with_shoppers(store, "Pushy", -0.20)
    now = written.last_day + timedelta(days=2)
    tolerant = ChannelSettingsSpec(guardrail_margin_points=Decimal(20))
    await store.data.rules.save_channel_settings(store.installation_id, "default-channel", tolerant, now)
    run = await run_guardrail(store.data.db, store.installation_id, now)
    assert run.paused == () and run.checks[0].decision.action is GuardrailAction.KEEP
    assert "no drop in completion of more than 20.0 points" in run.checks[0].decision.reason

    off = ChannelSettingsSpec(guardrail_enabled=False)
    await store.data.rules.save_channel_settings(store.installation_id, "default-channel", off, now)
    assert (await run_guardrail(store.data.db, store.installation_id, now)).checks == ()
    rule = await store.data.rules.get(store.installation_id, harmful)
    assert rule is not None and rule.spec.enabled is True


async def test_a_harmful_variant_is_switched_off_and_the_rule_goes_on(store: Store) -> None:
    data: AppData = store.data
    variants = [{"name": "A"}, {"name": "B", "price": {"type": "fixed", "amounts": {"USD": "0.99"}}}]
    rule = await data.rules.create(
        store.installation_id, validate_rule(bump_rule(name="Split", variants=variants)), START
    )
    # A: harmless (65% completion); B: 30 points lower. Holdout 10%.
    scenario = with_variants(
        rule_scenario(checkouts_per_day=400, days=8),
        [ArmModel("A", 0.45, 0.65, 80.0), ArmModel("B", 0.45, 0.35, 80.0)],
    )
    written = await write_shoppers(
        scenario, seed=11, rule_id=rule.id, start=START + timedelta(minutes=1), with_arms=True,
        record=lambda events, at: data.events.record(store.installation_id, events, at),
        store=lambda orders: data.orders.upsert_many(store.installation_id, orders),
    )  # fmt: skip
    run = await run_guardrail(data.db, store.installation_id, written.last_day + timedelta(days=2))

    [check] = run.checks
    assert check.decision.action is GuardrailAction.PAUSE_VARIANTS
    assert check.decision.harmful_variants == ("B",)
    [pause] = run.paused
    assert pause.reason.startswith("Paused variant B: its checkouts completed")
    stored = await data.rules.get(store.installation_id, rule.id)
    assert stored is not None and stored.spec.enabled is True
    assert isinstance(stored.spec, BumpRuleSpec)
    assert [(v.name, v.weight) for v in stored.spec.variants] == [("A", 1), ("B", 0)]
    [listed] = await list_pauses(data.db, store.installation_id)
    assert listed.active is True and listed.details["harmful_variants"] == ["B"]
