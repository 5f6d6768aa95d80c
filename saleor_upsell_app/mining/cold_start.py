"""What to suggest when the shop has too little order history, and where each suggestion came from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from saleor_upsell_app.mining.baskets import Baskets
from saleor_upsell_app.mining.pairs import Pair, PairTable, PairThresholds, mine_pairs


class SuggestionSource(StrEnum):
    MERCHANT = "merchant"
    MINED = "mined"
    CATEGORY_BEST_SELLER = "category_best_seller"


@dataclass(frozen=True, slots=True)
class MiningStatus:
    orders: int
    required: int

    @property
    def enough_orders(self) -> bool:
        return self.orders >= self.required

    @property
    def message(self) -> str:
        if self.enough_orders:
            return f"mined from {self.orders} orders"
        return f"not enough orders ({self.orders} of {self.required} needed)"


@dataclass(frozen=True, slots=True)
class MiningOutcome:
    status: MiningStatus
    table: PairTable | None


@dataclass(frozen=True, slots=True)
class Suggestion:
    trigger: str
    suggested: str
    source: SuggestionSource


def mine_if_enough_orders(
    baskets: Baskets, thresholds: PairThresholds, min_orders: int, *, workers: int = 2
) -> MiningOutcome:
    """Mine only with at least ``min_orders`` orders; otherwise say how many are missing."""
    status = MiningStatus(orders=baskets.n_baskets, required=min_orders)
    if not status.enough_orders:
        return MiningOutcome(status=status, table=None)
    return MiningOutcome(status=status, table=mine_pairs(baskets, thresholds, workers=workers))


def suggest_for(
    trigger: str,
    *,
    mined: Sequence[Pair],
    merchant_pairings: Mapping[str, Sequence[str]],
    category_of: Mapping[str, str],
    best_sellers_by_category: Mapping[str, Sequence[str]],
    limit: int,
) -> list[Suggestion]:
    """Merchant's own pairings first (their explicit choice), then mined pairs, then category best sellers.

    Each item is suggested once, under the first source that names it; never the trigger itself.
    """
    candidates: list[Suggestion] = [
        Suggestion(trigger, item, SuggestionSource.MERCHANT) for item in merchant_pairings.get(trigger, ())
    ]
    candidates += [
        Suggestion(trigger, pair.consequent, SuggestionSource.MINED)
        for pair in mined
        if pair.antecedent == trigger
    ]
    category = category_of.get(trigger)
    if category is not None:
        candidates += [
            Suggestion(trigger, item, SuggestionSource.CATEGORY_BEST_SELLER)
            for item in best_sellers_by_category.get(category, ())
        ]
    chosen: list[Suggestion] = []
    seen = {trigger}
    for candidate in candidates:
        if candidate.suggested not in seen and len(chosen) < limit:
            seen.add(candidate.suggested)
            chosen.append(candidate)
    return chosen
