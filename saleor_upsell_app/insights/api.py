"""GraphQL resolvers of insights (dashboard, staff token): suggestions (list, accept as a bump rule,
dismiss), analytics (the same service as the weekly report), and the offers around one order."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from ..api import conversions as convert
from ..api import types as t
from ..api.context import ApiContext
from ..api.errors import BAD_REQUEST, ApiError
from ..engine.ids import digits_of
from ..engine.money import quantize
from ..rules import service as rules
from ..rules.service import InvalidRule
from .analytics.lift import Experiment
from .analytics.service import analytics_summary
from .analytics.weekly_report import parse_iso_week
from .digest import StoredDigest, list_digests
from .events import EXPOSURE_KINDS, EventLog
from .experiments import ArmMetrics, Difference, Metric, VerdictKind
from .guardrail import list_pauses
from .orders import OrderRepository
from .suggestions import service as suggestions
from .suggestions.gateway import ItemName, item_names
from .suggestions.repository import StoredSuggestion
from .suggestions.service import AcceptInput, SuggestionRefused

Ctx = Info[ApiContext, None]


# ------------------------------------------------------------------------------------------ suggestions


def _item(item_id: str, names: Mapping[str, ItemName]) -> t.SuggestionItem:
    found = names.get(item_id)
    return t.SuggestionItem(
        id=strawberry.ID(item_id),
        name=found.name if found else None,
        image_url=found.image_url if found else None,
    )


def _figure(evidence: Mapping[str, object], key: str) -> float | None:
    value = evidence.get(key)
    return float(value) if isinstance(value, int | float) else None


def _suggestion(row: StoredSuggestion, names: Mapping[str, ItemName] | None = None) -> t.Suggestion:
    known = names or {}
    return t.Suggestion(
        id=strawberry.ID(str(row.id)),
        channel=row.channel_slug,
        level=row.level,
        source=row.source,
        antecedent_id=strawberry.ID(row.antecedent_id),
        consequent_id=strawberry.ID(row.consequent_id),
        antecedent=_item(row.antecedent_id, known),
        consequent=_item(row.consequent_id, known),
        confidence=_figure(row.evidence, "confidence"),
        reverse_confidence=_figure(row.evidence, "reverse_confidence"),
        evidence=cast(JSON, row.evidence),
        status=t.SuggestionStatus(row.status),
        computed_at=row.computed_at,
    )


def one_per_pair(rows: list[StoredSuggestion]) -> list[StoredSuggestion]:
    """A→B and B→A are one pair: keep the direction with the higher confidence (ties: the first)."""
    best: dict[tuple[str, str, frozenset[str]], StoredSuggestion] = {}
    for row in rows:
        key = (row.channel_slug, row.level, frozenset((row.antecedent_id, row.consequent_id)))
        kept = best.get(key)
        if kept is None or (_figure(row.evidence, "confidence") or 0) > (
            _figure(kept.evidence, "confidence") or 0
        ):
            best[key] = row
    chosen = {id(row) for row in best.values()}
    return [row for row in rows if id(row) in chosen]


def _id(value: strawberry.ID) -> int | None:
    return digits_of(str(value))


def _not_found(id: strawberry.ID) -> t.SuggestionPayload:
    return t.SuggestionPayload(
        suggestion=None, rule=None, errors=convert.error(t.ErrorCode.NOT_FOUND, f"No suggestion {id}.", "id")
    )


def _refused(exc: SuggestionRefused, id: strawberry.ID) -> t.SuggestionPayload:
    if exc.code == "not_found":
        return _not_found(id)
    return t.SuggestionPayload(
        suggestion=_suggestion(exc.suggestion) if exc.suggestion else None,
        rule=None,
        errors=convert.error(t.ErrorCode(exc.code), exc.message, exc.field),
    )


async def suggestions_list(
    info: Ctx, channel: str | None = None, status: t.SuggestionStatus | None = t.SuggestionStatus.NEW
) -> list[t.Suggestion]:
    auth = await info.context.dashboard()
    async with info.context.db.read() as session:
        found = await suggestions.list_suggestions(
            session, auth.installation_id, channel=channel, status=status.value if status else None
        )
    shown = one_per_pair(found)
    client = info.context.client(auth.installation)
    names: dict[str, ItemName] = {}
    for slug in sorted({row.channel_slug for row in shown}):
        ids = [i for row in shown if row.channel_slug == slug for i in (row.antecedent_id, row.consequent_id)]
        names |= await item_names(client, ids, slug)
    return [_suggestion(row, names) for row in shown]


async def suggestion_accept(
    info: Ctx, id: strawberry.ID, input: t.SuggestionAcceptInput | None = None
) -> t.SuggestionPayload:
    auth = await info.context.dashboard(write=True)
    suggestion_id = _id(id)
    if suggestion_id is None:
        return _not_found(id)
    data = input or t.SuggestionAcceptInput()
    accept = AcceptInput(
        name=data.name,
        headline=data.headline,
        reason=data.reason,
        badge=data.badge,
        price=data.price,
        offer_variant_id=str(data.offer_variant_id) if data.offer_variant_id is not None else None,
        enabled=data.enabled,
    )
    try:
        async with info.context.db.transaction() as session:
            row, stored = await suggestions.accept_suggestion(
                session, auth.installation_id, suggestion_id, accept, info.context.clock()
            )
    except SuggestionRefused as exc:
        return _refused(exc, id)
    except InvalidRule as exc:
        async with info.context.db.read() as session:
            row = await suggestions.get_suggestion(session, auth.installation_id, suggestion_id)
        return t.SuggestionPayload(
            suggestion=_suggestion(row) if row else None, rule=None, errors=convert.upsell_errors(exc.errors)
        )
    return t.SuggestionPayload(
        suggestion=_suggestion(row) if row else None, rule=convert.rule(stored), errors=[]
    )


async def suggestion_dismiss(info: Ctx, id: strawberry.ID) -> t.SuggestionPayload:
    auth = await info.context.dashboard(write=True)
    suggestion_id = _id(id)
    if suggestion_id is None:
        return _not_found(id)
    try:
        async with info.context.db.transaction() as session:
            row = await suggestions.dismiss_suggestion(session, auth.installation_id, suggestion_id)
    except SuggestionRefused as exc:
        return _refused(exc, id)
    return t.SuggestionPayload(suggestion=_suggestion(row) if row else None, rule=None, errors=[])


# ------------------------------------------------------------------------------------------ analytics


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _round(amount: Decimal | None, currency: str) -> Decimal | None:
    return quantize(amount, currency) if amount is not None else None


def _difference(found: Difference, currency: str) -> t.MetricDifference:
    money = found.metric is not Metric.COMPLETION_RATE

    def shown(value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        return _round(value, currency) if money else value.quantize(Decimal("0.0001"))

    valid, fixed = found.always_valid, found.fixed_horizon
    return t.MetricDifference(
        metric=found.metric,
        estimate=shown(found.estimate),
        relative=float(found.relative) if found.relative is not None else None,
        low=shown(valid.low) if valid else None,
        high=shown(valid.high) if valid else None,
        fixed_low=shown(fixed.low) if fixed else None,
        fixed_high=shown(fixed.high) if fixed else None,
    )


def _arm(arm: ArmMetrics, currency: str) -> t.ExperimentArm:
    return t.ExperimentArm(
        arm=arm.arm,
        checkouts=arm.units,
        orders=arm.completions,
        completion_rate=float(arm.completion_rate) if arm.completion_rate is not None else None,
        revenue=quantize(arm.tally.revenue, currency),
        revenue_per_checkout=_round(arm.revenue_per_checkout, currency),
        average_order_value=_round(arm.average_order_value, currency),
    )


def experiment(measured: Experiment, names: dict[int, str]) -> t.Experiment:
    key, results, found = measured.key, measured.results, measured.verdict
    currency = key.currency
    overall = results.overall
    variants = [
        t.VariantResult(
            variant=c.treatment.arm,
            revenue_per_checkout=_difference(c.revenue_per_checkout, currency),
            completion_rate=_difference(c.completion_rate, currency),
            average_order_value=_difference(c.average_order_value, currency),
            verdict=measured.variant_verdicts[c.treatment.arm].revenue,
            summary=measured.variant_verdicts[c.treatment.arm].text,
        )
        for c in results.versus_holdout
        if c.treatment.arm in measured.variant_verdicts
    ]
    return t.Experiment(
        channel=key.channel,
        currency=currency,
        rule_id=strawberry.ID(str(key.rule_id)) if key.rule_id is not None else None,
        rule_name=names.get(key.rule_id) if key.rule_id is not None else None,
        arms=[_arm(arm, currency) for arm in results.arms],
        revenue_per_checkout=_difference(overall.revenue_per_checkout, currency) if overall else None,
        completion_rate=_difference(overall.completion_rate, currency) if overall else None,
        average_order_value=_difference(overall.average_order_value, currency) if overall else None,
        verdict=found.revenue if found else VerdictKind.NOT_ENOUGH_DATA,
        completion_verdict=found.completion if found else VerdictKind.NOT_ENOUGH_DATA,
        summary=found.text if found else _unmeasured(measured),
        more_checkouts_needed=found.more_checkouts_needed if found else None,
        variants=variants,
    )


def _unmeasured(measured: Experiment) -> str:
    arms = {a.arm for a in measured.results.arms}
    if "holdout" not in arms:
        return "not measured: no checkout was held out yet (set a holdout percentage in Settings)"
    return "not measured: no checkout has been offered anything yet"


async def analytics(
    info: Ctx,
    channel: str | None = None,
    since: Annotated[datetime | None, strawberry.argument(description="Inclusive.")] = None,
    until: Annotated[datetime | None, strawberry.argument(description="Exclusive.")] = None,
) -> t.Analytics:
    auth = await info.context.dashboard()
    since, until = _aware(since), _aware(until)  # a time without offset is UTC
    if since is not None and until is not None and until <= since:
        raise ApiError(BAD_REQUEST, "`until` must be later than `since`.", reason="EMPTY_RANGE")
    summary = await analytics_summary(info.context.db, auth.installation_id, since, until, channel=channel)
    async with info.context.db.read() as session:
        names = await rules.rule_names(session, auth.installation_id)
    rule_weeks = [
        t.RuleWeekStats(
            rule_id=strawberry.ID(str(item.key.rule_id)),
            rule_name=names.get(item.key.rule_id),
            channel=item.key.channel,
            week_start=item.key.week.monday,
            iso_year=item.key.week.year,
            iso_week=item.key.week.week,
            shown=item.shown,
            accepted=item.accepted,
            declined=item.declined,
            removed=item.removed,
            converted=item.converted,
            acceptance_rate=item.acceptance_rate,
            revenue=[convert.money(amount, currency) for currency, amount in item.accepted_revenue.items()],
        )
        for item in summary.rule_weeks
    ]
    totals = [
        t.RuleTotals(
            rule_id=strawberry.ID(str(rule.rule_id)),
            rule_name=names.get(rule.rule_id),
            shown=rule.totals.shown,
            accepted=rule.totals.accepted,
            declined=rule.totals.declined,
            removed=rule.totals.removed,
            converted=rule.totals.converted,
            acceptance_rate=rule.totals.acceptance_rate,
            revenue=[convert.money(amount, currency) for currency, amount in rule.totals.revenue.items()],
        )
        for rule in summary.by_rule
    ]
    values = [
        t.OrderValue(
            channel=by_channel.channel,
            currency=currency,
            orders=value.orders,
            total=quantize(value.total, currency),
            average=quantize(value.average, currency),
        )
        for by_channel in summary.by_channel
        for currency, value in sorted(by_channel.order_value.items())
    ]
    return t.Analytics(
        rules=rule_weeks,
        rule_totals=totals,
        order_values=values,
        experiments=[experiment(e, names) for e in summary.experiments],
    )


async def guardrail_pauses(
    info: Ctx,
    active: Annotated[bool | None, strawberry.argument(description="Only rules still paused.")] = None,
) -> list[t.RulePause]:
    auth = await info.context.dashboard()
    found = await list_pauses(info.context.db, auth.installation_id)
    return [
        t.RulePause(
            rule_id=strawberry.ID(str(p.rule_id)),
            rule_name=p.rule_name,
            channel=p.channel,
            reason=p.reason,
            paused_at=p.paused_at,
            active=p.active,
        )
        for p in found
        if active is None or p.active == active
    ]


def _digest(found: StoredDigest) -> t.WeeklyDigest:
    return t.WeeklyDigest(
        week=found.week,
        week_start=parse_iso_week(found.week).monday,
        created_at=found.created_at,
        emailed_to=found.emailed_to,
        text=found.text,
        chart_png_base64=base64.b64encode(found.chart).decode() if found.chart else None,
    )


async def digests(info: Ctx) -> list[t.WeeklyDigest]:
    auth = await info.context.dashboard()
    return [_digest(found) for found in await list_digests(info.context.db, auth.installation_id)]


# ------------------------------------------------------------------------------------------ one order


async def order_offers(info: Ctx, order_id: strawberry.ID) -> list[t.OrderOfferEvent]:
    auth = await info.context.dashboard()
    async with info.context.db.read() as session:
        checkout_id = await OrderRepository(session).checkout_of(auth.installation_id, str(order_id))
        # Bookkeeping kinds (exposure) say nothing to a merchant looking at one order.
        events = await EventLog(session).about_order(
            auth.installation_id, str(order_id), checkout_id, EXPOSURE_KINDS
        )
        names = await rules.rule_names(session, auth.installation_id)
    return [
        t.OrderOfferEvent(
            kind=event.kind,
            offer_type=event.offer_type,
            rule_id=strawberry.ID(str(event.rule_id)) if event.rule_id is not None else None,
            rule_name=names.get(event.rule_id) if event.rule_id is not None else None,
            amount=convert.money(event.amount, event.currency)
            if event.amount is not None and event.currency
            else None,
            occurred_at=event.occurred_at,
            amount_due=_amount_due(event.details, event.currency),
        )
        for event in events
    ]


def _amount_due(details: dict[str, Any] | None, currency: str | None) -> t.Money | None:
    """A same-order post-purchase add-on's balance, recorded with its `accepted` event."""
    due = (details or {}).get("amount_due")
    if not due or not currency:
        return None
    try:
        return convert.money(Decimal(str(due)), currency)
    except InvalidOperation:
        return None
