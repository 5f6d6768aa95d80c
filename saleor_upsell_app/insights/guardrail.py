"""The completion guardrail that acts: pause a rule whose checkouts complete significantly less often
than held-out ones, record why, and show it on the dashboard and in the digest.

Per enabled bump or upgrade rule and per channel, the units are the checkouts whose first exposure named
the rule since the rule was last changed (a changed rule is a new experiment; resuming a paused rule
starts afresh), and old enough to have had time to complete (``completion_window``, default a day:
an open checkout counted as abandoned slows the test down, it does not bias it). The test is
experiments.guardrail_decision, the always-valid one, so running this every hour keeps the chance of
ever pausing a harmless rule below alpha (5%); with a rule in several channels, each channel is tested
at alpha / channels (Bonferroni). The merchant sets, per channel, whether the guardrail runs and the drop
in completion it tolerates (``guardrail_enabled``, ``guardrail_margin_points``; defaults on and 0).

Pausing sets the rule disabled (the engine stops offering it within seconds, in every process) and
writes a ``rule_pauses`` row with the reason in plain words. Re-enabling the rule resumes it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..engine.spec import BumpRuleSpec
from ..kit.db import Database
from ..kit.db.repository import Repository
from ..rules import service as rules
from ..rules.models import Rule
from ..rules.stored import StoredRule
from .analytics.lift import Assignment, assignments
from .events import EXPOSURE_KINDS, EventLog
from .experiments import ArmTally, GuardrailAction, GuardrailDecision, GuardrailPolicy, guardrail_decision
from .models import RulePause
from .orders import OrderRepository

log = logging.getLogger("saleor_upsell.guardrail")

COMPLETION_WINDOW = timedelta(hours=24)
ALPHA = 0.05
_MEASURED_KINDS = ("bump", "upgrade")  # their checkouts are the units the exposure events log


@dataclass(frozen=True, slots=True)
class StoredPause:
    id: int
    rule_id: int
    rule_name: str | None
    channel: str
    reason: str
    details: dict[str, Any]
    paused_at: datetime
    active: bool  # the rule is still disabled since this pause


@dataclass(frozen=True, slots=True)
class RuleCheck:
    rule_id: int
    channel: str
    decision: GuardrailDecision


@dataclass(frozen=True, slots=True)
class GuardrailRun:
    checks: tuple[RuleCheck, ...]
    paused: tuple[StoredPause, ...]


class PauseRepository(Repository):
    async def add(
        self,
        installation_id: int,
        rule_id: int,
        channel: str,
        reason: str,
        details: dict[str, Any],
        now: datetime,
    ) -> RulePause:
        row = RulePause(
            installation_id=installation_id,
            rule_id=rule_id,
            channel_slug=channel,
            reason=reason,
            details=details,
            paused_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def list(
        self, installation_id: int, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[StoredPause]:
        query = (
            select(RulePause, Rule.name, Rule.enabled, Rule.updated_at)
            .join(Rule, Rule.id == RulePause.rule_id)
            .where(RulePause.installation_id == installation_id)
        )
        if since is not None:
            query = query.where(RulePause.paused_at >= since)
        if until is not None:
            query = query.where(RulePause.paused_at < until)
        rows = await self.session.execute(query.order_by(RulePause.paused_at.desc(), RulePause.id.desc()))
        return [
            StoredPause(
                id=pause.id,
                rule_id=pause.rule_id,
                rule_name=name,
                channel=pause.channel_slug,
                reason=pause.reason,
                details=pause.details,
                paused_at=pause.paused_at,
                # A paused variant leaves the rule on; either pause holds until the rule changes again.
                active=(not enabled or _variants_only(pause.details)) and updated_at <= pause.paused_at,
            )
            for pause, name, enabled, updated_at in rows
        ]


def _variants_only(details: dict[str, Any]) -> bool:
    return details.get("action") == GuardrailAction.PAUSE_VARIANTS


def completion_tallies(units: Sequence[Assignment], completed: set[str], rule_id: int) -> dict[str, ArmTally]:
    """Per arm: checkouts and how many became orders (completion needs no money, so no currency)."""
    counts: dict[str, list[int]] = {}
    for unit in units:
        arm = counts.setdefault(unit.arm(rule_id), [0, 0])
        arm[0] += 1
        arm[1] += unit.checkout_id in completed
    return {arm: ArmTally(n, c) for arm, (n, c) in sorted(counts.items())}


def _details(decision: GuardrailDecision, tallies: dict[str, ArmTally], alpha: float) -> dict[str, Any]:
    return {
        "action": str(decision.action),
        "alpha": alpha,
        "arms": {arm: {"checkouts": t.units, "orders": t.completions} for arm, t in tallies.items()},
        "harmful_variants": list(decision.harmful_variants),
    }


async def _checks(
    session: AsyncSession,
    installation_id: int,
    candidates: Sequence[StoredRule],
    cutoff: datetime,
    alpha: float,
) -> list[tuple[RuleCheck, dict[str, ArmTally], float]]:
    start = min(rule.updated_at for rule in candidates)
    exposures = await EventLog(session).list(installation_id, since=start, until=cutoff, kinds=EXPOSURE_KINDS)
    assigned = assignments(exposures)
    orders = await OrderRepository(session).of_checkouts(installation_id, [a.checkout_id for a in assigned])
    completed = {o.checkout_id for o in orders if o.checkout_id}
    found: list[tuple[RuleCheck, dict[str, ArmTally], float]] = []
    for rule in candidates:
        per_channel: dict[str, list[Assignment]] = {}
        for unit in assigned:
            if rule.id in unit.rule_ids and unit.assigned_at >= rule.updated_at:
                per_channel.setdefault(unit.channel, []).append(unit)
        policies = {}
        for channel in sorted(per_channel):
            settings = await rules.channel_settings(session, installation_id, channel)
            if settings.guardrail_enabled:
                policies[channel] = settings.guardrail_margin_points
        channel_alpha = alpha / max(1, len(policies))
        for channel, margin in policies.items():
            tallies = completion_tallies(per_channel[channel], completed, rule.id)
            policy = GuardrailPolicy(alpha=channel_alpha, harm_margin_points=Decimal(margin))
            found.append(
                (RuleCheck(rule.id, channel, guardrail_decision(tallies, policy)), tallies, channel_alpha)
            )
    return found


async def run_guardrail(
    db: Database,
    installation_id: int,
    now: datetime,
    *,
    completion_window: timedelta = COMPLETION_WINDOW,
    alpha: float = ALPHA,
) -> GuardrailRun:
    """Check every enabled bump and upgrade rule; pause those whose harm to completion is proven."""
    async with db.read() as session:
        stored = await rules.list_rules(session, installation_id, kinds=_MEASURED_KINDS, enabled=True)
        checks = (
            await _checks(session, installation_id, stored, now - completion_window, alpha) if stored else []
        )
    paused: list[StoredPause] = []
    done: set[int] = set()
    acting = (GuardrailAction.PAUSE_RULE, GuardrailAction.PAUSE_VARIANTS)
    for check, tallies, used_alpha in checks:
        if check.decision.action not in acting or check.rule_id in done:
            continue
        async with db.transaction() as session:
            rule = await rules.get_rule(session, installation_id, check.rule_id)
            if rule is None or not rule.spec.enabled:
                continue  # deleted or switched off meanwhile
            if check.decision.action is GuardrailAction.PAUSE_RULE:
                await rules.set_enabled(session, installation_id, rule.id, False, now)
            else:
                await _switch_off_variants(
                    session, installation_id, rule, check.decision.harmful_variants, now
                )
            row = await PauseRepository(session).add(
                installation_id, rule.id, check.channel, check.decision.reason,
                _details(check.decision, tallies, used_alpha), now,
            )  # fmt: skip
        done.add(check.rule_id)
        log.info(
            "rule paused",
            extra={"rule_id": rule.id, "channel": check.channel, "action": check.decision.action},
        )
        paused.append(
            StoredPause(row.id, rule.id, rule.spec.name, check.channel, row.reason, row.details, now, True)
        )
    return GuardrailRun(tuple(c for c, _, _ in checks), tuple(paused))


async def _switch_off_variants(
    session: AsyncSession, installation_id: int, rule: StoredRule, harmful: Sequence[str], now: datetime
) -> None:
    """Weight 0 for the harmful variants: their checkouts go to the others (a new experiment starts)."""
    assert isinstance(rule.spec, BumpRuleSpec)
    variants = [v.model_copy(update={"weight": 0}) if v.name in harmful else v for v in rule.spec.variants]
    if sum(v.weight for v in variants) == 0:  # the variants left had no share: nothing left to show
        await rules.set_enabled(session, installation_id, rule.id, False, now)
        return
    data = rule.spec.model_copy(update={"variants": variants}).model_dump(mode="json", by_alias=True)
    await rules.update_rule(session, installation_id, rule.id, data, now)


async def list_pauses(
    db: Database, installation_id: int, *, since: datetime | None = None, until: datetime | None = None
) -> list[StoredPause]:
    async with db.read() as session:
        return await PauseRepository(session).list(installation_id, since=since, until=until)
