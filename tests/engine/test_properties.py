"""Properties of the engine over generated checkouts, rules and settings."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_upsell_app.engine import metadata as md
from saleor_upsell_app.engine.evaluation import evaluate_checkout
from saleor_upsell_app.engine.guardrails import ceiling_limit
from saleor_upsell_app.engine.index import RuleIndex
from saleor_upsell_app.engine.money import quantize
from saleor_upsell_app.engine.simulate import apply_decisions, history_after
from saleor_upsell_app.engine.spec import BumpRuleSpec, ChannelSettingsSpec
from saleor_upsell_app.engine.types import (
    AddBump,
    CheckoutHistory,
    CheckoutLine,
    CheckoutSnapshot,
    RemoveBump,
    Rule,
    SplitBumpQuantity,
    SwapUpgrade,
    VariantPricing,
)

from .factories import NOW, bump_rule, cat, col, line, pid, snapshot, upgrade_rule, vid

CURRENCIES = ["USD", "JPY", "KWD"]
VARIANTS = range(1, 13)  # small pools so triggers and offers collide often


def money(currency: str, low: str = "0.5", high: str = "300") -> st.SearchStrategy[Decimal]:
    return st.decimals(Decimal(low), Decimal(high), places=3).map(lambda d: quantize(d, currency))


@st.composite
def price_specs(draw: st.DrawFn, currency: str, free_gift: bool = True) -> dict[str, object]:
    kinds = ["percent_off", "amount_off", "fixed"] + (["free_gift"] if free_gift else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "percent_off":
        return {"type": kind, "percent": str(draw(st.decimals(Decimal("0.5"), Decimal("99.5"), places=1)))}
    if kind == "free_gift":
        return {"type": kind}
    spec_currency = draw(st.sampled_from([currency, currency, "EUR"]))  # sometimes no amount for ours
    return {"type": kind, "amounts": {spec_currency: str(draw(money(spec_currency, "1", "80")))}}


@st.composite
def rule_sets(draw: st.DrawFn, currency: str) -> list[Rule]:
    rules = []
    for i in range(draw(st.integers(1, 8))):
        rule_id = i + 1
        overrides = {
            "price_ceiling": draw(st.booleans()),
            "max_offers": draw(st.booleans()),
            "delivery_stage": draw(st.booleans()),
        }
        if draw(st.integers(0, 4)) == 0:
            rules.append(
                upgrade_rule(
                    rule_id,
                    source=draw(st.lists(st.sampled_from(VARIANTS), min_size=1, max_size=2, unique=True)),
                    target=draw(st.sampled_from([100, 101, 102])),
                    price=draw(price_specs(currency, free_gift=False)),
                    priority=draw(st.integers(0, 3)),
                    overrides=overrides,
                )
            )
            continue
        trigger_kind = draw(
            st.sampled_from(["variant_ids", "product_ids", "category_ids", "collection_ids", "subtotal"])
        )
        make = {"variant_ids": vid, "product_ids": pid, "category_ids": cat, "collection_ids": col}
        trigger: dict[str, object]
        if trigger_kind == "subtotal":
            trigger = {"min_subtotal": {currency: str(draw(money(currency, "1", "200")))}}
        else:
            trigger = {
                trigger_kind: [
                    make[trigger_kind](n)
                    for n in draw(st.lists(st.sampled_from(range(1, 5)), min_size=1, max_size=2))
                ]
            }
        offer = draw(st.sampled_from([*VARIANTS, 50, 51, 52]))
        if trigger_kind == "variant_ids" and vid(offer) in trigger["variant_ids"]:  # type: ignore[operator]
            offer = 50
        rules.append(
            bump_rule(
                rule_id,
                trigger=trigger,
                offer=offer,
                price=draw(price_specs(currency)),
                priority=draw(st.integers(0, 3)),
                max_quantity=draw(st.integers(1, 3)),
                allow_promotion_stacking=draw(st.booleans()),
                overrides=overrides,
            )
        )
    return rules


@st.composite
def scenarios(
    draw: st.DrawFn,
) -> tuple[CheckoutSnapshot, list[Rule], ChannelSettingsSpec, CheckoutHistory, dict[str, VariantPricing]]:
    currency = draw(st.sampled_from(CURRENCIES))
    rules = draw(rule_sets(currency))
    lines: list[CheckoutLine] = []
    for n in range(draw(st.integers(0, 5))):
        variant = draw(st.sampled_from(VARIANTS))
        lines.append(
            line(
                n,
                variant=variant,
                product=variant % 4 + 1,
                category=variant % 3 + 1,
                collections=draw(st.lists(st.sampled_from(range(1, 5)), max_size=2)),
                quantity=draw(st.integers(1, 3)),
                price=str(draw(money(currency))),
            )
        )
    history_offered: set[str] = set()
    for n, rule in enumerate(draw(st.lists(st.sampled_from(rules), max_size=2, unique_by=lambda r: r.id))):
        if not isinstance(rule.spec, BumpRuleSpec):
            continue
        price = draw(money(currency, "0.5", "40"))
        metadata = md.bump_metadata(rule.id, price, price, currency, rule.spec.max_quantity)
        bump = line(100 + n, quantity=draw(st.integers(1, 4)), price=str(price), metadata=metadata)
        lines.append(replace(bump, variant_id=rule.spec.offer_variant_id))
        history_offered.add(rule.id)
    declined = set(draw(st.lists(st.sampled_from([r.id for r in rules]), max_size=2)))
    checkout = snapshot(
        lines,
        currency=currency,
        in_payment=draw(st.booleans()) and draw(st.booleans()),
        delivery_method_chosen=draw(st.booleans()),
        checkout_id=f"checkout-{draw(st.integers(0, 50))}",
    )
    cap = draw(st.integers(0, 3))
    channel_settings = ChannelSettingsSpec(
        mode=draw(st.sampled_from(["inject", "inject", "offer"])),
        max_offers_per_checkout=cap,
        allow_more_than_two=cap > 2,
        price_ceiling_percent=draw(st.sampled_from([None, Decimal(25), Decimal(60)])),
        holdout_percent=draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(30)])),
        allow_after_delivery_method=draw(st.booleans()),
    )
    pricing: dict[str, VariantPricing] = {}
    for variant in [*VARIANTS, 50, 51, 52, 100, 101, 102]:
        regular = draw(money(currency, "1", "120"))
        promoted = draw(st.booleans())
        current = quantize(regular * Decimal("0.7"), currency) if promoted else regular
        pricing[vid(variant)] = VariantPricing(
            vid(variant),
            "default-channel",
            currency,
            regular,
            current,
            draw(st.booleans()) or True,
            f"v{variant}",
            pid(variant % 4 + 1),
            category_id=cat(variant % 3 + 1),
        )
    history = CheckoutHistory(frozenset(declined - history_offered), frozenset(history_offered))
    return checkout, rules, channel_settings, history, pricing


PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ceiling_base(rule: Rule, checkout: CheckoutSnapshot, history: CheckoutHistory) -> Decimal:
    shopper = [
        item
        for item in checkout.lines
        if (marker := md.read_marker(item.metadata)) is None or marker.rule_id not in history.offered_rule_ids
    ]
    trigger = rule.spec.trigger  # type: ignore[union-attr]
    if not trigger.has_item_trigger:
        return sum((item.unit_price * item.quantity for item in shopper), Decimal(0))
    matching = [
        item.unit_price
        for item in shopper
        if item.variant_id in trigger.variant_ids
        or item.product_id in trigger.product_ids
        or item.category_id in trigger.category_ids
        or item.collection_ids & set(trigger.collection_ids)
    ]
    return max(matching)


@PROPERTY_SETTINGS
@given(scenarios())
def test_prices_are_never_negative_and_always_in_the_checkout_currency(scenario) -> None:  # type: ignore[no-untyped-def]
    checkout, rules, channel_settings, history, pricing = scenario
    evaluation = evaluate_checkout(checkout, RuleIndex.build(rules), channel_settings, history, pricing, NOW)
    actions = [d for d in evaluation.decisions if isinstance(d, AddBump | SwapUpgrade)]
    actions += [o.action for o in evaluation.offers]
    for action in actions:
        assert action.currency == checkout.currency
        assert action.unit_price >= 0 and action.override_price >= 0
        assert action.unit_price == quantize(action.unit_price, checkout.currency)
        assert action.override_price == quantize(action.override_price, checkout.currency)
        rule = next(r for r in rules if r.id == action.rule_id)
        if action.unit_price == 0:
            assert rule.spec.price.type == "free_gift"


@PROPERTY_SETTINGS
@given(scenarios())
def test_never_over_the_ceiling_unless_overridden(scenario) -> None:  # type: ignore[no-untyped-def]
    checkout, rules, channel_settings, history, pricing = scenario
    evaluation = evaluate_checkout(checkout, RuleIndex.build(rules), channel_settings, history, pricing, NOW)
    percent = channel_settings.price_ceiling_percent
    by_id = {r.id: r for r in rules}
    for decision in evaluation.decisions:
        if percent is None or not isinstance(decision, AddBump | SwapUpgrade):
            continue
        rule = by_id[decision.rule_id]
        if rule.spec.overrides.price_ceiling:
            continue
        if isinstance(decision, SwapUpgrade):
            original = next(item for item in checkout.lines if item.id == decision.line_id)
            assert decision.unit_price - original.unit_price <= ceiling_limit(original.unit_price, percent)
        elif not any(isinstance(d, SwapUpgrade) for d in evaluation.decisions):  # swaps move the base
            # The base is the cart once removals and splits are applied: a split bump's excess units are
            # the shopper's own, at the regular price (the engine counts them so).
            settled = apply_decisions(
                checkout, [d for d in evaluation.decisions if isinstance(d, RemoveBump | SplitBumpQuantity)]
            )
            assert decision.unit_price <= ceiling_limit(_ceiling_base(rule, settled, history), percent)


@PROPERTY_SETTINGS
@given(scenarios())
def test_never_over_the_cap(scenario) -> None:  # type: ignore[no-untyped-def]
    checkout, rules, channel_settings, history, pricing = scenario
    evaluation = evaluate_checkout(checkout, RuleIndex.build(rules), channel_settings, history, pricing, NOW)
    overrides_cap = {r.id for r in rules if r.spec.overrides.max_offers}
    removed = {d.line_id for d in evaluation.decisions if isinstance(d, RemoveBump)}
    existing = [
        item
        for item in checkout.lines
        if item.id not in removed
        and (marker := md.read_marker(item.metadata)) is not None
        and marker.rule_id in history.offered_rule_ids
    ]
    new = [d.rule_id for d in evaluation.decisions if isinstance(d, AddBump | SwapUpgrade)]
    new += [o.rule_id for o in evaluation.offers]
    counted = [rule_id for rule_id in new if rule_id not in overrides_cap]
    assert len(counted) <= max(0, channel_settings.max_offers_per_checkout - len(existing))


@PROPERTY_SETTINGS
@given(scenarios())
def test_evaluation_is_idempotent(scenario) -> None:  # type: ignore[no-untyped-def]
    checkout, rules, channel_settings, history, pricing = scenario
    index = RuleIndex.build(rules)
    first = evaluate_checkout(checkout, index, channel_settings, history, pricing, NOW)
    after = apply_decisions(checkout, first.decisions)
    second = evaluate_checkout(
        after, index, channel_settings, history_after(history, first.decisions), pricing, NOW
    )
    assert not [d for d in second.decisions if isinstance(d, AddBump | SwapUpgrade | SplitBumpQuantity)]


@PROPERTY_SETTINGS
@given(scenarios())
def test_in_payment_and_holdout_never_add(scenario) -> None:  # type: ignore[no-untyped-def]
    checkout, rules, channel_settings, history, pricing = scenario
    evaluation = evaluate_checkout(checkout, RuleIndex.build(rules), channel_settings, history, pricing, NOW)
    if checkout.in_payment or evaluation.holdout:
        assert not [d for d in evaluation.decisions if isinstance(d, AddBump | SwapUpgrade)]
        assert not evaluation.offers
    if checkout.in_payment:
        assert not [d for d in evaluation.decisions if isinstance(d, SplitBumpQuantity)]
