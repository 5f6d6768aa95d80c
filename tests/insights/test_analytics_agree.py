"""The dashboard's `analytics` and the weekly report read one analytics service: on the same events and
orders they show the same figures (they used to count "accepted" and holdout groups differently)."""

from __future__ import annotations

from decimal import Decimal

from saleor_upsell_app.insights.analytics.aggregates import IsoWeek
from saleor_upsell_app.insights.analytics.service import weekly_report
from saleor_upsell_app.insights.analytics.weekly_report import iso_week_range
from tests.api.client import Api
from tests.insights.analytics.events_data import USD, seed_week
from tests.store import Store

W47 = IsoWeek(2026, 47)
QUERY = """query($since: DateTime, $until: DateTime) { analytics(since: $since, until: $until) {
  rules { ruleId channel isoWeek shown accepted declined removed converted revenue { amount currency } }
  experiments { channel currency ruleId summary verdict arms { arm checkouts orders revenue } } } }"""


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

    [experiment] = dashboard["experiments"]
    [channel] = [c for c in report.summary.by_channel if c.channel == USD]
    [measured] = channel.experiments
    assert (experiment["channel"], experiment["currency"]) == (USD, measured.key.currency)
    assert [(a["arm"], a["checkouts"], a["orders"]) for a in experiment["arms"]] == [
        (a.arm, a.units, a.completions) for a in measured.results.arms
    ]
    # t0 was assigned three days before the week: a unit of neither (both count by assignment).
    assert [(a["arm"], a["checkouts"]) for a in experiment["arms"]] == [("holdout", 3), ("offers", 3)]
    assert measured.verdict is not None
    assert (experiment["summary"], experiment["verdict"]) == (
        measured.verdict.text,
        measured.verdict.revenue.name,
    )
