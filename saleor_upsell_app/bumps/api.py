"""GraphQL resolvers of the storefront: a checkout's opt-in offers, accept one, revert an upgrade.

No dashboard token: the checkout id is the capability. The use cases are in storefront.py; a refusal
becomes the payload's `errors` (mutations) or a top-level NOT_FOUND / SALEOR_UNAVAILABLE (the query).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from ..api import conversions as convert
from ..api import types as t
from ..api.context import ApiContext
from ..api.errors import NOT_FOUND, SALEOR_UNAVAILABLE, ApiError
from .storefront import Refusal, Refused, ShownOffer, Storefront

Ctx = Info[ApiContext, None]


def _storefront(context: ApiContext) -> Storefront:
    return context.storefront


def _offer(offer: ShownOffer) -> t.StorefrontOffer:
    return t.StorefrontOffer(
        rule_id=strawberry.ID(str(offer.rule_id)),
        kind=t.RuleKind(offer.kind),
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
        replaces_line_id=strawberry.ID(offer.replaces_line_id) if offer.replaces_line_id else None,
    )


def _errors(refused: Refused) -> list[t.UpsellError]:
    return convert.error(t.ErrorCode(refused.reason.value), refused.message, refused.field)


async def checkout_offers(info: Ctx, saleor_api_url: str, checkout_id: strawberry.ID) -> t.CheckoutOffers:
    storefront = _storefront(info.context)
    try:
        # Aliases listing the same checkout in one request share one read of it.
        listed = await info.context.once(
            ("checkoutOffers", saleor_api_url, str(checkout_id)),
            lambda: storefront.offers(saleor_api_url, str(checkout_id)),
        )
    except Refused as exc:
        code = NOT_FOUND if exc.reason is Refusal.NOT_FOUND else SALEOR_UNAVAILABLE
        raise ApiError(code, exc.message) from exc
    return t.CheckoutOffers(
        checkout_id=strawberry.ID(listed.checkout_id),
        channel=listed.channel,
        mode=t.ChannelMode(listed.mode),
        offers=[_offer(o) for o in listed.offers],
    )


async def accept_checkout_offer(
    info: Ctx, saleor_api_url: str, checkout_id: strawberry.ID, rule_id: strawberry.ID
) -> t.AcceptCheckoutOfferPayload:
    try:
        accepted = await _storefront(info.context).accept(saleor_api_url, str(checkout_id), str(rule_id))
    except Refused as exc:
        return t.AcceptCheckoutOfferPayload(line_id=None, offer=None, errors=_errors(exc))
    return t.AcceptCheckoutOfferPayload(
        line_id=strawberry.ID(accepted.line_id),
        offer=_offer(accepted.offer) if accepted.offer else None,
        errors=[],
    )


async def revert_upgrade(
    info: Ctx, saleor_api_url: str, checkout_id: strawberry.ID, line_id: strawberry.ID
) -> t.RevertUpgradePayload:
    try:
        restored = await _storefront(info.context).revert_upgrade(
            saleor_api_url, str(checkout_id), str(line_id)
        )
    except Refused as exc:
        return t.RevertUpgradePayload(line_id=None, errors=_errors(exc))
    return t.RevertUpgradePayload(line_id=strawberry.ID(restored), errors=[])
