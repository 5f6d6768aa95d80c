"""Suggestions: list (own installation only), accept as a bump rule (once), dismiss."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from saleor_upsell_app.tables import Suggestion
from testing.saleor_emulator.ids import to_global_id
from testing.sample_data import APPLE_JUICE, TEE_PRODUCT
from tests.api.client import Api

LIST = """query($status: SuggestionStatus) { suggestions(status: $status) {
  id channel level source antecedentId consequentId evidence status } }"""
ACCEPT = """mutation($id: ID!, $input: SuggestionAcceptInput) { suggestionAccept(id: $id, input: $input) {
  suggestion { id status } rule { id kind enabled spec } errors { field code message } } }"""
DISMISS = "mutation($id: ID!) { suggestionDismiss(id: $id) { suggestion { status } errors { code } } }"


async def _insert(api: Api, installation_id: int, consequent: str, **values: Any) -> int:
    row = Suggestion(
        installation_id=installation_id,
        channel_slug=values.get("channel", "default-channel"),
        level=values.get("level", "product"),
        source=values.get("source", "mined"),
        antecedent_id=values.get("antecedent", TEE_PRODUCT),
        consequent_id=consequent,
        evidence=values.get("evidence", {"support": 0.05, "confidence": 0.62, "lift": 2.4, "orders": 310}),
        status="new",
        computed_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    async with api.app.data.sessions() as session, session.begin():
        session.add(row)
        await session.flush()
        return row.id


async def test_list_accept_dismiss(api: Api) -> None:
    own = await api.installation_id()
    juice = await _insert(api, own, APPLE_JUICE)
    mug_product = await _insert(api, own, to_global_id("Product", 150))
    listed = (await api.data(LIST))["suggestions"]
    assert [s["id"] for s in listed] == [str(juice), str(mug_product)]
    assert listed[0]["evidence"]["confidence"] == 0.62

    accepted = await api.data(
        ACCEPT, {"id": str(juice), "input": {"price": {"type": "fixed", "amounts": {"USD": "0.99"}}}}
    )
    payload = accepted["suggestionAccept"]
    assert payload["errors"] == []
    assert payload["suggestion"]["status"] == "ACCEPTED"
    spec = payload["rule"]["spec"]
    assert payload["rule"]["kind"] == "BUMP"
    assert spec["trigger"]["product_ids"] == [TEE_PRODUCT] and spec["trigger"]["channels"] == [
        "default-channel"
    ]
    assert spec["offer_variant_id"] == APPLE_JUICE
    assert spec["price"] == {"type": "fixed", "amounts": {"USD": "0.99"}}
    assert spec["copy"]["reason"] == "62% of shoppers who bought this also bought it."
    stored = await api.app.data.rules.list(own)
    assert [r.id for r in stored] == [int(payload["rule"]["id"])]

    again = (await api.data(ACCEPT, {"id": str(juice)}))["suggestionAccept"]
    assert [e["code"] for e in again["errors"]] == ["ALREADY_DONE"]
    assert len(await api.app.data.rules.list(own)) == 1  # a second click makes no second rule

    # A product suggestion needs the variant to offer.
    needs_variant = (await api.data(ACCEPT, {"id": str(mug_product)}))["suggestionAccept"]
    assert [(e["field"], e["code"]) for e in needs_variant["errors"]] == [("offerVariantId", "REQUIRED")]

    dismissed = await api.data(DISMISS, {"id": str(mug_product)})
    assert dismissed["suggestionDismiss"] == {"suggestion": {"status": "DISMISSED"}, "errors": []}
    assert (await api.data(LIST))["suggestions"] == []
    assert len((await api.data(LIST, {"status": None}))["suggestions"]) == 2


async def test_bad_input_reports_fields_and_keeps_the_suggestion_new(api: Api) -> None:
    own = await api.installation_id()
    juice = await _insert(api, own, APPLE_JUICE)
    result = await api.data(
        ACCEPT, {"id": str(juice), "input": {"price": {"type": "percent_off", "percent": "0"}}}
    )
    assert [e["field"] for e in result["suggestionAccept"]["errors"]] == ["price.percent"]
    assert [s["status"] for s in (await api.data(LIST))["suggestions"]] == ["NEW"]


async def test_other_installations_suggestions_are_invisible(api: Api) -> None:
    other = await api.app.data.installations.save(
        saleor_api_url="https://other.example.com/graphql/",
        app_id="QXBwOjk5",
        token="t" * 30,
        jwks='{"keys": []}',
        domain=None,
        now=datetime.now(UTC),
    )
    theirs = await _insert(api, other.id, APPLE_JUICE)
    assert (await api.data(LIST))["suggestions"] == []
    for mutation in (ACCEPT, DISMISS):
        body = await api.data(mutation, {"id": str(theirs)})
        assert [e["code"] for e in next(iter(body.values()))["errors"]] == ["NOT_FOUND"]


NAMED = """{ suggestions { antecedentId consequentId confidence reverseConfidence
  antecedent { id name imageUrl } consequent { id name imageUrl } } }"""


async def test_one_card_per_pair_with_names_images_and_both_confidences(api: Api) -> None:
    own = await api.installation_id()
    juice_product = to_global_id("Product", 110)
    await _insert(api, own, APPLE_JUICE, evidence={"confidence": 0.62, "reverse_confidence": 0.2})
    # The same pair the other way round, less confident: not listed separately.
    await _insert(
        api,
        own,
        TEE_PRODUCT,
        antecedent=juice_product,
        evidence={"confidence": 0.2, "reverse_confidence": 0.62},
    )
    await _insert(
        api, own, juice_product, evidence={"confidence": 0.3}
    )  # tee → juice (product): another pair

    listed = (await api.data(NAMED))["suggestions"]

    assert [(s["antecedentId"], s["consequentId"]) for s in listed] == [
        (TEE_PRODUCT, APPLE_JUICE), (TEE_PRODUCT, juice_product)
    ]  # fmt: skip
    first = listed[0]
    assert (first["confidence"], first["reverseConfidence"]) == (0.62, 0.2)
    # Names and pictures from (emulated) Saleor: a product, and a variant with its product's name.
    assert first["antecedent"]["name"] == api.emulator.state.products[134].name
    assert first["antecedent"]["imageUrl"]
    assert first["consequent"]["name"].startswith(api.emulator.state.products[110].name)
    assert listed[1]["consequent"]["name"] == api.emulator.state.products[110].name
