"""The engine's verdict on a checkout as the app knows it: the one place that gathers the engine's inputs
(rules, channel settings, what this checkout already got or declined, offer pricing) and evaluates.

Used by the webhook flow (which then applies the decisions) and by the storefront API (which lists or
accepts offers), so both always see the same offers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .offers.engine import evaluate_checkout, offer_variant_ids_to_price
from .offers.index import RuleIndex
from .offers.models import CheckoutHistory, CheckoutSnapshot, Evaluation, VariantPricing
from .offers.spec import ChannelSettingsSpec
from .saleor.client import SaleorClient
from .services import Services
from .store.checkout_offers import DECLINED, OfferClaim


@dataclass(frozen=True, slots=True)
class CheckoutEvaluation:
    settings: ChannelSettingsSpec
    index: RuleIndex
    history: CheckoutHistory
    pricing: dict[str, VariantPricing]
    evaluation: Evaluation


def history_from_claims(claims: Sequence[OfferClaim]) -> CheckoutHistory:
    """Every offer ever claimed on the checkout counts as offered (never again); declines are final."""
    return CheckoutHistory(
        declined_rule_ids=frozenset(str(c.rule_id) for c in claims if c.status == DECLINED),
        offered_rule_ids=frozenset(str(c.rule_id) for c in claims),
    )


async def evaluate_for_checkout(
    services: Services,
    installation_id: int,
    client: SaleorClient,
    snapshot: CheckoutSnapshot,
    claims: Sequence[OfferClaim],
    now: datetime,
) -> CheckoutEvaluation:
    settings = await services.rule_indexes.channel_settings(installation_id, snapshot.channel_slug)
    index = await services.rule_indexes.index(installation_id, ("bump", "upgrade"))
    history = history_from_claims(claims)
    wanted = offer_variant_ids_to_price(snapshot, index, settings, history, now)
    pricing = await services.variant_pricing.get(client, snapshot.channel_slug, wanted)
    evaluation = evaluate_checkout(snapshot, index, settings, history, pricing, now)
    return CheckoutEvaluation(settings, index, history, pricing, evaluation)
