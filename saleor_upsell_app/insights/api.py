"""GraphQL resolvers of insights (dashboard, staff token): suggestions (list, accept as a bump rule,
dismiss), analytics (the same service as the weekly report), and the offers around one order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from ..api import conversions as convert
from ..api import types as t
from ..api.context import ApiContext
from ..rules import service as rules
from ..rules.service import InvalidRule
from .analytics.service import analytics_summary
from .events import EXPOSURE_KINDS, EventLog
from .orders import OrderRepository
from .suggestions import service as suggestions
from .suggestions.repository import StoredSuggestion
from .suggestions.service import AcceptInput, SuggestionRefused

Ctx = Info[ApiContext, None]


# ------------------------------------------------------------------------------------------ suggestions


def _suggestion(row: StoredSuggestion) -> t.Suggestion:
    return t.Suggestion(
        id=strawberry.ID(str(row.id)),
        channel=row.channel_slug,
        level=row.level,
        source=row.source,
        antecedent_id=strawberry.ID(row.antecedent_id),
        consequent_id=strawberry.ID(row.consequent_id),
        evidence=cast(JSON, row.evidence),
        status=t.SuggestionStatus(row.status),
        computed_at=row.computed_at,
    )


def _id(value: strawberry.ID) -> int | None:
    return int(value) if str(value).isdigit() else None


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
    return [_suggestion(row) for row in found]


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


async def analytics(
    info: Ctx,
    channel: str | None = None,
    since: Annotated[datetime | None, strawberry.argument(description="Inclusive.")] = None,
    until: Annotated[datetime | None, strawberry.argument(description="Exclusive.")] = None,
) -> t.Analytics:
    auth = await info.context.dashboard()
    summary = await analytics_summary(info.context.db, auth.installation_id, since, until, channel=channel)
    async with info.context.db.read() as session:
        names = await rules.rule_names(session, auth.installation_id)
    rule_weeks = [
        t.RuleWeekStats(
            rule_id=strawberry.ID(str(item.key.rule_id)),
            rule_name=names.get(item.key.rule_id),
            channel=item.key.channel,
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
    lift = [
        t.HoldoutLift(
            channel=by_channel.channel,
            currency=currency,
            treated_orders=measured.treated_orders,
            control_orders=measured.control_orders,
            treated_mean=measured.treated_mean,
            control_mean=measured.control_mean,
            difference=measured.difference,
            relative_lift=measured.relative_lift,
            interval_low=measured.interval_low,
            interval_high=measured.interval_high,
            verdict=measured.verdict,
        )
        for by_channel in summary.by_channel
        for currency, measured in sorted(by_channel.lift.items())
    ]
    return t.Analytics(rules=rule_weeks, lift=lift)


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
