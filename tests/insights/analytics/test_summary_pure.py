"""summarize() without a database: per-rule lift from named holdout events, and clear verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from saleor_upsell_app.insights.analytics.stats import LiftVerdict
from saleor_upsell_app.insights.analytics.summary import summarize
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
    currency: str | None = None
    details: dict[str, Any] | None = None
    occurred_at: datetime = SINCE + timedelta(hours=1)


def order(checkout: str, total: int) -> CompactOrder:
    return CompactOrder(
        checkout, checkout, "default-channel", SINCE + timedelta(days=1), "USD", Decimal(total), []
    )


def exposures_and_orders(
    rule: int, prefix: str, treated: list[int], control: list[int]
) -> tuple[list[Row], list[CompactOrder]]:
    rows, orders = [], []
    for group, totals in (("eligible", treated), ("held_out", control)):
        for n, total in enumerate(totals):
            checkout = f"{prefix}-{group}-{n}"
            rows.append(Row(group, checkout_id=checkout, details={"rule_ids": [rule]}))
            orders.append(order(checkout, total))
    return rows, orders


def test_per_rule_lift_when_holdout_events_name_the_rules() -> None:
    # Rule 1's checkouts gain 10 per order (clear lift); rule 2's lose 10 (clear drop).
    up_rows, up_orders = exposures_and_orders(1, "a", [49, 51] * 20, [39, 41] * 20)
    down_rows, down_orders = exposures_and_orders(2, "b", [29, 31] * 20, [39, 41] * 20)
    offered = [Row("offered", rule_id=1, checkout_id="x"), Row("offered", rule_id=2, checkout_id="y")]

    summary = summarize(offered, up_rows + down_rows, up_orders + down_orders, since=SINCE, until=UNTIL)

    assert summary.per_rule_lift_measured
    by_rule = {r.rule_id: r.lift["USD"] for r in summary.by_rule}
    assert by_rule[1].verdict is LiftVerdict.LIFT and by_rule[1].difference == Decimal(10)
    assert by_rule[1].interval_low > 0
    assert by_rule[2].verdict is LiftVerdict.DROP and by_rule[2].interval_high < 0
    # Channel level mixes both: treated average 40 vs 40 held out.
    overall = summary.lift["USD"]
    assert overall.difference == Decimal(0) and overall.treated_orders == 80


def test_exposure_without_an_order_and_orders_without_exposure_are_left_out_of_lift() -> None:
    rows = [Row("eligible", checkout_id="only-exposed"), Row("held_out", checkout_id="h")]
    summary = summarize([], rows, [order("h", 10), order("not-exposed", 99)], since=SINCE, until=UNTIL)
    lift = summary.lift["USD"]
    assert (lift.treated_orders, lift.control_orders) == (0, 1)
    assert lift.verdict is LiftVerdict.NOT_ENOUGH_DATA
    assert summary.order_value["USD"].orders == 2  # average order value still counts every order
