"""What a shopper can do with an offer link: view it, accept it (once), or decline it.

These are plain async functions so the HTML pages (``routes``) and the storefront GraphQL API expose
the same behaviour. Failures are :class:`~.errors.OfferError` subclasses carrying an HTTP status.

Accepting: the row goes ``open -> accepting`` (the single use), then the order is read fresh. An
UNCONFIRMED order takes the line (``orderLinesCreate`` with the offer price, promotion-compensated and
verified); otherwise a follow-up draft order is prepared for the same customer. Saleor being away puts
the offer back to ``open``; any other refusal marks it ``failed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ..offers.money import quantize
from ..offers.pricing import override_for_target
from ..saleor.client import SaleorClient
from ..saleor.errors import SaleorApiError, SaleorMutationError, SaleorUnavailable
from ..services import Services
from ..store.events import NewEvent
from ..store.installations import InstallationData
from . import order_metadata as om
from .common import OFFER_TYPE, log, offers_of, write_order_metadata
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
from .repository import ACCEPTED, ACCEPTING, DECLINED, EXPIRED, FAILED, OPEN, StoredOffer
from .tokens import TokenInvalid, read_token, verify_token

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


# ---------------------------------------------------------------------------------------- lookups


async def _verified(services: Services, token: str) -> StoredOffer:
    """The offer this token was issued for; OfferNotFound for anything forged or unknown."""
    try:
        claims, _, _ = read_token(token)
    except TokenInvalid as exc:
        raise OfferNotFound(str(exc)) from exc
    offer = await offers_of(services).get(claims.offer_id)
    if offer is None or offer.installation_id != claims.installation_id:
        raise OfferNotFound("no such offer")
    try:
        verify_token(services.settings.secret_key, token, offer.order_id)
    except TokenInvalid as exc:
        raise OfferNotFound(str(exc)) from exc
    return offer


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


async def view_offer(services: Services, token: str, now: datetime) -> OfferView:
    offer = await _verified(services, token)
    refusal = _refusal(offer, now)
    if refusal is not None:
        raise refusal
    return _view(offer)


async def _installation(services: Services, offer: StoredOffer) -> InstallationData:
    installation = await services.installations.get_by_id(offer.installation_id)
    if installation is None:
        raise OfferNotFound("installation gone")
    return installation


def _event(kind: str, offer: StoredOffer, amount: Decimal | None = None, **details: Any) -> NewEvent:
    return NewEvent(
        kind=kind,
        offer_type=OFFER_TYPE,
        rule_id=offer.rule_id,
        order_id=offer.order_id,
        channel_slug=offer.channel_slug,
        variant_id=offer.variant_id,
        amount=amount,
        currency=offer.currency if amount is not None else None,
        details=details or None,
    )


# ---------------------------------------------------------------------------------------- decline


async def decline_offer(services: Services, token: str, now: datetime) -> DeclineOutcome:
    offer = await _verified(services, token)
    refusal = _refusal(offer, now)
    if refusal is not None:
        raise refusal
    offers = offers_of(services)
    if not await offers.transition(
        offer.id, OPEN, DECLINED, now, events=[_event("declined", offer)], must_be_open_at=now
    ):
        raise _refusal(await _reloaded(services, offer), now) or OfferAlreadyAnswered()
    installation = await _installation(services, offer)
    await write_order_metadata(
        services.saleor_client(installation), offer.order_id, {om.OFFER_STATUS: DECLINED}, best_effort=True
    )
    return DeclineOutcome(offer.id, offer.order_number, _view(offer).product_name)


async def _reloaded(services: Services, offer: StoredOffer) -> StoredOffer:
    return await offers_of(services).get(offer.id) or offer


# ---------------------------------------------------------------------------------------- accept


async def accept_offer(services: Services, token: str, now: datetime) -> AcceptOutcome:
    offer = await _verified(services, token)
    refusal = _refusal(offer, now)
    if refusal is not None:
        raise refusal
    installation = await _installation(services, offer)
    offers = offers_of(services)
    # The single use: of concurrent clicks, exactly one moves the row out of "open".
    if not await offers.transition(offer.id, OPEN, ACCEPTING, now, must_be_open_at=now):
        raise _refusal(await _reloaded(services, offer), now) or OfferAlreadyAnswered()
    client = services.saleor_client(installation)
    try:
        outcome = await _apply(services, client, offer)
    except SaleorUnavailable as exc:
        await offers.transition(offer.id, ACCEPTING, OPEN, services.clock())
        log.warning(
            "offer accept postponed: Saleor unavailable", extra={"offer_id": offer.id, "error": str(exc)}
        )
        raise OfferTryAgain(str(exc)) from exc
    except (SaleorApiError, PriceNotKept, OfferFailed) as exc:
        await offers.transition(
            offer.id,
            ACCEPTING,
            FAILED,
            services.clock(),
            events=[_event("failed", offer, error=str(exc))],
            outcome={"error": str(exc)},
        )
        await write_order_metadata(client, offer.order_id, {om.OFFER_STATUS: FAILED}, best_effort=True)
        log.error("offer accept failed", extra={"offer_id": offer.id, "error": str(exc)})
        raise OfferFailed(str(exc)) from exc
    except BaseException:
        await offers.transition(offer.id, ACCEPTING, OPEN, services.clock())
        raise
    finished = services.clock()
    await offers.transition(
        offer.id,
        ACCEPTING,
        ACCEPTED,
        finished,
        events=[_event("accepted", offer, offer.unit_price, result=outcome.result, **outcome.details)],
        outcome=_outcome_json(outcome),
    )
    await write_order_metadata(client, offer.order_id, _outcome_metadata(outcome), best_effort=True)
    log.info("post-purchase offer accepted", extra={"offer_id": offer.id, "result": outcome.result})
    return outcome


async def _apply(services: Services, client: SaleorClient, offer: StoredOffer) -> AcceptOutcome:
    data = await client.execute("PostPurchaseOrder", {"id": offer.order_id})
    order: Mapping[str, Any] | None = data.get("order")
    if order is None:
        raise OfferFailed("the order no longer exists")
    override = await _override_price(services, client, offer)
    name = _view(offer).product_name
    if order["status"] == EDITABLE_STATUS:
        try:
            line = await add_offer_line(client, order, offer, override)
        except SaleorMutationError as exc:
            if "NOT_EDITABLE" not in exc.codes:
                raise
            # Confirmed between our read and the mutation: fall through to a follow-up order.
        else:
            return AcceptOutcome(
                result="added_to_order",
                offer_id=offer.id,
                order_id=offer.order_id,
                order_number=offer.order_number,
                product_name=name,
                unit_price=_unit_price(line),
                currency=offer.currency,
                line_id=str(line["id"]),
                details={"line_id": str(line["id"])},
            )
    draft, line = await create_follow_up_order(client, order, offer, override)
    return AcceptOutcome(
        result="follow_up_order",
        offer_id=offer.id,
        order_id=offer.order_id,
        order_number=offer.order_number,
        product_name=name,
        unit_price=_unit_price(line),
        currency=offer.currency,
        line_id=str(line["id"]),
        follow_up_order_id=str(draft["id"]),
        follow_up_order_number=str(draft.get("number")) if draft.get("number") is not None else None,
        details={"line_id": str(line["id"]), "follow_up_order_id": str(draft["id"])},
    )


async def _override_price(services: Services, client: SaleorClient, offer: StoredOffer) -> Decimal:
    """The custom price that makes Saleor charge the promised price under today's promotions."""
    pricing = (await services.variant_pricing.get(client, offer.channel_slug, [offer.variant_id])).get(
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


def _unit_price(line: Mapping[str, Any]) -> Decimal:
    return Decimal(str(line["unitPrice"]["gross"]["amount"]))


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
