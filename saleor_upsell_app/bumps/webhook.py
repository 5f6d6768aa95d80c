"""CHECKOUT_CREATED / CHECKOUT_UPDATED: decide with the engine, apply with Saleor mutations, exactly once.

Order of work for one checkout snapshot:
1. reconcile: a claim left `claimed` by a crash mid-way is finished or released;
2. declines: an applied offer line missing from a snapshot newer than our own write was removed by the
   shopper (our own events never reach this point), so it is recorded and never offered again; a
   deleted upgrade first gets the shopper's original line back (bumps/restore.py);
3. evaluate (pure engine) and apply each decision, claiming it in the database before the mutation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..engine.spec import ChannelMode
from ..engine.types import AddBump, RemoveBump, SplitBumpQuantity, SwapUpgrade
from ..inbox.types import ClaimedEvent
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import Database
from ..saleor.client import SaleorClientFactory
from .apply import apply_offer
from .context import OnCheckout
from .evaluation import Evaluator
from .exposure import exposure_event, record_exposure_once
from .gateway import CheckoutLines, CheckoutState, checkout_event, checkout_state
from .reconcile import reconcile, record_declines, restore_deleted_upgrades
from .remove import remove_bump, split_bump

log = logging.getLogger("saleor_upsell.webhooks.checkout")


@dataclass(frozen=True, slots=True)
class CheckoutStep:
    """The inbox handler of both checkout events."""

    db: Database
    installations: InstallationStore
    saleor: SaleorClientFactory
    evaluator: Evaluator
    clock: Clock

    async def __call__(self, event: ClaimedEvent) -> None:
        installation = await self.installations.get_by_id(event.installation_id)
        if installation is None:
            return  # uninstalled since
        checkout = checkout_event(event.payload).checkout
        if checkout is None:
            return  # deleted or completed checkouts have nothing left to offer on
        lines = CheckoutLines(self.saleor.for_auth(installation), checkout.id)
        if event.attempts > 1:
            # A retry may follow a partial application; the stored snapshot could be stale.
            fresh = await lines.fetch(event.issued_at)
            if fresh is None:
                log.info("checkout gone before retry", extra={"subject": event.subject_key})
                return
            state = fresh
        else:
            state = checkout_state(checkout, event.issued_at)
        on = OnCheckout(
            self.db, installation.id, lines, self.clock, {"saleor_api_url": installation.saleor_api_url}
        )
        await self.process(on, state)

    async def process(self, on: OnCheckout, state: CheckoutState) -> None:
        on.log_context["checkout_id"] = state.snapshot.id
        claims = await on.claims()
        claims = await reconcile(on, state.snapshot, claims)
        # An upgrade the shopper deleted gets its original back; the engine then sees the checkout as is.
        state, claims = await restore_deleted_upgrades(on, state, claims)
        snapshot = state.snapshot
        claims = await record_declines(on, snapshot, state.updated_at, claims)

        verdict = await self.evaluator.evaluate(
            on.installation_id, on.lines.client, snapshot, claims, self.clock()
        )
        settings, evaluation = verdict.settings, verdict.evaluation
        exposure = exposure_event(snapshot, evaluation, settings.holdout_percent, claims)
        applies = settings.mode == ChannelMode.INJECT and any(
            isinstance(d, AddBump | SwapUpgrade) for d in evaluation.decisions
        )
        if exposure is not None and not applies:
            await record_exposure_once(on, exposure)
        for decision in evaluation.decisions:
            if isinstance(decision, AddBump | SwapUpgrade):
                if (
                    settings.mode == ChannelMode.INJECT
                ):  # in offer mode only the shopper adds (storefront API)
                    await apply_offer(on, snapshot, decision, exposure=exposure)
                    exposure = None  # logged with the first claim
            elif isinstance(decision, RemoveBump):
                # Also in offer mode: an accepted offer whose trigger left loses its discount.
                await remove_bump(on, snapshot, decision, claims)
            elif isinstance(decision, SplitBumpQuantity):
                await split_bump(on, snapshot, decision)
