"""Analytics from events and orders inserted directly: counts, rates, revenue, and holdout lift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from saleor_upsell_app.insights.events import NewEvent
from saleor_upsell_app.insights.orders import CompactOrder
from saleor_upsell_app.rules.service import validate_rule
from testing.sample_data import bump_rule
from tests.api.client import Api

QUERY = """query($channel: String, $since: DateTime) { analytics(channel: $channel, since: $since) {
  rules { ruleId ruleName channel isoYear isoWeek shown accepted declined removed converted acceptanceRate
          revenue { amount currency } }
  lift { channel currency treatedOrders controlOrders treatedMean controlMean difference verdict } } }"""

MONDAY = datetime(2026, 11, 2, 12, tzinfo=UTC)  # ISO week 45 of 2026


def _event(
    kind: str,
    rule_id: int,
    amount: str | None = None,
    channel: str = "default-channel",
    checkout: str | None = None,
) -> NewEvent:
    return NewEvent(
        kind=kind,
        offer_type="bump",
        rule_id=rule_id,
        checkout_id=checkout,
        channel_slug=channel,
        amount=Decimal(amount) if amount else None,
        currency="USD" if amount else None,
    )


async def test_counts_rate_and_revenue_per_rule_channel_week(api: Api) -> None:
    own = await api.installation_id()
    services = api.app.data
    rule = await services.rules.create(own, validate_rule(bump_rule(name="Juice")), MONDAY)
    week45 = [_event("offered", rule.id, "1.19") for _ in range(4)]
    week45 += [
        _event("accepted", rule.id, "1.19"),
        _event("accepted", rule.id, "0.99"),
        _event("declined", rule.id),
        _event("eligible", rule.id),
    ]
    await services.events.record(own, week45, MONDAY)
    await services.events.record(own, [_event("offered", rule.id, "1.19")], MONDAY + timedelta(days=7))
    await services.events.record(own, [_event("offered", rule.id, "4.00", channel="channel-pln")], MONDAY)

    rows = (await api.data(QUERY, {"channel": "default-channel"}))["analytics"]["rules"]
    assert [(r["isoYear"], r["isoWeek"], r["shown"]) for r in rows] == [(2026, 45, 4), (2026, 46, 1)]
    first = rows[0]
    assert (first["ruleName"], first["accepted"], first["declined"], first["acceptanceRate"]) == (
        "Juice",
        2,
        1,
        0.5,
    )
    assert first["revenue"] == [{"amount": "2.18", "currency": "USD"}]
    assert rows[1]["acceptanceRate"] == 0.0

    everything = (await api.data(QUERY))["analytics"]["rules"]
    assert {r["channel"] for r in everything} == {"default-channel", "channel-pln"}
    later = (await api.data(QUERY, {"since": (MONDAY + timedelta(days=3)).isoformat()}))["analytics"]["rules"]
    assert [(r["isoWeek"], r["channel"]) for r in later] == [(46, "default-channel")]


async def test_lift_joins_orders_to_exposure_by_checkout(api: Api) -> None:
    own = await api.installation_id()
    services = api.app.data
    treated = [Decimal(110) + i % 7 for i in range(40)]
    control = [Decimal(100) + i % 5 for i in range(35)]
    events, orders = [], []
    for group, totals in (("eligible", treated), ("held_out", control)):
        for i, total in enumerate(totals):
            checkout = f"{group}-{i}"
            events.append(
                NewEvent(
                    kind=group,
                    offer_type="bump",
                    checkout_id=checkout,
                    channel_slug="default-channel",
                    holdout=group == "held_out",
                )
            )
            orders.append(
                CompactOrder(f"order-{checkout}", checkout, "default-channel", MONDAY, "USD", total, [])
            )
    # An order without exposure, and one from a checkout of another installation, count nowhere.
    orders.append(CompactOrder("order-plain", "no-event", "default-channel", MONDAY, "USD", Decimal(999), []))
    await services.events.record(own, events, MONDAY)
    await services.orders.upsert_many(own, orders)

    [lift] = (await api.data(QUERY))["analytics"]["lift"]
    assert (lift["channel"], lift["currency"]) == ("default-channel", "USD")
    assert (lift["treatedOrders"], lift["controlOrders"]) == (40, 35)
    assert Decimal(lift["treatedMean"]) == sum(treated) / len(treated)
    assert Decimal(lift["controlMean"]) == sum(control) / len(control)
    assert lift["verdict"] == "LIFT"
