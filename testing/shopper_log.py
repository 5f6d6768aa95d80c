"""Simulated shoppers written through the app's real event log and order history: each simulated eligible
checkout (testing/experiment_simulator.py: a known true effect on completion and order value) becomes the
`eligible` or `held_out` exposure event the checkout webhook logs, naming the rule, and each completed one
an order of that checkout, as ORDER_CREATED stores it. What the analytics service and the guardrail then
read is exactly what they read in production."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from saleor_upsell_app.insights.events import EventKind, NewEvent, OfferType
from saleor_upsell_app.insights.experiments import HOLDOUT
from saleor_upsell_app.insights.orders import CompactOrder

from .experiment_simulator import Scenario, simulate_units

RecordEvents = Callable[[Sequence[NewEvent], datetime], Awaitable[None]]
StoreOrders = Callable[[list[CompactOrder]], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class Written:
    checkouts: int
    orders: int
    last_day: datetime


async def write_shoppers(
    scenario: Scenario,
    *,
    seed: int,
    rule_id: int,
    start: datetime,
    record: RecordEvents,
    store: StoreOrders,
    channel: str = "default-channel",
    currency: str = "USD",
    prefix: str = "sim",
    with_arms: bool = False,
) -> Written:
    """Day d's checkouts are assigned at start + d days, their orders placed an hour later. With
    ``with_arms``, the scenario's treated arms are the rule's A/B variants, recorded as the app does."""
    checkouts = orders_written = 0
    day_at = start
    for day, units in enumerate(simulate_units(scenario, seed)):
        day_at = start + timedelta(days=day)
        events, orders = [], []
        for n, unit in enumerate(units):
            checkout = f"{prefix}-{day}-{n}"
            held_out = unit.arm == HOLDOUT
            events.append(
                NewEvent(
                    kind=EventKind.HELD_OUT if held_out else EventKind.ELIGIBLE,
                    offer_type=OfferType.BUMP,
                    checkout_id=checkout,
                    channel_slug=channel,
                    currency=currency,
                    holdout=held_out,
                    details={"rule_ids": [str(rule_id)]}
                    | ({"arms": {str(rule_id): unit.arm}} if with_arms and not held_out else {}),
                )
            )
            if unit.completed:
                placed = day_at + timedelta(hours=1)
                orders.append(
                    CompactOrder(f"order-{checkout}", checkout, channel, placed, currency, unit.revenue, [])
                )
        await record(events, day_at)
        orders_written += await store(orders)
        checkouts += len(units)
    return Written(checkouts, orders_written, day_at)
