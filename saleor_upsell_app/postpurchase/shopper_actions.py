"""What a shopper can do with an offer: see it (by its signed link, or by the order's id or token),
accept it (once), or decline it. The HTML pages (web/offer_pages.py), the storefront GraphQL API
(postpurchase/api.py) and the thank-you placement all call these, so they behave the same.

Accepting: the row goes ``open -> accepting`` (the single use), then accept.py carries it out: by
default a follow-up checkout the shopper pays in the storefront, or the line on the same UNCONFIRMED
order where the channel is set up for that. A second click gets the first click's answer (the same
checkout); a click on an accept whose process died a while ago takes it over and resumes it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from ..insights.events import EventKind
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import Database
from ..saleor.client import SaleorClientFactory
from . import gateway
from . import order_metadata as om
from .accept import FOLLOW_UP_CHECKOUT, Acceptor, AcceptOutcome, offer_event, product_name, stored_outcome
from .errors import OfferAlreadyAnswered, OfferError, OfferExpired, OfferInProgress, OfferNotFound
from .repository import (
    ACCEPTED,
    ACCEPTING,
    DECLINED,
    EXPIRED,
    FAILED,
    OPEN,
    PostPurchaseOfferRepository,
    StoredOffer,
)
from .tokens import OfferLinks, TokenInvalid, read_token, verify_token

__all__ = [
    "AcceptOutcome",
    "DeclineOutcome",
    "OfferView",
    "OrderOffer",
    "ShopperActions",
    "order_id_from_token",
]

# An accept still "accepting" this long after its last step lost its process (crash, deploy): a new click
# or the sweep takes it over. Longer than one accept can take with Saleor's timeouts.
RESUME_AFTER = timedelta(seconds=60)
# How long a second click waits for the first one to finish before answering "in progress".
WAIT_FOR_FIRST_SECONDS = 5.0


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
    image_url: str | None = None
    social_proof: str | None = None
    variant_id: str = ""


@dataclass(frozen=True, slots=True)
class OrderOffer:
    """The offer of one order as a storefront shows it. Prices, the token and the link only while the
    offer can still be accepted (and the price for an accepted one): after the window they are gone."""

    offer_id: str
    order_id: str
    status: str
    view: OfferView
    token: str | None
    offer_url: str | None
    seconds_left: int
    checkout_url: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN and self.seconds_left > 0


@dataclass(frozen=True, slots=True)
class DeclineOutcome:
    offer_id: str
    order_number: str | None
    product_name: str


def order_id_from_token(token: str) -> str | None:
    """An order's global id from its token: Saleor 3.23's order ids are ``Order:<token>`` (captured:
    graphql-shopper-orderByToken-metadata.json), so no round trip is needed. None for a non-UUID."""
    try:
        parsed = uuid.UUID(token)
    except (ValueError, AttributeError):
        return None
    return base64.b64encode(f"Order:{parsed}".encode()).decode()


def _looks_like_order_id(value: str) -> bool:
    try:
        return base64.b64decode(value, validate=True).startswith(b"Order:")
    except (binascii.Error, ValueError):
        return False


def _refusal(offer: StoredOffer, now: datetime) -> OfferError | None:
    """Why ``offer`` cannot be answered now, or None when it is open and within its window."""
    if offer.status == ACCEPTING:
        return OfferInProgress()
    if offer.status in (ACCEPTED, DECLINED, FAILED):
        return OfferAlreadyAnswered(offer.status, outcome={"status": offer.status, **offer.outcome})
    if offer.status == EXPIRED or now >= offer.expires_at:
        return OfferExpired()
    return None


def offer_view(offer: StoredOffer) -> OfferView:
    shown = offer.presentation
    proof = shown.get("social_proof")
    return OfferView(
        offer_id=offer.id,
        order_number=offer.order_number,
        product_name=product_name(offer),
        headline=str(shown.get("headline") or "One more thing?"),
        benefits=tuple(str(b) for b in shown.get("benefits") or ()),
        show_value_comparison=bool(shown.get("show_value_comparison", True)),
        unit_price=offer.unit_price,
        regular_price=offer.regular_price,
        currency=offer.currency,
        expires_at=offer.expires_at,
        add_to_same_order=bool(shown.get("add_to_same_order", False)),
        image_url=str(shown["image_url"]) if shown.get("image_url") else None,
        social_proof=str(proof) if proof else None,
        variant_id=offer.variant_id,
    )


@dataclass(frozen=True, slots=True)
class ShopperActions:
    """View, accept (once) or decline the offer behind a signed link; look up an order's offer."""

    db: Database
    installations: InstallationStore
    saleor: SaleorClientFactory
    acceptor: Acceptor
    links: OfferLinks
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
            verify_token(self.links.secret_key, token, offer.order_id)
        except TokenInvalid as exc:
            raise OfferNotFound(str(exc)) from exc
        return offer

    async def _reloaded(self, offer: StoredOffer) -> StoredOffer:
        return await self._get(offer.id) or offer

    def token_of(self, offer: StoredOffer) -> str:
        return self.links.token(offer.installation_id, offer.id, offer.order_id, offer.expires_at)

    async def offer_for_order(self, saleor_api_url: str, order: str, now: datetime) -> OrderOffer | None:
        """The offer made after ``order`` (its global id or its token) in that shop, or None.

        Holding the order's id or token is the capability, as in Saleor: whoever may read the order's
        public metadata (which carries the offer link) may see its offer. Stable entry point for the
        storefront API and the thank-you placement.
        """
        installation = await self.installations.get(saleor_api_url)
        if installation is None:
            return None
        order_id = order if _looks_like_order_id(order) else order_id_from_token(order)
        if order_id is None:
            return None
        async with self.db.read() as session:
            offer = await PostPurchaseOfferRepository(session).for_order(installation.id, order_id)
        if offer is None:
            return None
        seconds_left = max(0, int((offer.expires_at - now).total_seconds()))
        is_open = offer.status == OPEN and seconds_left > 0
        token = self.token_of(offer) if is_open else None
        done = stored_outcome(offer, self.acceptor.config)
        return OrderOffer(
            offer_id=offer.id,
            order_id=offer.order_id,
            status=EXPIRED if offer.status == OPEN and not is_open else offer.status,
            view=offer_view(offer),
            token=token,
            offer_url=self.links.url(token) if token else None,
            seconds_left=seconds_left if is_open else 0,
            checkout_url=done.checkout_url if done is not None else None,
        )

    # ------------------------------------------------------------------------------------ view

    async def view(self, token: str, now: datetime) -> OfferView:
        offer = await self._verified(token)
        done = stored_outcome(offer, self.acceptor.config)
        if done is not None and done.checkout_url is not None and offer.converted_order_id is None:
            raise OfferAlreadyAnswered(offer.status, checkout_url=done.checkout_url)
        refusal = _refusal(offer, now)
        if refusal is not None:
            raise refusal
        return offer_view(offer)

    # ------------------------------------------------------------------------------------ decline

    async def decline(self, token: str, now: datetime) -> DeclineOutcome:
        offer = await self._verified(token)
        refusal = _refusal(offer, now)
        if refusal is not None:
            raise refusal
        declined = offer_event(EventKind.DECLINED, offer)
        if not await self.acceptor.move(offer, OPEN, DECLINED, events=[declined], must_be_open_at=now):
            raise _refusal(await self._reloaded(offer), now) or OfferAlreadyAnswered()
        installation = await self.installations.get_by_id(offer.installation_id)
        if installation is None:
            raise OfferNotFound("installation gone")
        await gateway.write_order_metadata(
            self.saleor.for_auth(installation), offer.order_id, {om.OFFER_STATUS: DECLINED}, best_effort=True
        )
        return DeclineOutcome(offer.id, offer.order_number, product_name(offer))

    # ------------------------------------------------------------------------------------ accept

    async def accept(self, token: str, now: datetime) -> AcceptOutcome:
        """Accept once. A repeated accept of an accepted offer answers with the same outcome."""
        claimed = await self._claim(await self._verified(token), now)
        if isinstance(claimed, AcceptOutcome):
            return claimed
        return await self.acceptor.finish(claimed)

    async def _claim(self, offer: StoredOffer, now: datetime) -> StoredOffer | AcceptOutcome:
        """The offer held in ``accepting`` by this caller, or the outcome of the accept that won."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_FOR_FIRST_SECONDS
        while True:
            if offer.status == ACCEPTED:
                done = stored_outcome(offer, self.acceptor.config)
                if done is None:
                    raise OfferAlreadyAnswered(offer.status)
                if done.result == FOLLOW_UP_CHECKOUT and done.checkout_url is None:
                    raise OfferExpired()  # its unpaid checkout was released after the hold
                return done
            if offer.status == OPEN:
                if now >= offer.expires_at:
                    raise OfferExpired()
                if await self.acceptor.move(offer, OPEN, ACCEPTING, must_be_open_at=now):
                    return offer
            elif offer.status == ACCEPTING:
                current = self.clock()
                if offer.updated_at <= current - RESUME_AFTER and await self.acceptor.move(
                    offer, ACCEPTING, ACCEPTING, untouched_since=current - RESUME_AFTER
                ):
                    return offer  # its process died: this click resumes it
                if loop.time() >= deadline:
                    raise OfferInProgress()
                await asyncio.sleep(0.1)
            else:
                raise _refusal(offer, now) or OfferAlreadyAnswered()
            offer = await self._reloaded(offer)
