"""Post-purchase offer rows and their transitions; each transition is one conditional UPDATE.

``open -> accepting`` is the single use of an offer link: of two clicks (or two processes) exactly one
UPDATE matches ``status = 'open'``. The use case writes the transition's events in the same
transaction, so the log says "accepted" exactly when the row does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update

from ..kit.db.repository import Repository
from .models import PostPurchaseOffer, PostPurchaseUnsubscribe


class OfferStatus(StrEnum):
    """open -> accepting -> accepted | declined | expired | failed"""

    OPEN = "open"
    ACCEPTING = "accepting"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    FAILED = "failed"


class ConfirmState(StrEnum):
    """Whether the app must still confirm the order it kept UNCONFIRMED for the offer."""

    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


class EmailState(StrEnum):
    """The offer e-mail: at most one per order (``pending -> sending`` is its single use)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    SKIPPED = "skipped"  # unsubscribed, no address, or the offer was answered first
    FAILED = "failed"


OPEN, ACCEPTING, ACCEPTED, DECLINED, EXPIRED, FAILED = OfferStatus
FINAL = (ACCEPTED, DECLINED, EXPIRED, FAILED)
CONFIRM_PENDING, CONFIRM_DONE = ConfirmState.PENDING, ConfirmState.DONE


@dataclass(frozen=True, slots=True)
class StoredOffer:
    id: str
    installation_id: int
    order_id: str
    order_number: str | None
    rule_id: int
    channel_slug: str
    variant_id: str
    unit_price: Decimal
    regular_price: Decimal
    currency: str
    status: str
    outcome: dict[str, Any]
    presentation: dict[str, Any]
    confirm_state: str | None
    expires_at: datetime
    created_at: datetime
    updated_at: datetime
    customer_email: str | None = None
    checkout_id: str | None = None
    converted_order_id: str | None = None
    email_state: str | None = None


@dataclass(frozen=True, slots=True)
class NewOffer:
    order_id: str
    order_number: str | None
    rule_id: int
    channel_slug: str
    variant_id: str
    unit_price: Decimal
    regular_price: Decimal
    currency: str
    presentation: dict[str, Any]
    confirm_state: str | None
    expires_at: datetime
    customer_email: str | None = None
    email_state: str | None = None


def _stored(row: PostPurchaseOffer) -> StoredOffer:
    return StoredOffer(
        id=row.id,
        installation_id=row.installation_id,
        order_id=row.order_id,
        order_number=row.order_number,
        rule_id=row.rule_id,
        channel_slug=row.channel_slug,
        variant_id=row.variant_id,
        unit_price=row.unit_price,
        regular_price=row.regular_price,
        currency=row.currency,
        status=row.status,
        outcome=dict(row.outcome or {}),
        presentation=dict(row.presentation or {}),
        confirm_state=row.confirm_state,
        expires_at=row.expires_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        customer_email=row.customer_email,
        checkout_id=row.checkout_id,
        converted_order_id=row.converted_order_id,
        email_state=row.email_state,
    )


class PostPurchaseOfferRepository(Repository):
    async def create_once(
        self, installation_id: int, offer: NewOffer, now: datetime
    ) -> tuple[StoredOffer, bool]:
        """The order's offer, inserted now (True) or by an earlier delivery (False); one per order, ever."""
        values = {
            "id": str(uuid.uuid4()),
            "installation_id": installation_id,
            "order_id": offer.order_id,
            "order_number": offer.order_number,
            "rule_id": offer.rule_id,
            "channel_slug": offer.channel_slug,
            "variant_id": offer.variant_id,
            "unit_price": offer.unit_price,
            "regular_price": offer.regular_price,
            "currency": offer.currency,
            "status": OPEN,
            "outcome": None,
            "presentation": offer.presentation,
            "confirm_state": offer.confirm_state,
            "expires_at": offer.expires_at,
            "customer_email": offer.customer_email,
            "email_state": offer.email_state,
            "created_at": now,
            "updated_at": now,
        }
        statement = (
            self.insert(PostPurchaseOffer)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["installation_id", "order_id"])
        )
        result = await self.session.execute(statement)
        created = bool(result.rowcount)  # type: ignore[attr-defined]
        stored = await self.for_order(installation_id, offer.order_id)
        assert stored is not None
        return stored, created

    async def for_order(self, installation_id: int, order_id: str) -> StoredOffer | None:
        session = self.session
        row = await session.scalar(
            select(PostPurchaseOffer).where(
                PostPurchaseOffer.installation_id == installation_id,
                PostPurchaseOffer.order_id == order_id,
            )
        )
        return _stored(row) if row is not None else None

    async def get(self, offer_id: str) -> StoredOffer | None:
        session = self.session
        row = await session.get(PostPurchaseOffer, offer_id)
        return _stored(row) if row is not None else None

    async def transition(
        self,
        offer_id: str,
        from_status: str,
        to_status: str,
        now: datetime,
        *,
        outcome: dict[str, Any] | None = None,
        must_be_open_at: datetime | None = None,
        untouched_since: datetime | None = None,
        checkout_id: str | None = None,
    ) -> bool:
        """Move the offer from ``from_status`` to ``to_status``; False when it was not in ``from_status``.

        ``must_be_open_at``: also require ``expires_at > must_be_open_at`` (an accept after the window
        closed must not win the race against expiry). ``untouched_since``: also require
        ``updated_at <= untouched_since`` (taking over an accept whose process died: of two takers, the
        first one's update makes the second one's condition false).
        """
        conditions = [PostPurchaseOffer.id == offer_id, PostPurchaseOffer.status == from_status]
        if must_be_open_at is not None:
            conditions.append(PostPurchaseOffer.expires_at > must_be_open_at)
        if untouched_since is not None:
            conditions.append(PostPurchaseOffer.updated_at <= untouched_since)
        values: dict[str, Any] = {"status": to_status, "updated_at": now}
        if outcome is not None:
            values["outcome"] = outcome
        if checkout_id is not None:
            values["checkout_id"] = checkout_id
        result = await self.session.execute(update(PostPurchaseOffer).where(*conditions).values(**values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def open_past_expiry(self, now: datetime, limit: int = 100) -> list[StoredOffer]:
        session = self.session
        rows = await session.scalars(
            select(PostPurchaseOffer)
            .where(PostPurchaseOffer.status == OPEN, PostPurchaseOffer.expires_at <= now)
            .order_by(PostPurchaseOffer.expires_at)
            .limit(limit)
        )
        return [_stored(row) for row in rows]

    async def stuck_accepting(self, before: datetime, limit: int = 100) -> list[StoredOffer]:
        session = self.session
        rows = await session.scalars(
            select(PostPurchaseOffer)
            .where(PostPurchaseOffer.status == ACCEPTING, PostPurchaseOffer.updated_at <= before)
            .limit(limit)
        )
        return [_stored(row) for row in rows]

    async def due_confirmations(self, now: datetime, limit: int = 100) -> list[StoredOffer]:
        """Orders kept UNCONFIRMED for an offer whose window is over (answered, or past its expiry)."""
        session = self.session
        rows = await session.scalars(
            select(PostPurchaseOffer)
            .where(
                PostPurchaseOffer.confirm_state == CONFIRM_PENDING,
                PostPurchaseOffer.status.in_(FINAL),
            )
            .order_by(PostPurchaseOffer.expires_at)
            .limit(limit)
        )
        return [_stored(row) for row in rows]

    async def set_confirm_state(self, offer_id: str, state: str, now: datetime) -> None:
        session = self.session
        await session.execute(
            update(PostPurchaseOffer)
            .where(PostPurchaseOffer.id == offer_id)
            .values(confirm_state=state, updated_at=now)
        )

    async def mark_converted(self, offer_id: str, order_id: str, now: datetime) -> bool:
        """Link the order that paid for the offer; True only the first time (one conversion per offer)."""
        result = await self.session.execute(
            update(PostPurchaseOffer)
            .where(PostPurchaseOffer.id == offer_id, PostPurchaseOffer.converted_order_id.is_(None))
            .values(converted_order_id=order_id, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def unpaid_checkouts(self, held_until: datetime, limit: int = 100) -> list[StoredOffer]:
        """Accepted offers whose follow-up checkout is still unpaid although its hold has passed."""
        rows = await self.session.scalars(
            select(PostPurchaseOffer)
            .where(
                PostPurchaseOffer.status == ACCEPTED,
                PostPurchaseOffer.checkout_id.is_not(None),
                PostPurchaseOffer.converted_order_id.is_(None),
                PostPurchaseOffer.expires_at <= held_until,
            )
            .limit(limit)
        )
        return [_stored(row) for row in rows]

    async def forget_checkout(self, offer_id: str, now: datetime) -> None:
        """The unpaid follow-up checkout lost its offer line: nothing left to release."""
        await self.session.execute(
            update(PostPurchaseOffer)
            .where(PostPurchaseOffer.id == offer_id, PostPurchaseOffer.converted_order_id.is_(None))
            .values(checkout_id=None, updated_at=now)
        )

    # ------------------------------------------------------------------------------------ e-mail

    async def email_due(self, now: datetime, limit: int = 100) -> list[StoredOffer]:
        rows = await self.session.scalars(
            select(PostPurchaseOffer)
            .where(
                PostPurchaseOffer.email_state == EmailState.PENDING,
                PostPurchaseOffer.status == OPEN,
                PostPurchaseOffer.expires_at > now,
            )
            .limit(limit)
        )
        return [_stored(row) for row in rows]

    async def move_email(self, offer_id: str, from_state: str, to_state: str, now: datetime) -> bool:
        result = await self.session.execute(
            update(PostPurchaseOffer)
            .where(PostPurchaseOffer.id == offer_id, PostPurchaseOffer.email_state == from_state)
            .values(email_state=to_state, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


class UnsubscribeRepository(Repository):
    """Customer e-mails that asked for no offer e-mails, per installation (stored lower-cased)."""

    async def add(self, installation_id: int, email: str, now: datetime) -> None:
        statement = (
            self.insert(PostPurchaseUnsubscribe)
            .values(installation_id=installation_id, email=email.strip().lower(), created_at=now)
            .on_conflict_do_nothing(index_elements=["installation_id", "email"])
        )
        await self.session.execute(statement)

    async def has(self, installation_id: int, email: str) -> bool:
        found = await self.session.scalar(
            select(PostPurchaseUnsubscribe.email).where(
                PostPurchaseUnsubscribe.installation_id == installation_id,
                PostPurchaseUnsubscribe.email == email.strip().lower(),
            )
        )
        return found is not None
