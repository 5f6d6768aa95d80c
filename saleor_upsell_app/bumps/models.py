"""Exactly-once claims of checkout offers (bumps and upgrades)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..kit.db.types import Base


class CheckoutOffer(Base):
    """The exactly-once claim for one offer (rule) on one checkout; its status follows the line's life."""

    __tablename__ = "checkout_offers"
    __table_args__ = (
        UniqueConstraint("installation_id", "checkout_id", "rule_id", name="uq_checkout_offer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    checkout_id: Mapped[str] = mapped_column(String(200))
    rule_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    # claimed -> applied -> (declined | removed | converted); applied -> restoring -> declined for an
    # upgrade the shopper deleted (its original line is being put back)
    status: Mapped[str] = mapped_column(String(16))
    line_id: Mapped[str | None] = mapped_column(String(200))
    variant_id: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    # Saleor's checkout.updatedAt right after our mutation: an older snapshot can't prove a removal.
    saleor_updated_at: Mapped[datetime | None]
    # Upgrades: the shopper's line it replaced, put back when the shopper deletes the upgrade.
    original_variant_id: Mapped[str | None] = mapped_column(String(200))
    original_quantity: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
