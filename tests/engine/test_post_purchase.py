from datetime import timedelta
from decimal import Decimal
from typing import Any

from saleor_upsell_app.engine import metadata as md
from saleor_upsell_app.engine.holdout import holdout_bucket
from saleor_upsell_app.engine.post_purchase import evaluate_post_purchase
from saleor_upsell_app.engine.spec import ChannelSettingsSpec, parse_rule_spec
from saleor_upsell_app.engine.types import OrderLine, OrderSnapshot, PostPurchaseDecision, Rule

from .factories import CHANNEL, NOW, cat, pid, pricing_map, variant_pricing, vid

D = Decimal
PRICING = pricing_map(variant_pricing(900, "10.00"), variant_pricing(901, "12.00", "9.00"))


def pp_rule(rule_id: int, **fields: Any) -> Rule:
    data: dict[str, Any] = {
        "kind": "post_purchase",
        "name": f"rule {rule_id}",
        "trigger": {"product_ids": [pid(1)]},
        "offer_variant_id": vid(900),
        "price": {"type": "percent_off", "percent": "20"},
        "copy": {"headline": "One more?", "benefits": ["Same shipment"]},
        **fields,
    }
    return Rule(rule_id, parse_rule_spec(data))


def order_line(
    n: int, price: str = "40.00", metadata: dict[str, str] | None = None, variant: int | None = None
) -> OrderLine:
    return OrderLine(
        id=f"line-{n}",
        variant_id=vid(variant or n),
        product_id=pid(n),
        category_id=cat(1),
        collection_ids=frozenset(),
        quantity=1,
        unit_price=D(price),
        metadata=metadata or {},
    )


def order(*lines: OrderLine, status: str = "UNCONFIRMED", order_id: str = "T3JkZXI6MQ==") -> OrderSnapshot:
    return OrderSnapshot(
        id=order_id,
        channel_slug=CHANNEL,
        currency="USD",
        status=status,
        lines=lines,
        total=sum((line.unit_price for line in lines), D(0)),
        user_email="shopper@example.com",
    )


def decide(o: OrderSnapshot, *rules: Rule, **settings: Any) -> PostPurchaseDecision | None:
    return evaluate_post_purchase(o, rules, ChannelSettingsSpec(**settings), PRICING, NOW)


def test_offer_for_a_matching_order() -> None:
    decision = decide(order(order_line(1)), pp_rule(3, window_minutes=30), post_purchase_auto_confirm=True)
    assert decision is not None
    assert (decision.rule_id, decision.variant_id, decision.unit_price) == (3, vid(900), D("8.00"))
    assert decision.expires_at == NOW + timedelta(minutes=30)
    assert decision.add_to_same_order and decision.auto_confirm
    assert decision.benefits == ("Same shipment",)


def test_confirmed_order_gets_a_follow_up_order() -> None:
    decision = decide(order(order_line(1), status="UNFULFILLED"), pp_rule(3))
    assert decision is not None and not decision.add_to_same_order


def test_priority_ceiling_and_contents() -> None:
    # 901 is on a 25% promotion (12.00 -> 9.00): 20% off 12.00 = 9.60 is no offer without stacking.
    rules = (pp_rule(2), pp_rule(1, offer_variant_id=vid(901), priority=2))
    fallback = decide(order(order_line(1)), *rules)
    assert fallback is not None and fallback.rule_id == 2
    stacked = (
        pp_rule(2),
        pp_rule(1, offer_variant_id=vid(901), priority=2, allow_promotion_stacking=True),
    )
    decision = decide(order(order_line(1)), *stacked)
    assert decision is not None and decision.rule_id == 1
    assert decision.unit_price == D("9.00")
    assert decide(order(order_line(1, price="20.00")), pp_rule(3)) is None  # 8 > 25% of 20
    assert decide(order(order_line(2)), pp_rule(3)) is None
    assert decide(order(order_line(1), order_line(3, variant=900)), pp_rule(3)) is None  # already bought


def test_upsell_lines_do_not_trigger() -> None:
    marked = order_line(1, metadata=md.bump_metadata(15, D(8), D(10), "USD", 1))
    assert decide(order(marked), pp_rule(3)) is None


def test_holdout_and_window() -> None:
    held = next(f"order-{i}" for i in range(500) if holdout_bucket(f"order-{i}") < 2_000)
    assert decide(order(order_line(1), order_id=held), pp_rule(3), holdout_percent=20) is None
    expired = pp_rule(3, ends_at=(NOW - timedelta(minutes=1)).isoformat())
    assert decide(order(order_line(1)), expired) is None
