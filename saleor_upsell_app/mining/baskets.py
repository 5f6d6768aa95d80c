"""Compact basket representation (CSR) for pair mining.

A basket is one order's set of item ids (product ids, or variant ids when mining at variant level).
Quantities do not matter for frequently-bought-together, so every item appears at most once per basket.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class Baskets:
    """Baskets in CSR form: basket ``b`` holds ``codes[offsets[b]:offsets[b + 1]]``.

    ``codes`` index into ``item_ids``. Each basket holds distinct codes (the builders guarantee it).
    """

    item_ids: tuple[str, ...]
    codes: NDArray[np.int32]
    offsets: NDArray[np.int64]

    def __post_init__(self) -> None:
        if self.offsets.size == 0 or self.offsets[0] != 0 or self.offsets[-1] != self.codes.size:
            raise ValueError("offsets must start at 0 and end at len(codes)")

    @property
    def n_baskets(self) -> int:
        return int(self.offsets.size - 1)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def sizes(self) -> NDArray[np.int64]:
        return np.diff(self.offsets)


def encode_baskets(orders: Iterable[Sequence[str]]) -> Baskets:
    """Build baskets from item ids per order; repeated items within an order count once."""
    code_of: dict[str, int] = {}
    codes: list[int] = []
    offsets: list[int] = [0]
    for items in orders:
        seen_in_basket: set[int] = set()
        for item_id in items:
            code = code_of.setdefault(item_id, len(code_of))
            if code not in seen_in_basket:
                seen_in_basket.add(code)
                codes.append(code)
        offsets.append(len(codes))
    return Baskets(
        item_ids=tuple(code_of),
        codes=np.asarray(codes, dtype=np.int32),
        offsets=np.asarray(offsets, dtype=np.int64),
    )


def baskets_from_codes(
    codes: NDArray[np.integer], offsets: NDArray[np.integer], item_ids: Sequence[str]
) -> Baskets:
    """Build baskets from already-encoded CSR arrays (e.g. loaded in bulk), dropping repeats per basket."""
    n_baskets = int(offsets.size - 1)
    if codes.size and (int(codes.min()) < 0 or int(codes.max()) >= len(item_ids)):
        raise ValueError("item codes must index into item_ids")
    ones = np.ones(codes.size, dtype=np.int8)
    # scipy's canonicalisation sorts each row and merges repeats in C, far faster than a Python loop.
    matrix = sp.csr_matrix(
        (ones, codes.astype(np.int32, copy=False), offsets.astype(np.int64, copy=False)),
        shape=(n_baskets, len(item_ids)),
    )
    matrix.sum_duplicates()
    return Baskets(
        item_ids=tuple(item_ids),
        codes=np.ascontiguousarray(matrix.indices, dtype=np.int32),
        offsets=np.ascontiguousarray(matrix.indptr, dtype=np.int64),
    )
