"""The inbox's tables: verified webhooks waiting to be processed, and per-subject leases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..kit.db.types import Base
from .types import SUBJECT_KEY_MAX_LENGTH


class InboxEvent(Base):
    """A verified webhook, stored before it is answered, processed later by the inbox workers."""

    __tablename__ = "inbox_events"
    __table_args__ = (
        UniqueConstraint("installation_id", "dedupe_key", name="uq_inbox_dedupe"),
        Index("ix_inbox_due", "status", "next_attempt_at"),
        Index("ix_inbox_subject", "installation_id", "subject_key", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(64))
    dedupe_key: Mapped[str] = mapped_column(String(64))
    subject_key: Mapped[str] = mapped_column(String(SUBJECT_KEY_MAX_LENGTH))
    issued_at: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    locked_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class SubjectLease(Base):
    """Serialises processing per checkout/order across workers and processes (a lease, not a lock)."""

    __tablename__ = "subject_leases"

    subject_key: Mapped[str] = mapped_column(String(260), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
