"""The engine's verdict on a checkout as the app knows it: the one place that gathers the engine's inputs
(rules, channel settings, what this checkout already got or declined, offer pricing) and evaluates.

Used by the webhook step (which then applies the decisions) and by the storefront (which lists or
accepts offers), so both always see the same offers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..engine.evaluation import evaluate_checkout, offer_variant_ids_to_price
from ..engine.index import RuleIndex
from ..engine.spec import ChannelSettingsSpec
from ..engine.types import CheckoutHistory, CheckoutSnapshot, Evaluation, VariantPricing
from ..insights.experiments import VariantWeight, assign_variant
from ..kit.db import Database
from ..rules.cache import RuleIndexCache
from ..rules.gateway import VariantPricingCache
from ..saleor.client import SaleorClient
from .claims import ClaimStatus, OfferClaim

CHECKOUT_RULE_KINDS = ("bump", "upgrade")


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
        declined_rule_ids=frozenset(c.rule_id for c in claims if c.status == ClaimStatus.DECLINED),
        offered_rule_ids=frozenset(c.rule_id for c in claims),
    )


def variant_arms(checkout_id: str, index: RuleIndex) -> dict[int, str]:
    """For each rule with an A/B test, the variant this checkout sees: stable per checkout and rule
    (insights/experiments/assignment.py), in proportion to the variants' weights."""
    return {
        rule_id: assign_variant(
            checkout_id, rule_id, [VariantWeight(name, weight) for name, weight in weights]
        )
        for rule_id, weights in index.variant_weights.items()
    }


@dataclass(frozen=True, slots=True)
class Evaluator:
    """What evaluating a checkout reads: the rules (cached) and the catalogue (cached, from Saleor)."""

    db: Database
    rules: RuleIndexCache
    catalogue: VariantPricingCache

    async def evaluate(
        self,
        installation_id: int,
        client: SaleorClient,
        snapshot: CheckoutSnapshot,
        claims: Sequence[OfferClaim],
        now: datetime,
    ) -> CheckoutEvaluation:
        # A short read (no session at all while the cache is fresh), never held across the Saleor call.
        cached = self.rules.fresh(
            installation_id, CHECKOUT_RULE_KINDS, snapshot.channel_slug, snapshot.currency
        )
        if cached is not None:
            settings, index = cached
        else:
            async with self.db.read() as session:
                settings = await self.rules.channel_settings(
                    session, installation_id, snapshot.channel_slug, snapshot.currency
                )
                index = await self.rules.index(session, installation_id, CHECKOUT_RULE_KINDS)
        history = history_from_claims(claims)
        arms = variant_arms(snapshot.id, index)
        wanted = offer_variant_ids_to_price(snapshot, index, settings, history, now, arms=arms)
        pricing = await self.catalogue.get(client, snapshot.channel_slug, wanted)
        evaluation = evaluate_checkout(snapshot, index, settings, history, pricing, now, arms)
        return CheckoutEvaluation(settings, index, history, pricing, evaluation)
