"""Analytics for the dashboard API and the weekly report: load events and orders, then summarize."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..services import Services
from .holdout_groups import ELIGIBLE, HELD_OUT, LiftSettings
from .stats import IsoWeek
from .summary import AnalyticsSummary, summarize
from .weekly_report import UnderperformanceRules, WeeklyReport, build_weekly_report, iso_week_range

# A checkout can be opened (and assigned to the holdout) some days before it becomes an order.
EXPOSURE_LOOKBACK = timedelta(days=7)


async def analytics_summary(
    services: Services,
    installation_id: int,
    since: datetime,
    until: datetime,
    *,
    lift_settings: LiftSettings | None = None,
) -> AnalyticsSummary:
    """Offer figures for events and orders in [since, until) (aware datetimes; weeks are ISO weeks in UTC)."""
    if until <= since:
        raise ValueError("until must be later than since")
    logged = await services.events.list(installation_id, since=since - EXPOSURE_LOOKBACK, until=until)
    events = [e for e in logged if e.occurred_at >= since and e.kind not in (ELIGIBLE, HELD_OUT)]
    exposures = [e for e in logged if e.kind in (ELIGIBLE, HELD_OUT)]
    orders = [o for o in await services.orders.list(installation_id, since=since) if o.created_at < until]
    return summarize(events, exposures, orders, since=since, until=until, lift_settings=lift_settings)


async def weekly_report(
    services: Services,
    installation_id: int,
    week: IsoWeek,
    *,
    thresholds: UnderperformanceRules | None = None,
    lift_settings: LiftSettings | None = None,
) -> WeeklyReport:
    since, until = iso_week_range(week)
    summary = await analytics_summary(services, installation_id, since, until, lift_settings=lift_settings)
    names = {str(rule.id): rule.spec.name for rule in await services.rules.list(installation_id)}
    return build_weekly_report(summary, week, names, thresholds)
