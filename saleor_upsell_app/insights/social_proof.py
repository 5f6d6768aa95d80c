"""The `{social_proof}` placeholder in offer copy, filled from mined evidence of this merchant's orders.

Only a mined product pair (cart product → offered product) in the same channel can back a figure, and
only above the channel's minimum number of orders (`social_proof_min_orders`), floored to a whole
percent (mining/social_proof.py); otherwise the placeholder simply disappears. The pair behind it is
kept as the offer's evidence ("why this offer"), shown by the storefront placements.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ..kit.db import Database
from ..mining.social_proof import PLACEHOLDER, SocialProof, fill_social_proof, social_proof_figure
from .suggestions.repository import StoredSuggestion, SuggestionRepository


@dataclass(frozen=True, slots=True)
class MinedPair:
    """The mined evidence that shoppers of ``antecedent_id`` also buy the offered product."""

    antecedent_id: str
    together_orders: int
    antecedent_orders: int
    confidence: float
    lift: float


@dataclass(frozen=True, slots=True)
class SocialProofCopy:
    figure: SocialProof | None
    bought: str
    added: str
    # The pair behind the figure, or (no figure: too few orders) the strongest mined pair, if any.
    pair: MinedPair | None = None

    def fill(self, copy: str) -> str:
        return fill_social_proof(copy, self.figure, bought=self.bought, added=self.added)

    @property
    def sentence(self) -> str | None:
        return self.figure.sentence(self.bought, self.added) if self.figure is not None else None


def _pair(row: StoredSuggestion) -> MinedPair:
    evidence = row.evidence
    return MinedPair(
        antecedent_id=row.antecedent_id,
        together_orders=int(evidence.get("support_count", 0)),
        antecedent_orders=int(evidence.get("antecedent_orders", 0)),
        confidence=float(evidence.get("confidence", 0.0)),
        lift=float(evidence.get("lift", 0.0)),
    )


async def social_proof_copy(
    session: AsyncSession,
    installation_id: int,
    channel_slug: str,
    cart_products: Mapping[str, str],
    offered_product_id: str,
    offered_name: str,
    min_orders: int,
) -> SocialProofCopy:
    """The strongest honest figure for the offered product among the products in the cart."""
    rows = await SuggestionRepository(session).mined_pairs_into(
        installation_id, channel_slug, offered_product_id, list(cart_products)
    )
    return best_social_proof(rows, cart_products, offered_name, min_orders)


def best_social_proof(
    rows: Sequence[StoredSuggestion], cart_products: Mapping[str, str], offered_name: str, min_orders: int
) -> SocialProofCopy:
    """The strongest honest figure among mined pairs into the offered product (pure)."""
    best: tuple[SocialProof, StoredSuggestion] | None = None
    strongest: StoredSuggestion | None = None
    for row in rows:
        together = int(row.evidence.get("support_count", 0))
        antecedent = int(row.evidence.get("antecedent_orders", 0))
        if together > antecedent:
            continue  # evidence from an older format: no figure rather than a wrong one
        if strongest is None or _pair(row).confidence > _pair(strongest).confidence:
            strongest = row
        figure = social_proof_figure(together, antecedent, min_orders)
        if figure is not None and (best is None or figure.percent > best[0].percent):
            best = (figure, row)
    if best is None:
        return SocialProofCopy(None, "", offered_name, _pair(strongest) if strongest else None)
    figure, row = best
    return SocialProofCopy(figure, cart_products[row.antecedent_id], offered_name, _pair(row))


class MinedPairsCache:
    """Mined pairs into a product from a set of products, per installation and channel, kept for
    ``ttl_seconds``: they change only when mining runs, and the product-page placement reads them on
    every view. Bounded: the oldest entries go first."""

    def __init__(self, db: Database, ttl_seconds: float = 60.0, max_entries: int = 50_000) -> None:
        self._db = db
        self._ttl = ttl_seconds
        self._max = max_entries
        self._entries: dict[tuple[int, str, str, frozenset[str]], tuple[float, list[StoredSuggestion]]] = {}

    async def social_proof(
        self,
        installation_id: int,
        channel_slug: str,
        cart_products: Mapping[str, str],
        offered_product_id: str,
        offered_name: str,
        min_orders: int,
    ) -> SocialProofCopy:
        key = (installation_id, channel_slug, offered_product_id, frozenset(cart_products))
        now = time.monotonic()
        cached = self._entries.get(key)
        if cached is None or cached[0] <= now:
            async with self._db.read() as session:
                rows = await SuggestionRepository(session).mined_pairs_into(
                    installation_id, channel_slug, offered_product_id, list(cart_products)
                )
            if len(self._entries) >= self._max:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = (now + self._ttl, rows)
        else:
            rows = cached[1]
        return best_social_proof(rows, cart_products, offered_name, min_orders)

    def forget(self) -> None:
        self._entries.clear()


def uses_social_proof(*copies: str | None) -> bool:
    return any(copy is not None and PLACEHOLDER in copy for copy in copies)
