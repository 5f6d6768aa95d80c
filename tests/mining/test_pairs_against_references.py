"""Our pair metrics must equal mlxtend, efficient-apriori and PyFIM restricted to 1→1 rules."""

from __future__ import annotations

from collections.abc import Callable

import fim
import pandas as pd
import pytest
from efficient_apriori import apriori
from mlxtend.frequent_patterns import association_rules, fpgrowth
from mlxtend.preprocessing import TransactionEncoder

from saleor_upsell_app.mining.baskets import encode_baskets
from saleor_upsell_app.mining.pairs import PairTable, PairThresholds, mine_pairs
from tests.mining.conftest import skewed_baskets

# Odd thresholds so no ratio lands exactly on a bound, where libraries' float paths could disagree by an ulp.
THRESHOLDS = PairThresholds(min_support_count=6, min_confidence=0.1013, min_lift=0.9137, max_basket_items=7)

Metrics = dict[tuple[str, str], tuple[int, float, float, float]]


def ours(baskets: list[list[str]]) -> Metrics:
    table = mine_pairs(encode_baskets(baskets), THRESHOLDS)
    return _as_metrics(table)


def _as_metrics(table: PairTable) -> Metrics:
    return {
        (p.antecedent, p.consequent): (p.support_count, p.support, p.confidence, p.lift)
        for p in table.to_pairs()
    }


def mined_sample(baskets: list[list[str]]) -> list[list[str]]:
    # Same documented choice as ours: baskets over the cap are out of the sample entirely.
    return [sorted(set(b)) for b in baskets if len(set(b)) <= THRESHOLDS.max_basket_items]


def keep(support_count: int, confidence: float, lift: float) -> bool:
    return (
        support_count >= THRESHOLDS.min_support_count
        and confidence >= THRESHOLDS.min_confidence
        and lift >= THRESHOLDS.min_lift
    )


def mlxtend_rules(baskets: list[list[str]]) -> Metrics:
    sample = mined_sample(baskets)
    encoder = TransactionEncoder()
    onehot = pd.DataFrame(encoder.fit(sample).transform(sample), columns=encoder.columns_)
    n = len(sample)
    itemsets = fpgrowth(
        onehot, min_support=(THRESHOLDS.min_support_count - 0.5) / n, use_colnames=True, max_len=2
    )
    rules = association_rules(itemsets, num_itemsets=n, metric="confidence", min_threshold=0.0)
    result: Metrics = {}
    for row in rules.itertuples(index=False):
        antecedents, consequents = row.antecedents, row.consequents
        if len(antecedents) == 1 and len(consequents) == 1:
            count = round(row.support * n)
            if keep(count, row.confidence, row.lift):
                result[(next(iter(antecedents)), next(iter(consequents)))] = (
                    count, row.support, row.confidence, row.lift
                )  # fmt: skip
    return result


def efficient_apriori_rules(baskets: list[list[str]]) -> Metrics:
    sample = [tuple(b) for b in mined_sample(baskets)]
    n = len(sample)
    _, rules = apriori(
        sample, min_support=(THRESHOLDS.min_support_count - 0.5) / n, min_confidence=0.0, max_length=2
    )
    return {
        (rule.lhs[0], rule.rhs[0]): (rule.count_full, rule.support, rule.confidence, rule.lift)
        for rule in rules
        if len(rule.lhs) == 1 and len(rule.rhs) == 1 and keep(rule.count_full, rule.confidence, rule.lift)
    }


def pyfim_rules(baskets: list[list[str]]) -> Metrics:
    sample = mined_sample(baskets)
    n = len(sample)
    # mode "o": rule support is the support of body ∪ head, as in the other libraries.
    rules = fim.arules(
        sample, supp=-THRESHOLDS.min_support_count, conf=0, zmin=2, zmax=2, report="acl", mode="o"
    )
    return {
        (body[0], head): (count, count / n, confidence, lift)
        for head, body, count, confidence, lift in rules
        if keep(count, confidence, lift)
    }


def assert_same(actual: Metrics, expected: Metrics) -> None:
    assert actual.keys() == expected.keys()
    for pair, (count, support, confidence, lift) in expected.items():
        got = actual[pair]
        assert got[0] == count, pair
        assert got[1:] == pytest.approx((support, confidence, lift), rel=1e-12), pair


@pytest.mark.parametrize("reference", [mlxtend_rules, efficient_apriori_rules, pyfim_rules])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pairs_equal_reference_library(reference: Callable[[list[list[str]]], Metrics], seed: int) -> None:
    baskets = skewed_baskets(seed=seed, n_baskets=500, n_items=16, max_size=10)
    expected = reference(baskets)
    assert expected, "fixture too sparse to test anything"
    assert_same(ours(baskets), expected)


def test_fixture_exercises_cap_and_duplicates(fixture_baskets: list[list[str]]) -> None:
    assert any(len(set(b)) > THRESHOLDS.max_basket_items for b in fixture_baskets)
    assert any(len(set(b)) < len(b) for b in fixture_baskets)
    assert_same(ours(fixture_baskets), pyfim_rules(fixture_baskets))
