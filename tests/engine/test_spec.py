from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from saleor_upsell_app.engine.spec import BumpRuleSpec, ChannelSettingsSpec, describe_errors, parse_rule_spec

from .factories import col, pid, vid


def bump(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "bump",
        "name": "Mug with tee",
        "trigger": {"variant_ids": [vid(1)]},
        "offer_variant_id": vid(2),
        "price": {"type": "percent_off", "percent": "20"},
        "copy": {"headline": "Add a mug", "reason": "Pairs with tees"},
    }
    data.update(overrides)
    return data


def errors_for(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        parse_rule_spec(data)
    return describe_errors(caught.value)


def test_a_valid_bump_gets_its_defaults() -> None:
    spec = parse_rule_spec(bump())
    assert spec.kind == "bump"
    assert spec.max_quantity == 1
    assert spec.allow_promotion_stacking is False
    assert not (spec.overrides.price_ceiling or spec.overrides.max_offers or spec.overrides.delivery_stage)


def test_the_file_format_round_trips_with_copy_as_its_key() -> None:
    spec = parse_rule_spec(bump())
    dumped = spec.model_dump(mode="json")
    assert dumped["copy"]["headline"] == "Add a mug"
    assert parse_rule_spec(dumped) == spec


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        (
            {"type": "percent_off", "percent": 0},
            "bump.price.percent_off.percent: Input should be greater than 0",
        ),
        (
            {"type": "percent_off", "percent": 100},
            "bump.price.percent_off.percent: Input should be less than 100",
        ),
        ({"type": "amount_off", "amounts": {}}, "bump.price.amount_off.amounts"),
        ({"type": "fixed", "amounts": {"JPY": "10.5"}}, "has more decimal places than JPY allows"),
        ({"type": "fixed", "amounts": {"USD": "-1"}}, "USD amount must be greater than 0"),
        (
            {"type": "fixed", "amounts": {"usd": "1"}},
            "bump.price.fixed.amounts.usd.[key]: 'usd' is not an ISO 4217 currency code",
        ),
        ({"type": "half_off"}, "bump.price: Input tag 'half_off' found using 'type' does not match"),
    ],
)
def test_price_errors_name_the_field(price: dict[str, Any], expected: str) -> None:
    assert any(expected in message for message in errors_for(bump(price=price)))


def test_trigger_needs_an_item_or_a_subtotal() -> None:
    messages = errors_for(bump(trigger={"channels": ["default-channel"]}))
    assert any(m.startswith("bump.trigger:") and "at least one of" in m for m in messages)
    spec = parse_rule_spec(bump(trigger={"min_subtotal": {"USD": "50"}}))
    assert isinstance(spec, BumpRuleSpec)
    assert spec.trigger.min_subtotal == {"USD": Decimal(50)}


def test_ids_of_the_wrong_type_are_refused() -> None:
    messages = errors_for(bump(offer_variant_id=pid(2), trigger={"collection_ids": ["not-an-id"]}))
    assert any(
        "offer_variant_id" in m and "is a Product id; expected a ProductVariant id" in m for m in messages
    )
    assert any("collection_ids.0" in m and "not a Saleor global id" in m for m in messages)
    assert parse_rule_spec(bump(trigger={"collection_ids": [col(4)]}))


def test_offering_a_trigger_variant_is_refused() -> None:
    assert any("already in the cart" in m for m in errors_for(bump(offer_variant_id=vid(1))))


def test_window_must_be_aware_and_ordered() -> None:
    assert any("starts_at" in m for m in errors_for(bump(starts_at="2026-11-25T10:00:00")))
    messages = errors_for(bump(starts_at="2026-11-25T10:00:00Z", ends_at="2026-11-25T09:00:00Z"))
    assert any("ends_at must be later than starts_at" in m for m in messages)


def test_unknown_fields_are_refused() -> None:
    assert any(
        m == "bump.max_quantty: Extra inputs are not permitted" for m in errors_for(bump(max_quantty=2))
    )


def test_upgrade_refuses_free_gift_and_self_target() -> None:
    data = {
        "kind": "upgrade",
        "name": "Premium",
        "from_variant_ids": [vid(1)],
        "to_variant_id": vid(1),
        "price": {"type": "free_gift"},
        "copy": {"headline": "h", "reason": "r"},
    }
    messages = errors_for(data)
    assert any("upgrade.price" in m for m in messages)
    data["price"] = {"type": "percent_off", "percent": 10}
    assert any("to_variant_id must not be one of from_variant_ids" in m for m in errors_for(data))


def test_post_purchase_defaults() -> None:
    spec = parse_rule_spec(
        {
            "kind": "post_purchase",
            "name": "Thank-you mug",
            "trigger": {"product_ids": [pid(1)]},
            "offer_variant_id": vid(2),
            "price": {"type": "free_gift"},
            "copy": {"headline": "One more?", "benefits": ["Dishwasher safe"]},
        }
    )
    assert spec.kind == "post_purchase"
    assert spec.window_minutes == 15
    assert spec.copy_text.show_value_comparison is True


def test_channel_settings_defaults_and_the_two_offer_limit() -> None:
    settings = ChannelSettingsSpec()
    assert settings.mode == "inject"
    assert settings.max_offers_per_checkout == 1
    assert settings.price_ceiling_percent == Decimal(25)
    assert settings.holdout_percent == 10  # a default that measures (docs/experiments.md)
    assert settings.guardrail_enabled and settings.guardrail_margin_points == 0
    assert not settings.allow_after_delivery_method and not settings.post_purchase_auto_confirm
    assert ChannelSettingsSpec(max_offers_per_checkout=2).max_offers_per_checkout == 2
    with pytest.raises(ValidationError, match="allow_more_than_two"):
        ChannelSettingsSpec(max_offers_per_checkout=3)
    assert (
        ChannelSettingsSpec(max_offers_per_checkout=3, allow_more_than_two=True).max_offers_per_checkout == 3
    )
    with pytest.raises(ValidationError, match="holdout_percent"):
        ChannelSettingsSpec(holdout_percent=51)
    assert ChannelSettingsSpec(price_ceiling_percent=None).price_ceiling_percent is None
