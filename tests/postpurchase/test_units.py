"""Pure parts: the signed token, the payload parser, the address copy and the HTML pages."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from saleor_upsell_app.postpurchase.errors import OfferExpired
from saleor_upsell_app.postpurchase.gateway import address_input, order_snapshot_from_payload
from saleor_upsell_app.postpurchase.shopper_actions import OfferView
from saleor_upsell_app.postpurchase.tokens import TokenInvalid, issue_token, read_token, verify_token
from saleor_upsell_app.saleor.results import Address
from saleor_upsell_app.web import offer_html as pages
from tests.paths import CAPTURES

SECRET = "a-test-secret-that-is-long-enough-for-production"
OFFER = str(uuid.uuid4())
ORDER = "T3JkZXI6YTY4MDAzZTAtNzc1OC00ZTAzLTgwMTItNzdkMTc1MzBkNGY5"
EXPIRES = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


def test_token_round_trip_is_compact_and_url_safe() -> None:
    token = issue_token(SECRET, 7, OFFER, ORDER, EXPIRES)
    assert len(token) == 55
    assert all(c.isalnum() or c in "-_" for c in token)
    claims = verify_token(SECRET, token, ORDER)
    assert (claims.installation_id, claims.offer_id, claims.expires_at) == (7, OFFER, EXPIRES)


@pytest.mark.parametrize("position", [0, 3, 10, 30, 40, 54])
def test_any_changed_character_is_refused(position: int) -> None:
    token = issue_token(SECRET, 7, OFFER, ORDER, EXPIRES)
    replacement = "A" if token[position] != "A" else "B"
    tampered = token[:position] + replacement + token[position + 1 :]
    with pytest.raises(TokenInvalid):
        verify_token(SECRET, tampered, ORDER)


def test_every_other_last_character_and_stray_characters_are_refused() -> None:
    """The last character carries two padding bits: no other spelling of it may verify."""
    token = issue_token(SECRET, 7, OFFER, ORDER, EXPIRES)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for other in alphabet.replace(token[-1], ""):
        with pytest.raises(TokenInvalid):
            verify_token(SECRET, token[:-1] + other, ORDER)
    for stray in (token[:20] + "!" + token[20:], token + "=", " " + token):
        with pytest.raises(TokenInvalid):
            verify_token(SECRET, stray, ORDER)


def test_token_is_bound_to_secret_order_and_installation() -> None:
    token = issue_token(SECRET, 7, OFFER, ORDER, EXPIRES)
    with pytest.raises(TokenInvalid):
        verify_token(SECRET + "x", token, ORDER)
    with pytest.raises(TokenInvalid):
        verify_token(SECRET, token, ORDER + "x")
    other_installation = issue_token(SECRET, 8, OFFER, ORDER, EXPIRES)
    assert other_installation != token and read_token(other_installation)[0].installation_id == 8


@pytest.mark.parametrize("junk", ["", "!!!", "abc", "A" * 56, "A" * 500, "é" * 55])
def test_malformed_tokens_are_refused(junk: str) -> None:
    with pytest.raises(TokenInvalid):
        read_token(junk)


def test_snapshot_from_the_real_order_created_capture() -> None:
    body = json.loads((CAPTURES / "webhook-order-created.json").read_text())["body"]
    snapshot = order_snapshot_from_payload(body["order"])
    assert (snapshot.status, snapshot.currency, snapshot.total) == ("UNCONFIRMED", "USD", Decimal("100.7"))
    assert snapshot.lines[0].variant_id == "UHJvZHVjdFZhcmlhbnQ6MzQ4"
    assert snapshot.lines[1].unit_price == Decimal("22.5")
    assert snapshot.user_email == "shopper@example.com" and snapshot.user_id is None


@pytest.mark.parametrize(("with_tax", "price"), [(False, Decimal("22.5")), (True, Decimal("24.75"))])
def test_snapshot_reads_line_prices_in_the_channel_convention(with_tax: bool, price: Decimal) -> None:
    # The capture's lines taxed at 10%: net when the channel's prices are entered without tax (the offer
    # price and its ceiling are in that convention), gross when with tax.
    order = json.loads((CAPTURES / "webhook-order-created.json").read_text())["body"]["order"]
    order["channel"]["taxConfiguration"] = {"pricesEnteredWithTax": with_tax}
    line = order["lines"][1]
    line["unitPrice"] = {
        "net": {"amount": 22.5, "currency": "USD"},
        "gross": {"amount": 24.75, "currency": "USD"},
    }
    assert order_snapshot_from_payload(order).lines[1].unit_price == price


def test_address_input_keeps_what_address_input_accepts() -> None:
    address = {"firstName": "Ada", "companyName": "", "city": "New York", "country": {"code": "US"}}
    assert address_input(Address.model_validate(address)) == {
        "firstName": "Ada",
        "city": "New York",
        "country": "US",
    }


def _view(**overrides: object) -> OfferView:
    values: dict[str, object] = {
        "offer_id": OFFER,
        "order_number": "22",
        "product_name": "Apple <Juice>",
        "headline": "Thirsty?",
        "benefits": ("Cold & fresh",),
        "show_value_comparison": True,
        "unit_price": Decimal("1.19"),
        "regular_price": Decimal("1.49"),
        "currency": "USD",
        "expires_at": EXPIRES,
        "add_to_same_order": True,
    }
    values.update(overrides)
    return OfferView(**values)  # type: ignore[arg-type]


def test_offer_page_escapes_and_is_accessible() -> None:
    html = pages.offer_page(_view(), "https://app.example/offers/tok")
    assert "Apple &lt;Juice&gt;" in html and "Cold &amp; fresh" in html and "<Juice>" not in html
    assert '<html lang="en">' in html and "<main>" in html and "<h1>" in html
    assert 'action="https://app.example/offers/tok/accept"' in html
    assert "This offer ends at <time" in html and "15:30 UTC" in html
    assert html.count("<script") == 1  # only the countdown, allowed by its hash (below)


def test_value_comparison_can_be_switched_off() -> None:
    html = pages.offer_page(_view(show_value_comparison=False), "https://app.example/offers/tok")
    assert "1.49" not in html and "$1.19" in html


def test_refusal_page_is_polite() -> None:
    html = pages.refusal_page(OfferExpired())
    assert "This offer has ended" in html and "unchanged" in html


def test_expiry_in_token_has_whole_seconds() -> None:
    token = issue_token(SECRET, 1, OFFER, ORDER, EXPIRES + timedelta(microseconds=999))
    assert read_token(token)[0].expires_at == EXPIRES


def test_order_token_maps_to_the_order_id_saleor_gives() -> None:
    from saleor_upsell_app.postpurchase.shopper_actions import order_id_from_token

    # graphql-shopper-orderByToken-metadata.json: token 40902e32-… is order T3JkZXI6NDA5MDJl…
    assert (
        order_id_from_token("40902e32-f380-42b4-99cd-c86e461ce590")
        == "T3JkZXI6NDA5MDJlMzItZjM4MC00MmI0LTk5Y2QtYzg2ZTQ2MWNlNTkw"
    )
    assert order_id_from_token("not-a-uuid") is None


def test_checkout_url_templates_per_channel() -> None:
    from saleor_upsell_app.postpurchase.config import PostPurchaseConfig

    config = PostPurchaseConfig(
        checkout_urls={"eu": "https://eu.shop/checkout?checkout={id}", "*": "https://shop/{channel}/c/{id}"},
        same_order_channels=frozenset({"eu"}),
    )
    assert (
        config.checkout_url("eu", "Q2hlY2tvdXQ6MQ==") == "https://eu.shop/checkout?checkout=Q2hlY2tvdXQ6MQ=="
    )
    assert config.checkout_url("us", "X") == "https://shop/us/c/X"
    assert config.same_order("eu", "UNCONFIRMED") and not config.same_order("eu", "UNFULFILLED")
    assert not config.same_order("us", "UNCONFIRMED")
    assert PostPurchaseConfig().checkout_url("eu", "X") is None
    assert not PostPurchaseConfig().can_collect("eu", "UNFULFILLED")


@pytest.mark.parametrize(
    "template",
    ["shop.example/checkout?checkout={id}", "https://shop.example/checkout", "https://x/{id}/{oops}"],
)
def test_bad_checkout_url_templates_are_refused(template: str) -> None:
    from pydantic import ValidationError

    from saleor_upsell_app.settings import Settings

    with pytest.raises(ValidationError, match="POST_PURCHASE_CHECKOUT_URLS"):
        Settings(_env_file=None, post_purchase_checkout_urls={"default-channel": template})  # type: ignore[call-arg]


def test_unsubscribe_token_names_one_email_of_one_shop() -> None:
    from saleor_upsell_app.postpurchase.tokens import issue_unsubscribe_token, verify_unsubscribe_token

    token = issue_unsubscribe_token(SECRET, 7, " Ann@Example.com ")
    claims = verify_unsubscribe_token(SECRET, token)
    assert (claims.installation_id, claims.email) == (7, "ann@example.com")
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), token[:10], "", "A" * 40):
        with pytest.raises(TokenInvalid):
            verify_unsubscribe_token(SECRET, forged)
    with pytest.raises(TokenInvalid):
        verify_unsubscribe_token("another-secret-that-is-long-enough-for-production", token)


def test_offer_page_script_is_allowed_by_its_hash_only() -> None:
    import base64
    import hashlib

    view = OfferView(
        offer_id=OFFER,
        order_number="12",
        product_name="Juice <b>",
        headline="Thirsty?",
        benefits=(),
        show_value_comparison=True,
        unit_price=Decimal("1.19"),
        regular_price=Decimal("1.49"),
        currency="USD",
        expires_at=EXPIRES,
        add_to_same_order=False,
    )
    html = pages.offer_page(view, "https://app/offers/t")
    script = html.split("<script>")[1].split("</script>")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert pages.COUNTDOWN_HASH == f"sha256-{digest}"
    assert 'id="ends-at" datetime="2026-11-25T15:30:00+00:00">15:30 UTC' in html  # without JavaScript
    assert "Juice &lt;b&gt;" in html and "<b>" not in html
