"""The GraphQL types of the app's API (dashboard and storefront). Names are a contract: the dashboard's
TypeScript types are generated from graphql/api.graphql, so rename nothing lightly."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from ..engine.types import SkipReason
from ..insights.experiments import Metric as MetricEnum
from ..insights.experiments import VerdictKind

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
        description="Share of checkouts that never get offers, to measure lift (0-50; default 10)."
    )
    allow_after_delivery_method: bool
    post_purchase_auto_confirm: bool
    social_proof_min_orders: int = strawberry.field(
        description="Orders of a product needed before a '{social_proof}' figure is shown (never below)."
    )
    guardrail_enabled: bool = strawberry.field(
        description="Pause a rule whose checkouts complete significantly less often than held-out ones."
    )
    guardrail_margin_points: Decimal = strawberry.field(
        description="Tolerated drop in completion, in percentage points, before pausing (0-20; default 0)."
    )
    is_default: bool = strawberry.field(description="True when nothing was saved for this channel yet.")
    default_mode_reason: str | None = strawberry.field(
        default=None,
        description="Why an unsaved channel starts in offer mode (an EU/EEA currency: no pre-ticked extras).",
    )


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
    guardrail_enabled: bool | None = strawberry.UNSET
    guardrail_margin_points: Decimal | None = strawberry.UNSET


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


@strawberry.type(description="A product or variant of a suggestion, as Saleor names it.")
class SuggestionItem:
    id: strawberry.ID
    name: str | None = strawberry.field(
        description="null when Saleor could not be asked or no longer has it."
    )
    image_url: str | None


@strawberry.type(
    description="A pairing mined from the shop's orders (or a fallback), with its evidence. Listed once "
    "per pair, in the direction with the higher confidence."
)
class Suggestion:
    id: strawberry.ID
    channel: str
    level: str = strawberry.field(description="product or variant: what the ids below are.")
    source: str = strawberry.field(description="mined, merchant, category_best_seller...")
    antecedent_id: strawberry.ID = strawberry.field(description="What the shopper buys (the trigger).")
    consequent_id: strawberry.ID = strawberry.field(description="What to offer with it.")
    antecedent: SuggestionItem = strawberry.field(description="The trigger's name and picture.")
    consequent: SuggestionItem = strawberry.field(description="The offer's name and picture.")
    confidence: float | None = strawberry.field(
        description="Share of orders with the trigger that also had the offer (the direction shown)."
    )
    reverse_confidence: float | None = strawberry.field(
        description="Share of orders with the offer that also had the trigger (the other direction)."
    )
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
    week_start: date = strawberry.field(description="The Monday the week starts on (UTC).")
    iso_year: int
    iso_week: int
    shown: int
    accepted: int
    declined: int
    removed: int
    converted: int
    acceptance_rate: float | None = strawberry.field(description="accepted / shown; null when nothing shown.")
    revenue: list[Money] = strawberry.field(description="Accepted offers' amounts, per currency.")


@strawberry.type(description="A rule's offer figures over the whole period (all channels).")
class RuleTotals:
    rule_id: strawberry.ID
    rule_name: str | None = strawberry.field(description="null when the rule was deleted since.")
    shown: int
    accepted: int
    declined: int
    removed: int
    converted: int
    acceptance_rate: float | None
    revenue: list[Money] = strawberry.field(description="Accepted offers' amounts, per currency.")


@strawberry.type(description="Orders placed in a channel over the period, in one currency.")
class OrderValue:
    channel: str
    currency: str
    orders: int
    total: Decimal
    average: Decimal = strawberry.field(description="Average order value, rounded to the currency.")


ExperimentVerdict = strawberry.enum(
    VerdictKind, name="ExperimentVerdict", description="What the always-valid interval allows to say."
)
ExperimentMetric = strawberry.enum(MetricEnum, name="ExperimentMetric")


@strawberry.type(description="One arm of an experiment: the random holdout, or offers (or one variant).")
class ExperimentArm:
    arm: str = strawberry.field(description="`holdout`, `offers` (a rule without variants), or a variant.")
    checkouts: int = strawberry.field(description="Eligible checkouts assigned to the arm (the units).")
    orders: int = strawberry.field(description="Of those, the checkouts that became orders.")
    completion_rate: float | None
    revenue: Decimal = strawberry.field(description="Sum of the orders' totals.")
    revenue_per_checkout: Decimal | None = strawberry.field(
        description="Revenue / checkouts (abandoned checkouts count as 0): the primary metric."
    )
    average_order_value: Decimal | None = strawberry.field(description="Revenue / orders (descriptive).")


@strawberry.type(
    description="Treatment − holdout on one metric. Money in the currency, completion as a fraction "
    "(0.05 = 5 points). `low`/`high`: the always-valid 95% interval (valid however often it is looked "
    "at; null for average order value); `fixedLow`/`fixedHigh`: the fixed-horizon (Welch) interval."
)
class MetricDifference:
    metric: ExperimentMetric  # type: ignore[valid-type]
    estimate: Decimal | None
    relative: float | None = strawberry.field(description="estimate / the holdout's value.")
    low: Decimal | None
    high: Decimal | None
    fixed_low: Decimal | None
    fixed_high: Decimal | None


@strawberry.type(description="One variant of a rule against the holdout.")
class VariantResult:
    variant: str
    revenue_per_checkout: MetricDifference
    completion_rate: MetricDifference
    average_order_value: MetricDifference
    verdict: ExperimentVerdict  # type: ignore[valid-type]
    summary: str = strawberry.field(description='E.g. "raises revenue per checkout by $0.42 (…)".')


@strawberry.type(
    description="Offers vs the random holdout in one channel and currency, for all rules together "
    "(ruleId null) or one rule: every eligible checkout is a unit, whether or not it became an order."
)
class Experiment:
    channel: str
    currency: str
    rule_id: strawberry.ID | None
    rule_name: str | None
    arms: list[ExperimentArm] = strawberry.field(description="The holdout first, then the variants.")
    revenue_per_checkout: MetricDifference | None = strawberry.field(
        description="All variants together − holdout; null without both a holdout and a treatment."
    )
    completion_rate: MetricDifference | None
    average_order_value: MetricDifference | None
    verdict: ExperimentVerdict  # type: ignore[valid-type]
    completion_verdict: ExperimentVerdict  # type: ignore[valid-type]
    summary: str = strawberry.field(
        description='Plain words: "raises revenue per checkout by $0.42 (95% interval $0.10–$0.74); '
        'completion unchanged", or "not enough data yet (3,000 checkouts; about 13,000 more needed)".'
    )
    more_checkouts_needed: int | None = strawberry.field(
        description="With NOT_ENOUGH_DATA: checkouts still needed, at the current split, when known."
    )
    variants: list[VariantResult] = strawberry.field(description="Each variant vs the holdout (2+ variants).")


@strawberry.type(description="The completion guardrail paused a rule (set it disabled), and why.")
class RulePause:
    rule_id: strawberry.ID
    rule_name: str | None
    channel: str = strawberry.field(description="Where its checkouts completed less often.")
    reason: str = strawberry.field(description="In plain words, with the figures and the interval.")
    paused_at: datetime
    active: bool = strawberry.field(description="The rule is still paused (not enabled again since).")


@strawberry.type(description="A weekly digest the scheduler produced (the week's report as text and chart).")
class WeeklyDigest:
    week: str = strawberry.field(description="ISO week, e.g. 2026-W47.")
    week_start: date = strawberry.field(description="The Monday the week starts on.")
    created_at: datetime
    emailed_to: str | None = strawberry.field(description="Recipients, when it was e-mailed.")
    text: str
    chart_png_base64: str | None = strawberry.field(description="The chart as a base64 PNG.")


@strawberry.type
class Analytics:
    rules: list[RuleWeekStats] = strawberry.field(description="Per rule, channel and week.")
    rule_totals: list[RuleTotals]
    order_values: list[OrderValue]
    experiments: list[Experiment]


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


@strawberry.type(description="A category or a collection, for the rule editor's trigger pickers.")
class CatalogGroup:
    id: strawberry.ID
    name: str


@strawberry.type(description="Categories and collections found by catalogGroups.")
class CatalogGroups:
    categories: list[CatalogGroup]
    collections: list[CatalogGroup]


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
