"""The event log, the compact order history, sync positions, suggestions, guardrail pauses and digests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..kit.db.types import Base


class OfferEvent(Base):
    """Append-only log of what happened to offers; analytics and lift are computed from it."""

    __tablename__ = "offer_events"
    __table_args__ = (
        Index("ix_offer_events_installation_time", "installation_id", "occurred_at"),
        Index("ix_offer_events_subject", "installation_id", "checkout_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    offer_type: Mapped[str] = mapped_column(String(16))
    rule_id: Mapped[int | None] = mapped_column(Integer)
    checkout_id: Mapped[str | None] = mapped_column(String(200))
    order_id: Mapped[str | None] = mapped_column(String(200))
    channel_slug: Mapped[str | None] = mapped_column(String(200))
    variant_id: Mapped[str | None] = mapped_column(String(200))
    amount: Mapped[Decimal | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    holdout: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict[str, Any] | None]
    occurred_at: Mapped[datetime]


class OrderRecord(Base):
    """Compact order history for mining and analytics (lines: [[variant_id, product_id, qty, amount]])."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("installation_id", "order_id", name="uq_orders_order"),
        Index("ix_orders_installation_channel_time", "installation_id", "channel_slug", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(200))
    checkout_id: Mapped[str | None] = mapped_column(String(200))
    channel_slug: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal]
    lines: Mapped[dict[str, Any]]


class SyncState(Base):
    """Resumable order-history import: the cursor of the last page stored, per range and channel."""

    __tablename__ = "sync_states"
    __table_args__ = (UniqueConstraint("installation_id", "key", name="uq_sync_state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(300))
    cursor: Mapped[str | None] = mapped_column(String(500))
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class Suggestion(Base):
    """A mined (or fallback) pairing with its evidence, for the merchant to accept or dismiss."""

    __tablename__ = "suggestions"
    __table_args__ = (
        UniqueConstraint(
            "installation_id", "channel_slug", "level", "antecedent_id", "consequent_id", name="uq_suggestion"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    channel_slug: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(32))
    antecedent_id: Mapped[str] = mapped_column(String(200))
    consequent_id: Mapped[str] = mapped_column(String(200))
    evidence: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="new")
    computed_at: Mapped[datetime]


class RulePause(Base):
    """The completion guardrail paused a rule (set it disabled): when, in which channel, and why, in the
    words shown to the merchant. The rule is paused while it stays disabled after ``paused_at``."""

    __tablename__ = "rule_pauses"
    __table_args__ = (Index("ix_rule_pauses_installation_time", "installation_id", "paused_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    rule_id: Mapped[int] = mapped_column(ForeignKey("rules.id", ondelete="CASCADE"))
    channel_slug: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]]
    paused_at: Mapped[datetime]


class Digest(Base):
    """A weekly digest as produced by the scheduler: its text and chart, downloadable from the dashboard."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("installation_id", "week", name="uq_digest_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(10))  # ISO week, e.g. 2026-W47
    text: Mapped[str] = mapped_column(Text)
    chart: Mapped[bytes | None] = mapped_column(LargeBinary)
    emailed_to: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
