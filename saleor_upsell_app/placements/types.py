"""The GraphQL types of placements (storefront: no token; the checkout or order id is the capability)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from ..api.types import Money, UpsellError


@strawberry.enum(description="Where in the shop the offers are shown.")
class Placement(Enum):
    PRODUCT = "product"
    CART = "cart"
    CHECKOUT = "checkout"
    THANK_YOU = "thank_you"


@strawberry.enum(description="What accepting the offer does.")
class PlacementOfferKind(Enum):
    BUMP = "bump"
    UPGRADE = "upgrade"
    POST_PURCHASE = "post_purchase"


@strawberry.enum(description="Why the offer was chosen.")
class OfferSource(Enum):
    RULE = "rule"
    MINED_PAIR = "mined_pair"
    POST_PURCHASE = "post_purchase"


@strawberry.enum(description="Where an accepted offer went.")
class AcceptResult(Enum):
    ADDED_TO_CHECKOUT = "added_to_checkout"
    ADDED_TO_ORDER = "added_to_order"
    FOLLOW_UP_CHECKOUT = "follow_up_checkout"


@strawberry.type(description="Mined from the shop's own orders in this channel.")
class MinedEvidence:
    product_id: strawberry.ID = strawberry.field(description="The product shoppers bought first.")
    orders_together: int = strawberry.field(description="Orders with both products.")
    orders_with_product: int = strawberry.field(description="Orders with the first product.")
    confidence: float = strawberry.field(description="orders_together / orders_with_product.")
    lift: float


@strawberry.type(description="Why this offer: the merchant's rule, and the mined pair behind it if any.")
class OfferReason:
    source: OfferSource
    rule_id: strawberry.ID | None
    rule_name: str | None
    evidence: MinedEvidence | None


@strawberry.type(description="An offer for one placement. Prices are the server's; accept with acceptWith.")
class PlacementOffer:
    key: strawberry.ID = strawberry.field(description="What placementAccept / placementDecline take.")
    kind: PlacementOfferKind
    variant_id: strawberry.ID
    product_id: strawberry.ID | None
    product_name: str | None
    image_url: str | None
    quantity: int
    price: Money = strawberry.field(description="What the shopper pays per unit.")
    regular_price: Money = strawberry.field(description="For strike-through.")
    headline: str = strawberry.field(description="The merchant's copy, social proof filled in.")
    reason: str
    badge: str | None
    social_proof: str | None = strawberry.field(
        description="An honest figure from the shop's orders, e.g. '62% of customers who bought X also "
        "added Y'; null when the data does not back one."
    )
    why: OfferReason
    accept_with: JSON = strawberry.field(
        description="The arguments of placementAccept (and placementDecline) for this offer, besides "
        "saleorApiUrl and channel."
    )
    offer_url: str | None = strawberry.field(description="THANK_YOU: the app's own page for the offer.")
    expires_at: datetime | None
    replaces_line_id: strawberry.ID | None = strawberry.field(description="Upgrades: the line swapped out.")


@strawberry.type
class PlacementOffers:
    placement: Placement
    channel: str
    checkout_id: strawberry.ID | None
    offers: list[PlacementOffer]


@strawberry.type
class PlacementAcceptPayload:
    result: AcceptResult | None
    line_id: strawberry.ID | None = strawberry.field(description="The line the offer became.")
    checkout_id: strawberry.ID | None = strawberry.field(
        description="The checkout holding the offer. When createdCheckout is true the storefront must "
        "adopt it as the shopper's checkout (set even when the offer itself was refused)."
    )
    created_checkout: bool
    order_id: strawberry.ID | None = strawberry.field(description="THANK_YOU: the order holding the offer.")
    errors: list[UpsellError]


@strawberry.type
class PlacementDeclinePayload:
    recorded: bool = strawberry.field(
        description="False when there is nowhere to record it yet (product page without a checkout): "
        "remember it in the browser."
    )
    errors: list[UpsellError]
