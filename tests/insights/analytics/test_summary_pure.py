"""summarize() without a database: every eligible checkout is a unit (abandoned ones too), per channel,
currency and rule, with the experiments' verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from saleor_upsell_app.insights.analytics.lift import TREATMENT
from saleor_upsell_app.insights.analytics.summary import summarize
from saleor_upsell_app.insights.experiments import HOLDOUT, VerdictKind
from saleor_upsell_app.insights.orders import CompactOrder

SINCE = datetime(2026, 11, 16, tzinfo=UTC)
UNTIL = SINCE + timedelta(days=7)


@dataclass
class Row:
    kind: str
    rule_id: int | None = None
    checkout_id: str | None = None
    order_id: str | None = None
    channel_slug: str | None = "default-channel"
    amount: Decimal | None = None
    currency: str | None = "USD"
    details: dict[str, Any] | None = None
    occurred_at: datetime = SINCE + timedelta(hours=1)


def order(checkout: str, total: int | str, currency: str = "USD") -> CompactOrder:
    return CompactOrder(
        checkout, checkout, "default-channel", SINCE + timedelta(days=1), currency, Decimal(total), []
    )


def units(
    rule: int, prefix: str, treated: list[int | None], control: list[int | None]
) -> tuple[list[Row], list[CompactOrder]]:
    """Exposure rows naming `rule`, and an order for every total that is not None (None: abandoned)."""
    rows, orders = [], []
    for group, totals in (("eligible", treated), ("held_out", control)):
        for n, total in enumerate(totals):
            checkout = f"{prefix}-{group}-{n}"
            rows.append(Row(group, checkout_id=checkout, details={"rule_ids": [str(rule)]}))
            if total is not None:
                orders.append(order(checkout, total))
    return rows, orders


def test_per_rule_experiments_with_verdicts() -> None:
    # Rule 1's checkouts spend 10 more (clear gain); rule 2's 10 less (clear loss); all complete.
    up_rows, up_orders = units(1, "a", [49, 51] * 150, [39, 41] * 150)
    down_rows, down_orders = units(2, "b", [29, 31] * 150, [39, 41] * 150)
    offered = [Row("offered", rule_id=1, checkout_id="x"), Row("offered", rule_id=2, checkout_id="y")]
    orders = up_orders + down_orders

    summary = summarize(offered, up_rows + down_rows, orders, orders, since=SINCE, until=UNTIL)

    assert summary.per_rule_lift_measured
    [up] = next(r for r in summary.by_rule if r.rule_id == 1).experiments
    assert up.verdict is not None and up.verdict.revenue is VerdictKind.RAISES
    assert up.results.overall is not None
    rpc = up.results.overall.revenue_per_checkout
    assert rpc.estimate == Decimal(10) and rpc.always_valid is not None and rpc.always_valid.low > 0
    assert up.verdict.text.startswith("raises revenue per checkout by $10.00 (95% interval $")
    # Everyone completed in both arms, but 300 + 300 checkouts cannot yet rule out a 2-point change.
    assert up.verdict.completion is VerdictKind.NOT_ENOUGH_DATA
    assert "effect on completion not yet known" in up.verdict.text
    [down] = next(r for r in summary.by_rule if r.rule_id == 2).experiments
    assert down.verdict is not None and down.verdict.revenue is VerdictKind.LOWERS
    # All rules together (the channel): +10 and −10 cancel out, over all 1,200 checkouts.
    [channel] = next(c for c in summary.by_channel if c.channel == "default-channel").experiments
    assert channel.key.rule_id is None and channel.tallies[TREATMENT].units == 600
    assert channel.results.overall is not None
    assert channel.results.overall.revenue_per_checkout.estimate == Decimal(0)


def test_an_offer_that_costs_orders_shows_as_a_loss_though_its_orders_are_bigger() -> None:
    # With offers: 1,000 checkouts, 500 abandon, the other 500 spend 60 (AOV 60, revenue per checkout 30).
    # Held out: 1,000 checkouts, all spend 40 (AOV 40, revenue per checkout 40). Counting only orders would
    # call this a +20 lift; per eligible checkout it is a −10 loss, and completion is down 50 points.
    rows, orders = units(7, "c", [60, None] * 500, [39, 41] * 500)

    summary = summarize([], rows, orders, orders, since=SINCE, until=UNTIL)

    measured = summary.experiment("default-channel", "USD", 7)
    assert measured is not None and measured.results.overall is not None
    overall = measured.results.overall
    assert overall.average_order_value.estimate == Decimal(20)
    assert overall.revenue_per_checkout.estimate == Decimal(-10)
    assert overall.completion_rate.estimate == Decimal("-0.5")
    assert measured.verdict is not None
    assert (
        measured.verdict.revenue is VerdictKind.LOWERS and measured.verdict.completion is VerdictKind.LOWERS
    )
    assert "completion down 50.0 points" in measured.verdict.text
    assert overall.treatment.units == 1000 and overall.treatment.completions == 500


def test_exposure_without_an_order_is_a_unit_and_orders_without_exposure_are_not() -> None:
    rows = [Row("eligible", checkout_id="only-exposed"), Row("held_out", checkout_id="h")]
    orders = [order("h", 10), order("not-exposed", 99)]
    summary = summarize([], rows, orders, [order("h", 10)], since=SINCE, until=UNTIL)
    measured = summary.experiment("default-channel", "USD")
    assert measured is not None
    assert measured.tallies[TREATMENT].units == 1 and measured.tallies[TREATMENT].completions == 0
    assert measured.tallies[HOLDOUT].units == 1 and measured.tallies[HOLDOUT].revenue == Decimal(10)
    assert measured.verdict is not None and measured.verdict.revenue is VerdictKind.NOT_ENOUGH_DATA
    assert measured.verdict.text.startswith("not enough data yet (2 checkouts")
    assert summary.order_value["USD"].orders == 2  # average order value still counts every order
    assert not summary.per_rule_lift_measured


def test_units_are_split_by_currency_and_the_first_exposure_decides_the_group() -> None:
    rows = [
        Row("eligible", checkout_id="u1"),
        Row("held_out", checkout_id="u1", occurred_at=SINCE + timedelta(hours=5)),  # later: ignored
        Row("held_out", checkout_id="p1", channel_slug="channel-pln", currency=None),  # currency from orders
        Row("eligible", checkout_id="p2", channel_slug="channel-pln", currency="PLN"),
        Row("eligible", checkout_id="z", channel_slug="nowhere", currency=None),  # no currency: left out
    ]
    pln = CompactOrder("o-p2", "p2", "channel-pln", SINCE, "PLN", Decimal("45.50"), [])
    summary = summarize([], rows, [pln], [pln], since=SINCE, until=UNTIL)
    keys = [(e.key.channel, e.key.currency, e.key.rule_id) for e in summary.experiments]
    assert keys == [("channel-pln", "PLN", None), ("default-channel", "USD", None)]
    usd = summary.experiment("default-channel", "USD")
    assert usd is not None and set(usd.tallies) == {TREATMENT}
    pln_experiment = summary.experiment("channel-pln", "PLN")
    assert pln_experiment is not None and pln_experiment.tallies[HOLDOUT].units == 1
    assert pln_experiment.tallies[TREATMENT].revenue == Decimal("45.50")


def test_per_variant_results_from_the_arms_the_exposures_recorded() -> None:
    rows, orders = [], []
    for n in range(900):
        arm = ("A", "B", "holdout")[n % 3]
        checkout = f"v-{n}"
        kind = "held_out" if arm == "holdout" else "eligible"
        details: dict[str, Any] = {"rule_ids": ["5"]} | ({"arms": {"5": arm}} if kind == "eligible" else {})
        rows.append(Row(kind, checkout_id=checkout, details=details))
        total = {"A": 40, "B": 55, "holdout": 40}[arm] + n % 2
        orders.append(order(checkout, total))

    summary = summarize([], rows, orders, orders, since=SINCE, until=UNTIL)

    measured = summary.experiment("default-channel", "USD", 5)
    assert measured is not None
    assert [a.arm for a in measured.results.arms] == [HOLDOUT, "A", "B"]
    assert set(measured.variant_verdicts) == {"A", "B"}
    assert measured.variant_verdicts["B"].revenue is VerdictKind.RAISES
    assert measured.variant_verdicts["A"].revenue is not VerdictKind.RAISES
    [b_vs_a] = measured.results.between_variants
    assert (b_vs_a.treatment.arm, b_vs_a.control.arm) == ("B", "A")
    # All rules together (the channel) pool A and B as "offers".
    channel = summary.experiment("default-channel", "USD")
    assert channel is not None and set(channel.tallies) == {HOLDOUT, TREATMENT}
