"""ORDER_CREATED step: choose a post-purchase offer, store it once, and publish it in the order metadata.

Idempotent: the offer row is unique per order, so a redelivery (or a retry after Saleor failed half-way)
finds the existing row and only (re)writes the metadata. An order the app itself prepared as a
follow-up for an accepted offer never gets an offer of its own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..inbox.repository import ClaimedEvent
from ..offers.models import PostPurchaseDecision
from ..offers.post_purchase import evaluate_post_purchase
from ..offers.spec import PostPurchaseRuleSpec
from ..services import Services
from ..social_proof_lookup import social_proof_copy, uses_social_proof
from ..store.events import NewEvent
from ..store.installations import InstallationData
from ..store.orders import CompactOrder
from . import order_metadata as om
from .common import OFFER_TYPE, log, offer_url, offers_of, token_for, write_order_metadata
from .repository import CONFIRM_PENDING, OPEN, NewOffer
from .snapshot import metadata_dict, order_snapshot_from_payload


async def make_post_purchase_offer(
    services: Services, installation: InstallationData, event: ClaimedEvent, order: CompactOrder
) -> None:
    payload = event.payload["order"]
    metadata = metadata_dict(payload.get("metadata"))
    if om.FOLLOW_UP_OF in metadata:
        return
    offers = offers_of(services)
    client = services.saleor_client(installation)
    offer = await offers.for_order(installation.id, order.order_id)
    if offer is None:
        decided = await _decide(services, installation, payload)
        if decided is None:
            return
        decision, product_name = decided
        offer, _ = await offers.create_once(
            installation.id,
            _new_offer(decision, payload, product_name),
            [_offered_event(decision, order)],
            services.clock(),
        )
    if offer.status != OPEN or metadata.get(om.OFFER_ID) == offer.id:
        return  # answered already, or this payload already shows the published offer
    token = token_for(services, offer)
    published = om.offer_metadata(
        offer_id=offer.id,
        variant_id=offer.variant_id,
        unit_price=offer.unit_price,
        regular_price=offer.regular_price,
        currency=offer.currency,
        expires_at=offer.expires_at,
        token=token,
        url=offer_url(services, token),
        headline=str(offer.presentation.get("headline", "")),
    )
    # Not best effort: if Saleor is away, the inbox retries and this step finds the row and writes again.
    await write_order_metadata(client, offer.order_id, published, best_effort=False)
    log.info("post-purchase offer made", extra={"order_id": offer.order_id, "offer_id": offer.id})


async def _decide(
    services: Services, installation: InstallationData, payload: dict[str, Any]
) -> tuple[PostPurchaseDecision, str] | None:
    """The engine's decision and the offered product's name, or None when no rule matches."""
    rules = await services.rules.list(installation.id, kinds=("post_purchase",), enabled=True)
    if not rules:
        return None
    snapshot = order_snapshot_from_payload(payload)
    settings = await services.rules.channel_settings(installation.id, snapshot.channel_slug)
    wanted = {r.spec.offer_variant_id for r in rules if isinstance(r.spec, PostPurchaseRuleSpec)}
    client = services.saleor_client(installation)
    pricing = await services.variant_pricing.get(client, snapshot.channel_slug, sorted(wanted))
    engine_rules = [rule.for_engine() for rule in rules]
    decision = evaluate_post_purchase(snapshot, engine_rules, settings, pricing, services.clock())
    if decision is None:
        return None
    offered = pricing[decision.variant_id]
    if uses_social_proof(decision.headline, *decision.benefits):
        proof = await social_proof_copy(
            services,
            installation.id,
            snapshot.channel_slug,
            _ordered_products(payload),
            offered.product_id,
            offered.name,
            settings.social_proof_min_orders,
        )
        decision = replace(
            decision,
            headline=proof.fill(decision.headline),
            benefits=tuple(text for text in map(proof.fill, decision.benefits) if text.strip()),
        )
    return decision, offered.name


def _ordered_products(payload: dict[str, Any]) -> dict[str, str]:
    """Product id -> name of what the shopper bought (the "X" of a social-proof figure)."""
    products: dict[str, str] = {}
    for line in payload.get("lines") or ():
        product = (line.get("variant") or {}).get("product") or {}
        if product.get("id"):
            products[str(product["id"])] = str(line.get("productName") or product["id"])
    return products


def _new_offer(decision: PostPurchaseDecision, payload: dict[str, Any], product_name: str) -> NewOffer:
    number = payload.get("number")
    return NewOffer(
        order_id=decision.order_id,
        order_number=str(number) if number is not None else None,
        rule_id=int(decision.rule_id),
        channel_slug=str(payload["channel"]["slug"]),
        variant_id=decision.variant_id,
        unit_price=decision.unit_price,
        regular_price=decision.regular_price,
        currency=decision.currency,
        presentation={
            "headline": decision.headline,
            "benefits": list(decision.benefits),
            "show_value_comparison": decision.show_value_comparison,
            "product_name": product_name,
            "add_to_same_order": decision.add_to_same_order,
        },
        # The order waited for this offer (it is still UNCONFIRMED): confirm it once the window closes.
        confirm_state=CONFIRM_PENDING if decision.add_to_same_order else None,
        # Whole seconds: the signed link carries the expiry in seconds and both must agree.
        expires_at=decision.expires_at.replace(microsecond=0),
    )


def _offered_event(decision: PostPurchaseDecision, order: CompactOrder) -> NewEvent:
    return NewEvent(
        kind="offered",
        offer_type=OFFER_TYPE,
        rule_id=int(decision.rule_id),
        checkout_id=order.checkout_id,
        order_id=decision.order_id,
        channel_slug=order.channel_slug,
        variant_id=decision.variant_id,
        amount=decision.unit_price,
        currency=decision.currency,
        details={
            "regular_price": str(decision.regular_price),
            "expires_at": decision.expires_at.isoformat(),
            "add_to_same_order": decision.add_to_same_order,
        },
    )
