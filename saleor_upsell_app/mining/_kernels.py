"""Compiled loops for pair counting.

numpy/scipy alone needed about 4.5 s for 1M orders (several passes over ~60M pair instances, and
scipy's Xᵀ·X about 6 s), so the hot loops are compiled with numba. Counting is a counting sort by the
rarer item of each pair followed by one dense accumulator per rarer item: O(pair instances), no sorting,
no hash tables. Ranks are item positions by descending frequency; pruned items have rank -1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

_F = TypeVar("_F", bound=Callable[..., Any])


def _compiled(func: _F) -> _F:
    # nogil lets the caller run slices on threads; cache avoids recompiling in every process.
    return cast(_F, numba.njit(cache=True, nogil=True)(func))


@_compiled
def count_pairs_per_rarer_item(
    codes: NDArray[np.int32],
    offsets: NDArray[np.int64],
    rank: NDArray[np.int32],
    n_ranked: int,
    max_basket_items: int,
) -> NDArray[np.int64]:
    """Pair instances per rarer item (the pair member with the larger rank) over the given baskets."""
    per_item = np.zeros(n_ranked, np.int64)
    ranks_in_basket = np.empty(max(max_basket_items, 1), np.int32)
    for basket in range(offsets.size - 1):
        start = offsets[basket]
        end = offsets[basket + 1]
        if end - start > max_basket_items:
            continue
        size = 0
        for position in range(start, end):
            item_rank = rank[codes[position]]
            if item_rank >= 0:
                ranks_in_basket[size] = item_rank
                size += 1
        for i in range(size):
            first = ranks_in_basket[i]
            for j in range(i + 1, size):
                second = ranks_in_basket[j]
                per_item[max(first, second)] += 1
    return per_item


@_compiled
def scatter_pairs_by_rarer_item(
    codes: NDArray[np.int32],
    offsets: NDArray[np.int64],
    rank: NDArray[np.int32],
    cursor: NDArray[np.int64],
    partners: NDArray[np.int32],
    max_basket_items: int,
) -> None:
    """Write each pair's more frequent member into the bucket of its rarer member (cursor advances)."""
    ranks_in_basket = np.empty(max(max_basket_items, 1), np.int32)
    for basket in range(offsets.size - 1):
        start = offsets[basket]
        end = offsets[basket + 1]
        if end - start > max_basket_items:
            continue
        size = 0
        for position in range(start, end):
            item_rank = rank[codes[position]]
            if item_rank >= 0:
                ranks_in_basket[size] = item_rank
                size += 1
        for i in range(size):
            first = ranks_in_basket[i]
            for j in range(i + 1, size):
                second = ranks_in_basket[j]
                if first > second:
                    partners[cursor[first]] = second
                    cursor[first] += 1
                else:
                    partners[cursor[second]] = first
                    cursor[second] += 1


@_compiled
def frequent_pairs_in_buckets(
    bucket_starts: NDArray[np.int64],
    partners: NDArray[np.int32],
    n_ranked: int,
    first_bucket: int,
    end_bucket: int,
    min_support_count: int,
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]:
    """Count partners per bucket and return (rarer rank, frequent rank, count) with count ≥ the minimum."""
    tally = np.zeros(n_ranked, np.int64)
    touched = np.empty(n_ranked, np.int32)
    capacity = 1024
    out_rarer = np.empty(capacity, np.int32)
    out_frequent = np.empty(capacity, np.int32)
    out_count = np.empty(capacity, np.int64)
    found = 0
    for bucket in range(first_bucket, end_bucket):
        n_touched = 0
        for position in range(bucket_starts[bucket], bucket_starts[bucket + 1]):
            partner = partners[position]
            if tally[partner] == 0:
                touched[n_touched] = partner
                n_touched += 1
            tally[partner] += 1
        for t in range(n_touched):
            partner = touched[t]
            if tally[partner] >= min_support_count:
                if found == capacity:
                    capacity *= 2
                    out_rarer = _grown_int32(out_rarer, capacity)
                    out_frequent = _grown_int32(out_frequent, capacity)
                    out_count = _grown_int64(out_count, capacity)
                out_rarer[found] = bucket
                out_frequent[found] = partner
                out_count[found] = tally[partner]
                found += 1
            tally[partner] = 0
    return out_rarer[:found].copy(), out_frequent[:found].copy(), out_count[:found].copy()


@_compiled
def _grown_int32(values: NDArray[np.int32], capacity: int) -> NDArray[np.int32]:
    grown = np.empty(capacity, np.int32)
    grown[: values.size] = values
    return grown


@_compiled
def _grown_int64(values: NDArray[np.int64], capacity: int) -> NDArray[np.int64]:
    grown = np.empty(capacity, np.int64)
    grown[: values.size] = values
    return grown
