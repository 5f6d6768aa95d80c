"""The one analytics service: the dashboard's `analytics` field and the weekly report both read their
figures from :func:`analytics_summary`, so they always agree.

What is counted (offer_counts.py): shown = `offered` events; accepted = one per offer a shopper took
(an `accepted` and/or a `converted` event of the same rule and checkout/order count once); revenue =
the converted amount when there is one, else the accepted amount. Experiments (lift.py): the checkouts
assigned (first exposure event) in the window are the units, joined on the checkout id to their orders,
whenever those were placed; an abandoned checkout is a unit with revenue 0.
"""

from __future__ import annotations

from datetime import datetime

from ...kit.db import Database
from ...rules import service as rules
from ..events import EXPOSURE_KINDS, EventLog
from ..guardrail import PauseRepository
from ..orders import OrderRepository
from .aggregates import IsoWeek
from .summary import AnalyticsSummary, LiftSettings, summarize
from .weekly_report import (
    PauseNote,
    UnderperformanceRules,
    WeeklyReport,
    build_weekly_report,
    iso_week_range,
)


async def analytics_summary(
    db: Database,
    installation_id: int,
    since: datetime | None,
    until: datetime | None,
    *,
    channel: str | None = None,
    lift_settings: LiftSettings | None = None,
) -> AnalyticsSummary:
    """Offer figures for events and orders in [since, until) (aware datetimes, either end open; weeks
    are ISO weeks in UTC), in one channel or all."""
    if since is not None and until is not None and until <= since:
        raise ValueError("until must be later than since")
    async with db.read() as session:
        log = EventLog(session)
        events = await log.list(
            installation_id, since=since, until=until, exclude=EXPOSURE_KINDS, channel=channel
        )
        orders = await OrderRepository(session).list(
            installation_id, channel_slug=channel, since=since, until=until
        )
        exposures = await log.list(
            installation_id, since=since, until=until, kinds=EXPOSURE_KINDS, channel=channel
        )
        unit_orders = await OrderRepository(session).of_checkouts(
            installation_id, [e.checkout_id for e in exposures if e.checkout_id]
        )
    return summarize(
        events, exposures, orders, unit_orders, since=since, until=until, lift_settings=lift_settings
    )


async def weekly_report(
    db: Database,
    installation_id: int,
    week: IsoWeek,
    *,
    thresholds: UnderperformanceRules | None = None,
    lift_settings: LiftSettings | None = None,
) -> WeeklyReport:
    since, until = iso_week_range(week)
    summary = await analytics_summary(db, installation_id, since, until, lift_settings=lift_settings)
    async with db.read() as session:
        names = await rules.rule_names(session, installation_id)
        paused = await PauseRepository(session).list(installation_id, since=since, until=until)
    notes = tuple(
        PauseNote(p.rule_id, p.rule_name or f"rule #{p.rule_id}", p.channel, p.reason, p.paused_at)
        for p in reversed(paused)
    )
    return build_weekly_report(summary, week, names, thresholds, notes)
