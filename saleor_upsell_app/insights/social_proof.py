"""The `{social_proof}` placeholder in offer copy, filled from mined evidence of this merchant's orders.

Only a mined product pair (cart product → offered product) in the same channel can back a figure, and
only above the channel's minimum number of orders (`social_proof_min_orders`), floored to a whole
percent (mining/social_proof.py); otherwise the placeholder simply disappears.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ..mining.social_proof import PLACEHOLDER, SocialProof, fill_social_proof, social_proof_figure
from .suggestions.repository import SuggestionRepository


@dataclass(frozen=True, slots=True)
class SocialProofCopy:
    figure: SocialProof | None
    bought: str
    added: str

    def fill(self, copy: str) -> str:
        return fill_social_proof(copy, self.figure, bought=self.bought, added=self.added)


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
    best: tuple[SocialProof, str] | None = None
    for row in rows:
        together = int(row.evidence.get("support_count", 0))
        antecedent = int(row.evidence.get("antecedent_orders", 0))
        if together > antecedent:
            continue  # evidence from an older format: no figure rather than a wrong one
        figure = social_proof_figure(together, antecedent, min_orders)
        if figure is not None and (best is None or figure.percent > best[0].percent):
            best = (figure, cart_products[row.antecedent_id])
    if best is None:
        return SocialProofCopy(None, "", offered_name)
    return SocialProofCopy(best[0], best[1], offered_name)


def uses_social_proof(*copies: str | None) -> bool:
    return any(copy is not None and PLACEHOLDER in copy for copy in copies)
