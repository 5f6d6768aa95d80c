"""Dashboard: mined pair suggestions — list them, accept one as a bump rule, or dismiss it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import strawberry
from sqlalchemy import select, update
from strawberry.scalars import JSON
from strawberry.types import Info

from .. import rule_service
from ..offers.ids import global_id_type
from ..rule_service import InvalidRule
from ..store.models import Suggestion as SuggestionRow
from . import conversions as convert
from . import types as t
from .context import ApiContext

DEFAULT_PRICE: dict[str, Any] = {"type": "percent_off", "percent": "10"}
DEFAULT_HEADLINE = "Frequently bought together"
DEFAULT_REASON = "Pairs well with what is in your cart."


def _suggestion(row: SuggestionRow) -> t.Suggestion:
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


async def suggestions(
    info: Info[ApiContext, None],
    channel: str | None = None,
    status: t.SuggestionStatus | None = t.SuggestionStatus.NEW,
) -> list[t.Suggestion]:
    auth = await info.context.dashboard()
    query = select(SuggestionRow).where(SuggestionRow.installation_id == auth.installation_id)
    if channel is not None:
        query = query.where(SuggestionRow.channel_slug == channel)
    if status is not None:
        query = query.where(SuggestionRow.status == status.value)
    async with info.context.services.sessions() as session:
        rows = await session.scalars(query.order_by(SuggestionRow.channel_slug, SuggestionRow.id))
        return [_suggestion(row) for row in rows]


async def _move(info: Info[ApiContext, None], installation_id: int, suggestion_id: int, to: str) -> bool:
    """new → ``to``, only once: two clicks on "accept" must not create two rules."""
    async with info.context.services.sessions() as session, session.begin():
        result = await session.execute(
            update(SuggestionRow)
            .where(
                SuggestionRow.id == suggestion_id,
                SuggestionRow.installation_id == installation_id,
                SuggestionRow.status == t.SuggestionStatus.NEW.value,
            )
            .values(status=to)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def _get(
    info: Info[ApiContext, None], installation_id: int, suggestion_id: int
) -> SuggestionRow | None:
    async with info.context.services.sessions() as session:
        row = await session.get(SuggestionRow, suggestion_id)
        return row if row is not None and row.installation_id == installation_id else None


def _default_reason(row: SuggestionRow) -> str:
    """Social proof only when the mined figures say so; otherwise a plain line."""
    confidence = row.evidence.get("confidence")
    if row.source == "mined" and confidence is not None:
        share = round(Decimal(str(confidence)) * 100)
        if share > 0:
            return f"{share}% of shoppers who bought this also bought it."
    return DEFAULT_REASON


def rule_from_suggestion(row: SuggestionRow, data: t.SuggestionAcceptInput) -> dict[str, Any]:
    """A bump rule in the rule file format: the suggestion's pair, the input's copy and price."""
    offer_variant = data.offer_variant_id or row.consequent_id
    trigger_key = "variant_ids" if global_id_type(row.antecedent_id) == "ProductVariant" else "product_ids"
    copy: dict[str, Any] = {
        "headline": data.headline or DEFAULT_HEADLINE,
        "reason": data.reason or _default_reason(row),
    }
    if data.badge:
        copy["badge"] = data.badge
    return {
        "kind": "bump",
        "name": data.name or f"Suggested pairing {row.id}",
        "enabled": data.enabled,
        "trigger": {trigger_key: [row.antecedent_id], "channels": [row.channel_slug]},
        "offer_variant_id": str(offer_variant),
        "price": data.price if data.price is not None else DEFAULT_PRICE,
        "copy": copy,
    }


def _not_found(id: strawberry.ID) -> t.SuggestionPayload:
    return t.SuggestionPayload(
        suggestion=None, rule=None, errors=convert.error(t.ErrorCode.NOT_FOUND, f"No suggestion {id}.", "id")
    )


def _id(value: strawberry.ID) -> int | None:
    return int(value) if str(value).isdigit() else None


async def suggestion_accept(
    info: Info[ApiContext, None], id: strawberry.ID, input: t.SuggestionAcceptInput | None = None
) -> t.SuggestionPayload:
    auth = await info.context.dashboard(write=True)
    suggestion_id = _id(id)
    row = None if suggestion_id is None else await _get(info, auth.installation_id, suggestion_id)
    if row is None or suggestion_id is None:
        return _not_found(id)
    data = input or t.SuggestionAcceptInput()
    if row.status != t.SuggestionStatus.NEW.value:
        return t.SuggestionPayload(
            suggestion=_suggestion(row),
            rule=None,
            errors=convert.error(t.ErrorCode.ALREADY_DONE, f"The suggestion is already {row.status}."),
        )
    if data.offer_variant_id is None and global_id_type(row.consequent_id) != "ProductVariant":
        return t.SuggestionPayload(
            suggestion=_suggestion(row),
            rule=None,
            errors=convert.error(
                t.ErrorCode.REQUIRED,
                "The suggestion offers a product: choose which of its variants to offer.",
                "offerVariantId",
            ),
        )
    try:
        spec = rule_service.validate_rule(rule_from_suggestion(row, data))
    except InvalidRule as exc:
        return t.SuggestionPayload(
            suggestion=_suggestion(row), rule=None, errors=convert.upsell_errors(exc.errors)
        )
    if not await _move(info, auth.installation_id, suggestion_id, t.SuggestionStatus.ACCEPTED.value):
        return t.SuggestionPayload(
            suggestion=None, rule=None, errors=convert.error(t.ErrorCode.ALREADY_DONE, "Accepted meanwhile.")
        )
    services = info.context.services
    stored = await services.rules.create(auth.installation_id, spec, services.clock())
    row = await _get(info, auth.installation_id, suggestion_id)
    return t.SuggestionPayload(
        suggestion=_suggestion(row) if row else None, rule=convert.rule(stored), errors=[]
    )


async def suggestion_dismiss(info: Info[ApiContext, None], id: strawberry.ID) -> t.SuggestionPayload:
    auth = await info.context.dashboard(write=True)
    suggestion_id = _id(id)
    row = None if suggestion_id is None else await _get(info, auth.installation_id, suggestion_id)
    if row is None or suggestion_id is None:
        return _not_found(id)
    if not await _move(info, auth.installation_id, suggestion_id, t.SuggestionStatus.DISMISSED.value):
        return t.SuggestionPayload(
            suggestion=_suggestion(row),
            rule=None,
            errors=convert.error(t.ErrorCode.ALREADY_DONE, f"The suggestion is already {row.status}."),
        )
    row = await _get(info, auth.installation_id, suggestion_id)
    return t.SuggestionPayload(suggestion=_suggestion(row) if row else None, rule=None, errors=[])
