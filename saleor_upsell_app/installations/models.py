"""The APL's table: one row per Saleor installation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..kit.db.types import Base


class Installation(Base):
    """One Saleor instance that installed the app (the APL row), keyed by its API URL."""

    __tablename__ = "installations"

    id: Mapped[int] = mapped_column(primary_key=True)
    saleor_api_url: Mapped[str] = mapped_column(String(500), unique=True)
    app_id: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str | None] = mapped_column(String(300))
    token_encrypted: Mapped[str] = mapped_column(Text)
    jwks: Mapped[str] = mapped_column(Text)
    jwks_fetched_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
