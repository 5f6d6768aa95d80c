"""The GraphQL types of the app's API (dashboard and storefront). Names are a contract: the dashboard's
TypeScript types are generated from graphql/api.graphql, so rename nothing lightly."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from ..engine.types import SkipReason
from ..insights.analytics.stats import LiftVerdict as LiftVerdictEnum

# ------------------------------------------------------------------------------------------ shared


@strawberry.enum(description="Why a mutation refused its input or could not be done.")
class ErrorCode(Enum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    NOT_ELIGIBLE = "not_eligible"
    ALREADY_DONE = "already_done"
    NOT_AN_UPGRADE = "not_an_upgrade"
    OFFER_FAILED = "offer_failed"
    SALEOR_ERROR = "saleor_error"


@strawberry.type(
    description="One problem, like Saleor's mutation errors. `field` is null for the whole input."
)
class UpsellError:
    field: str | None = strawberry.field(
        description="Dotted path of the offending field in the input (rule specs use the file format's "
        "snake_case names, e.g. `price.percent`, `trigger.min_subtotal.JPY`)."
    )
    code: ErrorCode
    message: str


@strawberry.type(description="An amount of money in one currency (amount is a decimal string).")
class Money:
    amount: Decimal
    currency: str


@strawberry.type(description="Something the app did or saw about an offer around one order.")
class OrderOfferEvent:
    kind: str = strawberry.field(
        description="offered, accepted, declined, removed, converted, expired or failed."
    )
    offer_type: str = strawberry.field(description="bump, upgrade or post_purchase.")
    rule_id: strawberry.ID | None
    rule_name: str | None = strawberry.field(description="Null when the rule was deleted since.")
    amount: Money | None = strawberry.field(description="Offer price, or revenue for accepted/converted.")
    occurred_at: datetime
    amount_due: Money | None = strawberry.field(
        default=None,
        description="A post-purchase add-on accepted onto this (unpaid) order: what the shop still collects.",
    )


@strawberry.enum(description="What a rule does.")
class RuleKind(Enum):
    BUMP = "bump"
    UPGRADE = "upgrade"
    POST_PURCHASE = "post_purchase"


# ------------------------------------------------------------------------------------------ rules


@strawberry.type(
    description="A merchant's upsell rule. `spec` is the full definition in the rule file format."
)
class Rule:
    id: strawberry.ID
    kind: RuleKind
    name: str
    enabled: bool
    priority: int = strawberry.field(description="Higher wins; ties go to the older rule.")
    starts_at: datetime | None
    ends_at: datetime | None
    channels: list[str] = strawberry.field(description="Channel slugs the rule is limited to; empty = all.")
    offer_variant_id: strawberry.ID = strawberry.field(
        description="The variant offered (bump, post-purchase) or upgraded to (upgrade)."
    )
    headline: str
    spec: JSON = strawberry.field(
        description="The whole rule as JSON (same format as `saleor-upsell rules import` and the inputs "
        "of ruleCreate/ruleUpdate)."
    )
    created_at: datetime
    updated_at: datetime


@strawberry.input(description="Filters for `rules`; all given filters must match.")
class RuleFilterInput:
    kinds: list[RuleKind] | None = None
    enabled: bool | None = None
    channel: str | None = strawberry.field(
        default=None, description="Rules that can apply in this channel (including rules for all channels)."
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive text in the rule's name or headline."
    )


@strawberry.type
class RulePayload:
    rule: Rule | None
    errors: list[UpsellError]


@strawberry.type
class RuleDeletePayload:
    deleted_id: strawberry.ID | None
    errors: list[UpsellError]


# ------------------------------------------------------------------------------------------ channels


@strawberry.enum(
    description="inject: the app adds offers as lines. offer: the storefront shows opt-in offers."
)
class ChannelMode(Enum):
    INJECT = "inject"
    OFFER = "offer"


@strawberry.type(description="Per-channel guardrails. A channel never saved uses the defaults (isDefault).")
class ChannelSettings:
    channel: str
    mode: ChannelMode
    max_offers_per_checkout: int
    allow_more_than_two: bool = strawberry.field(
        description="Must be true to allow more than two offers per checkout."
    )
    price_ceiling_percent: Decimal | None = strawberry.field(
        description="An offer may cost at most this percent of what triggered it; null = no ceiling."
    )
    holdout_percent: Decimal = strawberry.field(
        description="Share of checkouts that never get offers, to measure lift (0-50)."
    )
    allow_after_delivery_method: bool
    post_purchase_auto_confirm: bool
    social_proof_min_orders: int = strawberry.field(
        description="Orders of a product needed before a '{social_proof}' figure is shown (never below)."
    )
    is_default: bool = strawberry.field(description="True when nothing was saved for this channel yet.")


@strawberry.input(description="Fields to change; omitted fields keep their current value.")
class ChannelSettingsInput:
    mode: ChannelMode | None = strawberry.UNSET
    max_offers_per_checkout: int | None = strawberry.UNSET
    allow_more_than_two: bool | None = strawberry.UNSET
    price_ceiling_percent: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the ceiling."
    )
    holdout_percent: Decimal | None = strawberry.UNSET
    allow_after_delivery_method: bool | None = strawberry.UNSET
    post_purchase_auto_confirm: bool | None = strawberry.UNSET
    social_proof_min_orders: int | None = strawberry.UNSET


@strawberry.type
class ChannelSettingsPayload:
    settings: ChannelSettings | None
    errors: list[UpsellError]


@strawberry.type(description="A Saleor channel, read through the app's token.")
class SaleorChannel:
    slug: str
    name: str
    currency_code: str
    is_active: bool


# ------------------------------------------------------------------------------------------ suggestions


@strawberry.enum
class SuggestionStatus(Enum):
    NEW = "new"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


@strawberry.type(description="A pairing mined from the shop's orders (or a fallback), with its evidence.")
class Suggestion:
    id: strawberry.ID
    channel: str
    level: str = strawberry.field(description="product or variant: what the ids below are.")
    source: str = strawberry.field(description="mined, merchant, category_best_seller...")
    antecedent_id: strawberry.ID = strawberry.field(description="What the shopper buys (the trigger).")
    consequent_id: strawberry.ID = strawberry.field(description="What to offer with it.")
    evidence: JSON = strawberry.field(description="The figures behind it (support, confidence, lift...).")
    status: SuggestionStatus
    computed_at: datetime


@strawberry.input(description="How to turn a suggestion into a bump rule; every field has a default.")
class SuggestionAcceptInput:
    name: str | None = None
    headline: str | None = None
    reason: str | None = None
    badge: str | None = None
    price: JSON | None = strawberry.field(
        default=None, description='A price form, e.g. {"type": "percent_off", "percent": "10"} (the default).'
    )
    offer_variant_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required when the suggestion offers a product (level product)."
    )
    enabled: bool = True


@strawberry.type
class SuggestionPayload:
    suggestion: Suggestion | None
    rule: Rule | None = strawberry.field(description="The rule created by suggestionAccept.")
    errors: list[UpsellError]


# ------------------------------------------------------------------------------------------ analytics


@strawberry.type(description="Offer events of one rule in one channel and ISO week.")
class RuleWeekStats:
    rule_id: strawberry.ID
    rule_name: str | None = strawberry.field(description="null when the rule was deleted since.")
    channel: str
    iso_year: int
    iso_week: int
    shown: int
    accepted: int
    declined: int
    removed: int
    converted: int
    acceptance_rate: float | None = strawberry.field(description="accepted / shown; null when nothing shown.")
    revenue: list[Money] = strawberry.field(description="Accepted offers' amounts, per currency.")


LiftVerdict = strawberry.enum(
    LiftVerdictEnum, name="LiftVerdict", description="What the interval allows to say."
)


@strawberry.type(description="Mean order value of checkouts that could get offers vs the random holdout.")
class HoldoutLift:
    channel: str
    currency: str
    treated_orders: int
    control_orders: int
    treated_mean: Decimal
    control_mean: Decimal
    difference: Decimal
    relative_lift: float | None
    interval_low: Decimal = strawberry.field(description="95% confidence interval of the difference.")
    interval_high: Decimal
    verdict: LiftVerdict  # type: ignore[valid-type]


@strawberry.type
class Analytics:
    rules: list[RuleWeekStats]
    lift: list[HoldoutLift]


# ------------------------------------------------------------------------------------------ preview & search


PreviewWarningCode = strawberry.enum(SkipReason, name="PreviewWarningCode")


@strawberry.type(description="A guardrail or pricing problem the rule would hit.")
class PreviewWarning:
    code: PreviewWarningCode  # type: ignore[valid-type]
    message: str


@strawberry.type(description="What a shopper would be offered by a rule in a channel (nothing is saved).")
class RulePreview:
    variant_name: str | None
    image_url: str | None
    price: Money | None = strawberry.field(description="The shopper-facing unit price.")
    regular_price: Money | None = strawberry.field(description="The regular price, for strike-through.")
    catalogue_price: Money | None = strawberry.field(description="Today's price after catalogue promotions.")
    ceiling_base: Money | None = strawberry.field(
        description="What the price ceiling is measured against (sample trigger price or line price)."
    )
    warnings: list[PreviewWarning]
    errors: list[UpsellError]


@strawberry.type
class CatalogVariant:
    id: strawberry.ID
    name: str
    sku: str | None
    price: Money | None = strawberry.field(description="After catalogue promotions; null if not sold here.")
    regular_price: Money | None
    quantity_available: int | None


@strawberry.type(description="A product found by catalogSearch, for the rule editor's pickers.")
class CatalogProduct:
    id: strawberry.ID
    name: str
    thumbnail_url: str | None
    category_id: strawberry.ID | None
    collection_ids: list[strawberry.ID]
    variants: list[CatalogVariant]


# ------------------------------------------------------------------------------------------ storefront


@strawberry.type(description="An opt-in offer for a checkout; the price is set by the server on accept.")
class StorefrontOffer:
    rule_id: strawberry.ID
    kind: RuleKind
    variant_id: strawberry.ID
    product_id: strawberry.ID | None
    product_name: str | None
    image_url: str | None
    quantity: int
    price: Money = strawberry.field(description="What the shopper pays per unit.")
    regular_price: Money = strawberry.field(description="For strike-through.")
    headline: str
    reason: str
    badge: str | None
    replaces_line_id: strawberry.ID | None = strawberry.field(description="Upgrades: the line swapped out.")


@strawberry.type
class CheckoutOffers:
    checkout_id: strawberry.ID
    channel: str
    mode: ChannelMode = strawberry.field(description="In inject mode offers are added by the app: none here.")
    offers: list[StorefrontOffer]


@strawberry.type
class AcceptCheckoutOfferPayload:
    line_id: strawberry.ID | None = strawberry.field(description="The checkout line the offer became.")
    offer: StorefrontOffer | None
    errors: list[UpsellError]


@strawberry.type
class RevertUpgradePayload:
    line_id: strawberry.ID | None = strawberry.field(description="The restored line of the original variant.")
    errors: list[UpsellError]
