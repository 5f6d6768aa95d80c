"""Rules and channel settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..kit.db.types import Base


class Rule(Base):
    """A merchant's pairing: bump, upgrade or post-purchase; `spec` is validated by offers.spec."""

    __tablename__ = "rules"
    __table_args__ = (Index("ix_rules_installation_kind", "installation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    spec: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ChannelSettings(Base):
    __tablename__ = "channel_settings"
    __table_args__ = (UniqueConstraint("installation_id", "channel_slug", name="uq_channel_settings"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    channel_slug: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
