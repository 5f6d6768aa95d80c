"""Variant assignment: stable, uniform in the weights, independent of the holdout split and of other rules."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from saleor_upsell_app.engine.holdout import in_holdout
from saleor_upsell_app.insights.experiments import HOLDOUT, VariantWeight, assign_arm, assign_variant
from saleor_upsell_app.insights.experiments.assignment import variant_hash

AB = [VariantWeight("A", 1), VariantWeight("B", 1)]
IDS = [f"Q2hlY2tvdXQ6{i:08d}" for i in range(60_000)]


def test_the_hash_is_sha256_of_a_salt_naming_the_rule_and_the_checkout() -> None:
    digest = hashlib.sha256(b"saleor-upsell/variant/v1:7:Q2hlY2tvdXQ6MQ==").digest()
    assert variant_hash("Q2hlY2tvdXQ6MQ==", 7) == int.from_bytes(digest[:8], "big")


@given(st.text(min_size=1, max_size=40), st.integers(min_value=1, max_value=10**9))
def test_the_same_checkout_and_rule_always_get_the_same_variant(checkout_id: str, rule_id: int) -> None:
    weights = [VariantWeight("A", 3), VariantWeight("B", 1), VariantWeight("C", 0)]
    first = assign_variant(checkout_id, rule_id, weights)
    assert first in {"A", "B"}
    assert all(assign_variant(checkout_id, rule_id, weights) == first for _ in range(3))


def test_variants_are_drawn_in_proportion_to_their_weights() -> None:
    weights = [VariantWeight("A", 1), VariantWeight("B", 1), VariantWeight("C", 2), VariantWeight("off", 0)]
    counts = Counter(assign_variant(i, 42, weights) for i in IDS)
    assert "off" not in counts
    observed = [counts["A"], counts["B"], counts["C"]]
    expected = [len(IDS) / 4, len(IDS) / 4, len(IDS) / 2]
    assert scipy_stats.chisquare(observed, expected).pvalue > 0.001
    # And the test would notice a skew of under one point (25.75% / 24.25%).
    skewed = [expected[0] * 1.03, expected[1] * 0.97, expected[2]]
    assert scipy_stats.chisquare(skewed, expected).pvalue < 0.001


def test_hash_buckets_are_uniform() -> None:
    buckets = Counter(variant_hash(i, 3) * 20 >> 64 for i in IDS)
    assert scipy_stats.chisquare([buckets[b] for b in range(20)]).pvalue > 0.001


def _independent(pairs: list[tuple[object, object]]) -> float:
    rows = sorted({a for a, _ in pairs}, key=str)
    cols = sorted({b for _, b in pairs}, key=str)
    counts = Counter(pairs)
    table = [[counts[(r, c)] for c in cols] for r in rows]
    return float(scipy_stats.chi2_contingency(table).pvalue)


def test_assignment_is_independent_of_the_holdout_split() -> None:
    pairs = [(in_holdout(i, Decimal(10)), assign_variant(i, 5, AB)) for i in IDS]
    assert sum(held for held, _ in pairs) == pytest.approx(len(IDS) / 10, rel=0.05)
    assert _independent(pairs) > 0.001


def test_each_rule_splits_checkouts_independently_of_every_other_rule() -> None:
    pairs = [(assign_variant(i, 1, AB), assign_variant(i, 2, AB)) for i in IDS]
    assert _independent(pairs) > 0.001
    # The split is per rule: rules 1 and 2 disagree on about half of the checkouts.
    assert sum(a != b for a, b in pairs) == pytest.approx(len(IDS) / 2, rel=0.03)


def test_a_held_out_checkout_is_in_the_holdout_whatever_its_hash() -> None:
    assert assign_arm("x", 1, AB, held_out=True) == HOLDOUT
    assert assign_arm("x", 1, AB, held_out=False) == assign_variant("x", 1, AB)


def test_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        assign_variant("x", 1, [VariantWeight("A", 0)])
    with pytest.raises(ValueError, match="unique"):
        assign_variant("x", 1, [VariantWeight("A", 1), VariantWeight("A", 2)])
    with pytest.raises(ValueError, match="negative"):
        VariantWeight("A", -1)
    with pytest.raises(ValueError, match="name"):
        VariantWeight(HOLDOUT, 1)
