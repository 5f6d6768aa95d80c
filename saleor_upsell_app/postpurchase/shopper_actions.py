"""What a shopper can do with an offer link: view it, accept it (once), or decline it.

These are plain async functions so the HTML pages (``routes``) and the storefront GraphQL API expose
the same behaviour. Failures are :class:`~.errors.OfferError` subclasses carrying an HTTP status.

Accepting: the row goes ``open -> accepting`` (the single use), then the order is read fresh. An
UNCONFIRMED order takes the line (``orderLinesCreate`` with the offer price, promotion-compensated and
verified); otherwise a follow-up draft order is prepared for the same customer. Saleor being away puts
the offer back to ``open``; any other refusal marks it ``failed``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ..engine.money import quantize
from ..engine.pricing import override_for_target
from ..insights import events as event_log
from ..insights.events import EventKind, NewEvent, OfferType
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import Database
from ..rules.gateway import VariantPricingCache
from ..saleor.apl import AuthData
from ..saleor.client import SaleorClient, SaleorClientFactory
from ..saleor.errors import SaleorApiError, SaleorMutationError, SaleorUnavailable
from ..saleor.results import DraftOrder, PurchaseLine
from . import gateway
from . import order_metadata as om
from .errors import (
    OfferAlreadyAnswered,
    OfferError,
    OfferExpired,
    OfferFailed,
    OfferInProgress,
    OfferNotFound,
    OfferTryAgain,
)
from .order_lines import PriceNotKept, add_offer_line, create_follow_up_order
from .repository import (
    ACCEPTED,
    ACCEPTING,
    DECLINED,
    EXPIRED,
    FAILED,
    OPEN,
    OfferStatus,
    PostPurchaseOfferRepository,
    StoredOffer,
)
from .tokens import TokenInvalid, read_token, verify_token

log = logging.getLogger("saleor_upsell.postpurchase")

EDITABLE_STATUS = "UNCONFIRMED"  # the only status a created order can still take lines in


@dataclass(frozen=True, slots=True)
class OfferView:
    offer_id: str
    order_number: str | None
    product_name: str
    headline: str
    benefits: tuple[str, ...]
    show_value_comparison: bool
    unit_price: Decimal
    regular_price: Decimal
    currency: str
    expires_at: datetime
    add_to_same_order: bool


@dataclass(frozen=True, slots=True)
class AcceptOutcome:
    result: Literal["added_to_order", "follow_up_order"]
    offer_id: str
    order_id: str
    order_number: str | None
    product_name: str
    unit_price: Decimal
    currency: str
    line_id: str
    follow_up_order_id: str | None = None
    follow_up_order_number: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeclineOutcome:
    offer_id: str
    order_number: str | None
    product_name: str


def _refusal(offer: StoredOffer, now: datetime) -> OfferError | None:
    """Why ``offer`` cannot be answered now, or None when it is open and within its window."""
    if offer.status == ACCEPTING:
        return OfferInProgress()
    if offer.status in (ACCEPTED, DECLINED, FAILED):
        return OfferAlreadyAnswered(offer.status, outcome={"status": offer.status, **offer.outcome})
    if offer.status == EXPIRED or now >= offer.expires_at:
        return OfferExpired()
    return None


def _view(offer: StoredOffer) -> OfferView:
    shown = offer.presentation
    return OfferView(
        offer_id=offer.id,
        order_number=offer.order_number,
        product_name=str(shown.get("product_name") or "this item"),
        headline=str(shown.get("headline") or "One more thing?"),
        benefits=tuple(str(b) for b in shown.get("benefits") or ()),
        show_value_comparison=bool(shown.get("show_value_comparison", True)),
        unit_price=offer.unit_price,
        regular_price=offer.regular_price,
        currency=offer.currency,
        expires_at=offer.expires_at,
        add_to_same_order=bool(shown.get("add_to_same_order", False)),
    )


def _event(kind: str, offer: StoredOffer, amount: Decimal | None = None, **details: Any) -> NewEvent:
    return NewEvent(
        kind=kind,
        offer_type=OfferType.POST_PURCHASE,
        rule_id=offer.rule_id,
        order_id=offer.order_id,
        channel_slug=offer.channel_slug,
        variant_id=offer.variant_id,
        amount=amount,
        currency=offer.currency if amount is not None else None,
        details=details or None,
    )


def _outcome(offer: StoredOffer, line: PurchaseLine, draft: DraftOrder | None = None) -> AcceptOutcome:
    """Where the accepted line went: the same order, or the follow-up ``draft``."""
    details = {"line_id": line.id}
    if draft is not None:
        details["follow_up_order_id"] = draft.id
    return AcceptOutcome(
        result="added_to_order" if draft is None else "follow_up_order",
        offer_id=offer.id,
        order_id=offer.order_id,
        order_number=offer.order_number,
        product_name=_view(offer).product_name,
        unit_price=line.unit_price.gross.amount,
        currency=offer.currency,
        line_id=line.id,
        follow_up_order_id=draft.id if draft else None,
        follow_up_order_number=draft.number if draft else None,
        details=details,
    )


def _outcome_json(outcome: AcceptOutcome) -> dict[str, Any]:
    return {
        "result": outcome.result,
        "line_id": outcome.line_id,
        "unit_price": str(outcome.unit_price),
        "follow_up_order_id": outcome.follow_up_order_id,
        "follow_up_order_number": outcome.follow_up_order_number,
    }


def _outcome_metadata(outcome: AcceptOutcome) -> dict[str, str]:
    metadata = {
        om.OFFER_STATUS: ACCEPTED,
        om.OFFER_RESULT: "added-to-order" if outcome.result == "added_to_order" else "follow-up-order",
    }
    if outcome.follow_up_order_id:
        metadata[om.OFFER_FOLLOW_UP_ORDER] = outcome.follow_up_order_id
    return metadata


@dataclass(frozen=True, slots=True)
class ShopperActions:
    """View, accept (once) or decline the offer behind a signed link."""

    db: Database
    installations: InstallationStore
    saleor: SaleorClientFactory
    catalogue: VariantPricingCache
    secret_key: str
    clock: Clock

    # ------------------------------------------------------------------------------------ lookups

    async def _get(self, offer_id: str) -> StoredOffer | None:
        async with self.db.read() as session:
            return await PostPurchaseOfferRepository(session).get(offer_id)

    async def _verified(self, token: str) -> StoredOffer:
        """The offer this token was issued for; OfferNotFound for anything forged or unknown."""
        try:
            claims, _, _ = read_token(token)
        except TokenInvalid as exc:
            raise OfferNotFound(str(exc)) from exc
        offer = await self._get(claims.offer_id)
        if offer is None or offer.installation_id != claims.installation_id:
            raise OfferNotFound("no such offer")
        try:
            verify_token(self.secret_key, token, offer.order_id)
        except TokenInvalid as exc:
            raise OfferNotFound(str(exc)) from exc
        return offer

    async def _installation(self, offer: StoredOffer) -> AuthData:
        installation = await self.installations.get_by_id(offer.installation_id)
        if installation is None:
            raise OfferNotFound("installation gone")
        return installation

    async def _reloaded(self, offer: StoredOffer) -> StoredOffer:
        return await self._get(offer.id) or offer

    async def _move(
        self,
        offer: StoredOffer,
        from_status: OfferStatus,
        to_status: OfferStatus,
        *,
        events: list[NewEvent] = [],  # noqa: B006 (never mutated)
        outcome: dict[str, Any] | None = None,
        must_be_open_at: datetime | None = None,
    ) -> bool:
        """One transition, its events logged in the same transaction."""
        now = self.clock() if must_be_open_at is None else must_be_open_at
        async with self.db.transaction() as session:
            moved = await PostPurchaseOfferRepository(session).transition(
                offer.id, from_status, to_status, now, outcome=outcome, must_be_open_at=must_be_open_at
            )
            if moved:
                await event_log.record(session, offer.installation_id, events, now)
        return moved

    # ------------------------------------------------------------------------------------ view

    async def view(self, token: str, now: datetime) -> OfferView:
        offer = await self._verified(token)
        refusal = _refusal(offer, now)
        if refusal is not None:
            raise refusal
        return _view(offer)

    # ------------------------------------------------------------------------------------ decline

    async def decline(self, token: str, now: datetime) -> DeclineOutcome:
        offer = await self._verified(token)
        refusal = _refusal(offer, now)
        if refusal is not None:
            raise refusal
        if not await self._move(
            offer, OPEN, DECLINED, events=[_event(EventKind.DECLINED, offer)], must_be_open_at=now
        ):
            raise _refusal(await self._reloaded(offer), now) or OfferAlreadyAnswered()
        installation = await self._installation(offer)
        await gateway.write_order_metadata(
            self.saleor.for_auth(installation), offer.order_id, {om.OFFER_STATUS: DECLINED}, best_effort=True
        )
        return DeclineOutcome(offer.id, offer.order_number, _view(offer).product_name)

    # ------------------------------------------------------------------------------------ accept

    async def accept(self, token: str, now: datetime) -> AcceptOutcome:
        offer = await self._verified(token)
        refusal = _refusal(offer, now)
        if refusal is not None:
            raise refusal
        installation = await self._installation(offer)
        # The single use: of concurrent clicks, exactly one moves the row out of "open".
        if not await self._move(offer, OPEN, ACCEPTING, must_be_open_at=now):
            raise _refusal(await self._reloaded(offer), now) or OfferAlreadyAnswered()
        client = self.saleor.for_auth(installation)
        try:
            outcome = await self._apply(client, offer)
        except SaleorUnavailable as exc:
            await self._move(offer, ACCEPTING, OPEN)
            log.warning(
                "offer accept postponed: Saleor unavailable", extra={"offer_id": offer.id, "error": str(exc)}
            )
            raise OfferTryAgain(str(exc)) from exc
        except (SaleorApiError, PriceNotKept, OfferFailed) as exc:
            await self._move(
                offer,
                ACCEPTING,
                FAILED,
                events=[_event(EventKind.FAILED, offer, error=str(exc))],
                outcome={"error": str(exc)},
            )
            await gateway.write_order_metadata(
                client, offer.order_id, {om.OFFER_STATUS: FAILED}, best_effort=True
            )
            log.error("offer accept failed", extra={"offer_id": offer.id, "error": str(exc)})
            raise OfferFailed(str(exc)) from exc
        except BaseException:
            await self._move(offer, ACCEPTING, OPEN)
            raise
        accepted = _event(
            EventKind.ACCEPTED, offer, offer.unit_price, result=outcome.result, **outcome.details
        )
        await self._move(offer, ACCEPTING, ACCEPTED, events=[accepted], outcome=_outcome_json(outcome))
        await gateway.write_order_metadata(
            client, offer.order_id, _outcome_metadata(outcome), best_effort=True
        )
        log.info("post-purchase offer accepted", extra={"offer_id": offer.id, "result": outcome.result})
        return outcome

    async def _apply(self, client: SaleorClient, offer: StoredOffer) -> AcceptOutcome:
        order = await gateway.fetch_order(client, offer.order_id)
        if order is None:
            raise OfferFailed("the order no longer exists")
        override = await self._override_price(client, offer)
        if order.status == EDITABLE_STATUS:
            try:
                line = await add_offer_line(client, order, offer, override)
            except SaleorMutationError as exc:
                if "NOT_EDITABLE" not in exc.codes:
                    raise
                # Confirmed between our read and the mutation: fall through to a follow-up order.
            else:
                return _outcome(offer, line)
        draft, line = await create_follow_up_order(client, order, offer, override)
        return _outcome(offer, line, draft)

    async def _override_price(self, client: SaleorClient, offer: StoredOffer) -> Decimal:
        """The custom price that makes Saleor charge the promised price under today's promotions."""
        pricing = (await self.catalogue.get(client, offer.channel_slug, [offer.variant_id])).get(
            offer.variant_id
        )
        if pricing is None or not pricing.available:
            raise OfferFailed("the offered item is no longer available")
        currency = offer.currency
        return override_for_target(
            offer.unit_price,
            quantize(pricing.regular_price, currency),
            quantize(pricing.current_price, currency),
            currency,
        )
