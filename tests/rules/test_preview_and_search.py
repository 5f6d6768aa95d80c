"""The editor's helpers: the price preview with guardrail warnings, and the catalogue search."""

from __future__ import annotations

from decimal import Decimal

from testing.sample_data import APPLE_JUICE, MIGHTY_MUG, TEE_PRODUCT, TEE_S, bump_rule
from tests.api.client import Api
from tests.rules.test_rules import upgrade_rule

PREVIEW = """query($spec: JSON!, $channel: String!, $sample: Decimal) {
  rulePreview(spec: $spec, channel: $channel, sampleTriggerPrice: $sample) {
    variantName price { amount currency } regularPrice { amount } cataloguePrice { amount }
    ceilingBase { amount } warnings { code message } errors { field code } } }"""


async def _preview(
    api: Api, spec: object, channel: str = "default-channel", sample: str | None = None
) -> dict:
    return (await api.data(PREVIEW, {"spec": spec, "channel": channel, "sample": sample}))["rulePreview"]


async def test_price_and_strike_through(api: Api) -> None:
    preview = await _preview(api, bump_rule(), sample="20.00")
    assert preview["price"] == {"amount": "1.19", "currency": "USD"}  # 1.49 - 20%
    assert preview["regularPrice"] == {"amount": "1.49"}
    assert preview["warnings"] == [] and preview["errors"] == []
    pln = await _preview(api, bump_rule(), channel="channel-pln")
    assert pln["price"]["currency"] == "PLN" and Decimal(pln["price"]["amount"]) == Decimal(
        "4.77"
    )  # 5.96 - 20%


async def test_ceiling_warning_against_sample_or_trigger_variant(api: Api) -> None:
    # 1.19 is above 25% of a 2.00 trigger (0.50).
    [warning] = (await _preview(api, bump_rule(), sample="2.00"))["warnings"]
    assert warning["code"] == "ABOVE_PRICE_CEILING"
    # Without a sample, the trigger variant's catalogue price (20.00) is the base: well within.
    by_variant = await _preview(api, bump_rule(trigger={"variant_ids": [TEE_S]}))
    assert by_variant["ceilingBase"] == {"amount": "20.00"} and by_variant["warnings"] == []
    # A rule may knowingly override the ceiling.
    assert (await _preview(api, bump_rule(overrides={"price_ceiling": True}), sample="2.00"))[
        "warnings"
    ] == []


async def test_upgrade_ceiling_and_promotion_warning(api: Api) -> None:
    # Tee 20.00 → Cubes 30.00 at 20% off = 24.00: +4.00 is within 25% of 20.00.
    assert (await _preview(api, upgrade_rule(channels=[])))["warnings"] == []
    pricier = await _preview(api, upgrade_rule(channels=[], price={"type": "percent_off", "percent": "5"}))
    assert [w["code"] for w in pricier["warnings"]] == ["ABOVE_PRICE_CEILING"]  # +8.50 > 5.00
    # The mug's 30% promotion (8.39) beats a 10% offer (10.79): refused unless stacking is allowed.
    mug = bump_rule(offer_variant_id=MIGHTY_MUG, price={"type": "percent_off", "percent": "10"})
    promo = await _preview(api, mug, sample="100")
    assert promo["price"] is None and [w["code"] for w in promo["warnings"]] == ["PROMOTION_IS_BETTER"]
    assert promo["cataloguePrice"] == {"amount": "8.39"}
    assert (await _preview(api, upgrade_rule()))["warnings"][0]["code"] == "OTHER_CHANNEL"


async def test_invalid_spec_gives_errors(api: Api) -> None:
    preview = await _preview(api, bump_rule(price={"type": "percent_off"}))
    assert preview["errors"] == [{"field": "price.percent", "code": "REQUIRED"}]


async def test_catalog_search(api: Api) -> None:
    query = """query($search: String!) {
      catalogSearch(search: $search, channel: "default-channel", first: 5) {
      id name categoryId variants { id name price { amount currency } regularPrice { amount } } } }"""
    products = (await api.data(query, {"search": "mug"}))["catalogSearch"]
    by_name = {p["name"]: p for p in products}
    assert set(by_name) == {"Mighty Mug", "Pirate Mug"}
    [variant] = by_name["Mighty Mug"]["variants"]
    assert variant["id"] == MIGHTY_MUG
    assert variant["price"] == {"amount": "8.39", "currency": "USD"} and variant["regularPrice"] == {
        "amount": "11.99"
    }


async def test_catalog_items_names_saved_ids_in_order(api: Api) -> None:
    query = """query($ids: [ID!]!) {
      catalogItems(ids: $ids, channel: "default-channel") { id name imageUrl } }"""
    unknown = "UHJvZHVjdDo5OTk5OTk="  # Product:999999
    items = (await api.data(query, {"ids": [APPLE_JUICE, TEE_PRODUCT, unknown]}))["catalogItems"]
    assert [i["id"] for i in items] == [APPLE_JUICE, TEE_PRODUCT, unknown]
    juice, tee, missing = items
    assert juice["name"] and "Juice" in juice["name"]
    assert tee["name"] and "Tee" in tee["name"]
    assert missing["name"] is None and missing["imageUrl"] is None


GROUPS = """query($search: String, $ids: [ID!]) {
  catalogGroups(search: $search, ids: $ids, channel: "default-channel") {
  categories { id name } collections { id name } } }"""


async def test_catalog_groups_by_name_and_by_id(api: Api) -> None:
    found = (await api.data(GROUPS, {"search": "juic"}))["catalogGroups"]
    assert [c["name"] for c in found["categories"]] == ["Juices"] and found["collections"] == []
    summer = (await api.data(GROUPS, {"search": "summer"}))["catalogGroups"]["collections"]
    assert [c["name"] for c in summer] == ["Summer Picks"]
    ids = [found["categories"][0]["id"], summer[0]["id"]]
    named = (await api.data(GROUPS, {"ids": ids}))["catalogGroups"]
    assert [c["name"] for c in named["categories"]] == ["Juices"]
    assert [c["name"] for c in named["collections"]] == ["Summer Picks"]
