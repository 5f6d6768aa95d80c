from array import array

from hypothesis import given
from hypothesis import strategies as st

from saleor_upsell_app.engine.index import RuleIndex, _merge_sorted

from .factories import NOW, bump_rule, cat, col, line, pid, upgrade_rule, vid

sorted_lists = st.lists(st.lists(st.integers(0, 500), min_size=1, max_size=30).map(sorted), max_size=12)


@given(sorted_lists)
def test_merge_yields_every_rank_in_order(lists: list[list[int]]) -> None:
    out = list(_merge_sorted([array("i", ranks) for ranks in lists]))
    expected = sorted(rank for ranks in lists for rank in ranks)
    if not lists:
        assert out == []
        return
    assert out[0] == expected[0]  # the best head comes first, before any heap is built
    rest = out[1:]
    assert rest == sorted(rest) and sorted(rest) == expected


def test_candidates_come_best_rank_first_through_any_key() -> None:
    rules = [
        bump_rule(7, priority=1),
        bump_rule(5, trigger={"product_ids": [pid(1)]}, priority=3),
        bump_rule(3, trigger={"category_ids": [cat(1)]}, priority=2, created_at=NOW),
        bump_rule(4, trigger={"collection_ids": [col(9)]}, priority=2),
        bump_rule(6, trigger={"min_subtotal": {"USD": "1"}}, priority=0),
        bump_rule(10, trigger={"min_subtotal": {"EUR": "1"}}, priority=9),
        bump_rule(9, priority=10, enabled=False),
        upgrade_rule(23, source=[1], priority=-1),
        bump_rule(22, trigger={"variant_ids": [vid(77)]}, priority=50),
    ]
    index = RuleIndex.build(rules)
    seen: list[str] = []
    for rule in index.candidates([line(1, collections=[9])], "USD"):
        if rule.rule_id not in seen:
            seen.append(rule.rule_id)
    # created_at breaks the priority-2 tie: a dated rule sorts before an undated one.
    assert seen == [5, 3, 4, 7, 6, 23]
    assert index.get(9) is not None  # still known, so its lines are recognised
    assert len(index) == len(rules)
