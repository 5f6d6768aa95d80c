"""Dashboard: what the app offered around one order (its checkout's bumps and upgrades, and the
post-purchase offer), for the order page widget."""

from __future__ import annotations

import strawberry
from sqlalchemy import or_, select
from strawberry.types import Info

from ..store.models import OfferEvent, OrderRecord, Rule
from . import conversions as convert
from . import types as t
from .context import ApiContext

# Bookkeeping kinds that say nothing to a merchant looking at one order.
_HIDDEN = ("eligible", "held_out")


async def order_offers(info: Info[ApiContext, None], order_id: strawberry.ID) -> list[t.OrderOfferEvent]:
    auth = await info.context.dashboard()
    services = info.context.services
    async with services.sessions() as session:
        checkout_id = await session.scalar(
            select(OrderRecord.checkout_id).where(
                OrderRecord.installation_id == auth.installation_id, OrderRecord.order_id == str(order_id)
            )
        )
        about_order = OfferEvent.order_id == str(order_id)
        if checkout_id:
            about_order = or_(about_order, OfferEvent.checkout_id == checkout_id)
        rows = (
            await session.execute(
                select(OfferEvent, Rule.name)
                .outerjoin(
                    Rule, (Rule.id == OfferEvent.rule_id) & (Rule.installation_id == auth.installation_id)
                )
                .where(
                    OfferEvent.installation_id == auth.installation_id,
                    about_order,
                    OfferEvent.kind.not_in(_HIDDEN),
                )
                .order_by(OfferEvent.occurred_at, OfferEvent.id)
            )
        ).all()
    return [
        t.OrderOfferEvent(
            kind=event.kind,
            offer_type=event.offer_type,
            rule_id=strawberry.ID(str(event.rule_id)) if event.rule_id is not None else None,
            rule_name=rule_name,
            amount=convert.money(event.amount, event.currency)
            if event.amount is not None and event.currency
            else None,
            occurred_at=event.occurred_at,
        )
        for event, rule_name in rows
    ]
