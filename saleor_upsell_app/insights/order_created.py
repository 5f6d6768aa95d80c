"""ORDER_CREATED steps of insights: keep the order history current, and attribute converted offers
(bump and upgrade lines carry the app's metadata into the order)."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import metadata as md
from ..kit.clock import Clock
from ..kit.db import Database
from ..saleor.apl import AuthData
from ..saleor.results import Order, metadata_dict
from . import events as event_log
from .events import EventKind, EventLog, NewEvent
from .orders import OrderRepository, compact_order


@dataclass(frozen=True, slots=True)
class RecordOrder:
    db: Database
    clock: Clock

    async def __call__(self, installation: AuthData, order: Order) -> None:
        compact = compact_order(order)
        async with self.db.transaction() as session:
            await OrderRepository(session).upsert_many(installation.id, [compact])
        async with self.db.read() as session:
            if await EventLog(session).order_has(installation.id, order.id, (EventKind.CONVERTED,)):
                return  # a redelivery of the same order
        converted = conversions(order)
        if converted:
            async with self.db.transaction() as session:
                await event_log.record(session, installation.id, converted, self.clock())


def conversions(order: Order) -> list[NewEvent]:
    """One `converted` event per order line that carries an offer's marker."""
    converted: list[NewEvent] = []
    for line in order.lines:
        marker = md.read_marker(metadata_dict(line.metadata))
        if marker is None:
            continue
        gross = line.unit_price.gross
        converted.append(
            NewEvent(
                kind=EventKind.CONVERTED,
                offer_type=marker.kind,
                rule_id=marker.rule_id,
                checkout_id=order.checkout_id,
                order_id=order.id,
                channel_slug=order.channel.slug,
                variant_id=line.variant.id if line.variant else None,
                amount=gross.amount * line.quantity,
                currency=gross.currency,
            )
        )
    return converted
