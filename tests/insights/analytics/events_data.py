"""A hand-checked week of offer events and orders, written through the real repositories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from saleor_upsell_app.engine.spec import BumpRuleSpec, parse_rule_spec
from saleor_upsell_app.insights.events import NewEvent
from tests.store import Store, compact_order, vid

MONDAY_W47 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # 2026-W47 runs Mon 16 to Sun 22 November
USD, PLN = "default-channel", "channel-pln"
TREATED_TOTALS = ("10", "20", "30", "40")  # orders of `eligible` checkouts: mean 25
CONTROL_TOTALS = ("10", "14", "18")  # orders of `held_out` checkouts: mean 14
EIGHT, FORTY = Decimal("8.00"), Decimal("40.00")


def bump(name: str, offer: int) -> BumpRuleSpec:
    spec = parse_rule_spec(
        {
            "kind": "bump",
            "name": name,
            "trigger": {"variant_ids": [vid(110)]},
            "offer_variant_id": vid(offer),
            "price": {"type": "percent_off", "percent": "20"},
            "copy": {"headline": "Add one", "reason": "It goes with it"},
        }
    )
    assert isinstance(spec, BumpRuleSpec)
    return spec


def usd(kind: str, rule_id: int | None, checkout: str, **fields: Any) -> NewEvent:
    return NewEvent(kind, "bump", rule_id=rule_id, checkout_id=checkout, channel_slug=USD, **fields)


def pln(kind: str, rule_id: int, order: str) -> NewEvent:
    return NewEvent(
        kind, "post_purchase", rule_id=rule_id, order_id=order, channel_slug=PLN, amount=FORTY, currency="PLN"
    )


async def record(store: Store, at: datetime, *events: NewEvent) -> None:
    await store.data.events.record(store.installation_id, list(events), at)


async def seed_week(store: Store) -> tuple[int, int]:
    """Rule 1 (USD, W47): 4 shown; c1 ordered (8.00), c2 accepted then ordered (8.00, counted once),
    c3 declined, c4 removed → 2 of 4 accepted, 16.00. Rule 2 (PLN, W48): 2 shown, 1 post-purchase
    accept of 40.00. Lift (USD): eligible checkouts' orders 10/20/30/40 vs held-out 10/14/18."""
    rules = store.data.rules
    r1 = (await rules.create(store.installation_id, bump("Mug with a tee", 120), MONDAY_W47)).id
    r2 = (await rules.create(store.installation_id, bump("Socks", 130), MONDAY_W47)).id
    money = {"amount": EIGHT, "currency": "USD"}
    for n in range(1, 5):
        await record(store, MONDAY_W47 + timedelta(hours=n), usd("offered", r1, f"c{n}", **money))
    day_two = MONDAY_W47 + timedelta(days=1)
    await record(
        store,
        day_two,
        usd("converted", r1, "c1", order_id="o1", **money),
        usd("accepted", r1, "c2", **money),
        usd("declined", r1, "c3"),
        usd("removed", r1, "c4"),
    )
    await record(store, day_two + timedelta(hours=2), usd("converted", r1, "c2", order_id="o2", **money))
    w48 = MONDAY_W47 + timedelta(days=7, hours=3)
    await record(store, w48, pln("offered", r2, "o5"), pln("offered", r2, "o6"))
    await record(store, w48 + timedelta(minutes=5), pln("accepted", r2, "o5"))

    # Holdout exposure; one eligible checkout was assigned three days before the week began.
    placed = MONDAY_W47 + timedelta(days=2)
    orders = []
    for n, total in enumerate(TREATED_TOTALS):
        assigned = MONDAY_W47 - timedelta(days=3) if n == 0 else MONDAY_W47
        await record(store, assigned, usd("eligible", None, f"t{n}"))
        orders.append(compact_order([11], total=total, checkout_id=f"t{n}", created_at=placed))
    for n, total in enumerate(CONTROL_TOTALS):
        await record(store, MONDAY_W47, usd("held_out", None, f"h{n}", holdout=True))
        orders.append(compact_order([11], total=total, checkout_id=f"h{n}", created_at=placed))
    orders.append(compact_order([11], total="58", created_at=placed + timedelta(days=1)))  # not exposed
    orders.append(compact_order([11], total="99", created_at=MONDAY_W47 - timedelta(days=1)))  # week before
    await store.data.orders.upsert_many(store.installation_id, orders)
    return r1, r2
