"""GraphQL resolvers of placements: the offers for a spot, accept one, decline one. A refusal becomes a
mutation's `errors`, or a top-level NOT_FOUND / SALEOR_UNAVAILABLE / BAD_REQUEST (the query)."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from ..api import conversions as convert
from ..api import types as t
from ..api.context import ApiContext
from ..api.errors import NOT_FOUND, SALEOR_UNAVAILABLE, ApiError
from . import types as pt
from .models import Placement, PlacementOffer, PlacementRefusal, PlacementRefused

Ctx = Info[ApiContext, None]
BAD_REQUEST = "BAD_REQUEST"


def _id(value: strawberry.ID | None) -> str | None:
    return str(value) if value else None


def _offer(offer: PlacementOffer) -> pt.PlacementOffer:
    why, pair = offer.why, offer.why.pair
    return pt.PlacementOffer(
        key=strawberry.ID(offer.key),
        kind=pt.PlacementOfferKind(offer.kind),
        variant_id=strawberry.ID(offer.variant_id),
        product_id=strawberry.ID(offer.product_id) if offer.product_id else None,
        product_name=offer.product_name,
        image_url=offer.image_url,
        quantity=offer.quantity,
        price=convert.money(offer.unit_price, offer.currency),
        regular_price=convert.money(offer.regular_price, offer.currency),
        headline=offer.headline,
        reason=offer.reason,
        badge=offer.badge,
        social_proof=offer.social_proof,
        why=pt.OfferReason(
            source=pt.OfferSource(why.source.value),
            rule_id=strawberry.ID(str(why.rule_id)) if why.rule_id is not None else None,
            rule_name=why.rule_name,
            evidence=pt.MinedEvidence(
                product_id=strawberry.ID(pair.antecedent_id),
                orders_together=pair.together_orders,
                orders_with_product=pair.antecedent_orders,
                confidence=pair.confidence,
                lift=pair.lift,
            )
            if pair is not None
            else None,
        ),
        accept_with=cast(JSON, offer.accept_with),
        offer_url=offer.offer_url,
        expires_at=offer.expires_at,
        replaces_line_id=strawberry.ID(offer.replaces_line_id) if offer.replaces_line_id else None,
    )


def _errors(refused: PlacementRefused) -> list[t.UpsellError]:
    return convert.error(t.ErrorCode(refused.reason.value), refused.message, refused.field)


def _placement(value: pt.Placement) -> Placement:
    return Placement(value.value)


async def placements(
    info: Ctx,
    saleor_api_url: str,
    channel: str,
    placement: pt.Placement,
    product_id: strawberry.ID | None = None,
    variant_id: strawberry.ID | None = None,
    checkout_id: strawberry.ID | None = None,
    order_id: strawberry.ID | None = None,
) -> pt.PlacementOffers:
    try:
        placed = await info.context.placements.offers(
            saleor_api_url,
            channel,
            _placement(placement),
            product_id=_id(product_id),
            variant_id=_id(variant_id),
            checkout_id=_id(checkout_id),
            order_id=_id(order_id),
        )
    except PlacementRefused as exc:
        if exc.reason is PlacementRefusal.NOT_FOUND:
            code = NOT_FOUND
        elif exc.reason is PlacementRefusal.SALEOR_ERROR:
            code = SALEOR_UNAVAILABLE
        else:
            code = BAD_REQUEST
        raise ApiError(code, exc.message, reason=exc.field) from exc
    return pt.PlacementOffers(
        placement=placement,
        channel=placed.channel,
        checkout_id=strawberry.ID(placed.checkout_id) if placed.checkout_id else None,
        offers=[_offer(o) for o in placed.offers],
    )


async def placement_accept(
    info: Ctx,
    saleor_api_url: str,
    channel: str,
    placement: pt.Placement,
    key: strawberry.ID,
    product_id: strawberry.ID | None = None,
    variant_id: strawberry.ID | None = None,
    checkout_id: strawberry.ID | None = None,
    order_id: strawberry.ID | None = None,
) -> pt.PlacementAcceptPayload:
    try:
        accepted = await info.context.placements.accept(
            saleor_api_url,
            channel,
            _placement(placement),
            str(key),
            product_id=_id(product_id),
            variant_id=_id(variant_id),
            checkout_id=_id(checkout_id),
            order_id=_id(order_id),
        )
    except PlacementRefused as exc:
        made = exc.checkout_id
        return pt.PlacementAcceptPayload(
            result=None,
            line_id=None,
            checkout_id=strawberry.ID(made) if made else None,
            created_checkout=made is not None,
            order_id=None,
            errors=_errors(exc),
        )
    return pt.PlacementAcceptPayload(
        result=pt.AcceptResult(accepted.result.value),
        line_id=strawberry.ID(accepted.line_id),
        checkout_id=strawberry.ID(accepted.checkout_id) if accepted.checkout_id else None,
        created_checkout=accepted.created_checkout,
        order_id=strawberry.ID(accepted.order_id) if accepted.order_id else None,
        errors=[],
    )


async def placement_decline(
    info: Ctx,
    saleor_api_url: str,
    channel: str,
    placement: pt.Placement,
    key: strawberry.ID,
    checkout_id: strawberry.ID | None = None,
    order_id: strawberry.ID | None = None,
) -> pt.PlacementDeclinePayload:
    try:
        recorded = await info.context.placements.decline(
            saleor_api_url,
            channel,
            _placement(placement),
            str(key),
            checkout_id=_id(checkout_id),
            order_id=_id(order_id),
        )
    except PlacementRefused as exc:
        return pt.PlacementDeclinePayload(recorded=False, errors=_errors(exc))
    return pt.PlacementDeclinePayload(recorded=recorded, errors=[])
