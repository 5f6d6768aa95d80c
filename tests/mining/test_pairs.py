from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saleor_upsell_app.mining.baskets import baskets_from_codes, encode_baskets
from saleor_upsell_app.mining.pairs import PairThresholds, mine_pairs

LOOSE = PairThresholds(min_support_count=1, min_confidence=0.0, min_lift=0.0, max_basket_items=50)


def brute_force(baskets: list[list[str]], cap: int) -> tuple[int, Counter[str], Counter[tuple[str, str]]]:
    sample = [set(b) for b in baskets if len(set(b)) <= cap]
    items: Counter[str] = Counter(i for b in sample for i in b)
    pairs: Counter[tuple[str, str]] = Counter()
    for basket in sample:
        for a, b in combinations(sorted(basket), 2):
            pairs[(a, b)] += 1
            pairs[(b, a)] += 1
    return len(sample), items, pairs


def test_empty_input_gives_empty_table() -> None:
    table = mine_pairs(encode_baskets([]), LOOSE)
    assert len(table) == 0 and table.n_baskets == 0


def test_single_item_baskets_give_no_pairs_but_count_as_orders() -> None:
    table = mine_pairs(encode_baskets([["a"], ["b"], ["a", "b"]]), LOOSE)
    assert table.n_baskets == 3
    pair = next(p for p in table.to_pairs() if p.antecedent == "a")
    # a in 2 orders, b in 2, both in 1 of 3: confidence 1/2, lift 1·3/(2·2).
    assert (pair.support_count, pair.confidence, pair.lift) == (1, 0.5, 0.75)


def test_repeated_lines_count_once() -> None:
    with_repeats = mine_pairs(encode_baskets([["a", "a", "b"], ["a", "b", "b"], ["c"]]), LOOSE)
    without = mine_pairs(encode_baskets([["a", "b"], ["a", "b"], ["c"]]), LOOSE)
    assert with_repeats.to_pairs() == without.to_pairs()
    assert with_repeats.to_pairs()[0].support_count == 2


def test_codes_builder_drops_repeats_like_string_builder() -> None:
    codes = np.array([0, 0, 1, 2, 1, 1], dtype=np.int32)
    offsets = np.array([0, 3, 6], dtype=np.int64)
    from_codes = mine_pairs(baskets_from_codes(codes, offsets, ["a", "b", "c"]), LOOSE)
    from_strings = mine_pairs(encode_baskets([["a", "a", "b"], ["c", "b", "b"]]), LOOSE)
    assert from_codes.to_pairs() == from_strings.to_pairs()


def test_basket_over_cap_is_left_out_of_counts_and_denominator() -> None:
    big = [f"x{i}" for i in range(5)] + ["a"]
    table = mine_pairs(encode_baskets([["a", "b"], ["a", "b"], ["a"], big]), PairThresholds(1, 0.0, 0.0, 5))
    assert table.n_baskets == 3 and table.n_baskets_over_cap == 1
    ab = next(p for p in table.to_pairs() if (p.antecedent, p.consequent) == ("a", "b"))
    assert (ab.support_count, ab.confidence, ab.support) == (2, 2 / 3, 2 / 3)
    assert all(not p.antecedent.startswith("x") for p in table.to_pairs())


def test_thresholds_are_inclusive_and_each_one_filters() -> None:
    # a:4 orders, b:4, c:2; ab together 2, ac together 2, bc 0; N = 6.
    baskets = [["a", "b"], ["a", "b"], ["a", "c"], ["a", "c"], ["b"], ["b"]]
    pairs = {(p.antecedent, p.consequent) for p in mine_pairs(encode_baskets(baskets), LOOSE).to_pairs()}
    assert pairs == {("a", "b"), ("b", "a"), ("a", "c"), ("c", "a")}

    def kept(thresholds: PairThresholds) -> set[tuple[str, str]]:
        return {
            (p.antecedent, p.consequent) for p in mine_pairs(encode_baskets(baskets), thresholds).to_pairs()
        }

    assert kept(PairThresholds(2, 0.0, 0.0)) == pairs  # support count 2 is exactly the bound
    assert kept(PairThresholds(3, 0.0, 0.0)) == set()
    # P(c|a)=0.5, P(a|c)=1.0, P(b|a)=P(a|b)=0.5
    assert kept(PairThresholds(1, 0.51, 0.0)) == {("c", "a")}
    # lift ab = 2·6/(4·4) = 0.75, lift ac = 2·6/(4·2) = 1.5
    assert kept(PairThresholds(1, 0.0, 1.5)) == {("a", "c"), ("c", "a")}


def test_sorted_by_lift_then_confidence() -> None:
    table = mine_pairs(encode_baskets([["a", "b"], ["a", "b"], ["a", "c"], ["a", "c"], ["b"], ["b"]]), LOOSE)
    keys = [(-p.lift, -p.confidence) for p in table.to_pairs()]
    assert keys == sorted(keys)
    assert (table.to_pairs()[0].antecedent, table.to_pairs()[0].consequent) == ("c", "a")


def test_result_does_not_depend_on_worker_count() -> None:
    from tests.mining.conftest import skewed_baskets

    baskets = encode_baskets(skewed_baskets(seed=5, n_baskets=700, n_items=30, max_size=12))
    thresholds = PairThresholds(3, 0.01, 0.0, 10)
    one = mine_pairs(baskets, thresholds, workers=1).to_pairs()
    assert one == mine_pairs(baskets, thresholds, workers=3).to_pairs()
    assert one


def test_invalid_thresholds_are_rejected() -> None:
    with pytest.raises(ValueError):
        PairThresholds(min_support_count=0)
    with pytest.raises(ValueError):
        PairThresholds(max_basket_items=1)


basket_sets = st.lists(st.lists(st.sampled_from("abcdefgh"), max_size=7), max_size=40)


@settings(max_examples=200, deadline=None)
@given(baskets=basket_sets, min_support=st.integers(1, 4), cap=st.integers(2, 8))
def test_counts_equal_brute_force(baskets: list[list[str]], min_support: int, cap: int) -> None:
    n, items, pairs = brute_force(baskets, cap)
    table = mine_pairs(encode_baskets(baskets), PairThresholds(min_support, 0.0, 0.0, cap))
    expected = {pair: count for pair, count in pairs.items() if count >= min_support}
    got = {(p.antecedent, p.consequent): p for p in table.to_pairs()}
    assert {pair: p.support_count for pair, p in got.items()} == expected
    assert table.n_baskets == n
    for (a, b), p in got.items():
        assert p.confidence == pytest.approx(pairs[(a, b)] / items[a])
        assert p.reverse_confidence == pytest.approx(pairs[(a, b)] / items[b])
        assert p.lift == pytest.approx(pairs[(a, b)] * n / (items[a] * items[b]))
