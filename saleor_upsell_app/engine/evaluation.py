"""The checkout offer engine: snapshot + rules + settings + history → decisions (pure, no clock).

Order of work in one evaluation:
1. Recognise the app's own lines by their metadata marker (trusted only for rules this checkout's history
   says the app applied; line metadata is public).
2. Removals: a bump whose trigger left the checkout, or whose subtotal condition no longer holds, is
   removed — the discounted price was conditional; the shopper can still add the product at its normal
   price. Removals happen even during payment (they only lower the total). Lines of deleted rules stay.
3. Once the checkout is in payment, stop.
4. Splits: units beyond a bump's ``max_quantity`` go back to a regular-price line.
5. Candidates, best rank first: upgrades (swap a shopper line) and bumps, under the guardrails in
   ``guardrails.py`` and the pricing in ``pricing.py``. After a swap the working state changes, so the
   candidates are read again; an upgrade that would take away the trigger of a bump is refused. Once the
   cap is full only rules that override it are read.
- ``offer`` mode: the same choice, listed in ``Evaluation.offers`` instead of decided (removals and
  splits of accepted offers are still decisions).
- Holdout: the checkout gets nothing; a HOLDOUT skip names each rule it would have got.
The result is idempotent: evaluating ``apply_decisions(snapshot, decisions)`` with the updated history adds,
swaps and splits nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum, auto

from . import metadata as md
from .guardrails import (
    adds_allowed_at_delivery_stage,
    cap_allows,
    lines_subtotal,
    upgrade_within_ceiling,
    within_ceiling,
)
from .holdout import in_holdout
from .index import IndexedRule, RuleIndex
from .pricing import OfferPrice, PriceProblem, offer_price, price_override_reason
from .simulate import swapped_line
from .spec import BumpRuleSpec, ChannelMode, ChannelSettingsSpec, UpgradeRuleSpec
from .types import (
    AddBump,
    CheckoutHistory,
    CheckoutLine,
    CheckoutSnapshot,
    Decision,
    Evaluation,
    Offer,
    OfferKind,
    RemoveBump,
    Skip,
    SkipReason,
    SplitBumpQuantity,
    SwapUpgrade,
    VariantPricing,
)


class _Next(Enum):
    CONTINUE = auto()
    RESTART = auto()  # the working state changed: read the candidates again
    STOP = auto()  # the cap is full and no rule may exceed it


class _State:
    """The checkout as it will be after the decisions taken so far."""

    __slots__ = ("bump_rules", "present_rules", "shopper_lines", "subtotal", "upgradable", "used", "variants")

    def __init__(self, shopper_lines: list[CheckoutLine]) -> None:
        self.shopper_lines = shopper_lines  # lines that can trigger rules (everything but bump lines)
        self.upgradable: list[CheckoutLine] = []
        self.variants: set[str] = set()
        self.present_rules: set[int] = set()
        self.bump_rules: list[IndexedRule] = []  # bumps that stay: their triggers must survive swaps
        self.used = 0
        self.subtotal = lines_subtotal((line.unit_price, line.quantity) for line in shopper_lines)

    def settle_cart(self, unmarked: list[CheckoutLine], bump_variants: set[str]) -> None:
        """Once removals are decided: what is in the cart, and which lines may be upgraded."""
        self.variants = {line.variant_id for line in self.shopper_lines} | bump_variants
        # Lines sharing a variant with a bump (e.g. the excess of a split) are not upgraded: confusing.
        self.upgradable = [line for line in unmarked if line.variant_id not in bump_variants]


def _trigger_problem(
    rule: IndexedRule,
    lines: list[CheckoutLine],
    subtotal: Decimal,
    currency: str,
    items_known_to_match: bool = False,
) -> tuple[SkipReason, str] | None:
    if rule.min_subtotal is not None:
        minimum = rule.min_subtotal.get(currency)
        if minimum is None:
            return SkipReason.NO_AMOUNT_FOR_CURRENCY, f"no min_subtotal for {currency}"
        if subtotal < minimum:
            return SkipReason.SUBTOTAL_BELOW_MINIMUM, f"subtotal {subtotal} is below {minimum} {currency}"
    if items_known_to_match or not rule.has_item_trigger:
        return None
    if not any(rule.line_matches(line) for line in lines):
        return SkipReason.TRIGGER_LEFT, "no line in the checkout matches the rule's trigger"
    return None


class _Evaluator:
    def __init__(
        self,
        snapshot: CheckoutSnapshot,
        index: RuleIndex,
        settings: ChannelSettingsSpec,
        history: CheckoutHistory,
        pricing: Mapping[str, VariantPricing],
        now: datetime,
        arms: Mapping[int, str] | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.arms = arms or {}
        self.index = index
        self.settings = settings
        self.history = history
        self.pricing = pricing
        self.now = now
        self.currency = snapshot.currency
        self.decisions: list[Decision] = []
        self.offers: list[Offer] = []
        self.skips: dict[int | None, Skip] = {}
        self.holdout = in_holdout(snapshot.id, settings.holdout_percent)

    def skip(self, rule_id: int | None, reason: SkipReason, message: str) -> _Next:
        self.skips[rule_id] = Skip(rule_id, reason, message)
        return _Next.CONTINUE

    # ------------------------------------------------------------ steps

    def run(self) -> Evaluation:
        snapshot = self.snapshot
        trusted = self.history.offered_rule_ids
        shopper_lines: list[CheckoutLine] = []
        unmarked: list[CheckoutLine] = []
        bump_lines: list[tuple[CheckoutLine, md.UpsellMarker, int]] = []  # with the (trusted) rule id
        upgrade_rules: list[int] = []
        for line in snapshot.lines:
            marker = md.read_marker(line.metadata)
            if marker is None:
                unmarked.append(line)
            elif marker.rule_id is not None and marker.rule_id in trusted:
                if marker.kind == "bump":
                    bump_lines.append((line, marker, marker.rule_id))
                    continue
                upgrade_rules.append(marker.rule_id)
            shopper_lines.append(line)
        state = _State(shopper_lines)
        state.present_rules.update(upgrade_rules)
        state.used = len(upgrade_rules)
        kept = self._removals(state, bump_lines)
        state.settle_cart(unmarked, {line.variant_id for line, _, _ in kept})
        if snapshot.in_payment:
            self.skip(None, SkipReason.IN_PAYMENT, "the checkout is in payment: only removals")
        else:
            self._splits(state, kept)
            if not state.shopper_lines:
                self.skip(None, SkipReason.NO_SHOPPER_LINES, "nothing but offers in the checkout")
            else:
                self._choose(state)
        return Evaluation(tuple(self.decisions), tuple(self.offers), tuple(self.skips.values()), self.holdout)

    def _removals(
        self, state: _State, bump_lines: list[tuple[CheckoutLine, md.UpsellMarker, int]]
    ) -> list[tuple[CheckoutLine, md.UpsellMarker, int]]:
        kept = []
        for line, marker, rule_id in bump_lines:
            rule = self.index.get(rule_id)
            problem = None
            if rule is not None and not rule.is_upgrade:
                problem = _trigger_problem(rule, state.shopper_lines, state.subtotal, self.currency)
                if problem is not None and problem[0] is SkipReason.NO_AMOUNT_FOR_CURRENCY:
                    problem = None  # cannot judge in this currency: leave the shopper's line alone
            if problem is not None:
                self.decisions.append(RemoveBump(line.id, rule_id, problem[0], problem[1]))
                continue
            kept.append((line, marker, rule_id))
            state.present_rules.add(rule_id)
            state.used += 1
            if rule is not None:
                state.bump_rules.append(rule)
        return kept

    def _splits(self, state: _State, kept: list[tuple[CheckoutLine, md.UpsellMarker, int]]) -> None:
        for line, marker, rule_id in kept:
            if line.quantity <= marker.max_quantity:
                continue
            excess = line.quantity - marker.max_quantity
            regular = (
                marker.regular_price if marker.regular_price is not None else line.undiscounted_unit_price
            )
            self.decisions.append(
                SplitBumpQuantity(line.id, rule_id, line.variant_id, marker.max_quantity, excess, regular)
            )
            excess_line = CheckoutLine(
                id=f"{line.id}+excess",
                variant_id=line.variant_id,
                product_id=line.product_id,
                category_id=line.category_id,
                collection_ids=line.collection_ids,
                quantity=excess,
                unit_price=regular,
                undiscounted_unit_price=regular,
            )
            state.shopper_lines.append(excess_line)
            state.subtotal += regular * excess

    def _cap_reached(self, state: _State) -> bool:
        return state.used >= self.settings.max_offers_per_checkout

    def _taken(self, state: _State) -> _Next:
        """After taking a candidate: go on, switch to the cap-overriding rules, or stop reading."""
        if not self._cap_reached(state):
            return _Next.CONTINUE
        return _Next.RESTART if self.index.cap_overriders is not None else _Next.STOP

    def _hold_out(self, rule: IndexedRule, state: _State) -> _Next:
        """Control group: record what would have been offered, and count it as taken (cap, once only)."""
        state.used += 1
        state.present_rules.add(rule.rule_id)
        self.skip(rule.rule_id, SkipReason.HOLDOUT, "the checkout is in the holdout group")
        return self._taken(state)

    def _choose(self, state: _State) -> None:
        if self._cap_reached(state) and self.index.cap_overriders is None:
            self.skip(None, SkipReason.CAP_REACHED, f"{state.used} offer(s) already in the checkout")
            return
        # Each restart follows a taken rule (used grows, the rule is present), so this ends.
        while True:
            source = self.index.cap_overriders if self._cap_reached(state) else self.index
            if source is None:
                return
            seen: set[int] = set()
            for rule in source.candidates(state.shopper_lines, self.currency):
                if rule.rule_id in seen:
                    continue
                seen.add(rule.rule_id)
                step = self._consider(rule, state)
                if step is _Next.STOP:
                    return
                if step is _Next.RESTART:
                    break
            else:
                return

    # ------------------------------------------------------------ one candidate

    def _consider(self, rule: IndexedRule, state: _State) -> _Next:
        rule_id = rule.rule_id
        if rule_id in state.present_rules:
            return _Next.CONTINUE  # already in the checkout (or decided in this evaluation)
        if rule.channels and self.snapshot.channel_slug not in rule.channels:
            return self.skip(rule_id, SkipReason.OTHER_CHANNEL, "the rule is for other channels")
        if not rule.active_at(self.now):
            return self.skip(rule_id, SkipReason.OUTSIDE_WINDOW, "the rule is outside its active window")
        if rule_id in self.history.declined_rule_ids:
            return self.skip(rule_id, SkipReason.DECLINED, "the shopper declined this offer")
        if rule_id in self.history.offered_rule_ids:
            return self.skip(rule_id, SkipReason.REMOVED_BY_SHOPPER, "already offered on this checkout")
        # The index found this rule through a key of a current line, so only the subtotal needs a check.
        problem = _trigger_problem(rule, state.shopper_lines, state.subtotal, self.currency, True)
        if problem is not None:
            return self.skip(rule_id, *problem)
        spec = self._spec(rule)
        offer_variant_id = spec.offer_variant_id if isinstance(spec, BumpRuleSpec) else rule.offer_variant_id
        if offer_variant_id in state.variants:
            return self.skip(
                rule_id, SkipReason.VARIANT_IN_CART, "the offered variant is already in the cart"
            )
        if not cap_allows(state.used, self.settings, rule.overrides_cap):
            self.skip(
                rule_id, SkipReason.CAP_REACHED, f"the cap of {self.settings.max_offers_per_checkout} is full"
            )
            return _Next.CONTINUE
        overrides = rule.spec.overrides
        if not adds_allowed_at_delivery_stage(
            self.snapshot.delivery_method_chosen, self.settings, overrides.delivery_stage
        ):
            return self.skip(rule_id, SkipReason.DELIVERY_STAGE, "a delivery method is already chosen")
        priced = self._price(offer_variant_id, spec)
        if isinstance(priced, PriceProblem):
            return self.skip(rule_id, priced.reason, priced.message)
        pricing, price = priced
        if isinstance(spec, UpgradeRuleSpec):
            return self._consider_upgrade(rule, spec, state, pricing, price)
        assert isinstance(spec, BumpRuleSpec)
        return self._consider_bump(rule, spec, state, pricing, price)

    def _spec(self, rule: IndexedRule) -> BumpRuleSpec | UpgradeRuleSpec:
        """The rule as this checkout sees it: with an A/B test, its assigned variant's offer."""
        spec = rule.spec
        arm = self.arms.get(rule.rule_id)
        if arm is not None and isinstance(spec, BumpRuleSpec) and spec.variants:
            return spec.with_variant(arm)
        return spec

    def _price(
        self, offer_variant_id: str, spec: BumpRuleSpec | UpgradeRuleSpec
    ) -> tuple[VariantPricing, OfferPrice] | PriceProblem:
        pricing = self.pricing.get(offer_variant_id)
        if pricing is None or pricing.channel != self.snapshot.channel_slug:
            return PriceProblem(SkipReason.PRICING_MISSING, "no catalogue pricing for the offered variant")
        if not pricing.available:
            return PriceProblem(SkipReason.UNAVAILABLE, "the offered variant is not available")
        price = offer_price(spec.price, pricing, self.currency, spec.allow_promotion_stacking)
        return price if isinstance(price, PriceProblem) else (pricing, price)

    def _consider_bump(
        self, rule: IndexedRule, spec: BumpRuleSpec, state: _State, pricing: VariantPricing, price: OfferPrice
    ) -> _Next:
        if rule.has_item_trigger:
            base = max(line.unit_price for line in state.shopper_lines if rule.line_matches(line))
        else:
            base = state.subtotal
        if not within_ceiling(
            price.unit_price, base, self.settings.price_ceiling_percent, spec.overrides.price_ceiling
        ):
            return self.skip(
                rule.rule_id,
                SkipReason.ABOVE_PRICE_CEILING,
                f"{price.unit_price} is above {self.settings.price_ceiling_percent}% of {base}",
            )
        if self.holdout:
            return self._hold_out(rule, state)
        action = AddBump(
            rule_id=rule.rule_id,
            variant_id=pricing.variant_id,
            product_id=pricing.product_id,
            quantity=1,
            unit_price=price.unit_price,
            override_price=price.override_price,
            regular_price=price.regular_price,
            currency=self.currency,
            metadata=md.bump_metadata(
                rule.rule_id, price.unit_price, price.regular_price, self.currency, spec.max_quantity
            ),
            price_override_reason=price_override_reason(rule.rule_id, "bump", price, self.currency),
            arm=self.arms.get(rule.rule_id)
            if isinstance(rule.spec, BumpRuleSpec) and rule.spec.variants
            else None,
        )
        state.used += 1
        state.variants.add(action.variant_id)
        state.present_rules.add(rule.rule_id)
        if self.settings.mode == ChannelMode.OFFER:
            self.offers.append(Offer(rule.rule_id, OfferKind.BUMP, action, *self._copy(spec)))
        else:
            self.decisions.append(action)
            state.bump_rules.append(rule)
        return self._taken(state)

    def _consider_upgrade(
        self,
        rule: IndexedRule,
        spec: UpgradeRuleSpec,
        state: _State,
        pricing: VariantPricing,
        price: OfferPrice,
    ) -> _Next:
        line = next((line for line in state.upgradable if rule.line_matches(line)), None)
        if line is None:
            return self.skip(
                rule.rule_id, SkipReason.NOT_ELIGIBLE_LINE, "no line of the source variant to upgrade"
            )
        if not upgrade_within_ceiling(
            price.unit_price,
            line.unit_price,
            self.settings.price_ceiling_percent,
            spec.overrides.price_ceiling,
        ):
            return self.skip(
                rule.rule_id,
                SkipReason.ABOVE_PRICE_CEILING,
                f"upgrade adds {price.unit_price - line.unit_price} per unit, above "
                f"{self.settings.price_ceiling_percent}% of {line.unit_price}",
            )
        action = SwapUpgrade(
            line_id=line.id,
            rule_id=rule.rule_id,
            from_variant_id=line.variant_id,
            to_variant_id=pricing.variant_id,
            to_product_id=pricing.product_id,
            to_category_id=pricing.category_id,
            to_collection_ids=pricing.collection_ids,
            quantity=line.quantity,
            unit_price=price.unit_price,
            override_price=price.override_price,
            regular_price=price.regular_price,
            currency=self.currency,
            metadata=md.upgrade_metadata(
                rule.rule_id,
                price.unit_price,
                price.regular_price,
                self.currency,
                line.variant_id,
                line.quantity,
            ),
            price_override_reason=price_override_reason(rule.rule_id, "upgrade", price, self.currency),
        )
        inject = self.settings.mode == ChannelMode.INJECT
        new_lines = [other for other in state.shopper_lines if other is not line]
        new_lines.append(swapped_line(action))
        new_subtotal = state.subtotal + (action.unit_price - line.unit_price) * line.quantity
        if inject and any(
            _trigger_problem(bump, new_lines, new_subtotal, self.currency) for bump in state.bump_rules
        ):
            return self.skip(
                rule.rule_id, SkipReason.WOULD_ORPHAN_BUMP, "the swap would remove a bump's trigger"
            )
        if self.holdout:
            return self._hold_out(rule, state)
        state.used += 1
        state.present_rules.add(rule.rule_id)
        state.upgradable.remove(line)
        state.variants.add(action.to_variant_id)
        if not inject:
            self.offers.append(Offer(rule.rule_id, OfferKind.UPGRADE, action, *self._copy(spec)))
            return self._taken(state)
        self.decisions.append(action)
        state.variants.discard(line.variant_id)
        state.shopper_lines = new_lines
        state.subtotal = new_subtotal
        return _Next.RESTART

    @staticmethod
    def _copy(spec: BumpRuleSpec | UpgradeRuleSpec) -> tuple[str, str, str | None]:
        return spec.copy_text.headline, spec.copy_text.reason, spec.copy_text.badge


def evaluate_checkout(
    snapshot: CheckoutSnapshot,
    index: RuleIndex,
    settings: ChannelSettingsSpec,
    history: CheckoutHistory,
    pricing: Mapping[str, VariantPricing],
    now: datetime,
    arms: Mapping[int, str] | None = None,
) -> Evaluation:
    """Decide what to add, swap, split or remove on this checkout (see the module docstring).

    ``arms``: for rules with A/B variants, the variant this checkout sees (rule id → variant name), as
    insights.experiments.assign_variant chose it; a rule missing from it offers its own offer."""
    return _Evaluator(snapshot, index, settings, history, pricing, now, arms).run()


class _Enough(Exception):
    pass


class _PricingRecorder(Mapping[str, VariantPricing]):
    """Stands in for the pricing map to learn which variants the engine would look up."""

    def __init__(self, limit: int) -> None:
        self.wanted: dict[str, None] = {}
        self.limit = limit

    def __getitem__(self, key: str) -> VariantPricing:
        self.wanted[key] = None
        if len(self.wanted) >= self.limit:
            raise _Enough
        raise KeyError(key)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(())

    def __len__(self) -> int:
        return 0


def offer_variant_ids_to_price(
    snapshot: CheckoutSnapshot,
    index: RuleIndex,
    settings: ChannelSettingsSpec,
    history: CheckoutHistory,
    now: datetime,
    limit: int = 20,
    arms: Mapping[int, str] | None = None,
) -> tuple[str, ...]:
    """The offer variants (best rank first, at most ``limit``) whose pricing the engine would need.

    Fetch these with Saleor's ``productVariants(ids, channel, first)`` and pass them to
    :func:`evaluate_checkout`.
    """
    recorder = _PricingRecorder(limit)
    try:
        _Evaluator(snapshot, index, settings, history, recorder, now, arms).run()
    except _Enough:
        pass
    return tuple(recorder.wanted)
