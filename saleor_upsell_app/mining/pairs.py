"""Frequently-bought-together pairs (A→B) with support, confidence both ways, and lift.

Only 1-item→1-item rules are mined, by counting co-occurring pairs directly; general itemset
mining would spend its time on larger itemsets we never use.

Definitions over the N baskets that are mined (see ``max_basket_items``):
    support_count(A,B) = baskets containing both A and B
    support            = support_count / N
    confidence (A→B)   = support_count / count(A)      = P(B | A)
    reverse_confidence = support_count / count(B)      = P(A | B)
    lift               = support_count · N / (count(A) · count(B))

Baskets with more distinct items than ``max_basket_items`` are left out entirely — from pair counts,
item counts *and* N. Such baskets (wholesale, staff or test orders) would otherwise add hundreds of
spurious pairs each; counting them in N but not in item counts would make confidence and lift disagree
with every standard definition, so the reference-library comparison removes them the same way.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from saleor_upsell_app.mining._kernels import (
    count_pairs_per_rarer_item,
    frequent_pairs_in_buckets,
    scatter_pairs_by_rarer_item,
)
from saleor_upsell_app.mining.baskets import Baskets


@dataclass(frozen=True, slots=True)
class PairThresholds:
    """All bounds are inclusive (a pair exactly at a threshold is kept)."""

    min_support_count: int = 20
    min_confidence: float = 0.05
    min_lift: float = 1.0
    max_basket_items: int = 50

    def __post_init__(self) -> None:
        if self.min_support_count < 1:
            raise ValueError("min_support_count must be at least 1")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError("min_confidence must be within [0, 1]")
        if self.min_lift < 0.0:
            raise ValueError("min_lift must not be negative")
        if self.max_basket_items < 2:
            raise ValueError("max_basket_items must be at least 2 (a pair needs two items)")


@dataclass(frozen=True, slots=True)
class Pair:
    antecedent: str
    consequent: str
    support_count: int
    support: float
    confidence: float
    reverse_confidence: float
    lift: float


@dataclass(frozen=True, slots=True)
class PairTable:
    """Ordered pairs as parallel arrays, best first (lift, then confidence, then support count).

    ``antecedent``/``consequent`` are codes into ``item_ids``.
    """

    item_ids: tuple[str, ...]
    antecedent: NDArray[np.int32]
    consequent: NDArray[np.int32]
    support_count: NDArray[np.int64]
    support: NDArray[np.float64]
    confidence: NDArray[np.float64]
    reverse_confidence: NDArray[np.float64]
    lift: NDArray[np.float64]
    n_baskets: int
    n_baskets_over_cap: int

    def __len__(self) -> int:
        return int(self.antecedent.size)

    def to_pairs(self, limit: int | None = None) -> list[Pair]:
        stop = len(self) if limit is None else min(limit, len(self))
        return [
            Pair(
                antecedent=self.item_ids[int(self.antecedent[i])],
                consequent=self.item_ids[int(self.consequent[i])],
                support_count=int(self.support_count[i]),
                support=float(self.support[i]),
                confidence=float(self.confidence[i]),
                reverse_confidence=float(self.reverse_confidence[i]),
                lift=float(self.lift[i]),
            )
            for i in range(stop)
        ]


@dataclass(frozen=True, slots=True)
class _UnorderedCounts:
    first: NDArray[np.int32]
    second: NDArray[np.int32]
    together: NDArray[np.int64]


def mine_pairs(baskets: Baskets, thresholds: PairThresholds, *, workers: int = 2) -> PairTable:
    """Mine A→B pairs from one channel's baskets. ``workers`` threads share the counting."""
    sizes = baskets.sizes()
    mined = sizes <= thresholds.max_basket_items
    n_baskets = int(np.count_nonzero(mined))
    counted_codes = baskets.codes if mined.all() else baskets.codes[np.repeat(mined, sizes)]
    item_counts = np.bincount(counted_codes, minlength=baskets.n_items).astype(np.int64)
    pairs = _count_frequent_pairs(baskets, item_counts, thresholds, max(1, workers))
    return _rules_from_pairs(
        pairs, item_counts, n_baskets, baskets.item_ids, thresholds, baskets.n_baskets - n_baskets
    )


def _count_frequent_pairs(
    baskets: Baskets, item_counts: NDArray[np.int64], thresholds: PairThresholds, workers: int
) -> _UnorderedCounts:
    # A pair can be no more frequent than either item, so rarer items never reach the kernels.
    kept = np.flatnonzero(item_counts >= thresholds.min_support_count)
    kept = kept[np.argsort(-item_counts[kept], kind="stable")]
    n_ranked = int(kept.size)
    rank = np.full(baskets.n_items, -1, dtype=np.int32)
    rank[kept] = np.arange(n_ranked, dtype=np.int32)
    cap = thresholds.max_basket_items
    slices = _basket_slices(baskets.n_baskets, workers)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        per_slice = list(
            pool.map(
                lambda s: count_pairs_per_rarer_item(
                    baskets.codes, baskets.offsets[s[0] : s[1] + 1], rank, n_ranked, cap
                ),
                slices,
            )
        )
        per_item = np.sum(per_slice, axis=0) if per_slice else np.zeros(n_ranked, np.int64)
        bucket_starts = np.zeros(n_ranked + 1, dtype=np.int64)
        np.cumsum(per_item, out=bucket_starts[1:])
        partners = np.empty(int(bucket_starts[-1]), dtype=np.int32)
        # Each slice writes into its own sub-range of every bucket, so threads never share a cursor.
        cursors = []
        written_before = np.zeros(n_ranked, dtype=np.int64)
        for counts in per_slice:
            cursors.append(bucket_starts[:-1] + written_before)
            written_before = written_before + counts
        list(
            pool.map(
                lambda job: scatter_pairs_by_rarer_item(
                    baskets.codes,
                    baskets.offsets[job[0][0] : job[0][1] + 1],
                    rank,
                    job[1],
                    partners,
                    cap,
                ),
                zip(slices, cursors, strict=True),
            )
        )
        bucket_ranges = _balanced_bucket_ranges(bucket_starts, workers)
        found = list(
            pool.map(
                lambda r: frequent_pairs_in_buckets(
                    bucket_starts, partners, n_ranked, r[0], r[1], thresholds.min_support_count
                ),
                bucket_ranges,
            )
        )
    return _UnorderedCounts(
        first=kept[np.concatenate([f[0] for f in found])].astype(np.int32),
        second=kept[np.concatenate([f[1] for f in found])].astype(np.int32),
        together=np.concatenate([f[2] for f in found]),
    )


def _basket_slices(n_baskets: int, workers: int) -> list[tuple[int, int]]:
    bounds = np.linspace(0, n_baskets, workers + 1).astype(np.int64)
    return [(int(bounds[i]), int(bounds[i + 1])) for i in range(workers)]


def _balanced_bucket_ranges(bucket_starts: NDArray[np.int64], workers: int) -> list[tuple[int, int]]:
    # Split by pair instances, not by bucket count: frequent items own most of the work.
    targets = np.linspace(0, bucket_starts[-1], workers + 1)[1:-1]
    cuts = np.searchsorted(bucket_starts, targets).tolist()
    edges = [0, *cuts, int(bucket_starts.size - 1)]
    return [(int(edges[i]), int(edges[i + 1])) for i in range(workers)]


def _rules_from_pairs(
    pairs: _UnorderedCounts,
    item_counts: NDArray[np.int64],
    n_baskets: int,
    item_ids: tuple[str, ...],
    thresholds: PairThresholds,
    n_over_cap: int,
) -> PairTable:
    antecedent = np.concatenate([pairs.first, pairs.second])
    consequent = np.concatenate([pairs.second, pairs.first])
    together = np.concatenate([pairs.together, pairs.together]).astype(np.float64)
    antecedent_count = item_counts[antecedent].astype(np.float64)
    consequent_count = item_counts[consequent].astype(np.float64)
    confidence = together / antecedent_count
    lift = together * n_baskets / (antecedent_count * consequent_count)
    keep = (confidence >= thresholds.min_confidence) & (lift >= thresholds.min_lift)
    support_count = together[keep].astype(np.int64)
    best_first = np.lexsort(
        (consequent[keep], antecedent[keep], -support_count, -confidence[keep], -lift[keep])
    )
    return PairTable(
        item_ids=item_ids,
        antecedent=antecedent[keep][best_first],
        consequent=consequent[keep][best_first],
        support_count=support_count[best_first],
        support=(together[keep] / max(n_baskets, 1))[best_first],
        confidence=confidence[keep][best_first],
        reverse_confidence=(together / consequent_count)[keep][best_first],
        lift=lift[keep][best_first],
        n_baskets=n_baskets,
        n_baskets_over_cap=n_over_cap,
    )
