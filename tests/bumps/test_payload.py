import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from saleor_upsell_app.bumps.gateway import SnapshotError, checkout_snapshot_from_payload
from saleor_upsell_app.engine.metadata import read_marker
from tests.paths import CAPTURES

CHECKOUT_CAPTURES = sorted(CAPTURES.glob("webhook-checkout-*.json"))


def load(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((CAPTURES / name).read_text())["body"]
    return body


def test_the_captures_are_there() -> None:
    # They sit in ../shared beside the repository; a test that skips where they are absent proves nothing.
    assert len(CHECKOUT_CAPTURES) >= 3


@pytest.mark.parametrize("path", CHECKOUT_CAPTURES, ids=lambda p: p.name)
def test_every_checkout_capture_parses(path: Path) -> None:
    body = json.loads(path.read_text())["body"]
    snapshot = checkout_snapshot_from_payload(body["checkout"])
    assert snapshot.id == body["checkout"]["id"]
    assert snapshot.currency == "USD"
    assert snapshot.channel_slug == "default-channel"
    assert len(snapshot.lines) == len(body["checkout"]["lines"])
    assert not snapshot.in_payment and not snapshot.delivery_method_chosen  # fields absent in captures
    for parsed, raw in zip(snapshot.lines, body["checkout"]["lines"], strict=True):
        assert parsed.unit_price == Decimal(str(raw["unitPrice"]["gross"]["amount"]))
        assert isinstance(parsed.unit_price, Decimal)


def test_promotion_and_override_lines_from_the_app_capture() -> None:
    body = load("webhook-checkout-updated-by-app.json")
    snapshot = checkout_snapshot_from_payload(body["checkout"])
    tee, shirt, offer = snapshot.lines
    assert snapshot.subtotal == Decimal("66.5")
    assert tee.category_id == "Q2F0ZWdvcnk6Mzk=" and tee.collection_ids == {"Q29sbGVjdGlvbjo0"}
    assert (shirt.unit_price, shirt.undiscounted_unit_price) == (Decimal("22.5"), Decimal("45.0"))
    assert shirt.collection_ids == frozenset()
    assert offer.metadata == {"upsell": "true", "upsell_offer_id": "offer-123"}
    assert read_marker(offer.metadata) is None  # another app's keys are not ours


def test_payment_and_delivery_fields_when_present() -> None:
    checkout = load("webhook-checkout-updated-ready-to-complete.json")["checkout"]
    paying = {
        **checkout,
        "authorizeStatus": "PARTIAL",
        "chargeStatus": "NONE",
        "deliveryMethod": {"__typename": "ShippingMethod", "id": "U2hpcHBpbmdNZXRob2Q6MQ=="},
    }
    snapshot = checkout_snapshot_from_payload(paying)
    assert snapshot.in_payment and snapshot.delivery_method_chosen
    idle = {**checkout, "authorizeStatus": "NONE", "chargeStatus": "NONE", "deliveryMethod": None}
    assert not checkout_snapshot_from_payload(idle).in_payment
    charged = {**idle, "chargeStatus": "FULL"}
    assert checkout_snapshot_from_payload(charged).in_payment


def test_float_money_is_read_through_its_text() -> None:
    checkout = load("webhook-checkout-created.json")["checkout"]
    odd = {**checkout, "subtotalPrice": {"gross": {"amount": 0.1 + 0.2, "currency": "USD"}}}
    assert checkout_snapshot_from_payload(odd).subtotal == Decimal("0.30000000000000004")
    tidy = {**checkout, "subtotalPrice": {"gross": {"amount": 19.99, "currency": "USD"}}}
    assert checkout_snapshot_from_payload(tidy).subtotal == Decimal("19.99")


def test_missing_fields_raise_a_named_error() -> None:
    checkout = load("webhook-checkout-created.json")["checkout"]
    broken = {**checkout, "lines": [{**checkout["lines"][0], "variant": None}]}
    with pytest.raises(SnapshotError, match=r"lines\[0\]\.variant"):
        checkout_snapshot_from_payload(broken)
