"""Small helpers the post-purchase use cases share (repository construction, links, metadata writes)."""

from __future__ import annotations

import logging

from ..saleor.client import SaleorClient
from ..saleor.errors import SaleorApiError
from ..services import Services
from . import order_metadata as om
from .repository import PostPurchaseOfferRepository, StoredOffer
from .tokens import issue_token

log = logging.getLogger("saleor_upsell.postpurchase")
OFFER_TYPE = "post_purchase"


def offers_of(services: Services) -> PostPurchaseOfferRepository:
    # Built on demand: it holds nothing but the shared session factory.
    return PostPurchaseOfferRepository(services.sessions, services.engine.dialect.name)


def token_for(services: Services, offer: StoredOffer) -> str:
    return issue_token(
        services.settings.secret_key, offer.installation_id, offer.id, offer.order_id, offer.expires_at
    )


def offer_url(services: Services, token: str) -> str:
    return services.settings.absolute_url(f"/offers/{token}")


async def write_order_metadata(
    client: SaleorClient, order_id: str, metadata: dict[str, str], *, best_effort: bool
) -> bool:
    """``updateMetadata`` on the order; with ``best_effort`` a failure is logged, not raised."""
    try:
        await client.mutate(
            "OrderUpdateMetadata", {"id": order_id, "input": om.as_input(metadata)}, "updateMetadata"
        )
    except SaleorApiError as exc:
        if not best_effort:
            raise
        log.warning("order metadata not updated", extra={"order_id": order_id, "error": str(exc)})
        return False
    return True
