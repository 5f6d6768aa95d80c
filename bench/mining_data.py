"""Deterministic synthetic order history for the mining benchmark."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class SyntheticOrders:
    codes: NDArray[np.int32]
    offsets: NDArray[np.int64]
    n_products: int


def generate_orders(
    n_orders: int, n_products: int, *, seed: int, zipf_s: float, zipf_offset: float, max_lines: int
) -> SyntheticOrders:
    """1..max_lines lines per order (uniform); products drawn from p(rank) ∝ 1/(rank + offset)^s.

    Product ids are a random permutation of popularity ranks, so nothing can rely on id order.
    Lines may repeat a product (two variants of one product); mining counts it once per order.
    """
    rng = np.random.default_rng(seed)
    lines = rng.integers(1, max_lines + 1, size=n_orders)
    offsets = np.zeros(n_orders + 1, dtype=np.int64)
    np.cumsum(lines, out=offsets[1:])
    weights = 1.0 / (np.arange(1, n_products + 1, dtype=np.float64) + zipf_offset) ** zipf_s
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    ranks = np.searchsorted(cdf, rng.random(int(offsets[-1])), side="right")
    ranks = np.minimum(ranks, n_products - 1)  # guards the float edge where cdf[-1] rounds below 1.0
    product_of_rank = rng.permutation(n_products).astype(np.int32)
    return SyntheticOrders(codes=product_of_rank[ranks], offsets=offsets, n_products=n_products)
