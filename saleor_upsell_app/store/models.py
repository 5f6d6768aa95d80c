"""Tables. Every change goes through an alembic migration in store/migrations/versions/."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .types import DecimalText, UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        Decimal: DecimalText,
        dict[str, Any]: JSON,
    }


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
    subject_key: Mapped[str] = mapped_column(String(200))
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
    # claimed -> applied -> (declined | removed | converted)
    status: Mapped[str] = mapped_column(String(16))
    line_id: Mapped[str | None] = mapped_column(String(200))
    variant_id: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    # Saleor's checkout.updatedAt right after our mutation: an older snapshot can't prove a removal.
    saleor_updated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


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
