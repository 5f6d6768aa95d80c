"""Storefront use cases: a checkout's opt-in offers, accepting one, and reverting an upgrade.

As in Saleor, the checkout id is the capability (no token). Nothing the client sends sets a price:
accepting re-evaluates the checkout with the engine and applies the engine's own decision through the
same exactly-once claim as the webhook step (apply.apply_offer), so an offer that is no longer eligible
(trigger gone, checkout in payment, already declined...) is refused with the engine's reason.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from ..engine import metadata as md
from ..engine.ids import rule_id_of
from ..engine.index import RuleIndex
from ..engine.spec import ChannelSettingsSpec
from ..engine.types import (
    AddBump,
    CheckoutSnapshot,
    Evaluation,
    Offer,
    OfferKind,
    SwapUpgrade,
    VariantPricing,
)
from ..insights import events as event_log
from ..insights.events import EventKind, EventLog, NewEvent, OfferType
from ..insights.social_proof import MinedPair, MinedPairsCache, social_proof_copy, uses_social_proof
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import Database
from ..kit.errors import AppError
from ..kit.lru import RecentKeys
from ..saleor.apl import AuthData
from ..saleor.client import SaleorClientFactory
from ..saleor.errors import SaleorApiError, SaleorGraphQLError, SaleorMutationError
from .apply import apply_offer
from .claims import ClaimRepository, ClaimStatus, OfferClaim
from .context import OnCheckout
from .evaluation import CHECKOUT_RULE_KINDS, Evaluator
from .gateway import CheckoutLines, CheckoutState, offer_line_input
from .restore import REVERTED_FROM  # a retried revert never adds the original twice
from .storefront_reads import SNAPSHOT_FRESH_FOR, listing_reads, snapshot_usable

log = logging.getLogger("saleor_upsell.api.storefront")


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    NOT_ELIGIBLE = "not_eligible"
    ALREADY_DONE = "already_done"
    NOT_AN_UPGRADE = "not_an_upgrade"
    OFFER_FAILED = "offer_failed"
    SALEOR_ERROR = "saleor_error"


class Refused(AppError):
    """Why a storefront request cannot be done; ``field`` names the argument at fault."""

    status = 400

    def __init__(self, reason: Refusal, message: str, field: str | None = None) -> None:
        super().__init__(message, code=reason.value)
        self.reason = reason
        self.field = field


@dataclass(frozen=True, slots=True)
class CheckoutView:
    state: CheckoutState
    claims: list[OfferClaim]
    settings: ChannelSettingsSpec
    evaluation: Evaluation
    pricing: dict[str, VariantPricing]
    index: RuleIndex

    @property
    def snapshot(self) -> CheckoutSnapshot:
        return self.state.snapshot


@dataclass(frozen=True, slots=True)
class ShownOffer:
    """An opt-in offer as the storefront shows it (copy filled, prices set by the server)."""

    rule_id: int
    kind: str  # OfferKind
    variant_id: str
    product_id: str | None
    product_name: str | None
    image_url: str | None
    quantity: int
    unit_price: Decimal
    regular_price: Decimal
    currency: str
    headline: str
    reason: str
    badge: str | None
    replaces_line_id: str | None
    social_proof: str | None = None  # the honest figure's sentence, when the data backs one
    mined_pair: MinedPair | None = None  # the mined evidence behind the offer, if any


@dataclass(frozen=True, slots=True)
class Listed:
    checkout_id: str
    channel: str
    mode: str
    offers: list[ShownOffer]


async def shown_offer(
    db: Database,
    installation_id: int,
    channel_slug: str,
    shopper_products: Mapping[str, str],
    settings: ChannelSettingsSpec,
    pricing: Mapping[str, VariantPricing],
    offer: Offer,
    pairs: MinedPairsCache | None = None,
) -> ShownOffer:
    """An engine offer as a shopper sees it: product, prices, copy with its social proof filled in
    (read through ``pairs`` when given, for surfaces that may serve a cached figure)."""
    action = offer.action
    variant_id = _variant_of(action)
    variant = pricing.get(variant_id)
    headline, reason = offer.headline, offer.reason
    proof = None
    if variant is not None and variant.product_id and pairs is not None:
        proof = await pairs.social_proof(
            installation_id,
            channel_slug,
            shopper_products,
            variant.product_id,
            variant.name,
            settings.social_proof_min_orders,
        )
    elif variant is not None and variant.product_id:
        async with db.read() as session:
            proof = await social_proof_copy(
                session,
                installation_id,
                channel_slug,
                shopper_products,
                variant.product_id,
                variant.name,
                settings.social_proof_min_orders,
            )
    if proof is not None and uses_social_proof(headline, reason):
        headline, reason = proof.fill(headline), proof.fill(reason)
    return ShownOffer(
        rule_id=offer.rule_id,
        kind=offer.kind,
        variant_id=variant_id,
        product_id=variant.product_id if variant and variant.product_id else None,
        product_name=variant.name if variant else None,
        image_url=variant.thumbnail_url if variant else None,
        quantity=action.quantity,
        unit_price=action.unit_price,
        regular_price=action.regular_price,
        currency=action.currency,
        headline=headline,
        reason=reason,
        badge=offer.badge,
        replaces_line_id=action.line_id if isinstance(action, SwapUpgrade) else None,
        social_proof=proof.sentence if proof else None,
        mined_pair=proof.pair if proof else None,
    )


@dataclass(frozen=True, slots=True)
class Accepted:
    line_id: str
    offer: ShownOffer | None


def _variant_of(action: AddBump | SwapUpgrade) -> str:
    return action.variant_id if isinstance(action, AddBump) else action.to_variant_id


@dataclass(frozen=True, slots=True)
class Storefront:
    db: Database
    installations: InstallationStore
    saleor: SaleorClientFactory
    evaluator: Evaluator
    clock: Clock
    # (installation, checkout, rule) already logged as offered: a listing of the same offers again
    # (storefronts poll) writes nothing and needs no transaction. Once logged stays logged, so the memo
    # is never wrong; another process's listing is still found by the query below.
    snapshot_fresh_for: timedelta = SNAPSHOT_FRESH_FOR  # 0: every listing reads Saleor
    # Social-proof figures: read through this cache when given (they change only when mining runs).
    pairs: MinedPairsCache | None = None
    _logged: RecentKeys = field(default_factory=RecentKeys)

    # -------------------------------------------------------------------------------------- lookups

    async def _installation(self, saleor_api_url: str) -> AuthData:
        installation = await self.installations.get(saleor_api_url)
        if installation is None:
            raise Refused(Refusal.NOT_FOUND, "The app is not installed in this Saleor.", "saleorApiUrl")
        return installation

    def _on(self, installation: AuthData, checkout_id: str) -> OnCheckout:
        lines = CheckoutLines(self.saleor.for_auth(installation), checkout_id)
        return OnCheckout(
            self.db, installation.id, lines, self.clock, {"saleor_api_url": installation.saleor_api_url}
        )

    async def _checkout(self, on: OnCheckout) -> CheckoutState:
        try:
            state = await on.lines.fetch(self.clock())
        except SaleorGraphQLError as exc:  # a malformed id is a top-level error on Saleor
            raise Refused(Refusal.NOT_FOUND, "No such checkout.", "checkoutId") from exc
        except SaleorApiError as exc:  # its text (Saleor's, or the operation's name) stays in the log
            log.warning("checkout not read", extra={**on.log_context, "error": str(exc)})
            raise Refused(Refusal.SALEOR_ERROR, "Saleor did not answer; try again.") from exc
        if state is None:
            raise Refused(Refusal.NOT_FOUND, "No such checkout.", "checkoutId")
        return state

    async def _evaluate(self, on: OnCheckout) -> CheckoutView:
        """The engine's view of the checkout as Saleor holds it now (the same inputs as the webhook step)."""
        state = await self._checkout(on)
        return await self._evaluate_state(on, state, await on.claims())

    async def _evaluate_state(
        self, on: OnCheckout, state: CheckoutState, claims: list[OfferClaim]
    ) -> CheckoutView:
        on.log_context["checkout_id"] = state.snapshot.id
        verdict = await self.evaluator.evaluate(
            on.installation_id, on.lines.client, state.snapshot, claims, self.clock()
        )
        return CheckoutView(
            state, claims, verdict.settings, verdict.evaluation, verdict.pricing, verdict.index
        )

    async def _shown(self, installation_id: int, view: CheckoutView, offer: Offer) -> ShownOffer:
        return await shown_offer(
            self.db,
            installation_id,
            view.snapshot.channel_slug,
            view.state.shopper_products,
            view.settings,
            view.pricing,
            offer,
            self.pairs,
        )

    # -------------------------------------------------------------------------------------- list

    async def offers(self, saleor_api_url: str, checkout_id: str) -> Listed:
        installation = await self._installation(saleor_api_url)
        on = self._on(installation, checkout_id)
        # Claims and the latest webhook snapshot in one read; Saleor is asked only when no snapshot is
        # fresh enough (bumps/storefront_reads.py says why a listing may come from one).
        reads = await listing_reads(
            self.db, installation.id, checkout_id, self.clock(), self.snapshot_fresh_for
        )
        known = reads.snapshot
        state = known.state if known and snapshot_usable(known, reads.claims) else await self._checkout(on)
        view = await self._evaluate_state(on, state, reads.claims)
        await self.log_shown(installation.id, view.snapshot, view.evaluation.offers)
        return Listed(
            checkout_id=view.snapshot.id,
            channel=view.snapshot.channel_slug,
            mode=view.settings.mode,
            offers=[await self._shown(installation.id, view, o) for o in view.evaluation.offers],
        )

    async def log_shown(
        self,
        installation_id: int,
        snapshot: CheckoutSnapshot,
        offers: Sequence[Offer],
        details: dict[str, str] | None = None,
    ) -> None:
        """One "offered" event per checkout and rule the first time a storefront surface lists it."""
        keys = [(installation_id, snapshot.id, offer.rule_id) for offer in offers]
        if all(key in self._logged for key in keys):
            return
        now = self.clock()
        async with self.db.transaction() as session:
            already = await EventLog(session).rules_with(installation_id, snapshot.id, EventKind.OFFERED)
            new = [
                NewEvent(
                    kind=EventKind.OFFERED,
                    offer_type=offer.kind,
                    rule_id=offer.rule_id,
                    checkout_id=snapshot.id,
                    channel_slug=snapshot.channel_slug,
                    variant_id=_variant_of(offer.action),
                    amount=offer.action.unit_price,
                    currency=offer.action.currency,
                    details=details or {"surface": "storefront"},
                )
                for offer in offers
                if offer.rule_id not in already
            ]
            await event_log.record(session, installation_id, new, now)
        for key in keys:
            self._logged.add(key)

    # -------------------------------------------------------------------------------------- accept

    async def accept(self, saleor_api_url: str, checkout_id: str, rule: str) -> Accepted:
        """Accept the offer of rule ``rule`` (its id as the storefront sent it)."""
        rule_id = rule_id_of(rule)  # None: not a rule id, so no such offer
        installation = await self._installation(saleor_api_url)
        on = self._on(installation, checkout_id)
        view = await self._evaluate(on)
        found = _find_action(view, rule_id)
        if found is None:
            raise _refusal(view, rule_id)
        action, offer = found
        try:
            line_id = await apply_offer(on, view.snapshot, action, EventKind.ACCEPTED)
        except SaleorApiError as exc:
            log.warning("accepting an offer failed", extra={**on.log_context, "error": str(exc)})
            raise Refused(Refusal.SALEOR_ERROR, "Saleor did not take the offer; try again.") from exc
        if line_id is None:
            claim = next((c for c in await on.claims() if c.rule_id == rule_id), None)
            if claim is not None and claim.status == ClaimStatus.APPLIED:
                raise Refused(Refusal.ALREADY_DONE, "This offer is already in the checkout.", "ruleId")
            raise Refused(Refusal.OFFER_FAILED, "The offer could not be added to the checkout.")
        return Accepted(line_id, await self._shown(installation.id, view, offer) if offer else None)

    # -------------------------------------------------------------------------------------- decline

    async def claims(self, installation_id: int, checkout_id: str) -> list[OfferClaim]:
        """What the app did and was told on this checkout (no Saleor call)."""
        async with self.db.read() as session:
            return await ClaimRepository(session).for_checkout(installation_id, checkout_id)

    async def decline(self, saleor_api_url: str, checkout_id: str, channel: str, rule: str) -> None:
        """The shopper said "no thanks" to the offer of ``rule``: it is never offered on this checkout
        again (a declined claim, the engine's history). No Saleor call while the catalogue is cached."""
        rule_id = rule_id_of(rule)
        installation = await self._installation(saleor_api_url)
        async with self.db.read() as session:
            index = await self.evaluator.rules.index(session, installation.id, CHECKOUT_RULE_KINDS)
        indexed = index.get(rule_id)
        if rule_id is None or indexed is None:
            raise Refused(Refusal.NOT_ELIGIBLE, "There is no such offer.", "ruleId")
        existing = next(
            (c for c in await self.claims(installation.id, checkout_id) if c.rule_id == rule_id), None
        )
        if existing is not None:
            if existing.status == ClaimStatus.APPLIED:
                raise Refused(
                    Refusal.ALREADY_DONE, "The offer is in the checkout: remove its line.", "ruleId"
                )
            return  # declined, removed or failed before: never offered again anyway
        variant_id = indexed.offer_variant_id
        try:
            priced = await self.evaluator.catalogue.get(
                self.saleor.for_auth(installation), channel, [variant_id]
            )
        except SaleorApiError:
            priced = {}
        pricing = priced.get(variant_id)
        kind = OfferKind.UPGRADE if indexed.is_upgrade else OfferKind.BUMP
        now = self.clock()
        async with self.db.transaction() as session:
            claims = ClaimRepository(session)
            claim_id = await claims.claim(
                installation.id,
                checkout_id,
                rule_id=rule_id,
                kind=kind,
                variant_id=variant_id,
                unit_price=pricing.current_price if pricing else Decimal(0),
                currency=pricing.currency if pricing else "",
                now=now,
            )
            if claim_id is None:
                return  # claimed meanwhile (accepted or declined elsewhere)
            await claims.transition(claim_id, ClaimStatus.DECLINED, now)
            declined = NewEvent(
                kind=EventKind.DECLINED,
                offer_type=kind,
                rule_id=rule_id,
                checkout_id=checkout_id,
                channel_slug=channel,
                variant_id=variant_id,
                details={"surface": "placement"},
            )
            await event_log.record(session, installation.id, [declined], now)

    # -------------------------------------------------------------------------------------- revert

    async def revert_upgrade(self, saleor_api_url: str, checkout_id: str, line_id: str) -> str:
        """Swap an upgraded line back to the original variant and quantity; the restored line's id."""
        installation = await self._installation(saleor_api_url)
        on = self._on(installation, checkout_id)
        snapshot = (await self._checkout(on)).snapshot
        claims = await on.claims()
        line = next((line for line in snapshot.lines if line.id == line_id), None)
        claim = next((c for c in claims if c.line_id == line_id and c.kind == OfferKind.UPGRADE), None)
        if line is None:
            if claim is not None and claim.status == ClaimStatus.DECLINED:
                raise Refused(Refusal.ALREADY_DONE, "The upgrade was already reverted.", "lineId")
            raise Refused(Refusal.NOT_FOUND, "No such line in the checkout.", "lineId")
        marker = md.read_marker(line.metadata)
        # Line metadata is public: only a line the app itself swapped in (its claim) is reverted.
        if (
            marker is None
            or marker.kind != "upgrade"
            or marker.original_variant_id is None
            or claim is None
            or claim.rule_id != marker.rule_id
        ):
            raise Refused(Refusal.NOT_AN_UPGRADE, "This line is not an upgrade made by the app.", "lineId")
        if claim.status not in (ClaimStatus.APPLIED, ClaimStatus.DECLINED):
            raise Refused(Refusal.NOT_ELIGIBLE, f"The upgrade is {claim.status}.", "lineId")
        restored = await _restore_original(on, snapshot, line.id, marker, line.quantity)
        if claim.status == ClaimStatus.APPLIED:
            # Declined before the delete, so the webhook step never reads the missing line as a removal.
            declined = NewEvent(
                kind=EventKind.DECLINED,
                offer_type=OfferType.UPGRADE,
                rule_id=claim.rule_id,
                checkout_id=snapshot.id,
                channel_slug=snapshot.channel_slug,
                variant_id=claim.variant_id,
                details={"reverted_to_line_id": restored},
            )
            await on.settle(claim.id, ClaimStatus.DECLINED, [declined])
        await _mutate(on.lines.delete([line.id]))
        return restored


def _find_action(
    view: CheckoutView, rule_id: int | None
) -> tuple[AddBump | SwapUpgrade, Offer | None] | None:
    for offer in view.evaluation.offers:
        if offer.rule_id == rule_id:
            return offer.action, offer
    for decision in view.evaluation.decisions:  # inject mode: accepting early is the same decision
        if isinstance(decision, AddBump | SwapUpgrade) and decision.rule_id == rule_id:
            return decision, None
    return None


def _refusal(view: CheckoutView, rule_id: int | None) -> Refused:
    claim = next((c for c in view.claims if c.rule_id == rule_id), None)
    if claim is not None and claim.status == ClaimStatus.APPLIED:
        return Refused(Refusal.ALREADY_DONE, "This offer is already in the checkout.", "ruleId")
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
    return Refused(Refusal.NOT_ELIGIBLE, message, "ruleId")


async def _mutate(call: Awaitable[CheckoutState | None]) -> CheckoutState | None:
    try:
        return await call
    except SaleorMutationError as exc:
        # Storefronts see Saleor's error codes (e.g. INSUFFICIENT_STOCK), never its messages.
        log.warning("storefront change refused by Saleor", extra={"error": str(exc)})
        codes = ", ".join(sorted(exc.codes))
        raise Refused(Refusal.SALEOR_ERROR, f"Saleor refused the change ({codes}).") from exc
    except SaleorApiError as exc:
        raise Refused(Refusal.SALEOR_ERROR, "Saleor did not answer; try again.") from exc


async def _restore_original(
    on: OnCheckout, snapshot: CheckoutSnapshot, upgrade_line_id: str, marker: md.UpsellMarker, quantity: int
) -> str:
    """Add the original variant back once; a retry finds the line by its REVERTED_FROM mark."""
    for line in snapshot.lines:
        if line.metadata.get(REVERTED_FROM) == upgrade_line_id:
            return line.id
    assert marker.original_variant_id is not None
    line_input = offer_line_input(
        marker.original_variant_id,
        marker.original_quantity or quantity,
        metadata={REVERTED_FROM: upgrade_line_id},
    )
    state = await _mutate(on.lines.add([line_input]))
    for line in state.snapshot.lines if state else ():
        if line.metadata.get(REVERTED_FROM) == upgrade_line_id:
            return line.id
    raise Refused(Refusal.SALEOR_ERROR, "Saleor did not add the original item back.")
