"""The table that makes a scheduled job run once per period across processes: a row per (job, period),
inserted by whichever process gets there first (a unique constraint decides), then marked finished."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .db.types import Base


class ScheduledRun(Base):
    __tablename__ = "scheduled_runs"
    __table_args__ = (UniqueConstraint("job", "period", name="uq_scheduled_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(200))  # host:pid of the process that ran it
    status: Mapped[str] = mapped_column(String(16))  # running, done, failed
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
