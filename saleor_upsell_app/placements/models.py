"""What a placement answers: the offers for one spot, each with its prices, copy, evidence and how to
accept it; and the refusals, each naming the argument at fault."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ..insights.social_proof import MinedPair
from ..kit.errors import AppError


class Placement(StrEnum):
    PRODUCT = "product"
    CART = "cart"
    CHECKOUT = "checkout"
    THANK_YOU = "thank_you"


class OfferSource(StrEnum):
    """Why an offer was chosen: the merchant's rule, a rule backed by a mined pair, or the order's
    post-purchase offer."""

    RULE = "rule"
    MINED_PAIR = "mined_pair"
    POST_PURCHASE = "post_purchase"


class PlacementRefusal(StrEnum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    NOT_ELIGIBLE = "not_eligible"
    ALREADY_DONE = "already_done"
    SALEOR_ERROR = "saleor_error"
    OFFER_FAILED = "offer_failed"


class PlacementRefused(AppError):
    status = 400

    def __init__(self, reason: PlacementRefusal, message: str, field: str | None = None) -> None:
        super().__init__(message, code=reason.value)
        self.reason = reason
        self.field = field
        self.checkout_id: str | None = None  # a checkout made for the shopper before the refusal


@dataclass(frozen=True, slots=True)
class Why:
    source: OfferSource
    rule_id: int | None
    rule_name: str | None
    pair: MinedPair | None = None  # the mined evidence (MINED_PAIR)


@dataclass(frozen=True, slots=True)
class PlacementOffer:
    """One offer as the storefront shows it. ``key`` is what accept and decline take back."""

    key: str
    kind: str  # bump, upgrade or post_purchase
    rule_id: int | None
    variant_id: str
    product_id: str | None
    product_name: str | None
    image_url: str | None
    quantity: int
    unit_price: Decimal
    regular_price: Decimal
    currency: str
    headline: str
    reason: str
    badge: str | None
    social_proof: str | None
    why: Why
    accept_with: dict[str, Any]  # the placementAccept arguments (besides saleorApiUrl)
    offer_url: str | None = None  # THANK_YOU: the app's own offer page (e-mail, no-JS fallback)
    expires_at: datetime | None = None
    replaces_line_id: str | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    placement: Placement
    channel: str
    checkout_id: str | None
    offers: list[PlacementOffer] = field(default_factory=list)


class AcceptResult(StrEnum):
    ADDED_TO_CHECKOUT = "added_to_checkout"
    ADDED_TO_ORDER = "added_to_order"
    FOLLOW_UP_CHECKOUT = "follow_up_checkout"


@dataclass(frozen=True, slots=True)
class PlacementAccepted:
    result: AcceptResult
    line_id: str
    checkout_id: str | None = None
    created_checkout: bool = False  # PRODUCT without a checkout: the storefront must adopt this one
    order_id: str | None = None
