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
    # The order's e-mail when the offer was made (follow-up checkout, offer e-mail).
    customer_email: Mapped[str | None] = mapped_column(String(254))
    # The follow-up checkout an accept created (found again by its metadata after a crash).
    checkout_id: Mapped[str | None] = mapped_column(String(200))
    # The order that paid for the offer; set once, so the conversion is counted once.
    converted_order_id: Mapped[str | None] = mapped_column(String(200))
    # The offer e-mail: pending -> sending -> sent | skipped | failed (at most one per order).
    email_state: Mapped[str | None] = mapped_column(String(16), index=True)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PostPurchaseUnsubscribe(Base):
    """A customer e-mail (lower-cased) that asked for no more offer e-mails from this shop."""

    __tablename__ = "post_purchase_unsubscribes"

    installation_id: Mapped[int] = mapped_column(
        ForeignKey("installations.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    created_at: Mapped[datetime]
