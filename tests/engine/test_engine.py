from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from saleor_upsell_app.engine import metadata as md
from saleor_upsell_app.engine.evaluation import evaluate_checkout, offer_variant_ids_to_price
from saleor_upsell_app.engine.holdout import holdout_bucket
from saleor_upsell_app.engine.index import RuleIndex
from saleor_upsell_app.engine.simulate import apply_decisions, history_after
from saleor_upsell_app.engine.spec import ChannelSettingsSpec
from saleor_upsell_app.engine.types import (
    AddBump,
    CheckoutHistory,
    CheckoutLine,
    CheckoutSnapshot,
    Evaluation,
    RemoveBump,
    Rule,
    SkipReason,
    SplitBumpQuantity,
    SwapUpgrade,
    VariantPricing,
)

from .factories import (
    NOW,
    bump_rule,
    cat,
    col,
    line,
    pid,
    pricing_map,
    snapshot,
    upgrade_rule,
    variant_pricing,
    vid,
)

D = Decimal
PRICING = pricing_map(
    *(variant_pricing(n, "10.00") for n in (900, 901, 902, 903)), variant_pricing(800, "44.00")
)


def run(
    checkout: CheckoutSnapshot,
    rules: Iterable[Rule],
    *,
    settings: ChannelSettingsSpec | None = None,
    history: CheckoutHistory | None = None,
    pricing: Mapping[str, VariantPricing] = PRICING,
    **settings_fields: Any,
) -> Evaluation:
    return evaluate_checkout(
        checkout,
        RuleIndex.build(rules),
        settings or ChannelSettingsSpec(**settings_fields),
        history or CheckoutHistory(),
        pricing,
        NOW,
    )


def adds(evaluation: Evaluation) -> list[AddBump]:
    return [d for d in evaluation.decisions if isinstance(d, AddBump)]


def reasons(evaluation: Evaluation) -> dict[str | None, SkipReason]:
    return {skip.rule_id: skip.reason for skip in evaluation.skips}


def bump_line(
    n: int, rule_id: int, *, variant: int = 900, quantity: int = 1, max_quantity: int = 1
) -> CheckoutLine:
    return line(
        n,
        variant=variant,
        price="8.00",
        quantity=quantity,
        metadata=md.bump_metadata(rule_id, D("8.00"), D("10.00"), "USD", max_quantity),
    )


OFFERED = CheckoutHistory(offered_rule_ids=frozenset({15}))


# ---------------------------------------------------------------- adding


def test_matching_variant_adds_a_marked_bump_at_the_offer_price() -> None:
    evaluation = run(snapshot([line(1)]), [bump_rule(15)])
    (add,) = adds(evaluation)
    assert (add.rule_id, add.variant_id, add.quantity, add.currency) == (15, vid(900), 1, "USD")
    assert add.unit_price == add.override_price == D("8.00")
    assert add.product_id == pid(900)
    marker = md.read_marker(add.metadata)
    assert marker is not None and marker.rule_id == 15 and marker.kind == "bump"
    assert "15" in add.price_override_reason
    assert not evaluation.holdout


def test_product_category_and_collection_triggers() -> None:
    rules = [
        bump_rule(14, trigger={"product_ids": [pid(5)]}, offer=900),
        bump_rule(8, trigger={"category_ids": [cat(7)]}, offer=901),
        bump_rule(12, trigger={"collection_ids": [col(3)]}, offer=902),
    ]
    checkout = snapshot([line(1, product=5, category=7, collections=[3])])
    everything = ChannelSettingsSpec(max_offers_per_checkout=3, allow_more_than_two=True)
    assert [a.rule_id for a in adds(run(checkout, rules, settings=everything))] == [8, 12, 14]
    assert [a.rule_id for a in adds(run(snapshot([line(1, collections=[3])]), rules))] == [12]
    assert adds(run(snapshot([line(1, product=6, category=8, collections=[4])]), rules)) == []


def test_promotion_on_the_offer_variant_is_compensated() -> None:
    pricing = pricing_map(variant_pricing(900, "11.99", "8.39"))
    rule = bump_rule(15, price={"type": "fixed", "amounts": {"USD": "6.00"}})
    (add,) = adds(run(snapshot([line(1)]), [rule], pricing=pricing))
    assert add.unit_price == D("6.00")
    assert (add.override_price * D("0.7")).quantize(D("0.01")) == D("6.00")
    assert add.override_price > add.unit_price


def test_never_offers_a_variant_already_in_the_cart() -> None:
    evaluation = run(snapshot([line(1), line(2, variant=900)]), [bump_rule(15)])
    assert adds(evaluation) == []
    assert reasons(evaluation)[15] is SkipReason.VARIANT_IN_CART


def test_declined_and_removed_rules_are_not_offered_again() -> None:
    declined = run(snapshot([line(1)]), [bump_rule(15)], history=CheckoutHistory(frozenset({15})))
    assert adds(declined) == [] and reasons(declined)[15] is SkipReason.DECLINED
    removed = run(snapshot([line(1)]), [bump_rule(15)], history=OFFERED)
    assert adds(removed) == [] and reasons(removed)[15] is SkipReason.REMOVED_BY_SHOPPER


def test_no_add_on_an_empty_checkout() -> None:
    evaluation = run(snapshot([]), [bump_rule(15, trigger={"min_subtotal": {"USD": "0.01"}})])
    assert evaluation.decisions == ()
    assert reasons(evaluation)[None] is SkipReason.NO_SHOPPER_LINES


def test_only_bump_lines_left_means_the_bump_goes_and_nothing_is_added() -> None:
    rules = [bump_rule(15), bump_rule(16, trigger={"min_subtotal": {"USD": "1"}}, offer=901)]
    evaluation = run(snapshot([bump_line(5, 15)]), rules, history=OFFERED)
    assert [type(d) for d in evaluation.decisions] == [RemoveBump]
    assert reasons(evaluation)[None] is SkipReason.NO_SHOPPER_LINES


def test_priority_then_age_then_id_decide() -> None:
    older = NOW - timedelta(days=3)
    rules = [
        bump_rule(2, offer=901, priority=5, created_at=NOW),
        bump_rule(1, offer=902, priority=5, created_at=older),
        bump_rule(25, offer=903, priority=9),
        bump_rule(24, offer=900, priority=1, created_at=older - timedelta(days=1)),
    ]
    ranked = [a.rule_id for a in adds(run(snapshot([line(1)]), rules, max_offers_per_checkout=2))]
    assert ranked == [25, 1]
    same_age = [bump_rule(13, offer=901), bump_rule(12, offer=902)]
    assert [a.rule_id for a in adds(run(snapshot([line(1)]), same_age))] == [12]


def test_cap_counts_existing_offer_lines() -> None:
    rules = [bump_rule(15), bump_rule(16, offer=901)]
    evaluation = run(snapshot([line(1), bump_line(5, 15)]), rules, history=OFFERED)
    assert evaluation.decisions == ()
    assert reasons(evaluation)[None] is SkipReason.CAP_REACHED
    two = run(snapshot([line(1), bump_line(5, 15)]), rules, history=OFFERED, max_offers_per_checkout=2)
    assert [a.rule_id for a in adds(two)] == [16]


def test_a_rule_may_knowingly_exceed_the_cap() -> None:
    rules = [
        bump_rule(15),
        bump_rule(16, offer=901, overrides={"max_offers": True}),
        bump_rule(17, offer=902),
        bump_rule(18, offer=903, overrides={"max_offers": True}, priority=-1),
    ]
    evaluation = run(snapshot([line(1)]), rules, price_ceiling_percent=None)
    assert [a.rule_id for a in adds(evaluation)] == [15, 16, 18]


def test_zero_cap_adds_nothing() -> None:
    assert adds(run(snapshot([line(1)]), [bump_rule(15)], max_offers_per_checkout=0)) == []


def test_window_channel_and_enabled() -> None:
    checkout = snapshot([line(1)])
    later = run(checkout, [bump_rule(15, starts_at=(NOW + timedelta(hours=1)).isoformat())])
    assert reasons(later)[15] is SkipReason.OUTSIDE_WINDOW
    ended = run(checkout, [bump_rule(15, ends_at=NOW.isoformat())])  # ends_at is exclusive
    assert reasons(ended)[15] is SkipReason.OUTSIDE_WINDOW
    other = run(checkout, [bump_rule(15, trigger={"variant_ids": [vid(1)], "channels": ["eu"]})])
    assert reasons(other)[15] is SkipReason.OTHER_CHANNEL
    assert adds(run(checkout, [bump_rule(15, enabled=False)])) == []
    here = run(checkout, [bump_rule(15, trigger={"variant_ids": [vid(1)], "channels": ["default-channel"]})])
    assert len(adds(here)) == 1


def test_holdout_checkouts_get_nothing_but_say_what_they_would_have_got() -> None:
    ids = [f"checkout-{i}" for i in range(200)]
    held = next(i for i in ids if holdout_bucket(i) < 1_000)
    treated = next(i for i in ids if holdout_bucket(i) >= 1_000)
    rules = [bump_rule(15)]
    control = run(snapshot([line(1)], checkout_id=held), rules, holdout_percent=10)
    assert control.holdout and control.decisions == ()
    assert reasons(control)[15] is SkipReason.HOLDOUT
    assert len(adds(run(snapshot([line(1)], checkout_id=treated), rules, holdout_percent=10))) == 1


# ---------------------------------------------------------------- price ceiling


def test_ceiling_uses_the_most_expensive_triggering_line() -> None:
    rule = bump_rule(15, trigger={"category_ids": [cat(1)]})  # offer at 8.00
    cheap = snapshot([line(1, price="30.00"), line(2, price="100.00", category=2)])
    assert reasons(run(cheap, [rule]))[15] is SkipReason.ABOVE_PRICE_CEILING  # 8 > 25% of 30
    enough = snapshot([line(1, price="30.00"), line(2, price="32.00")])
    assert len(adds(run(enough, [rule]))) == 1  # 8 <= 25% of 32


def test_ceiling_for_subtotal_rules_excludes_bump_lines() -> None:
    rule = bump_rule(16, trigger={"min_subtotal": {"USD": "10"}}, offer=901)
    checkout = snapshot([line(1, price="30.00"), bump_line(5, 15)])
    history = CheckoutHistory(offered_rule_ids=frozenset({15}))
    evaluation = run(checkout, [bump_rule(15), rule], history=history, max_offers_per_checkout=2)
    assert reasons(evaluation)[16] is SkipReason.ABOVE_PRICE_CEILING  # 8 > 25% of 30 (bump's 8 not counted)
    assert len(adds(run(snapshot([line(1, price="32.00")]), [rule]))) == 1


def test_ceiling_can_be_overridden_or_switched_off() -> None:
    checkout = snapshot([line(1, price="20.00")])
    assert adds(run(checkout, [bump_rule(15)])) == []
    assert len(adds(run(checkout, [bump_rule(15, overrides={"price_ceiling": True})]))) == 1
    assert len(adds(run(checkout, [bump_rule(15)], price_ceiling_percent=None))) == 1
    assert len(adds(run(checkout, [bump_rule(15)], price_ceiling_percent=40))) == 1


def test_free_gift_passes_the_ceiling() -> None:
    (add,) = adds(run(snapshot([line(1, price="1.00")]), [bump_rule(15, price={"type": "free_gift"})]))
    assert add.unit_price == add.override_price == 0


# ---------------------------------------------------------------- timing and mode


def test_in_payment_only_removes() -> None:
    rules = [bump_rule(15), bump_rule(16, trigger={"variant_ids": [vid(2)]}, offer=901, max_quantity=1)]
    checkout = snapshot([line(2), bump_line(5, 15, quantity=3)], in_payment=True)
    evaluation = run(checkout, rules, history=OFFERED, max_offers_per_checkout=2)
    assert [type(d) for d in evaluation.decisions] == [RemoveBump]
    assert reasons(evaluation)[None] is SkipReason.IN_PAYMENT


def test_after_delivery_method_no_adds_unless_allowed() -> None:
    checkout = snapshot([line(1)], delivery_method_chosen=True)
    assert reasons(run(checkout, [bump_rule(15)]))[15] is SkipReason.DELIVERY_STAGE
    assert len(adds(run(checkout, [bump_rule(15)], allow_after_delivery_method=True))) == 1
    assert len(adds(run(checkout, [bump_rule(15, overrides={"delivery_stage": True})]))) == 1
    offer_mode = run(checkout, [bump_rule(15)], mode="offer")
    assert [o.rule_id for o in offer_mode.offers] == [15]


def test_offer_mode_lists_offers_and_adds_nothing() -> None:
    rules = [bump_rule(15), bump_rule(16, offer=901), upgrade_rule(21, price=None)]
    checkout = snapshot([line(1, price="40.00")])
    evaluation = run(checkout, rules, mode="offer", max_offers_per_checkout=2)
    assert evaluation.decisions == ()
    assert [(o.rule_id, o.kind) for o in evaluation.offers] == [(15, "bump"), (16, "bump")]
    (offer, _) = evaluation.offers
    assert offer.headline == "Add a mug" and offer.reason == "Goes with your tee"
    assert isinstance(offer.action, AddBump) and offer.action.unit_price == D("8.00")


# ---------------------------------------------------------------- removals and splits


def test_bump_is_removed_when_its_trigger_leaves() -> None:
    evaluation = run(snapshot([line(2), bump_line(5, 15)]), [bump_rule(15)], history=OFFERED)
    (removal,) = evaluation.decisions
    assert isinstance(removal, RemoveBump)
    assert removal.rule_id == 15 and removal.reason is SkipReason.TRIGGER_LEFT


def test_bump_is_removed_when_the_subtotal_falls_below_the_minimum() -> None:
    rule = bump_rule(15, trigger={"min_subtotal": {"USD": "50"}})
    kept = run(snapshot([line(1, price="50.00"), bump_line(5, 15)]), [rule], history=OFFERED)
    assert kept.decisions == ()
    fell = run(snapshot([line(1, price="49.99"), bump_line(5, 15)]), [rule], history=OFFERED)
    assert [d.reason for d in fell.decisions if isinstance(d, RemoveBump)] == [
        SkipReason.SUBTOTAL_BELOW_MINIMUM
    ]


def test_forged_or_orphaned_markers() -> None:
    # A marker for a rule the app never applied here is the shopper's own line: never removed or split.
    forged = run(snapshot([line(2), bump_line(5, 15, quantity=4)]), [bump_rule(15)])
    assert not any(isinstance(d, RemoveBump | SplitBumpQuantity) for d in forged.decisions)
    # A deleted rule's line stays as it is.
    deleted = run(
        snapshot([line(2), bump_line(5, 11)]),
        [],
        history=CheckoutHistory(offered_rule_ids=frozenset({11})),
    )
    assert deleted.decisions == ()


def test_plus_beyond_max_quantity_splits_the_line() -> None:
    checkout = snapshot([line(1), bump_line(5, 15, quantity=3, max_quantity=1)])
    evaluation = run(checkout, [bump_rule(15)], history=OFFERED)
    (split,) = evaluation.decisions
    assert isinstance(split, SplitBumpQuantity)
    assert (split.keep, split.excess, split.variant_id, split.regular_price) == (1, 2, vid(900), D("10.00"))
    within = snapshot([line(1), bump_line(5, 15, quantity=2, max_quantity=2)])
    assert run(within, [bump_rule(15, max_quantity=2)], history=OFFERED).decisions == ()


# ---------------------------------------------------------------- upgrades


def test_upgrade_swaps_the_line_and_records_the_original() -> None:
    checkout = snapshot([line(1, quantity=2, price="40.00")])
    (swap,) = run(checkout, [upgrade_rule(21)]).decisions  # 44 - 10% = 39.60
    assert isinstance(swap, SwapUpgrade)
    assert (swap.from_variant_id, swap.to_variant_id, swap.quantity) == (vid(1), vid(800), 2)
    assert swap.unit_price == D("39.60")
    marker = md.read_marker(swap.metadata)
    assert marker is not None and (marker.original_variant_id, marker.original_quantity) == (vid(1), 2)


def test_upgrade_ceiling_limits_the_increase() -> None:
    rule = upgrade_rule(21, price={"type": "fixed", "amounts": {"USD": "44.00"}})
    assert reasons(run(snapshot([line(1, price="35.00")]), [rule]))[21] is SkipReason.ABOVE_PRICE_CEILING
    assert len(run(snapshot([line(1, price="35.20")]), [rule]).decisions) == 1  # +8.80 = 25% of 35.20


def test_upgrade_that_would_orphan_a_bump_is_refused() -> None:
    rules = [bump_rule(15), upgrade_rule(21)]
    checkout = snapshot([line(1), bump_line(5, 15)])
    evaluation = run(checkout, rules, history=OFFERED, max_offers_per_checkout=2)
    assert evaluation.decisions == ()
    assert reasons(evaluation)[21] is SkipReason.WOULD_ORPHAN_BUMP


def test_a_swap_can_lift_the_subtotal_over_a_threshold_in_the_same_evaluation() -> None:
    pricing = pricing_map(variant_pricing(800, "60.00"), variant_pricing(900, "10.00"))
    rules = [
        upgrade_rule(21, price={"type": "fixed", "amounts": {"USD": "48.00"}}, priority=5),
        bump_rule(20, trigger={"min_subtotal": {"USD": "45"}}),
    ]
    checkout = snapshot([line(1, price="40.00")])
    evaluation = run(checkout, rules, pricing=pricing, max_offers_per_checkout=2)
    assert [type(d) for d in evaluation.decisions] == [SwapUpgrade, AddBump]
    again = run(
        apply_decisions(checkout, evaluation.decisions),
        rules,
        pricing=pricing,
        history=history_after(CheckoutHistory(), evaluation.decisions),
        max_offers_per_checkout=2,
    )
    assert again.decisions == ()


# ---------------------------------------------------------------- pricing inputs


def test_missing_or_unavailable_pricing_skips_the_rule() -> None:
    checkout = snapshot([line(1)])
    assert reasons(run(checkout, [bump_rule(15)], pricing={}))[15] is SkipReason.PRICING_MISSING
    unavailable = pricing_map(variant_pricing(900, available=False))
    assert reasons(run(checkout, [bump_rule(15)], pricing=unavailable))[15] is SkipReason.UNAVAILABLE
    elsewhere = pricing_map(variant_pricing(900, channel="eu"))
    assert reasons(run(checkout, [bump_rule(15)], pricing=elsewhere))[15] is SkipReason.PRICING_MISSING


def test_a_skipped_rule_lets_the_next_one_in() -> None:
    rules = [bump_rule(15, priority=9), bump_rule(16, offer=901)]
    pricing = pricing_map(variant_pricing(901))
    assert [a.rule_id for a in adds(run(snapshot([line(1)]), rules, pricing=pricing))] == [16]


def test_offer_variant_ids_to_price_lists_candidates_best_first() -> None:
    rules = [
        bump_rule(15, offer=901),
        bump_rule(16, offer=902, priority=3),
        bump_rule(17, offer=903, enabled=False),
    ]
    wanted = offer_variant_ids_to_price(
        snapshot([line(1)]), RuleIndex.build(rules), ChannelSettingsSpec(), CheckoutHistory(), NOW
    )
    assert wanted == (vid(902), vid(901))
    limited = offer_variant_ids_to_price(
        snapshot([line(1)]), RuleIndex.build(rules), ChannelSettingsSpec(), CheckoutHistory(), NOW, limit=1
    )
    assert limited == (vid(902),)


def test_subtotal_rules_need_an_amount_in_the_checkout_currency() -> None:
    rule = bump_rule(15, trigger={"min_subtotal": {"EUR": "10"}})
    assert adds(run(snapshot([line(1)]), [rule])) == []
    mixed = bump_rule(16, trigger={"variant_ids": [vid(1)], "min_subtotal": {"EUR": "10"}})
    assert reasons(run(snapshot([line(1)]), [mixed]))[16] is SkipReason.NO_AMOUNT_FOR_CURRENCY


def test_a_removed_bump_frees_its_variant_for_another_rule() -> None:
    # Found by the idempotency property: the removed line's variant used to block the other rule until
    # the next event, which then added it.
    rules = [bump_rule(15), bump_rule(16, trigger={"variant_ids": [vid(2)]})]  # both offer 900
    checkout = snapshot([line(2), bump_line(5, 15)])
    evaluation = run(checkout, rules, history=OFFERED)
    assert [(type(d).__name__, d.rule_id) for d in evaluation.decisions] == [
        ("RemoveBump", 15),
        ("AddBump", 16),
    ]
    after = apply_decisions(checkout, evaluation.decisions)
    assert run(after, rules, history=history_after(OFFERED, evaluation.decisions)).decisions == ()
