from __future__ import annotations

from saleor_upsell_app.mining.baskets import encode_baskets
from saleor_upsell_app.mining.cold_start import SuggestionSource, mine_if_enough_orders, suggest_for
from saleor_upsell_app.mining.pairs import Pair, PairThresholds


def test_too_few_orders_explains_how_many_are_missing() -> None:
    outcome = mine_if_enough_orders(
        encode_baskets([["a", "b"]] * 3), PairThresholds(1, 0.0, 0.0), min_orders=5
    )
    assert outcome.table is None
    assert not outcome.status.enough_orders
    assert outcome.status.message == "not enough orders (3 of 5 needed)"


def test_enough_orders_mines() -> None:
    outcome = mine_if_enough_orders(
        encode_baskets([["a", "b"]] * 5), PairThresholds(1, 0.0, 0.0), min_orders=5
    )
    assert outcome.status.enough_orders and outcome.table is not None and len(outcome.table) == 2


def test_suggestions_are_labelled_by_source_merchant_first_without_repeats() -> None:
    mined = [Pair("boots", "socks", 30, 0.1, 0.4, 0.3, 2.0), Pair("boots", "laces", 25, 0.1, 0.3, 0.5, 1.5)]
    suggestions = suggest_for(
        "boots",
        mined=mined,
        merchant_pairings={"boots": ["polish", "socks"]},
        category_of={"boots": "shoes"},
        best_sellers_by_category={"shoes": ["boots", "sneakers", "laces", "insoles"]},
        limit=5,
    )
    assert [(s.suggested, s.source) for s in suggestions] == [
        ("polish", SuggestionSource.MERCHANT),
        ("socks", SuggestionSource.MERCHANT),
        ("laces", SuggestionSource.MINED),
        ("sneakers", SuggestionSource.CATEGORY_BEST_SELLER),
        ("insoles", SuggestionSource.CATEGORY_BEST_SELLER),
    ]
    assert {s.source.value for s in suggestions} == {"merchant", "mined", "category_best_seller"}


def test_cold_start_falls_back_to_category_best_sellers() -> None:
    suggestions = suggest_for(
        "hat",
        mined=[],
        merchant_pairings={},
        category_of={"hat": "accessories"},
        best_sellers_by_category={"accessories": ["scarf", "hat", "gloves"]},
        limit=1,
    )
    assert [(s.suggested, s.source.value) for s in suggestions] == [("scarf", "category_best_seller")]
