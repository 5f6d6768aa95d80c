"""Storefront: a checkout's opt-in offers, accepting one, and reverting an upgrade.

No dashboard token: as in Saleor, the checkout id is the capability. Nothing the client sends sets a
price: accepting re-evaluates the checkout with the engine and applies the engine's own decision through
the webhook flow's exactly-once claim (CheckoutFlow.apply_offer), so an offer that is no longer eligible
(trigger gone, checkout in payment, already declined...) is refused with the engine's reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from ..checkout_evaluation import evaluate_for_checkout
from ..offers import metadata as md
from ..offers.index import RuleIndex
from ..offers.models import (
    AddBump,
    CheckoutSnapshot,
    Evaluation,
    Offer,
    SwapUpgrade,
    VariantPricing,
)
from ..offers.snapshot import checkout_snapshot_from_payload
from ..offers.spec import ChannelSettingsSpec
from ..saleor.client import SaleorClient
from ..saleor.errors import SaleorApiError, SaleorGraphQLError, SaleorMutationError
from ..services import Services
from ..social_proof_lookup import social_proof_copy, uses_social_proof
from ..store.checkout_offers import APPLIED, DECLINED, OfferClaim
from ..store.events import NewEvent, add_events
from ..store.installations import InstallationData
from ..store.models import OfferEvent
from ..webhooks.checkout import CheckoutFlow
from . import conversions as convert
from . import types as t
from .context import ApiContext
from .errors import NOT_FOUND, SALEOR_UNAVAILABLE, ApiError

log = logging.getLogger("saleor_upsell.api.storefront")

# Marks the line restored by a revert with the upgrade line it replaces, so a retried revert never
# adds the original twice.
REVERTED_FROM = md.PREFIX + "reverted-from"


class _Refused(Exception):
    def __init__(self, code: t.ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.errors = convert.error(code, message, field)


@dataclass(frozen=True, slots=True)
class CheckoutView:
    snapshot: CheckoutSnapshot
    claims: list[OfferClaim]
    settings: ChannelSettingsSpec
    evaluation: Evaluation
    pricing: dict[str, VariantPricing]
    index: RuleIndex
    shopper_products: dict[str, str]  # product id -> name, of the shopper's own lines


def _shopper_products(checkout: dict[str, Any]) -> dict[str, str]:
    products: dict[str, str] = {}
    for line in checkout.get("lines") or ():
        if md.read_marker({m["key"]: m["value"] for m in line.get("metadata") or ()}) is None:
            product = (line.get("variant") or {}).get("product") or {}
            if product.get("id"):
                products[str(product["id"])] = str(product.get("name") or product["id"])
    return products


async def _installation(services: Services, saleor_api_url: str) -> InstallationData:
    installation = await services.installations.get(saleor_api_url)
    if installation is None:
        raise _Refused(t.ErrorCode.NOT_FOUND, "The app is not installed in this Saleor.", "saleorApiUrl")
    return installation


async def _checkout(client: SaleorClient, checkout_id: str) -> dict[str, Any]:
    try:
        data = await client.execute("CheckoutSnapshot", {"id": checkout_id})
    except SaleorGraphQLError as exc:  # a malformed id is a top-level error on Saleor
        raise _Refused(t.ErrorCode.NOT_FOUND, "No such checkout.", "checkoutId") from exc
    except SaleorApiError as exc:
        raise _Refused(t.ErrorCode.SALEOR_ERROR, f"Saleor did not answer: {exc}") from exc
    checkout = data.get("checkout")
    if not checkout:
        raise _Refused(t.ErrorCode.NOT_FOUND, "No such checkout.", "checkoutId")
    return dict(checkout)


async def evaluate(
    services: Services, installation: InstallationData, client: SaleorClient, checkout_id: str
) -> CheckoutView:
    """The engine's view of the checkout as Saleor holds it now (the same inputs as the webhook flow)."""
    now = services.clock()
    checkout = await _checkout(client, checkout_id)
    snapshot = checkout_snapshot_from_payload(checkout, now)
    claims = await services.checkout_offers.for_checkout(installation.id, snapshot.id)
    verdict = await evaluate_for_checkout(services, installation.id, client, snapshot, claims, now)
    return CheckoutView(
        snapshot,
        claims,
        verdict.settings,
        verdict.evaluation,
        verdict.pricing,
        verdict.index,
        _shopper_products(checkout),
    )


async def _storefront_offer(
    services: Services, installation_id: int, view: CheckoutView, offer: Offer
) -> t.StorefrontOffer:
    action = offer.action
    variant_id = action.variant_id if isinstance(action, AddBump) else action.to_variant_id
    variant = view.pricing.get(variant_id)
    headline, reason = offer.headline, offer.reason
    if variant is not None and uses_social_proof(headline, reason):
        proof = await social_proof_copy(
            services,
            installation_id,
            view.snapshot.channel_slug,
            view.shopper_products,
            variant.product_id,
            variant.name,
            view.settings.social_proof_min_orders,
        )
        headline, reason = proof.fill(headline), proof.fill(reason)
    return t.StorefrontOffer(
        rule_id=strawberry.ID(offer.rule_id),
        kind=t.RuleKind(offer.kind),
        variant_id=strawberry.ID(variant_id),
        product_id=strawberry.ID(variant.product_id) if variant and variant.product_id else None,
        product_name=variant.name if variant else None,
        image_url=variant.thumbnail_url if variant else None,
        quantity=action.quantity,
        price=convert.money(action.unit_price, action.currency),
        regular_price=convert.money(action.regular_price, action.currency),
        headline=headline,
        reason=reason,
        badge=offer.badge,
        replaces_line_id=strawberry.ID(action.line_id) if isinstance(action, SwapUpgrade) else None,
    )


async def _log_shown(services: Services, installation_id: int, view: CheckoutView) -> None:
    """One "offered" event per checkout and rule the first time the storefront lists it (acceptance rate)."""
    if not view.evaluation.offers:
        return
    async with services.sessions() as session, session.begin():
        already = set(
            await session.scalars(
                select(OfferEvent.rule_id).where(
                    OfferEvent.installation_id == installation_id,
                    OfferEvent.checkout_id == view.snapshot.id,
                    OfferEvent.kind == "offered",
                )
            )
        )
        new = [
            NewEvent(
                kind="offered",
                offer_type=offer.kind,
                rule_id=int(offer.rule_id),
                checkout_id=view.snapshot.id,
                channel_slug=view.snapshot.channel_slug,
                variant_id=offer.action.variant_id
                if isinstance(offer.action, AddBump)
                else offer.action.to_variant_id,
                amount=offer.action.unit_price,
                currency=offer.action.currency,
                details={"surface": "storefront"},
            )
            for offer in view.evaluation.offers
            if int(offer.rule_id) not in already
        ]
        await add_events(session, installation_id, new, services.clock())


async def checkout_offers(
    info: Info[ApiContext, None], saleor_api_url: str, checkout_id: strawberry.ID
) -> t.CheckoutOffers:
    services = info.context.services
    try:
        installation = await _installation(services, saleor_api_url)
        view = await evaluate(services, installation, services.saleor_client(installation), checkout_id)
    except _Refused as exc:
        error = exc.errors[0]
        code = NOT_FOUND if error.code is t.ErrorCode.NOT_FOUND else SALEOR_UNAVAILABLE
        raise ApiError(code, error.message) from exc
    await _log_shown(services, installation.id, view)
    return t.CheckoutOffers(
        checkout_id=strawberry.ID(view.snapshot.id),
        channel=view.snapshot.channel_slug,
        mode=t.ChannelMode(view.settings.mode),
        offers=[await _storefront_offer(services, installation.id, view, o) for o in view.evaluation.offers],
    )


def _find_action(view: CheckoutView, rule_id: str) -> tuple[AddBump | SwapUpgrade, Offer | None] | None:
    for offer in view.evaluation.offers:
        if offer.rule_id == rule_id:
            return offer.action, offer
    for decision in view.evaluation.decisions:  # inject mode: accepting early is the same decision
        if isinstance(decision, AddBump | SwapUpgrade) and decision.rule_id == rule_id:
            return decision, None
    return None


def _refusal(view: CheckoutView, rule_id: str) -> _Refused:
    claim = next((c for c in view.claims if str(c.rule_id) == rule_id), None)
    if claim is not None and claim.status == APPLIED:
        return _Refused(t.ErrorCode.ALREADY_DONE, "This offer is already in the checkout.", "ruleId")
    skips = view.evaluation.skips
    skip = next((s for s in skips if s.rule_id == rule_id), None) or next(
        (s for s in skips if s.rule_id is None), None
    )
    if skip is not None:
        message = skip.message
    elif view.index.get(rule_id) is None:
        message = "There is no such offer (the rule is unknown or disabled)."
    else:
        message = "Nothing in the checkout triggers this offer."
    return _Refused(t.ErrorCode.NOT_ELIGIBLE, message, "ruleId")


async def accept_checkout_offer(
    info: Info[ApiContext, None], saleor_api_url: str, checkout_id: strawberry.ID, rule_id: strawberry.ID
) -> t.AcceptCheckoutOfferPayload:
    services = info.context.services
    try:
        installation = await _installation(services, saleor_api_url)
        client = services.saleor_client(installation)
        view = await evaluate(services, installation, client, checkout_id)
        found = _find_action(view, str(rule_id))
        if found is None:
            raise _refusal(view, str(rule_id))
        action, offer = found
        flow = CheckoutFlow(services, installation, client)
        flow.log_context["checkout_id"] = view.snapshot.id
        try:
            line_id = await flow.apply_offer(view.snapshot, action, "accepted")
        except SaleorApiError as exc:
            log.warning("accepting an offer failed", extra={**flow.log_context, "error": str(exc)})
            raise _Refused(t.ErrorCode.SALEOR_ERROR, "Saleor did not take the offer; try again.") from exc
        if line_id is None:
            claims = await services.checkout_offers.for_checkout(installation.id, view.snapshot.id)
            claim = next((c for c in claims if str(c.rule_id) == str(rule_id)), None)
            if claim is not None and claim.status == APPLIED:
                raise _Refused(t.ErrorCode.ALREADY_DONE, "This offer is already in the checkout.", "ruleId")
            raise _Refused(t.ErrorCode.OFFER_FAILED, "The offer could not be added to the checkout.")
    except _Refused as exc:
        return t.AcceptCheckoutOfferPayload(line_id=None, offer=None, errors=exc.errors)
    return t.AcceptCheckoutOfferPayload(
        line_id=strawberry.ID(line_id),
        offer=await _storefront_offer(services, installation.id, view, offer) if offer else None,
        errors=[],
    )


async def _mutate(client: SaleorClient, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
    try:
        payload = await client.mutate(operation, variables)
    except SaleorMutationError as exc:
        raise _Refused(t.ErrorCode.SALEOR_ERROR, str(exc)) from exc
    except SaleorApiError as exc:
        raise _Refused(t.ErrorCode.SALEOR_ERROR, "Saleor did not answer; try again.") from exc
    return dict(payload.get("checkout") or {})


async def _restore_original(
    client: SaleorClient,
    snapshot: CheckoutSnapshot,
    upgrade_line_id: str,
    marker: md.UpsellMarker,
    quantity: int,
) -> str:
    """Add the original variant back once; a retry finds the line by its REVERTED_FROM mark."""
    for line in snapshot.lines:
        if line.metadata.get(REVERTED_FROM) == upgrade_line_id:
            return line.id
    assert marker.original_variant_id is not None
    line_input = {
        "variantId": marker.original_variant_id,
        "quantity": marker.original_quantity or quantity,
        "forceNewLine": True,
        "metadata": [{"key": REVERTED_FROM, "value": upgrade_line_id}],
    }
    checkout = await _mutate(client, "CheckoutLinesAdd", {"id": snapshot.id, "lines": [line_input]})
    for line in checkout.get("lines") or ():
        if any(
            m["key"] == REVERTED_FROM and m["value"] == upgrade_line_id for m in line.get("metadata") or ()
        ):
            return str(line["id"])
    raise _Refused(t.ErrorCode.SALEOR_ERROR, "Saleor did not add the original item back.")


async def revert_upgrade(
    info: Info[ApiContext, None], saleor_api_url: str, checkout_id: strawberry.ID, line_id: strawberry.ID
) -> t.RevertUpgradePayload:
    services = info.context.services
    try:
        installation = await _installation(services, saleor_api_url)
        client = services.saleor_client(installation)
        snapshot = checkout_snapshot_from_payload(await _checkout(client, checkout_id), services.clock())
        claims = await services.checkout_offers.for_checkout(installation.id, snapshot.id)
        line = next((line for line in snapshot.lines if line.id == str(line_id)), None)
        claim = next((c for c in claims if c.line_id == str(line_id) and c.kind == "upgrade"), None)
        if line is None:
            if claim is not None and claim.status == DECLINED:
                raise _Refused(t.ErrorCode.ALREADY_DONE, "The upgrade was already reverted.", "lineId")
            raise _Refused(t.ErrorCode.NOT_FOUND, "No such line in the checkout.", "lineId")
        marker = md.read_marker(line.metadata)
        # Line metadata is public: only a line the app itself swapped in (its claim) is reverted.
        if (
            marker is None
            or marker.kind != "upgrade"
            or marker.original_variant_id is None
            or claim is None
            or str(claim.rule_id) != marker.rule_id
        ):
            raise _Refused(
                t.ErrorCode.NOT_AN_UPGRADE, "This line is not an upgrade made by the app.", "lineId"
            )
        if claim.status not in (APPLIED, DECLINED):
            raise _Refused(t.ErrorCode.NOT_ELIGIBLE, f"The upgrade is {claim.status}.", "lineId")
        restored = await _restore_original(client, snapshot, line.id, marker, line.quantity)
        if claim.status == APPLIED:
            # Declined before the delete, so the webhook flow never reads the missing line as a removal.
            event = NewEvent(
                kind="declined",
                offer_type="upgrade",
                rule_id=claim.rule_id,
                checkout_id=snapshot.id,
                channel_slug=snapshot.channel_slug,
                variant_id=claim.variant_id,
                details={"reverted_to_line_id": restored},
            )
            await services.checkout_offers.transition(
                installation.id, claim.id, DECLINED, services.clock(), events=[event]
            )
        await _mutate(client, "CheckoutLinesDelete", {"id": snapshot.id, "linesIds": [line.id]})
    except _Refused as exc:
        return t.RevertUpgradePayload(line_id=None, errors=exc.errors)
    return t.RevertUpgradePayload(line_id=strawberry.ID(restored), errors=[])
