"""GraphQL of post-purchase offers for storefronts: the offer of an order (by its id or token) and the
accept / decline mutations. No dashboard token: holding the order's id or token is the capability (as
for the order's public metadata in Saleor), and the signed offer token is the capability to answer.

Prices, the token and the link are only returned while the offer can be accepted; an accept answers
with the follow-up checkout's URL to send the shopper to (or, on a same-order channel, the amount the
shop still collects). Refusals are the payload's ``errors`` with the same codes as the offer page.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from ..api import conversions as convert
from ..api import types as t
from ..api.context import ApiContext
from ..api.errors import ApiError
from .accept import ADDED_TO_ORDER, AcceptOutcome
from .errors import OfferError
from .repository import ACCEPTED
from .shopper_actions import OrderOffer

Ctx = Info[ApiContext, None]


@strawberry.enum(description="open, then accepting (briefly), accepted, declined, expired or failed.")
class PostPurchaseOfferStatus(Enum):
    OPEN = "open"
    ACCEPTING = "accepting"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    FAILED = "failed"


@strawberry.enum(description="Where an accepted offer went.")
class PostPurchaseAcceptResult(Enum):
    FOLLOW_UP_CHECKOUT = "follow_up_checkout"
    ADDED_TO_ORDER = "added_to_order"


@strawberry.enum(description="Why an offer cannot be answered (the offer page shows the same reasons).")
class PostPurchaseErrorCode(Enum):
    NOT_FOUND = "not_found"
    EXPIRED = "expired"
    ALREADY_ANSWERED = "used"
    IN_PROGRESS = "in_progress"
    TRY_AGAIN = "try_again"
    FAILED = "failed"
    INVALID = "invalid"


@strawberry.type(description="A refusal: its code, and a message fit to show the shopper.")
class PostPurchaseError:
    code: PostPurchaseErrorCode
    message: str


@strawberry.type(description="The post-purchase offer of one order, as a thank-you page shows it.")
class PostPurchaseOffer:
    id: strawberry.ID
    order_id: strawberry.ID
    status: PostPurchaseOfferStatus
    variant_id: strawberry.ID
    product_name: str
    image_url: str | None
    headline: str
    benefits: list[str]
    social_proof: str | None = strawberry.field(
        description="e.g. '62% of customers who bought X also added Y', only when the shop's data says so."
    )
    show_value_comparison: bool = strawberry.field(description="Whether to strike through regularPrice.")
    price: t.Money | None = strawberry.field(
        description="The offer price; null unless the offer is open (or was accepted)."
    )
    regular_price: t.Money | None = strawberry.field(description="The regular price; null with price.")
    expires_at: datetime | None = strawberry.field(description="End of the window (UTC); null once over.")
    seconds_left: int
    token: str | None = strawberry.field(description="For accept/decline; null unless the offer is open.")
    offer_url: str | None = strawberry.field(description="The app's offer page; null unless open.")
    checkout_url: str | None = strawberry.field(
        description="Accepted: the storefront checkout to pay for it in (until paid or released)."
    )


@strawberry.type
class AcceptPostPurchaseOfferPayload:
    result: PostPurchaseAcceptResult | None
    checkout_id: strawberry.ID | None = strawberry.field(description="The follow-up checkout.")
    checkout_url: str | None = strawberry.field(description="Send the shopper here to pay for it.")
    price: t.Money | None
    amount_due: t.Money | None = strawberry.field(
        description="Same-order add-on: what the shop still collects for it."
    )
    errors: list[PostPurchaseError]


@strawberry.type
class DeclinePostPurchaseOfferPayload:
    declined: bool
    errors: list[PostPurchaseError]


def _error(exc: OfferError) -> list[PostPurchaseError]:
    try:
        code = PostPurchaseErrorCode(exc.code)
    except ValueError:
        code = PostPurchaseErrorCode.INVALID
    return [PostPurchaseError(code=code, message=f"{exc.title}. {exc.shopper_message}")]


def _offer(found: OrderOffer) -> PostPurchaseOffer:
    view = found.view
    priced = found.is_open or found.status == ACCEPTED
    return PostPurchaseOffer(
        id=strawberry.ID(found.offer_id),
        order_id=strawberry.ID(found.order_id),
        status=PostPurchaseOfferStatus(found.status),
        variant_id=strawberry.ID(view.variant_id),
        product_name=view.product_name,
        image_url=view.image_url,
        headline=view.headline,
        benefits=list(view.benefits),
        social_proof=view.social_proof,
        show_value_comparison=view.show_value_comparison and view.regular_price > view.unit_price,
        price=convert.money(view.unit_price, view.currency) if priced else None,
        regular_price=convert.money(view.regular_price, view.currency) if priced else None,
        expires_at=view.expires_at if found.is_open else None,
        seconds_left=found.seconds_left,
        token=found.token,
        offer_url=found.offer_url,
        checkout_url=found.checkout_url,
    )


async def post_purchase_offer(
    info: Ctx,
    saleor_api_url: str,
    order_id: strawberry.ID | None = None,
    order_token: str | None = None,
) -> PostPurchaseOffer | None:
    """The order's offer (exactly one of orderId / orderToken), or null when it got none."""
    if (order_id is None) == (order_token is None):
        raise ApiError("BAD_REQUEST", "give exactly one of orderId and orderToken")
    context = info.context
    order = str(order_id) if order_id is not None else str(order_token)
    found = await context.shopper_actions.offer_for_order(saleor_api_url, order, context.clock())
    return _offer(found) if found is not None else None


def _accepted(outcome: AcceptOutcome) -> AcceptPostPurchaseOfferPayload:
    return AcceptPostPurchaseOfferPayload(
        result=PostPurchaseAcceptResult(outcome.result),
        checkout_id=strawberry.ID(outcome.checkout_id) if outcome.checkout_id else None,
        checkout_url=outcome.checkout_url,
        price=convert.money(outcome.unit_price, outcome.currency),
        amount_due=(
            convert.money(outcome.amount_due, outcome.currency)
            if outcome.result == ADDED_TO_ORDER and outcome.amount_due is not None
            else None
        ),
        errors=[],
    )


async def accept_post_purchase_offer(info: Ctx, token: str) -> AcceptPostPurchaseOfferPayload:
    """Accept once; repeating it answers with the same checkout."""
    context = info.context
    try:
        outcome = await context.shopper_actions.accept(token, context.clock())
    except OfferError as exc:
        return AcceptPostPurchaseOfferPayload(
            result=None, checkout_id=None, checkout_url=None, price=None, amount_due=None, errors=_error(exc)
        )
    return _accepted(outcome)


async def decline_post_purchase_offer(info: Ctx, token: str) -> DeclinePostPurchaseOfferPayload:
    context = info.context
    try:
        await context.shopper_actions.decline(token, context.clock())
    except OfferError as exc:
        return DeclinePostPurchaseOfferPayload(declined=False, errors=_error(exc))
    return DeclinePostPurchaseOfferPayload(declined=True, errors=[])
