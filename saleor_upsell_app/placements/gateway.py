"""Saleor for placements: a new checkout for a shopper who accepts on a product page before having one.
Saleor JSON stops here."""

from __future__ import annotations

from ..saleor.client import SaleorClient
from ..saleor.results import CheckoutLinesPayload


async def create_checkout(client: SaleorClient, channel: str, variant_id: str, quantity: int = 1) -> str:
    """The id of a new checkout in ``channel`` holding ``quantity`` of the viewed variant (its regular
    price); raises SaleorMutationError when Saleor refuses (unknown channel, variant not sold there)."""
    payload = await client.mutation(
        "CheckoutCreate",
        {"input": {"channel": channel, "lines": [{"variantId": variant_id, "quantity": quantity}]}},
        CheckoutLinesPayload,
    )
    if payload.checkout is None:  # Saleor answers errors instead; never null without them
        raise ValueError("checkoutCreate returned no checkout")
    return payload.checkout.id
