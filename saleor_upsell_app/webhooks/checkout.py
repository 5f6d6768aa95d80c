"""CHECKOUT_CREATED / CHECKOUT_UPDATED: decide with the engine, apply with Saleor mutations, exactly once.

Order of work for one checkout snapshot:
1. reconcile: a claim left `claimed` by a crash mid-way is finished or released;
2. declines: an applied offer line missing from a snapshot newer than our own write was removed by the
   shopper (our own events never reach this point), so it is recorded and never offered again;
3. evaluate (pure engine) and apply each decision, claiming it in the database before the mutation.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..checkout_evaluation import evaluate_for_checkout
from ..inbox.repository import ClaimedEvent
from ..offers import metadata as md
from ..offers.holdout import in_holdout
from ..offers.models import (
    AddBump,
    CheckoutSnapshot,
    Evaluation,
    RemoveBump,
    SkipReason,
    SplitBumpQuantity,
    SwapUpgrade,
)
from ..offers.pricing import corrected_override
from ..offers.snapshot import checkout_snapshot_from_payload
from ..saleor.client import SaleorClient
from ..saleor.errors import SaleorGraphQLError, SaleorMutationError
from ..services import Services
from ..store.checkout_offers import APPLIED, CLAIMED, DECLINED, FAILED, REMOVED, OfferClaim
from ..store.events import NewEvent
from ..store.installations import InstallationData

log = logging.getLogger("saleor_upsell.webhooks.checkout")

SPLIT_FROM = md.PREFIX + "split-from"  # marks the regular-price line split off a bump line (idempotency)


async def handle_checkout_event(services: Services, event: ClaimedEvent) -> None:
    installation = await services.installations.get_by_id(event.installation_id)
    if installation is None:
        return  # uninstalled since
    checkout = event.payload.get("checkout")
    if not checkout:
        return  # deleted or completed checkouts have nothing left to offer on
    client = services.saleor_client(installation)
    if event.attempts > 1:
        # A retry may follow a partial application; the stored snapshot could be stale.
        checkout = (await client.execute("CheckoutSnapshot", {"id": checkout["id"]})).get("checkout")
        if not checkout:
            log.info("checkout gone before retry", extra={"subject": event.subject_key})
            return
    flow = CheckoutFlow(services, installation, client)
    await flow.process(checkout, event.issued_at)


def _saleor_time(checkout: Mapping[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(checkout["updatedAt"]))
    except (KeyError, ValueError):
        return None


def _metadata_input(metadata: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in metadata.items()]


def _line_price(line: Mapping[str, Any]) -> Decimal:
    return Decimal(str(line["unitPrice"]["gross"]["amount"]))


class CheckoutFlow:
    def __init__(self, services: Services, installation: InstallationData, client: SaleorClient) -> None:
        self.services = services
        self.installation = installation
        self.client = client
        self.log_context = {"saleor_api_url": installation.saleor_api_url}

    def now(self) -> datetime:
        return self.services.clock()

    async def process(self, checkout: Mapping[str, Any], issued_at: datetime) -> None:
        snapshot = checkout_snapshot_from_payload(checkout, issued_at)
        self.log_context["checkout_id"] = snapshot.id
        claims = await self.services.checkout_offers.for_checkout(self.installation.id, snapshot.id)
        claims = await self._reconcile(snapshot, claims)
        claims = await self._record_declines(snapshot, _saleor_time(checkout), claims)

        verdict = await evaluate_for_checkout(
            self.services, self.installation.id, self.client, snapshot, claims, self.now()
        )
        settings, evaluation = verdict.settings, verdict.evaluation
        exposure = self._exposure(snapshot, evaluation, settings.holdout_percent, claims)
        applies = settings.mode == "inject" and any(
            isinstance(d, AddBump | SwapUpgrade) for d in evaluation.decisions
        )
        if exposure is not None and not applies:
            await self._record_exposure_once(snapshot, exposure)
        for decision in evaluation.decisions:
            if isinstance(decision, AddBump | SwapUpgrade):
                if settings.mode == "inject":  # in offer mode only the shopper adds (storefront API)
                    await self.apply_offer(snapshot, decision, exposure=exposure)
                    exposure = None  # logged with the first claim
            elif isinstance(decision, RemoveBump):
                # Also in offer mode: an accepted offer whose trigger left loses its discount.
                await self._remove(snapshot, decision, claims)
            elif isinstance(decision, SplitBumpQuantity):
                await self._split(snapshot, decision)

    # ------------------------------------------------------------------ bookkeeping

    async def _reconcile(self, snapshot: CheckoutSnapshot, claims: list[OfferClaim]) -> list[OfferClaim]:
        """Finish or release claims a crash left between the database claim and the recorded result."""
        leftovers = [c for c in claims if c.status == CLAIMED]
        if not leftovers:
            return claims
        lines_by_rule = {
            marker.rule_id: line
            for line in snapshot.lines
            if (marker := md.read_marker(line.metadata)) is not None
        }
        for claim in leftovers:
            line = lines_by_rule.get(str(claim.rule_id))
            if line is None:
                await self.services.checkout_offers.release(claim.id)
                continue
            if claim.kind == "upgrade":
                await self._delete_original_of_upgrade(snapshot, line)
            await self.services.checkout_offers.transition(
                self.installation.id, claim.id, APPLIED, self.now(), events=[], line_id=line.id
            )
        return await self.services.checkout_offers.for_checkout(self.installation.id, snapshot.id)

    async def _record_declines(
        self, snapshot: CheckoutSnapshot, saleor_time: datetime | None, claims: list[OfferClaim]
    ) -> list[OfferClaim]:
        line_ids = {line.id for line in snapshot.lines}
        changed = False
        for claim in claims:
            if claim.status != APPLIED or claim.line_id in line_ids:
                continue
            if saleor_time is not None and claim.saleor_updated_at is not None:
                if saleor_time <= claim.saleor_updated_at:
                    continue  # a snapshot from before our own write proves nothing
            await self.services.checkout_offers.transition(
                self.installation.id,
                claim.id,
                DECLINED,
                self.now(),
                events=[self._event("declined", claim.kind, snapshot, claim.rule_id, claim.variant_id)],
            )
            log.info(
                "offer removed by shopper: declined", extra={**self.log_context, "rule_id": claim.rule_id}
            )
            changed = True
        if not changed:
            return claims
        return await self.services.checkout_offers.for_checkout(self.installation.id, snapshot.id)

    def _exposure(
        self,
        snapshot: CheckoutSnapshot,
        evaluation: Evaluation,
        holdout_percent: Decimal,
        claims: list[OfferClaim],
    ) -> NewEvent | None:
        """`eligible` or `held_out`, the first time this checkout could get an offer (lift is measured
        between the two groups); None once the checkout has offers or when nothing fits."""
        if claims or not (evaluation.decisions or evaluation.offers or evaluation.holdout):
            return None
        held_out = evaluation.holdout or in_holdout(snapshot.id, holdout_percent)
        # Which rules could have fired, so lift can also be measured per rule.
        rule_ids = {d.rule_id for d in evaluation.decisions if isinstance(d, AddBump | SwapUpgrade)}
        rule_ids |= {o.rule_id for o in evaluation.offers}
        rule_ids |= {s.rule_id for s in evaluation.skips if s.reason == SkipReason.HOLDOUT and s.rule_id}
        return self._event(
            "held_out" if held_out else "eligible",
            "bump",
            snapshot,
            None,
            None,
            holdout=held_out,
            details={"rule_ids": sorted(rule_ids, key=str)},
        )

    async def _record_exposure_once(self, snapshot: CheckoutSnapshot, exposure: NewEvent) -> None:
        if await self.services.events.exists(self.installation.id, snapshot.id, ("eligible", "held_out")):
            return
        await self.services.events.record(self.installation.id, [exposure], self.now())

    def _event(
        self,
        kind: str,
        offer_type: str,
        snapshot: CheckoutSnapshot,
        rule_id: int | str | None,
        variant_id: str | None,
        *,
        amount: Decimal | None = None,
        holdout: bool = False,
        details: dict[str, Any] | None = None,
    ) -> NewEvent:
        return NewEvent(
            kind=kind,
            offer_type=offer_type,
            rule_id=int(rule_id) if rule_id is not None else None,
            checkout_id=snapshot.id,
            channel_slug=snapshot.channel_slug,
            variant_id=variant_id,
            amount=amount,
            currency=snapshot.currency if amount is not None else None,
            holdout=holdout,
            details=details,
        )

    # ------------------------------------------------------------------ decisions

    async def apply_offer(
        self,
        snapshot: CheckoutSnapshot,
        decision: AddBump | SwapUpgrade,
        event_kind: str = "offered",
        exposure: NewEvent | None = None,
    ) -> str | None:
        """Add a bump, or swap in an upgrade, exactly once; returns the new line's id.

        None when the offer was claimed elsewhere or could not be made. ``event_kind`` is logged with
        it: "offered" when the app decided, "accepted" when a shopper did (storefront API).
        """
        upgrade = isinstance(decision, SwapUpgrade)
        kind = "upgrade" if upgrade else "bump"
        variant_id = decision.to_variant_id if isinstance(decision, SwapUpgrade) else decision.variant_id
        claim_id = await self.services.checkout_offers.claim(
            self.installation.id,
            snapshot.id,
            rule_id=int(decision.rule_id),
            kind=kind,
            variant_id=variant_id,
            unit_price=decision.unit_price,
            currency=decision.currency,
            now=self.now(),
            events=[exposure] if exposure else None,
        )
        if claim_id is None:
            return None  # another delivery or process already made this offer
        line_input = {
            "variantId": variant_id,
            "quantity": decision.quantity,
            "price": str(decision.override_price),
            "priceOverrideReason": decision.price_override_reason,
            "forceNewLine": True,  # never merge into (and re-price) the shopper's own line
            "metadata": _metadata_input(decision.metadata),
        }
        added = await self._add_offer_line(snapshot, claim_id, decision.rule_id, kind, line_input)
        if added is None:
            return None
        line, checkout = added
        if not await self._ensure_price(snapshot, claim_id, decision, line, decision.override_price):
            return None
        details = {"regular_price": str(decision.regular_price), "line_id": str(line["id"])}
        if isinstance(decision, SwapUpgrade):
            # The upgrade line is in place at the right price: now take the original out.
            after_delete = await self._mutate_lines(
                "CheckoutLinesDelete", snapshot.id, {"linesIds": [decision.line_id]}
            )
            checkout = after_delete or checkout
            details["from_variant_id"] = decision.from_variant_id
        event = self._event(
            event_kind,
            kind,
            snapshot,
            decision.rule_id,
            variant_id,
            amount=decision.unit_price,
            details=details,
        )
        await self.services.checkout_offers.transition(
            self.installation.id,
            claim_id,
            APPLIED,
            self.now(),
            line_id=str(line["id"]),
            saleor_updated_at=_saleor_time(checkout),
            events=[event],
        )
        log.info(
            "upgrade swapped in" if upgrade else "bump added",
            extra={**self.log_context, "rule_id": decision.rule_id},
        )
        return str(line["id"])

    async def _remove(
        self, snapshot: CheckoutSnapshot, decision: RemoveBump, claims: list[OfferClaim]
    ) -> None:
        await self._mutate_lines("CheckoutLinesDelete", snapshot.id, {"linesIds": [decision.line_id]})
        claim = next((c for c in claims if str(c.rule_id) == decision.rule_id), None)
        event = self._event(
            "removed",
            "bump",
            snapshot,
            decision.rule_id,
            claim.variant_id if claim else None,
            details={"reason": str(decision.reason), "message": decision.message},
        )
        if claim is not None:
            await self.services.checkout_offers.transition(
                self.installation.id, claim.id, REMOVED, self.now(), events=[event]
            )
        else:
            await self.services.events.record(self.installation.id, [event], self.now())
        log.info("bump removed: " + decision.message, extra={**self.log_context, "rule_id": decision.rule_id})

    async def _split(self, snapshot: CheckoutSnapshot, decision: SplitBumpQuantity) -> None:
        already_split = any(line.metadata.get(SPLIT_FROM) == decision.line_id for line in snapshot.lines)
        if not already_split:
            # Add the excess first: if the trim below fails, the retry sees this marker and only trims.
            await self._mutate_lines(
                "CheckoutLinesAdd",
                snapshot.id,
                {
                    "lines": [
                        {
                            "variantId": decision.variant_id,
                            "quantity": decision.excess,
                            "forceNewLine": True,
                            "metadata": [{"key": SPLIT_FROM, "value": decision.line_id}],
                        }
                    ]
                },
            )
        await self._mutate_lines(
            "CheckoutLinesUpdate",
            snapshot.id,
            {"lines": [{"lineId": decision.line_id, "quantity": decision.keep}]},
        )
        log.info("bump quantity split", extra={**self.log_context, "rule_id": decision.rule_id})

    # ------------------------------------------------------------------ Saleor calls

    async def _mutate_lines(
        self, operation: str, checkout_id: str, variables: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        """Run a checkout-lines mutation; None when the checkout no longer exists (nothing to do)."""
        try:
            payload = await self.client.mutate(operation, {"id": checkout_id, **variables})
        except SaleorMutationError as exc:
            if "NOT_FOUND" in exc.codes or any(e.get("field") == "id" for e in exc.errors):
                log.info("checkout no longer exists", extra=self.log_context)
                return None
            raise
        checkout: Mapping[str, Any] | None = payload.get("checkout")
        return checkout

    async def _add_offer_line(
        self, snapshot: CheckoutSnapshot, claim_id: int, rule_id: str, kind: str, line_input: dict[str, Any]
    ) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
        try:
            checkout = await self._mutate_lines("CheckoutLinesAdd", snapshot.id, {"lines": [line_input]})
        except (SaleorMutationError, SaleorGraphQLError) as exc:
            # The offer cannot be made as configured (unknown variant, missing permission...): keep the
            # claim as failed so it is not retried for ever, and tell the merchant through the log.
            await self.services.checkout_offers.transition(
                self.installation.id,
                claim_id,
                FAILED,
                self.now(),
                events=[
                    self._event(
                        "failed",
                        kind,
                        snapshot,
                        rule_id,
                        line_input["variantId"],
                        details={"error": str(exc)},
                    )
                ],
            )
            log.error(
                "offer could not be added", extra={**self.log_context, "rule_id": rule_id, "error": str(exc)}
            )
            return None
        except BaseException:
            await self.services.checkout_offers.release(claim_id)  # Saleor away: let the retry claim again
            raise
        if checkout is None:
            await self.services.checkout_offers.release(claim_id)
            return None
        known = {line.id for line in snapshot.lines}
        for line in checkout.get("lines") or ():
            marker = md.read_marker({m["key"]: m["value"] for m in line.get("metadata") or ()})
            if line["id"] not in known and marker is not None and marker.rule_id == rule_id:
                return line, checkout
        raise RuntimeError(f"Saleor accepted the offer line for rule {rule_id} but it is not in the checkout")

    async def _ensure_price(
        self,
        snapshot: CheckoutSnapshot,
        claim_id: int,
        decision: AddBump | SwapUpgrade,
        line: Mapping[str, Any],
        sent: Decimal,
    ) -> bool:
        """The shopper must pay the offer price: correct the override once if a promotion changed it."""
        observed = _line_price(line)
        if observed == decision.unit_price:
            return True
        corrected = corrected_override(sent, observed, decision.unit_price, decision.currency)
        if corrected is not None:
            checkout = await self._mutate_lines(
                "CheckoutLinesUpdate",
                snapshot.id,
                {"lines": [{"lineId": line["id"], "price": str(corrected)}]},
            )
            updated = next((x for x in (checkout or {}).get("lines") or () if x["id"] == line["id"]), None)
            if updated is not None and _line_price(updated) <= decision.unit_price:
                log.warning(
                    "offer price corrected after a promotion",
                    extra={
                        **self.log_context,
                        "rule_id": decision.rule_id,
                        "observed": str(observed),
                        "target": str(decision.unit_price),
                        "override": str(corrected),
                    },
                )
                return True
        await self._mutate_lines("CheckoutLinesDelete", snapshot.id, {"linesIds": [line["id"]]})
        await self.services.checkout_offers.transition(
            self.installation.id,
            claim_id,
            FAILED,
            self.now(),
            events=[
                self._event(
                    "failed",
                    "upgrade" if isinstance(decision, SwapUpgrade) else "bump",
                    snapshot,
                    decision.rule_id,
                    None,
                    details={"error": f"unit price {observed} instead of {decision.unit_price}"},
                )
            ],
        )
        log.error(
            "offer line removed: Saleor charged an unexpected price",
            extra={
                **self.log_context,
                "rule_id": decision.rule_id,
                "observed": str(observed),
                "target": str(decision.unit_price),
            },
        )
        return False

    async def _delete_original_of_upgrade(self, snapshot: CheckoutSnapshot, upgrade_line: Any) -> None:
        marker = md.read_marker(upgrade_line.metadata)
        if marker is None or marker.original_variant_id is None:
            return
        originals = [
            line.id
            for line in snapshot.lines
            if line.variant_id == marker.original_variant_id and md.read_marker(line.metadata) is None
        ]
        if originals:
            await self._mutate_lines("CheckoutLinesDelete", snapshot.id, {"linesIds": originals[:1]})
