"""The app's GraphQL schema, merged from each feature's resolvers (rules, insights, bumps, post-purchase,
placements): dashboard fields (staff token) and storefront fields (checkout id; order id or token; offer
token; placements). Field order is the contract's order (graphql/api.graphql), so it is listed here once
rather than concatenated per feature.

Auth (dashboard fields): headers ``authorization-bearer: <dashboard JWT>`` and ``saleor-api-url``.
Reads need a valid staff token of that installation; writes (rules, channel settings, suggestions) also
need the staff user's ``MANAGE_DISCOUNTS`` permission. Refusals are GraphQL errors (HTTP 200) with
``extensions.code`` UNAUTHENTICATED (missing/bad/expired token, unknown installation; the detail is in
``extensions.reason``) or PERMISSION_DENIED. Bad input never raises: mutations answer ``errors``.
"""

from __future__ import annotations

import strawberry
from strawberry.extensions import MaskErrors

from ..bumps import api as bumps_api
from ..insights import api as insights_api
from ..placements import api as placements_api
from ..placements import types as pt
from ..postpurchase import api as postpurchase_api
from ..rules import api as rules_api
from . import types as t
from .document_cache import DocumentCache, DocumentLru
from .errors import AppSchema, should_mask
from .limits import RequestLimits, StorefrontRateLimit

# The process's parsed and validated documents, by query text (api/document_cache.py).
documents = DocumentLru()


@strawberry.type
class Query:
    rules: list[t.Rule] = strawberry.field(
        resolver=rules_api.rules, description="The shop's rules, oldest first. Staff."
    )
    rule: t.Rule | None = strawberry.field(resolver=rules_api.rule, description="One rule by id. Staff.")
    channels: list[t.SaleorChannel] = strawberry.field(
        resolver=rules_api.channels, description="The shop's Saleor channels. Staff."
    )
    channel_settings: list[t.ChannelSettings] = strawberry.field(
        resolver=rules_api.all_channel_settings,
        description="Every channel's settings (saved ones, then other Saleor channels' defaults). Staff.",
    )
    channel_setting: t.ChannelSettings = strawberry.field(
        resolver=rules_api.channel_setting, description="Settings of one channel. Staff."
    )
    suggestions: list[t.Suggestion] = strawberry.field(
        resolver=insights_api.suggestions_list, description="Pair suggestions (default: status NEW). Staff."
    )
    analytics: t.Analytics = strawberry.field(
        resolver=insights_api.analytics,
        description="Offer results per rule/channel/week and holdout lift. Staff.",
    )
    guardrail_pauses: list[t.RulePause] = strawberry.field(
        resolver=insights_api.guardrail_pauses,
        description="Rules the completion guardrail paused, newest first. Staff.",
    )
    digests: list[t.WeeklyDigest] = strawberry.field(
        resolver=insights_api.digests,
        description="Weekly digests produced by the scheduler, newest first (text and chart). Staff.",
    )
    rule_preview: t.RulePreview = strawberry.field(
        resolver=rules_api.rule_preview,
        description="Price and guardrail warnings of a rule (saved or not) in a channel. Staff.",
    )
    catalog_search: list[t.CatalogProduct] = strawberry.field(
        resolver=rules_api.catalog_search,
        description="Products and their variants priced in a channel, for pickers. Staff.",
    )
    catalog_groups: t.CatalogGroups = strawberry.field(
        resolver=rules_api.catalog_groups,
        description="Categories and collections by name (search) or by id, for trigger pickers. Staff.",
    )
    catalog_items: list[t.SuggestionItem] = strawberry.field(
        resolver=rules_api.catalog_items,
        description="Names and thumbnails of products and variants by id (at most 100), in order. Staff.",
    )
    order_offers: list[t.OrderOfferEvent] = strawberry.field(
        resolver=insights_api.order_offers,
        description="Offers around one order (its checkout's bumps and its post-purchase offer). Staff.",
    )
    checkout_offers: t.CheckoutOffers = strawberry.field(
        resolver=bumps_api.checkout_offers,
        description="Storefront: the checkout's opt-in offers (offer-mode channels). No token needed.",
        extensions=[StorefrontRateLimit()],
    )
    post_purchase_offer: postpurchase_api.PostPurchaseOffer | None = strawberry.field(
        resolver=postpurchase_api.post_purchase_offer,
        extensions=[StorefrontRateLimit()],
        description="Storefront: the post-purchase offer of an order, by its id or token. No token needed.",
    )
    placements: pt.PlacementOffers = strawberry.field(
        resolver=placements_api.placements,
        description="Storefront: the offers for one placement (PRODUCT needs variantId, CART/CHECKOUT "
        "checkoutId, THANK_YOU orderId). No token needed.",
        extensions=[StorefrontRateLimit()],
    )


@strawberry.type
class Mutation:
    rule_create: t.RulePayload = strawberry.field(
        resolver=rules_api.rule_create, description="MANAGE_DISCOUNTS."
    )
    rule_update: t.RulePayload = strawberry.field(
        resolver=rules_api.rule_update, description="Replace a rule's definition. MANAGE_DISCOUNTS."
    )
    rule_set_enabled: t.RulePayload = strawberry.field(
        resolver=rules_api.rule_set_enabled, description="Enable or disable a rule. MANAGE_DISCOUNTS."
    )
    rule_variant_promote: t.RulePayload = strawberry.field(
        resolver=rules_api.rule_variant_promote,
        description="End a rule's A/B test: the variant's offer, price and copy become the rule's. "
        "MANAGE_DISCOUNTS.",
    )
    rule_delete: t.RuleDeletePayload = strawberry.field(
        resolver=rules_api.rule_delete, description="MANAGE_DISCOUNTS."
    )
    channel_settings_update: t.ChannelSettingsPayload = strawberry.field(
        resolver=rules_api.channel_settings_update,
        description="Change a channel's settings (omitted fields keep their value). MANAGE_DISCOUNTS.",
    )
    suggestion_accept: t.SuggestionPayload = strawberry.field(
        resolver=insights_api.suggestion_accept,
        description="Create a bump rule from a suggestion. MANAGE_DISCOUNTS.",
    )
    suggestion_dismiss: t.SuggestionPayload = strawberry.field(
        resolver=insights_api.suggestion_dismiss, description="MANAGE_DISCOUNTS."
    )
    accept_checkout_offer: t.AcceptCheckoutOfferPayload = strawberry.field(
        resolver=bumps_api.accept_checkout_offer,
        description="Storefront: add an offer to the checkout at the rule's price (exactly once).",
        extensions=[StorefrontRateLimit()],
    )
    revert_upgrade: t.RevertUpgradePayload = strawberry.field(
        resolver=bumps_api.revert_upgrade,
        description="Storefront: swap an upgraded line back to the original variant and quantity.",
        extensions=[StorefrontRateLimit()],
    )
    accept_post_purchase_offer: postpurchase_api.AcceptPostPurchaseOfferPayload = strawberry.field(
        resolver=postpurchase_api.accept_post_purchase_offer,
        extensions=[StorefrontRateLimit()],
        description="Storefront: accept a post-purchase offer (exactly once) by its token.",
    )
    decline_post_purchase_offer: postpurchase_api.DeclinePostPurchaseOfferPayload = strawberry.field(
        resolver=postpurchase_api.decline_post_purchase_offer,
        extensions=[StorefrontRateLimit()],
        description="Storefront: decline a post-purchase offer by its token.",
    )
    placement_accept: pt.PlacementAcceptPayload = strawberry.field(
        resolver=placements_api.placement_accept,
        description="Storefront: accept a placement's offer (exactly once; prices set by the server).",
        extensions=[StorefrontRateLimit()],
    )
    placement_decline: pt.PlacementDeclinePayload = strawberry.field(
        resolver=placements_api.placement_decline,
        description="Storefront: the shopper declined a placement's offer; it is not offered again.",
        extensions=[StorefrontRateLimit()],
    )


schema = AppSchema(
    query=Query,
    mutation=Mutation,
    # Factories: MaskErrors and DocumentCache keep per-operation state, so each execution gets its own.
    # RequestLimits (api/limits.py) adds its validation rules before the cache looks a document up, and
    # the cache keys on the rules in force, so a cached document has passed the limits too.
    extensions=[
        RequestLimits,
        lambda: MaskErrors(should_mask_error=should_mask),
        lambda: DocumentCache(documents),
    ],
)
