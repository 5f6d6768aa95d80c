"""Lift against the random holdout, on the right unit (pure: exposure rows and orders in, experiments out).

The unit is the eligible checkout, from the moment it is assigned: a checkout's first exposure event
(``eligible`` or ``held_out``) puts it in the holdout or in the treatment, whether or not it ever becomes
an order. Joined on the checkout id, an order completes the unit with its total as revenue; a checkout
without an order is a unit with revenue 0, so an offer that makes shoppers abandon shows as a loss of
revenue per checkout instead of dropping out of the average.

Units are grouped per channel and currency (amounts are never mixed across currencies), both for all
rules together (the effect of having offers at all) and per rule (the checkouts whose exposure names the
rule in ``details["rule_ids"]``). Within a rule, a checkout's arm is the holdout or the variant recorded
with its exposure (``details["arms"][rule id]``); without variants the one treatment arm is ``offers``.
The statistics (intervals, verdicts) are insights/experiments, the one place they are computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ...engine.ids import digits_of
from ..events import EventKind
from ..experiments import (
    HOLDOUT,
    ArmTally,
    ExperimentResults,
    StatsSettings,
    Unit,
    Verdict,
    VerdictSettings,
    experiment_results,
    verdict,
)
from ..orders import CompactOrder
from .offer_counts import EventRow

TREATMENT = "offers"
"""The treatment arm of a rule without variants, and of all rules together."""


@dataclass(frozen=True, slots=True)
class Assignment:
    """A checkout's first exposure: when, where, in which group, and which rules could fire."""

    checkout_id: str
    channel: str
    currency: str | None
    held_out: bool
    rule_ids: tuple[int, ...]
    arms: Mapping[int, str]  # rule id → variant, for rules with variants
    assigned_at: datetime

    def arm(self, rule_id: int | None) -> str:
        if self.held_out:
            return HOLDOUT
        return self.arms.get(rule_id, TREATMENT) if rule_id is not None else TREATMENT


@dataclass(frozen=True, slots=True)
class ExperimentKey:
    channel: str
    currency: str
    rule_id: int | None  # None: all rules of the channel together

    def sort_key(self) -> tuple[str, str, int]:
        return self.channel, self.currency, -1 if self.rule_id is None else self.rule_id


@dataclass(frozen=True, slots=True)
class Experiment:
    key: ExperimentKey
    tallies: Mapping[str, ArmTally]
    results: ExperimentResults
    verdict: Verdict | None  # all of the rule's variants vs the holdout; None without both sides
    variant_verdicts: Mapping[str, Verdict]  # each variant vs the holdout, with two variants or more


def _rule_ids(details: Mapping[str, object] | None) -> tuple[int, ...]:
    raw = (details or {}).get("rule_ids") or ()
    ids = {digits_of(str(r)) for r in raw} if isinstance(raw, list | tuple) else set()
    return tuple(sorted(i for i in ids if i is not None))


def _arms(details: Mapping[str, object] | None) -> dict[int, str]:
    raw = (details or {}).get("arms") or {}
    if not isinstance(raw, dict):
        return {}
    found = {digits_of(str(rule)): str(arm) for rule, arm in raw.items() if arm}
    return {rule: arm for rule, arm in found.items() if rule is not None}


def assignments(exposures: Iterable[EventRow]) -> list[Assignment]:
    """One per checkout: its first exposure event decides (later ones, if any, are ignored)."""
    first: dict[str, Assignment] = {}
    for event in sorted(exposures, key=lambda e: e.occurred_at):
        if event.kind not in (EventKind.ELIGIBLE, EventKind.HELD_OUT) or not event.checkout_id:
            continue
        if event.checkout_id in first:
            continue
        first[event.checkout_id] = Assignment(
            checkout_id=event.checkout_id,
            channel=event.channel_slug or "",
            currency=event.currency,
            held_out=event.kind == EventKind.HELD_OUT,
            rule_ids=_rule_ids(event.details),
            arms=_arms(event.details),
            assigned_at=event.occurred_at,
        )
    return list(first.values())


def unit_of(assignment: Assignment, order: CompactOrder | None, rule_id: int | None) -> Unit:
    if order is None:
        return Unit(assignment.arm(rule_id), False)
    return Unit(assignment.arm(rule_id), True, max(order.total, Decimal(0)))


def arm_tallies(
    assigned: Sequence[Assignment], orders: Sequence[CompactOrder]
) -> dict[ExperimentKey, dict[str, ArmTally]]:
    """Per (channel, currency, rule or all rules): the tallies of each arm.

    A unit's currency is its order's, else the one logged with its exposure, else the currency of the
    channel's other units (a Saleor channel has one currency); a unit whose currency cannot be known
    (no order anywhere in its channel) is left out, as it has no money figure to add to.
    """
    by_checkout = {o.checkout_id: o for o in orders if o.checkout_id}
    channel_currency: dict[str, str] = {}
    for a in assigned:
        order = by_checkout.get(a.checkout_id)
        currency = order.currency if order is not None else a.currency
        if currency:
            channel_currency.setdefault(a.channel, currency)
    tallies: dict[ExperimentKey, dict[str, ArmTally]] = {}
    for a in assigned:
        order = by_checkout.get(a.checkout_id)
        currency = (order.currency if order else None) or a.currency or channel_currency.get(a.channel)
        if not currency:
            continue
        for rule_id in (None, *a.rule_ids):
            unit = unit_of(a, order, rule_id)
            arms = tallies.setdefault(ExperimentKey(a.channel, currency, rule_id), {})
            arms[unit.arm] = arms.get(unit.arm, ArmTally()).add(unit)
    return dict(sorted(tallies.items(), key=lambda item: item[0].sort_key()))


def experiment(
    key: ExperimentKey,
    tallies: Mapping[str, ArmTally],
    *,
    locale: str,
    stats: StatsSettings | None = None,
    verdicts: VerdictSettings | None = None,
) -> Experiment:
    results = experiment_results(tallies, stats)
    overall = (
        verdict(results.overall, key.currency, locale=locale, settings=verdicts)
        if results.overall is not None
        else None
    )
    per_variant = (
        {
            c.treatment.arm: verdict(c, key.currency, locale=locale, settings=verdicts)
            for c in results.versus_holdout
        }
        if len(results.versus_holdout) > 1
        else {}
    )
    return Experiment(key, dict(tallies), results, overall, per_variant)


def experiments(
    exposures: Iterable[EventRow],
    orders: Sequence[CompactOrder],
    *,
    locale: str,
    stats: StatsSettings | None = None,
    verdicts: VerdictSettings | None = None,
) -> list[Experiment]:
    tallies = arm_tallies(assignments(exposures), orders)
    return [
        experiment(key, arms, locale=locale, stats=stats, verdicts=verdicts) for key, arms in tallies.items()
    ]
