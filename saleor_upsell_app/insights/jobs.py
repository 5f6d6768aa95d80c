"""The work that runs by itself, through the one scheduler (kit/scheduler.py), for every installation:

- ``guardrail``, hourly: pause rules whose checkouts complete significantly less often than held-out ones;
- ``mining``, daily: re-mine pair suggestions from the order history (kept current by ORDER_CREATED,
  insights/order_created.py, which stores every new order as it is placed);
- ``digest``, weekly (the first tick of each ISO week): the digest of the week just ended, stored and
  e-mailed when SMTP is configured.

A failing installation is logged and the others still run; the job is then recorded as failed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from ..installations.apl import InstallationStore
from ..kit.db import Database
from ..kit.mail import SmtpConfig
from ..kit.scheduler import Job, Period, daily, hourly, weekly
from ..saleor.apl import AuthData
from .analytics.weekly_report import last_complete_week
from .digest import produce_digest
from .guardrail import run_guardrail
from .suggestions.service import MiningSettings, mine_suggestions

log = logging.getLogger("saleor_upsell.jobs")


@dataclass(frozen=True, slots=True)
class JobPeriods:
    guardrail: Period = hourly
    mining: Period = daily
    digest: Period = weekly


@dataclass(frozen=True, slots=True)
class InsightJobs:
    db: Database
    installations: InstallationStore
    smtp: SmtpConfig | None = None
    digest_recipients: tuple[str, ...] = ()

    async def _each(self, job: str, work: Callable[[AuthData], Awaitable[object]]) -> None:
        failed = []
        for installation in await self.installations.get_all():
            try:
                await work(installation)
            except Exception:
                log.exception(
                    "job failed for an installation", extra={"job": job, "installation": installation.id}
                )
                failed.append(installation.id)
        if failed:
            raise RuntimeError(f"{job} failed for installation(s) {failed}")

    async def guardrail(self, now: datetime) -> None:
        await self._each("guardrail", lambda i: run_guardrail(self.db, i.id, now))

    async def mining(self, now: datetime) -> None:
        await self._each("mining", lambda i: mine_suggestions(self.db, i.id, MiningSettings(), now))

    async def digest(self, now: datetime) -> None:
        week = last_complete_week(now)
        await self._each(
            "digest",
            lambda i: produce_digest(
                self.db, i.id, week, now, smtp=self.smtp, recipients=list(self.digest_recipients),
                shop=i.saleor_api_url,
            ),
        )  # fmt: skip

    def jobs(self, periods: JobPeriods | None = None) -> list[Job]:
        chosen = periods or JobPeriods()
        return [
            Job("guardrail", chosen.guardrail, self.guardrail),
            Job("mining", chosen.mining, self.mining),
            Job("digest", chosen.digest, self.digest),
        ]
