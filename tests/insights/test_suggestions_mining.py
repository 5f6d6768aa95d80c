"""Mining as a service: stored orders → suggestions with evidence; reruns keep the merchant's decisions."""

from __future__ import annotations

from typing import Any

import pytest

from saleor_upsell_app.engine.spec import parse_rule_spec
from saleor_upsell_app.insights.suggestions.repository import StoredSuggestion, SuggestionRepository
from saleor_upsell_app.insights.suggestions.service import ChannelMining, MiningSettings, mine_suggestions
from saleor_upsell_app.mining.pairs import PairThresholds
from tests.store import Store, compact_order, pid, vid

A, B, C = 11, 12, 21  # products; A and B share category 1, C is in category 2
LOOSE = PairThresholds(min_support_count=5, min_confidence=0.1, min_lift=1.0)


class _Suggestions:
    """The suggestions table through its repository, one unit of work per call."""

    def __init__(self, store: Store) -> None:
        self._db = store.data.db

    async def list(self, installation_id: int, **filters: Any) -> list[StoredSuggestion]:
        async with self._db.read() as session:
            return await SuggestionRepository(session).list(installation_id, **filters)

    async def set_status(self, installation_id: int, suggestion_id: int, status: str) -> bool:
        async with self._db.transaction() as session:
            return await SuggestionRepository(session).set_status(installation_id, suggestion_id, status)


def repository(store: Store) -> _Suggestions:
    return _Suggestions(store)


async def mine(
    store: Store, installation_id: int, settings: MiningSettings, **options: Any
) -> list[ChannelMining]:
    return await mine_suggestions(store.data.db, installation_id, settings, store.clock(), **options)


def by_pair(rows: list[StoredSuggestion]) -> dict[tuple[str, str], StoredSuggestion]:
    return {(r.antecedent_id, r.consequent_id): r for r in rows}


async def seed(store: Store, baskets: list[list[int]], channel: str = "default-channel") -> None:
    await store.data.orders.upsert_many(
        store.installation_id, [compact_order(b, channel=channel) for b in baskets]
    )


async def test_mined_pairs_are_stored_with_their_evidence(store: Store) -> None:
    # 120 orders: A=60, B=60, C=60, A&B=40, B&C=20.
    await seed(store, [[A, B]] * 40 + [[A]] * 20 + [[B, C]] * 20 + [[C]] * 40)

    [result] = await mine(store, store.installation_id, MiningSettings(thresholds=LOOSE, min_orders=100))

    assert result.status.enough_orders and result.stored == 2 and result.by_source == {"mined": 2}
    rows = by_pair(await repository(store).list(store.installation_id))
    assert set(rows) == {(pid(A), pid(B)), (pid(B), pid(A))}  # B→C: lift 20·120/(60·60) = 0.67 < 1
    ab = rows[(pid(A), pid(B))]
    assert ab.source == "mined" and ab.status == "new" and ab.level == "product"
    assert ab.evidence["support_count"] == 40
    assert ab.evidence["support"] == pytest.approx(40 / 120)
    assert ab.evidence["confidence"] == pytest.approx(40 / 60)
    assert ab.evidence["reverse_confidence"] == pytest.approx(40 / 60)
    assert ab.evidence["lift"] == pytest.approx(40 * 120 / (60 * 60))
    assert ab.evidence["orders_considered"] == 120


async def test_rerun_updates_evidence_and_keeps_accepted_and_dismissed(store: Store) -> None:
    E = 31  # lone orders of another product, so that both pairs start above chance
    await seed(store, [[A, B]] * 40 + [[A]] * 20 + [[B, C]] * 30 + [[C]] * 10 + [[E]] * 40)
    settings = MiningSettings(thresholds=LOOSE, min_orders=100)
    await mine(store, store.installation_id, settings)
    rows = by_pair(await repository(store).list(store.installation_id))
    assert set(rows) == {(pid(A), pid(B)), (pid(B), pid(A)), (pid(B), pid(C)), (pid(C), pid(B))}
    await repository(store).set_status(store.installation_id, rows[(pid(A), pid(B))].id, "accepted")
    await repository(store).set_status(store.installation_id, rows[(pid(C), pid(B))].id, "dismissed")

    # Many lone-C orders: B&C now happens less than chance, so B↔C is no longer supported.
    await seed(store, [[C]] * 200 + [[A, B]] * 10)
    store.clock.advance(days=1)
    await mine(store, store.installation_id, settings)

    after = by_pair(await repository(store).list(store.installation_id))
    assert after[(pid(A), pid(B))].status == "accepted"
    assert after[(pid(A), pid(B))].evidence["support_count"] == 50
    assert after[(pid(A), pid(B))].evidence["orders_considered"] == 350
    assert after[(pid(A), pid(B))].computed_at == store.clock.now
    assert after[(pid(B), pid(A))].status == "new"
    assert (pid(B), pid(C)) not in after  # a "new" pair the data no longer supports is dropped
    dismissed = after[(pid(C), pid(B))]  # the merchant's decision stays, with the evidence it was made on
    assert dismissed.status == "dismissed" and dismissed.evidence["orders_considered"] == 140
    assert len(after) == 3


async def test_channels_are_mined_separately(store: Store) -> None:
    await seed(store, [[A, B]] * 100)
    await seed(store, [[A, C]] * 8, channel="channel-pln")

    results = await mine(store, store.installation_id, MiningSettings(thresholds=LOOSE, min_orders=100))

    assert [(r.channel, r.status.enough_orders) for r in results] == [
        ("channel-pln", False),
        ("default-channel", True),
    ]
    usd = await repository(store).list(store.installation_id, channel_slug="default-channel")
    assert {(r.antecedent_id, r.consequent_id) for r in usd} == {(pid(A), pid(B)), (pid(B), pid(A))}
    assert "not enough orders (8 of 100 needed)" in results[0].message


async def test_cold_start_stores_merchant_pairings_and_same_category_best_sellers(store: Store) -> None:
    D = 13  # a third product in category 1, sold most
    await seed(store, [[A]] * 2 + [[B]] * 3 + [[D]] * 4 + [[C]] * 1)
    rule = parse_rule_spec(
        {
            "kind": "bump",
            "name": "Mug with a tee",
            "trigger": {"variant_ids": [vid(A * 10)]},
            "offer_variant_id": vid(C * 10),
            "price": {"type": "percent_off", "percent": "20"},
            "copy": {"headline": "Add a mug", "reason": "Goes with your tee"},
        }
    )
    stored_rule = await store.data.rules.create(store.installation_id, rule, store.clock())

    [result] = await mine(store, store.installation_id, MiningSettings(thresholds=LOOSE, min_orders=100))

    assert not result.status.enough_orders
    assert "not enough orders (10 of 100 needed)" in result.message
    rows = await repository(store).list(store.installation_id)
    suggested = [(r.antecedent_id, r.consequent_id, r.source) for r in rows if r.antecedent_id == pid(A)]
    # The merchant's own pairing first, then category 1's best sellers (D sold 4, B 3), never A itself.
    assert suggested == [
        (pid(A), pid(C), "merchant"),
        (pid(A), pid(D), "category_best_seller"),
        (pid(A), pid(B), "category_best_seller"),
    ]
    merchant = next(r for r in rows if r.source == "merchant")
    assert merchant.evidence["rule_id"] == stored_rule.id
    assert merchant.evidence["reason"] == "not enough orders (10 of 100 needed)"
    best = next(r for r in rows if (r.antecedent_id, r.consequent_id) == (pid(A), pid(D)))
    assert best.evidence["orders_with_item"] == 4
    # C is alone in its category: nothing to suggest for it from the category.
    assert [r for r in rows if r.antecedent_id == pid(C)] == []

    [variant_level] = await mine(store, store.installation_id,
        MiningSettings(level="variant", thresholds=LOOSE, min_orders=100),
    )  # fmt: skip
    variants = await repository(store).list(store.installation_id, level="variant")
    assert (vid(A * 10), vid(C * 10), "merchant") in {
        (r.antecedent_id, r.consequent_id, r.source) for r in variants
    }
    assert variant_level.by_source["merchant"] == 1
