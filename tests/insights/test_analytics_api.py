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
  rules { ruleId ruleName channel weekStart isoYear isoWeek shown accepted declined removed converted
          acceptanceRate revenue { amount currency } }
  ruleTotals { ruleId ruleName shown accepted declined removed converted acceptanceRate
               revenue { amount currency } }
  orderValues { channel currency orders total average }
  experiments { channel currency ruleId ruleName verdict completionVerdict summary moreCheckoutsNeeded
    arms { arm checkouts orders completionRate revenue revenuePerCheckout averageOrderValue }
    revenuePerCheckout { metric estimate relative low high fixedLow fixedHigh }
    completionRate { metric estimate low high }
    averageOrderValue { metric estimate low high fixedLow fixedHigh } } } }"""

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
    assert [r["weekStart"] for r in rows] == ["2026-11-02", "2026-11-09"]
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


async def test_rule_totals_carry_revenue_and_declines(api: Api) -> None:
    own = await api.installation_id()
    services = api.app.data
    rule = await services.rules.create(own, validate_rule(bump_rule(name="Juice")), MONDAY)
    events = [_event("offered", rule.id, "1.19") for _ in range(3)]
    events += [_event("accepted", rule.id, "1.19", checkout="c1"), _event("declined", rule.id)]
    await services.events.record(own, events, MONDAY)
    orders = [
        CompactOrder(f"o{i}", f"x{i}", "default-channel", MONDAY, "USD", Decimal("10.005"), [])
        for i in range(3)
    ]
    await services.orders.upsert_many(own, orders)

    data = (await api.data(QUERY))["analytics"]
    [total] = data["ruleTotals"]
    assert (total["ruleName"], total["shown"], total["accepted"], total["declined"]) == ("Juice", 3, 1, 1)
    assert total["revenue"] == [{"amount": "1.19", "currency": "USD"}]
    [value] = data["orderValues"]
    assert value == {
        "channel": "default-channel", "currency": "USD", "orders": 3, "total": "30.02", "average": "10.01"
    }  # fmt: skip


async def test_experiments_count_every_eligible_checkout(api: Api) -> None:
    """Treated checkouts: 150, of which 30 abandon and 120 order 110–116; held out: 150, of which 15
    abandon and 135 order 100–104. Orders alone would show +10 per order; per eligible checkout it is
    (0.8 × 113) − (0.9 × 102) ≈ −1.4."""
    own = await api.installation_id()
    services = api.app.data
    events, orders = [], []
    for group, abandon_every, base, spread in (("eligible", 5, 110, 7), ("held_out", 10, 100, 5)):
        for i in range(150):
            checkout = f"{group}-{i}"
            events.append(
                NewEvent(
                    kind=group,
                    offer_type="bump",
                    checkout_id=checkout,
                    channel_slug="default-channel",
                    currency="USD",
                    holdout=group == "held_out",
                )
            )
            if i % abandon_every != 0:
                total = Decimal(base + i % spread)
                orders.append(
                    CompactOrder(f"order-{checkout}", checkout, "default-channel", MONDAY, "USD", total, [])
                )
    # An order without exposure counts in no experiment.
    orders.append(CompactOrder("order-plain", "no-event", "default-channel", MONDAY, "USD", Decimal(999), []))
    await services.events.record(own, events, MONDAY)
    await services.orders.upsert_many(own, orders)

    [experiment] = (await api.data(QUERY))["analytics"]["experiments"]
    assert (experiment["channel"], experiment["currency"], experiment["ruleId"]) == (
        "default-channel",
        "USD",
        None,
    )
    held, offers = experiment["arms"]
    assert (held["arm"], held["checkouts"], held["orders"]) == ("holdout", 150, 135)
    assert (offers["arm"], offers["checkouts"], offers["orders"]) == ("offers", 150, 120)
    treated_revenue = sum(o.total for o in orders if o.checkout_id and o.checkout_id.startswith("eligible"))
    assert Decimal(offers["revenue"]) == treated_revenue
    assert Decimal(offers["revenuePerCheckout"]) == (treated_revenue / 150).quantize(Decimal("0.01"))
    assert offers["completionRate"] == 0.8 and held["completionRate"] == 0.9
    rpc, aov = experiment["revenuePerCheckout"], experiment["averageOrderValue"]
    assert rpc["metric"] == "REVENUE_PER_CHECKOUT" and Decimal(rpc["estimate"]) < 0 < Decimal(aov["estimate"])
    assert Decimal(rpc["low"]) < Decimal(rpc["fixedLow"]) < Decimal(rpc["estimate"])  # always-valid is wider
    assert aov["low"] is None and aov["fixedLow"] is not None  # AOV is descriptive: no always-valid interval
    assert experiment["completionRate"]["estimate"] == "-0.1000"
    assert experiment["verdict"] == "NOT_ENOUGH_DATA"
    assert experiment["summary"].startswith("not enough data yet (300 checkouts; about ")
    assert experiment["moreCheckoutsNeeded"] > 0
