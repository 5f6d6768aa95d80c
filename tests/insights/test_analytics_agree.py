"""The dashboard's `analytics` and the weekly report read one analytics service: on the same events and
orders they show the same figures (they used to count "accepted" and holdout groups differently)."""

from __future__ import annotations

from decimal import Decimal

from saleor_upsell_app.insights.analytics.service import weekly_report
from saleor_upsell_app.insights.analytics.stats import IsoWeek
from saleor_upsell_app.insights.analytics.weekly_report import iso_week_range
from tests.api.client import Api
from tests.insights.analytics.events_data import USD, seed_week
from tests.store import Store

W47 = IsoWeek(2026, 47)
QUERY = """query($since: DateTime, $until: DateTime) { analytics(since: $since, until: $until) {
  rules { ruleId channel isoWeek shown accepted declined removed converted revenue { amount currency } }
  lift { channel currency treatedOrders controlOrders treatedMean controlMean difference verdict } } }"""


async def test_dashboard_and_weekly_report_agree(api: Api) -> None:
    store = Store(api.app.data, await api.installation_id())
    r1, _ = await seed_week(store)
    since, until = iso_week_range(W47)

    dashboard = (await api.data(QUERY, {"since": since.isoformat(), "until": until.isoformat()}))["analytics"]
    report = await weekly_report(api.app.parts.db, store.installation_id, W47)

    [row] = dashboard["rules"]  # rule 1, W47 (rule 2 showed nothing that week)
    [rule] = report.rules
    assert (row["ruleId"], rule.rule_id) == (str(r1), r1)
    totals = rule.totals
    assert (row["shown"], row["accepted"], row["declined"], row["removed"], row["converted"]) == (
        totals.shown,
        totals.accepted,
        totals.declined,
        totals.removed,
        totals.converted,
    )
    # c1 was ordered, c2 accepted and then ordered: two takes, each counted once, at the ordered amount.
    assert (row["shown"], row["accepted"]) == (4, 2)
    assert {m["currency"]: Decimal(m["amount"]) for m in row["revenue"]} == totals.revenue
    assert totals.revenue == {"USD": Decimal("16.00")}

    [lift] = dashboard["lift"]
    [channel] = [c for c in report.summary.by_channel if c.channel == USD]
    measured = channel.lift["USD"]
    assert (lift["channel"], lift["currency"]) == (USD, "USD")
    assert (lift["treatedOrders"], lift["controlOrders"]) == (
        measured.treated_orders,
        measured.control_orders,
    )
    # One eligible checkout was logged three days before the week began: it still counts, on both.
    assert (lift["treatedOrders"], lift["controlOrders"]) == (4, 3)
    assert (Decimal(lift["treatedMean"]), Decimal(lift["controlMean"])) == (
        measured.treated_mean,
        measured.control_mean,
    )
    assert lift["verdict"] == measured.verdict.name
