"""Post-purchase offers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..kit.db.types import Base


class PostPurchaseOffer(Base):
    """One time-limited offer made after an order; accepted at most once."""

    __tablename__ = "post_purchase_offers"
    __table_args__ = (UniqueConstraint("installation_id", "order_id", name="uq_post_purchase_order"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(200))
    order_number: Mapped[str | None] = mapped_column(String(40))
    rule_id: Mapped[int] = mapped_column(Integer)
    channel_slug: Mapped[str] = mapped_column(String(200))
    variant_id: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal]
    regular_price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    # open -> accepting -> accepted | declined | expired | failed
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[dict[str, Any] | None]
    # What the offer page shows (headline, benefits, product name), frozen when the offer was made.
    presentation: Mapped[dict[str, Any] | None]
    # "pending" while the app must confirm the order it kept UNCONFIRMED once the window closes; then "done".
    confirm_state: Mapped[str | None] = mapped_column(String(16), index=True)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
