"""The weekly digest as the scheduler produces it: the report of the last complete week (text and chart),
stored once per installation and week (downloadable from the dashboard), and e-mailed when SMTP and
recipients are configured. The figures are the analytics service's (weekly_report), the same the
dashboard shows; the digest also lists the rules the guardrail paused that week."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..kit.db import Database
from ..kit.db.repository import Repository
from ..kit.mail import Attachment, SmtpConfig, send_mail
from .analytics.aggregates import IsoWeek
from .analytics.service import weekly_report
from .analytics.weekly_chart import weekly_chart_png
from .analytics.weekly_report import render_text
from .models import Digest

log = logging.getLogger("saleor_upsell.digest")


@dataclass(frozen=True, slots=True)
class StoredDigest:
    id: int
    week: str
    text: str
    chart: bytes | None
    emailed_to: str | None
    created_at: datetime


def week_name(week: IsoWeek) -> str:
    return f"{week.year}-W{week.week:02d}"


def _stored(row: Digest) -> StoredDigest:
    return StoredDigest(row.id, row.week, row.text, row.chart, row.emailed_to, row.created_at)


class DigestRepository(Repository):
    async def add(self, installation_id: int, week: str, text: str, chart: bytes, now: datetime) -> bool:
        """False when that week's digest exists already (another process, or an earlier run)."""
        statement = (
            self.insert(Digest)
            .values(installation_id=installation_id, week=week, text=text, chart=chart, created_at=now)
            .on_conflict_do_nothing(index_elements=["installation_id", "week"])
        )
        result = await self.session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def mark_emailed(self, installation_id: int, week: str, to: str) -> None:
        row = await self.session.scalar(
            select(Digest).where(Digest.installation_id == installation_id, Digest.week == week)
        )
        if row is not None:
            row.emailed_to = to

    async def list(self, installation_id: int) -> list[StoredDigest]:
        rows = await self.session.scalars(
            select(Digest).where(Digest.installation_id == installation_id).order_by(Digest.week.desc())
        )
        return [_stored(row) for row in rows]

    async def get(self, installation_id: int, week: str) -> StoredDigest | None:
        row = await self.session.scalar(
            select(Digest).where(Digest.installation_id == installation_id, Digest.week == week)
        )
        return _stored(row) if row is not None else None


async def produce_digest(
    db: Database,
    installation_id: int,
    week: IsoWeek,
    now: datetime,
    *,
    smtp: SmtpConfig | None = None,
    recipients: list[str] | None = None,
    shop: str = "",
) -> StoredDigest | None:
    """Build, store and (when configured) e-mail the digest of ``week``; None if it existed already."""
    report = await weekly_report(db, installation_id, week)
    text, chart = render_text(report), weekly_chart_png(report)
    name = week_name(week)
    async with db.transaction() as session:
        created = await DigestRepository(session).add(installation_id, name, text, chart, now)
    if not created:
        return None
    if smtp is not None and recipients:
        subject = f"Upsell weekly report, week of {week.monday:%-d %B %Y}" + (f" — {shop}" if shop else "")
        png = Attachment(f"upsell-{name}.png", chart, "image", "png")
        await send_mail(smtp, recipients, subject, text, [png])
        async with db.transaction() as session:
            await DigestRepository(session).mark_emailed(installation_id, name, ", ".join(recipients))
        log.info("digest e-mailed", extra={"week": name, "recipients": len(recipients)})
    async with db.read() as session:
        return await DigestRepository(session).get(installation_id, name)


async def list_digests(db: Database, installation_id: int) -> list[StoredDigest]:
    async with db.read() as session:
        return await DigestRepository(session).list(installation_id)


async def get_digest(db: Database, installation_id: int, week: str) -> StoredDigest | None:
    async with db.read() as session:
        return await DigestRepository(session).get(installation_id, week)
