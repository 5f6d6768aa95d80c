"""Dashboard: offer results per rule, channel and ISO week, and lift against the random holdout.

Counts come from the append-only ``offer_events`` log. Lift compares the totals of orders whose
checkout was logged ``eligible`` (could get offers) with those logged ``held_out`` (the control group),
joined on the checkout id, per channel and currency (currencies are never mixed).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from ..analytics import stats
from ..store.models import OfferEvent, OrderRecord
from . import conversions as convert
from . import types as t
from .context import ApiContext

EXPOSURE_KINDS = ("eligible", "held_out")
_COUNTED = {kind.value: kind for kind in stats.EventKind}


def _offer_events(rows: list[OfferEvent], channel: str | None) -> list[stats.OfferEvent]:
    out = []
    for row in rows:
        kind = _COUNTED.get(row.kind)
        if kind is None or row.rule_id is None or (channel is not None and row.channel_slug != channel):
            continue
        out.append(
            stats.OfferEvent(
                kind=kind,
                rule_id=str(row.rule_id),
                channel=row.channel_slug or "",
                amount=row.amount or Decimal(0),
                currency=row.currency or "",
                occurred_at=row.occurred_at,
            )
        )
    return out


async def _rule_weeks(
    info: Info[ApiContext, None],
    installation_id: int,
    channel: str | None,
    since: datetime | None,
    until: datetime | None,
) -> list[t.RuleWeekStats]:
    services = info.context.services
    rows = await services.events.list(installation_id, since=since, until=until)
    names = {str(r.id): r.spec.name for r in await services.rules.list(installation_id)}
    return [
        t.RuleWeekStats(
            rule_id=strawberry.ID(item.key.rule_id),
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
        for item in stats.aggregate_offer_events(_offer_events(rows, channel))
    ]


async def _lift(
    info: Info[ApiContext, None],
    installation_id: int,
    channel: str | None,
    since: datetime | None,
    until: datetime | None,
) -> list[t.HoldoutLift]:
    query = (
        select(
            OrderRecord.order_id,
            OrderRecord.channel_slug,
            OrderRecord.currency,
            OrderRecord.total,
            OfferEvent.kind,
        )
        .join(
            OfferEvent,
            (OfferEvent.installation_id == OrderRecord.installation_id)
            & (OfferEvent.checkout_id == OrderRecord.checkout_id),
        )
        .where(OrderRecord.installation_id == installation_id, OfferEvent.kind.in_(EXPOSURE_KINDS))
    )
    if channel is not None:
        query = query.where(OrderRecord.channel_slug == channel)
    if since is not None:
        query = query.where(OrderRecord.created_at >= since)
    if until is not None:
        query = query.where(OrderRecord.created_at < until)
    async with info.context.services.sessions() as session:
        rows = (await session.execute(query.order_by(OrderRecord.id))).all()
    groups: dict[tuple[str, str], dict[str, list[Decimal]]] = defaultdict(
        lambda: {"treated": [], "control": []}
    )
    seen: set[str] = set()
    for order_id, channel_slug, currency, total, kind in rows:
        if order_id in seen:
            continue  # a checkout logged twice (a race between processes) still counts once
        seen.add(order_id)
        groups[(channel_slug, currency)]["control" if kind == "held_out" else "treated"].append(total)
    result = []
    for (channel_slug, currency), group in sorted(groups.items()):
        lift = stats.holdout_lift(group["treated"], group["control"])
        result.append(
            t.HoldoutLift(
                channel=channel_slug,
                currency=currency,
                treated_orders=lift.treated_orders,
                control_orders=lift.control_orders,
                treated_mean=lift.treated_mean,
                control_mean=lift.control_mean,
                difference=lift.difference,
                relative_lift=lift.relative_lift,
                interval_low=lift.interval_low,
                interval_high=lift.interval_high,
                verdict=lift.verdict,
            )
        )
    return result


async def analytics(
    info: Info[ApiContext, None],
    channel: str | None = None,
    since: Annotated[datetime | None, strawberry.argument(description="Inclusive.")] = None,
    until: Annotated[datetime | None, strawberry.argument(description="Exclusive.")] = None,
) -> t.Analytics:
    auth = await info.context.dashboard()
    return t.Analytics(
        rules=await _rule_weeks(info, auth.installation_id, channel, since, until),
        lift=await _lift(info, auth.installation_id, channel, since, until),
    )
