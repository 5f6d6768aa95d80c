"""Placements as a service: the offers for one spot, accepting one, declining one.

PRODUCT  engine on the product page (product.py): cached rules and settings, cached catalogue pricing of
         the viewed and offered variants (no Saleor call while warm), the shopper's checkout claims
         (declines, what was already offered) when a checkout id is given. Accepting adds the pair to
         the shopper's checkout: the viewed variant at its own price when it is not there yet (a new
         checkout when there is none), then the offer through the checkout accept (exactly once).
CART,    the checkout's engine offers (bumps.storefront), accepted through the same path.
CHECKOUT
THANK_YOU the order's open post-purchase offer (thank_you.py), accepted or declined through
         post-purchase's shopper actions.
Prices always come from the server: the engine's offer price and the catalogue's regular price.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from ..bumps.claims import OfferClaim
from ..bumps.evaluation import CHECKOUT_RULE_KINDS, Evaluator, history_from_claims
from ..bumps.exposure import exposure_event
from ..bumps.gateway import CheckoutLines
from ..bumps.storefront import Refused, ShownOffer, Storefront, shown_offer
from ..engine import metadata as md
from ..engine.ids import global_id_type
from ..engine.index import RuleIndex
from ..engine.spec import ChannelSettingsSpec
from ..engine.types import CheckoutSnapshot, Evaluation, VariantPricing
from ..insights import events as event_log
from ..insights.events import EXPOSURE_KINDS, EventLog
from ..insights.social_proof import MinedPairsCache
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import Database
from ..postpurchase.errors import (
    OfferAlreadyAnswered,
    OfferError,
    OfferExpired,
    OfferFailed,
    OfferInProgress,
    OfferTryAgain,
)
from ..postpurchase.shopper_actions import ShopperActions
from ..postpurchase.tokens import OfferLinks
from ..rules.service import get_rule
from ..saleor.apl import AuthData
from ..saleor.client import SaleorClient, SaleorClientFactory
from ..saleor.errors import SaleorApiError, SaleorGraphQLError, SaleorMutationError
from .gateway import create_checkout
from .models import (
    AcceptResult,
    OfferSource,
    Placed,
    Placement,
    PlacementAccepted,
    PlacementOffer,
    PlacementRefusal,
    PlacementRefused,
    Why,
)
from .product import evaluate_product_page, product_page_settings, product_page_snapshot, variants_to_price
from .thank_you import ThankYouOffer, thank_you_offer

log = logging.getLogger("saleor_upsell.placements")

CHECKOUT_PLACEMENTS = (Placement.CART, Placement.CHECKOUT)


def _required(value: str | None, field: str, placement: Placement) -> str:
    if not value:
        raise PlacementRefused(
            PlacementRefusal.REQUIRED, f"The {placement.name} placement needs `{field}`.", field
        )
    return value


def _from_storefront(refused: Refused) -> PlacementRefused:
    try:
        reason = PlacementRefusal(refused.reason.value)
    except ValueError:
        reason = PlacementRefusal.NOT_ELIGIBLE
    return PlacementRefused(reason, refused.message, "key" if refused.field == "ruleId" else refused.field)


def _from_post_purchase(error: OfferError) -> PlacementRefused:
    if isinstance(error, OfferAlreadyAnswered | OfferInProgress):
        return PlacementRefused(PlacementRefusal.ALREADY_DONE, "This offer was already answered.", "key")
    if isinstance(error, OfferExpired):
        return PlacementRefused(PlacementRefusal.NOT_ELIGIBLE, "This offer has ended.", "key")
    if isinstance(error, OfferTryAgain):
        return PlacementRefused(PlacementRefusal.SALEOR_ERROR, "The shop did not answer; try again.")
    if isinstance(error, OfferFailed):
        return PlacementRefused(PlacementRefusal.OFFER_FAILED, "The offer could not be added.")
    return PlacementRefused(PlacementRefusal.NOT_FOUND, "No such offer.", "key")


def _why(offer: ShownOffer, index: RuleIndex) -> Why:
    rule = index.get(offer.rule_id)
    name = rule.spec.name if rule is not None else None
    if offer.mined_pair is not None:
        return Why(OfferSource.MINED_PAIR, offer.rule_id, name, offer.mined_pair)
    return Why(OfferSource.RULE, offer.rule_id, name)


def _placement_offer(
    placement: Placement, offer: ShownOffer, index: RuleIndex, accept_with: dict[str, Any]
) -> PlacementOffer:
    key = str(offer.rule_id)
    return PlacementOffer(
        key=key,
        kind=offer.kind,
        rule_id=offer.rule_id,
        variant_id=offer.variant_id,
        product_id=offer.product_id,
        product_name=offer.product_name,
        image_url=offer.image_url,
        quantity=offer.quantity,
        unit_price=offer.unit_price,
        regular_price=offer.regular_price,
        currency=offer.currency,
        headline=offer.headline,
        reason=offer.reason,
        badge=offer.badge,
        social_proof=offer.social_proof,
        why=_why(offer, index),
        accept_with={"placement": placement.name, "key": key, **accept_with},
        replaces_line_id=offer.replaces_line_id,
    )


@dataclass(frozen=True, slots=True)
class Placements:
    db: Database
    installations: InstallationStore
    saleor: SaleorClientFactory
    evaluator: Evaluator  # its rule cache and catalogue cache
    storefront: Storefront
    post_purchase: ShopperActions
    links: OfferLinks
    pairs: MinedPairsCache  # social proof and evidence on the product page, without a query per view
    clock: Clock
    # One reload at a time of the installation, settings and rules caches (all warm: no I/O, no wait).
    # When they expire behind a backlog (a collector pause, a busy machine), every waiting request would
    # query at once and take a pool connection each: under load that exhausted PostgreSQL's connections.
    _reloading: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, compare=False)

    async def _installation(self, saleor_api_url: str) -> AuthData:
        async with self._reloading:
            installation = await self.installations.get(saleor_api_url)
        if installation is None:
            raise PlacementRefused(
                PlacementRefusal.NOT_FOUND, "The app is not installed in this Saleor.", "saleorApiUrl"
            )
        return installation

    async def _index(self, installation_id: int) -> RuleIndex:
        async with self.db.read() as session:
            return await self.evaluator.rules.index(session, installation_id, CHECKOUT_RULE_KINDS)

    # ------------------------------------------------------------------------------------------ offers

    async def offers(
        self,
        saleor_api_url: str,
        channel: str,
        placement: Placement,
        *,
        product_id: str | None = None,
        variant_id: str | None = None,
        checkout_id: str | None = None,
        order_id: str | None = None,
    ) -> Placed:
        installation = await self._installation(saleor_api_url)
        if placement is Placement.PRODUCT:
            return await self._product(installation, channel, product_id, variant_id, checkout_id)
        if placement is Placement.THANK_YOU:
            return await self._thank_you(installation, channel, _required(order_id, "orderId", placement))
        checkout = _required(checkout_id, "checkoutId", placement)
        try:
            listed = await self.storefront.offers(saleor_api_url, checkout)
        except Refused as exc:
            raise _from_storefront(exc) from exc
        index = await self._index(installation.id)
        accept_with = {"checkoutId": listed.checkout_id}
        return Placed(
            placement,
            listed.channel,
            listed.checkout_id,
            [_placement_offer(placement, offer, index, accept_with) for offer in listed.offers],
        )

    async def _viewed(
        self,
        client: SaleorClient,
        channel: str,
        product_id: str | None,
        variant_id: str | None,
        *,
        showing: bool,
    ) -> VariantPricing:
        """The viewed variant's pricing; when only ``showing`` offers, a stale entry is fine."""
        variant = _required(variant_id, "variantId", Placement.PRODUCT)
        if global_id_type(variant) != "ProductVariant":  # refused here: no Saleor call for junk ids
            raise PlacementRefused(PlacementRefusal.NOT_FOUND, "No such variant.", "variantId")
        catalogue = self.evaluator.catalogue
        try:
            if showing:
                priced = await catalogue.get_or_stale(client, channel, [variant])
            else:
                priced = await catalogue.get(client, channel, [variant])
        except SaleorGraphQLError as exc:  # a malformed id is a top-level error on Saleor
            raise PlacementRefused(PlacementRefusal.NOT_FOUND, "No such variant.", "variantId") from exc
        except SaleorApiError as exc:
            raise PlacementRefused(PlacementRefusal.SALEOR_ERROR, f"Saleor did not answer: {exc}") from exc
        viewed = priced.get(variant)
        if viewed is None:
            raise PlacementRefused(
                PlacementRefusal.NOT_FOUND, f"The variant is not sold in channel {channel}.", "variantId"
            )
        if product_id and viewed.product_id != product_id:
            raise PlacementRefused(
                PlacementRefusal.INVALID, "The variant is not a variant of this product.", "productId"
            )
        return viewed

    async def _product(
        self,
        installation: AuthData,
        channel: str,
        product_id: str | None,
        variant_id: str | None,
        checkout_id: str | None,
    ) -> Placed:
        client = self.saleor.for_auth(installation)
        viewed = await self._viewed(client, channel, product_id, variant_id, showing=True)
        async with self._reloading, self.db.read() as session:
            settings = await self.evaluator.rules.channel_settings(session, installation.id, channel)
            index = await self.evaluator.rules.index(session, installation.id, CHECKOUT_RULE_KINDS)
        claims = await self.storefront.claims(installation.id, checkout_id) if checkout_id else []
        history = history_from_claims(claims)
        snapshot = product_page_snapshot(viewed, checkout_id)
        page_settings = product_page_settings(settings, checkout_id is not None)
        now = self.clock()
        wanted = variants_to_price(snapshot, index, page_settings, history, now)
        try:
            pricing = {
                viewed.variant_id: viewed,
                **await self.evaluator.catalogue.get_or_stale(client, channel, wanted),
            }
        except SaleorApiError as exc:
            raise PlacementRefused(PlacementRefusal.SALEOR_ERROR, f"Saleor did not answer: {exc}") from exc
        evaluation = evaluate_product_page(snapshot, index, page_settings, history, pricing, now)
        if checkout_id is not None:
            await self._record_exposure(installation.id, snapshot, evaluation, page_settings, claims)
            await self.storefront.log_shown(
                installation.id,
                snapshot,
                evaluation.offers,
                {"surface": "placement", "placement": Placement.PRODUCT.value},
            )
        products = {viewed.product_id: viewed.name}
        accept_with: dict[str, Any] = {"variantId": viewed.variant_id, "productId": viewed.product_id}
        if checkout_id:
            accept_with["checkoutId"] = checkout_id
        offers = []
        for offer in evaluation.offers:
            shown = await shown_offer(
                self.db, installation.id, channel, products, page_settings, pricing, offer, self.pairs
            )
            offers.append(_placement_offer(Placement.PRODUCT, shown, index, accept_with))
        return Placed(Placement.PRODUCT, channel, checkout_id, offers)

    async def _record_exposure(
        self,
        installation_id: int,
        snapshot: CheckoutSnapshot,
        evaluation: Evaluation,
        settings: ChannelSettingsSpec,
        claims: list[OfferClaim],
    ) -> None:
        """The checkout's eligible / held_out exposure, the first time it could get an offer."""
        exposure = exposure_event(snapshot, evaluation, settings.holdout_percent, claims)
        if exposure is None:
            return
        async with self.db.read() as session:
            if await EventLog(session).exists(installation_id, snapshot.id, EXPOSURE_KINDS):
                return
        async with self.db.transaction() as session:
            await event_log.record(session, installation_id, [exposure], self.clock())

    async def _thank_you(self, installation: AuthData, channel: str, order_id: str) -> Placed:
        now = self.clock()
        offer = await thank_you_offer(self.db, self.links, installation.id, order_id)
        if offer is None or not offer.open_at(now):
            return Placed(Placement.THANK_YOU, channel, None, [])
        return Placed(
            Placement.THANK_YOU, offer.channel_slug, None, [await self._thank_you_offer(installation, offer)]
        )

    async def _thank_you_offer(self, installation: AuthData, offer: ThankYouOffer) -> PlacementOffer:
        variant = None
        try:  # the picture and product id (cached); the offer itself is complete without them
            client = self.saleor.for_auth(installation)
            variant = (
                await self.evaluator.catalogue.get(client, offer.channel_slug, [offer.variant_id])
            ).get(offer.variant_id)
        except SaleorApiError:
            log.info("no picture for a post-purchase offer", extra={"offer_id": offer.offer_id})
        async with self.db.read() as session:
            rule = await get_rule(session, installation.id, offer.rule_id)
        return PlacementOffer(
            key=offer.offer_id,
            kind="post_purchase",
            rule_id=offer.rule_id,
            variant_id=offer.variant_id,
            product_id=variant.product_id if variant else None,
            product_name=offer.product_name,
            image_url=variant.thumbnail_url if variant else None,
            quantity=1,
            unit_price=offer.unit_price,
            regular_price=offer.regular_price,
            currency=offer.currency,
            headline=offer.headline,
            reason=" · ".join(offer.benefits),
            badge=None,
            social_proof=None,
            why=Why(OfferSource.POST_PURCHASE, offer.rule_id, rule.spec.name if rule else None),
            accept_with={
                "placement": Placement.THANK_YOU.name,
                "key": offer.offer_id,
                "orderId": offer.order_id,
            },
            offer_url=offer.url,
            expires_at=offer.expires_at,
        )

    # ------------------------------------------------------------------------------------------ accept

    async def accept(
        self,
        saleor_api_url: str,
        channel: str,
        placement: Placement,
        key: str,
        *,
        variant_id: str | None = None,
        product_id: str | None = None,
        checkout_id: str | None = None,
        order_id: str | None = None,
    ) -> PlacementAccepted:
        installation = await self._installation(saleor_api_url)
        if placement is Placement.THANK_YOU:
            return await self._accept_thank_you(installation, key, _required(order_id, "orderId", placement))
        created = False
        if placement is Placement.PRODUCT:
            client = self.saleor.for_auth(installation)
            viewed = await self._viewed(client, channel, product_id, variant_id, showing=False)
            checkout_id, created = await self._with_viewed_item(
                client, channel, viewed.variant_id, checkout_id
            )
        checkout = _required(checkout_id, "checkoutId", placement)
        try:
            accepted = await self.storefront.accept(saleor_api_url, checkout, key)
        except Refused as exc:
            refused = _from_storefront(exc)
            if created:  # the storefront must still adopt the checkout that now holds the product
                refused.checkout_id = checkout
            raise refused from exc
        return PlacementAccepted(AcceptResult.ADDED_TO_CHECKOUT, accepted.line_id, checkout, created)

    async def _with_viewed_item(
        self, client: SaleorClient, channel: str, variant_id: str, checkout_id: str | None
    ) -> tuple[str, bool]:
        """The checkout holding the viewed variant (at its own price): the shopper's, or a new one."""
        try:
            if checkout_id is None:
                return await create_checkout(client, channel, variant_id), True
            lines = CheckoutLines(client, checkout_id)
            state = await lines.fetch()
            if state is None:
                raise PlacementRefused(PlacementRefusal.NOT_FOUND, "No such checkout.", "checkoutId")
            if not any(
                line.variant_id == variant_id and md.read_marker(line.metadata) is None
                for line in state.snapshot.lines
            ):
                await lines.add([{"variantId": variant_id, "quantity": 1}])
            return checkout_id, False
        except SaleorMutationError as exc:
            raise PlacementRefused(PlacementRefusal.SALEOR_ERROR, str(exc)) from exc
        except SaleorGraphQLError as exc:
            raise PlacementRefused(PlacementRefusal.NOT_FOUND, "No such checkout.", "checkoutId") from exc
        except SaleorApiError as exc:
            raise PlacementRefused(
                PlacementRefusal.SALEOR_ERROR, "Saleor did not answer; try again."
            ) from exc

    async def _accept_thank_you(self, installation: AuthData, key: str, order_id: str) -> PlacementAccepted:
        now = self.clock()
        offer = await thank_you_offer(self.db, self.links, installation.id, order_id)
        if offer is None or offer.offer_id != key:
            raise PlacementRefused(PlacementRefusal.NOT_FOUND, "No such offer for this order.", "key")
        try:
            outcome = await self.post_purchase.accept(offer.token, now)
        except OfferError as exc:
            raise _from_post_purchase(exc) from exc
        result = (
            AcceptResult.ADDED_TO_ORDER
            if outcome.result == "added_to_order"
            else AcceptResult.FOLLOW_UP_CHECKOUT
        )
        # A follow-up checkout is paid in the storefront's checkout (outcome.checkout_url).
        return PlacementAccepted(
            result, outcome.line_id, checkout_id=outcome.checkout_id, order_id=outcome.order_id
        )

    # ------------------------------------------------------------------------------------------ decline

    async def decline(
        self,
        saleor_api_url: str,
        channel: str,
        placement: Placement,
        key: str,
        *,
        checkout_id: str | None = None,
        order_id: str | None = None,
    ) -> bool:
        """Record a "no thanks"; False when there is nowhere to record it yet (a product page without a
        checkout: the widget remembers it in the browser)."""
        installation = await self._installation(saleor_api_url)
        if placement is Placement.THANK_YOU:
            now = self.clock()
            order = _required(order_id, "orderId", placement)
            offer = await thank_you_offer(self.db, self.links, installation.id, order)
            if offer is None or offer.offer_id != key:
                raise PlacementRefused(PlacementRefusal.NOT_FOUND, "No such offer for this order.", "key")
            try:
                await self.post_purchase.decline(offer.token, now)
            except OfferError as exc:
                raise _from_post_purchase(exc) from exc
            return True
        if checkout_id is None:
            if placement is Placement.PRODUCT:
                return False
            _required(checkout_id, "checkoutId", placement)
        assert checkout_id is not None
        try:
            await self.storefront.decline(saleor_api_url, checkout_id, channel, key)
        except Refused as exc:
            raise _from_storefront(exc) from exc
        return True
