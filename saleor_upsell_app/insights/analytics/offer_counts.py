"""Offer counts per rule from the event log, in the shape stats.aggregate_offer_events counts.

- shown: `offered` events (a bump line added, an upgrade swapped in, a post-purchase offer made);
- accepted: one per offer the shopper took — an `accepted` event (opt-in or post-purchase) and/or a
  `converted` one (the offer's line reached the order). Both for the same rule and checkout/order count
  once, so an opt-in bump that is accepted and then ordered is not counted twice;
- revenue: the converted amount when there is one (what was really ordered), else the accepted amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from ..events import EventKind
from .aggregates import OfferEvent as StatsEvent
from .aggregates import RuleWeekStats

# Counted as they are; `accepted` is counted once per take (below).
_COUNTED = {
    kind.value: kind
    for kind in (EventKind.OFFERED, EventKind.DECLINED, EventKind.REMOVED, EventKind.CONVERTED)
}


class EventRow(Protocol):
    """What analytics reads from an offer event (store.models.OfferEvent satisfies it)."""

    kind: str
    rule_id: int | None
    checkout_id: str | None
    order_id: str | None
    channel_slug: str | None
    amount: Decimal | None
    currency: str | None
    details: dict[str, Any] | None
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class OfferTotals:
    shown: int = 0
    accepted: int = 0
    declined: int = 0
    removed: int = 0
    converted: int = 0
    revenue: Mapping[str, Decimal] = field(default_factory=dict)  # per currency, never summed across

    @property
    def acceptance_rate(self) -> float | None:
        return self.accepted / self.shown if self.shown else None

    def __add__(self, other: OfferTotals) -> OfferTotals:
        revenue = dict(self.revenue)
        for currency, amount in other.revenue.items():
            revenue[currency] = revenue.get(currency, Decimal(0)) + amount
        return OfferTotals(
            self.shown + other.shown,
            self.accepted + other.accepted,
            self.declined + other.declined,
            self.removed + other.removed,
            self.converted + other.converted,
            dict(sorted(revenue.items())),
        )

    @classmethod
    def of(cls, stats: RuleWeekStats) -> OfferTotals:
        return cls(
            stats.shown,
            stats.accepted,
            stats.declined,
            stats.removed,
            stats.converted,
            stats.accepted_revenue,
        )


def offer_events_for_stats(events: Iterable[EventRow]) -> list[StatsEvent]:
    """Rule events in the shape stats.aggregate_offer_events counts, with takes de-duplicated."""
    counted: list[StatsEvent] = []
    takes: dict[tuple[int, str], list[EventRow]] = {}
    for event in events:
        if event.rule_id is None:
            continue
        rule = event.rule_id
        if event.kind in _COUNTED:
            counted.append(_stats_event(event, _COUNTED[event.kind], rule))
        if event.kind in (EventKind.ACCEPTED, EventKind.CONVERTED):
            subject = event.checkout_id or event.order_id or f"event:{id(event)}"
            takes.setdefault((rule, subject), []).append(event)
    for (rule, _subject), taken in takes.items():
        first = min(taken, key=lambda e: e.occurred_at)
        paid = next((e for e in taken if e.kind == "converted"), first)
        counted.append(
            StatsEvent(
                EventKind.ACCEPTED,
                rule,
                first.channel_slug or "",
                paid.amount or Decimal(0),
                paid.currency or "",
                first.occurred_at,
            )
        )
    return counted


def _stats_event(event: EventRow, kind: EventKind, rule: int) -> StatsEvent:
    return StatsEvent(
        kind,
        rule,
        event.channel_slug or "",
        event.amount or Decimal(0),
        event.currency or "",
        event.occurred_at,
    )
