"""ORDER_CREATED step: choose a post-purchase offer, store it once, and publish it in the order metadata.

Idempotent: the offer row is unique per order, so a redelivery (or a retry after Saleor failed half-way)
finds the existing row and only (re)writes the metadata. An order the app itself prepared as a
follow-up for an accepted offer never gets an offer of its own (conversion.py counts it), and no offer
is made where an accept would have no way to be paid (no checkout URL for the channel, and not a
same-order channel with the order still UNCONFIRMED). With SMTP configured, the offer is also e-mailed
once (email.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from ..engine.post_purchase import evaluate_post_purchase
from ..engine.spec import PostPurchaseRuleSpec
from ..engine.types import PostPurchaseDecision
from ..insights import events as event_log
from ..insights.events import EventKind, NewEvent, OfferType
from ..insights.social_proof import social_proof_copy, uses_social_proof
from ..kit.clock import Clock
from ..kit.db import Database
from ..mining.social_proof import PLACEHOLDER
from ..rules import service as rules
from ..rules.gateway import VariantPricingCache
from ..saleor.apl import AuthData
from ..saleor.client import SaleorClientFactory
from ..saleor.results import Order, metadata_dict
from . import gateway
from . import order_metadata as om
from .config import PostPurchaseConfig
from .email import OfferMailer
from .repository import CONFIRM_PENDING, OPEN, EmailState, NewOffer, PostPurchaseOfferRepository
from .tokens import OfferLinks

log = logging.getLogger("saleor_upsell.postpurchase")


@dataclass(frozen=True, slots=True)
class MakeOffer:
    db: Database
    saleor: SaleorClientFactory
    catalogue: VariantPricingCache
    links: OfferLinks
    config: PostPurchaseConfig
    mailer: OfferMailer | None
    clock: Clock

    async def __call__(self, installation: AuthData, order: Order) -> None:
        metadata = metadata_dict(order.metadata)
        if om.FOLLOW_UP_OF in metadata:
            return
        if not self.config.can_collect(order.channel.slug, order.status):
            log.info(
                "no post-purchase offer: no way to collect payment in this channel",
                extra={"order_id": order.id},
            )
            return
        async with self.db.read() as session:
            offer = await PostPurchaseOfferRepository(session).for_order(installation.id, order.id)
        if offer is None:
            decided = await self._decide(installation, order)
            if decided is None:
                return
            decision, shown = decided
            same_order = self.config.same_order(order.channel.slug, order.status)
            email = EmailState.PENDING if self.mailer is not None and order.user_email else None
            now = self.clock()
            async with self.db.transaction() as session:
                offer, created = await PostPurchaseOfferRepository(session).create_once(
                    installation.id, _new_offer(decision, order, shown, same_order, email), now
                )
                if created:
                    await event_log.record(session, installation.id, [_offered_event(decision, order)], now)
        if offer.status != OPEN or metadata.get(om.OFFER_ID) == offer.id:
            return  # answered already, or this payload already shows the published offer
        token = self.links.token(offer.installation_id, offer.id, offer.order_id, offer.expires_at)
        published = om.offer_metadata(
            offer_id=offer.id,
            variant_id=offer.variant_id,
            unit_price=offer.unit_price,
            regular_price=offer.regular_price,
            currency=offer.currency,
            expires_at=offer.expires_at,
            token=token,
            url=self.links.url(token),
            headline=str(offer.presentation.get("headline", "")),
        )
        # Not best effort: if Saleor is away, the inbox retries and this step finds the row and writes again.
        client = self.saleor.for_auth(installation)
        await gateway.write_order_metadata(client, offer.order_id, published, best_effort=False)
        log.info("post-purchase offer made", extra={"order_id": offer.order_id, "offer_id": offer.id})
        if self.mailer is not None and offer.email_state == EmailState.PENDING:
            await self.mailer.send(offer, self.clock())

    async def _decide(
        self, installation: AuthData, order: Order
    ) -> tuple[PostPurchaseDecision, Shown] | None:
        """The engine's decision and what the page shows of the product, or None when no rule matches."""
        snapshot = gateway.order_snapshot(order)
        async with self.db.read() as session:
            stored = await rules.list_rules(session, installation.id, kinds=("post_purchase",), enabled=True)
            if not stored:
                return None
            settings = await rules.channel_settings(session, installation.id, snapshot.channel_slug)
        wanted = {r.spec.offer_variant_id for r in stored if isinstance(r.spec, PostPurchaseRuleSpec)}
        client = self.saleor.for_auth(installation)
        pricing = await self.catalogue.get(client, snapshot.channel_slug, sorted(wanted))
        engine_rules = [rule.for_engine() for rule in stored]
        decision = evaluate_post_purchase(snapshot, engine_rules, settings, pricing, self.clock())
        if decision is None:
            return None
        offered = pricing[decision.variant_id]
        shown = Shown(offered.name, offered.thumbnail_url, None)
        if uses_social_proof(decision.headline, *decision.benefits):
            async with self.db.read() as session:
                proof = await social_proof_copy(
                    session,
                    installation.id,
                    snapshot.channel_slug,
                    gateway.ordered_products(order),
                    offered.product_id,
                    offered.name,
                    settings.social_proof_min_orders,
                )
            decision = replace(
                decision,
                headline=proof.fill(decision.headline),
                benefits=tuple(text for text in map(proof.fill, decision.benefits) if text.strip()),
            )
            shown = replace(shown, social_proof=proof.fill(PLACEHOLDER).strip() or None)
        return decision, shown


@dataclass(frozen=True, slots=True)
class Shown:
    """The offered product as pages, e-mails and the storefront API show it (frozen with the offer)."""

    product_name: str
    image_url: str | None
    social_proof: str | None


def _new_offer(
    decision: PostPurchaseDecision, order: Order, shown: Shown, same_order: bool, email_state: str | None
) -> NewOffer:
    return NewOffer(
        order_id=decision.order_id,
        order_number=order.number,
        rule_id=decision.rule_id,
        channel_slug=order.channel.slug,
        variant_id=decision.variant_id,
        unit_price=decision.unit_price,
        regular_price=decision.regular_price,
        currency=decision.currency,
        presentation={
            "headline": decision.headline,
            "benefits": list(decision.benefits),
            "show_value_comparison": decision.show_value_comparison,
            "product_name": shown.product_name,
            "image_url": shown.image_url,
            "social_proof": shown.social_proof,
            "add_to_same_order": same_order,
        },
        # The order waited for this offer (it is still UNCONFIRMED): confirm it once the window closes.
        confirm_state=CONFIRM_PENDING if same_order else None,
        customer_email=order.user_email,
        email_state=email_state,
        # Whole seconds: the signed link carries the expiry in seconds and both must agree.
        expires_at=decision.expires_at.replace(microsecond=0),
    )


def _offered_event(decision: PostPurchaseDecision, order: Order) -> NewEvent:
    return NewEvent(
        kind=EventKind.OFFERED,
        offer_type=OfferType.POST_PURCHASE,
        rule_id=decision.rule_id,
        checkout_id=order.checkout_id,
        order_id=decision.order_id,
        channel_slug=order.channel.slug,
        variant_id=decision.variant_id,
        amount=decision.unit_price,
        currency=decision.currency,
        details={
            "regular_price": str(decision.regular_price),
            "expires_at": decision.expires_at.isoformat(),
            "add_to_same_order": decision.add_to_same_order,
        },
    )
