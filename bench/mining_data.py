"""Deterministic synthetic order history for the mining benchmark, in two basket shapes.

- ``standard``: the shape common pair-mining benchmarks use — pure Zipf popularity (p(rank) ∝ 1/rank),
  geometric basket size with mean 3.2 lines, minimum support 0.02% of the orders mined.
- ``heavy``: this project's original, heavier set — 1..20 lines per order (uniform, mean 10.5),
  Zipf–Mandelbrot popularity p(rank) ∝ 1/(rank + 10) (pure Zipf over 1..20 lines would put the top
  product in most orders), minimum support 20 orders.

Both draw products independently of each other, so the pairs found are chance co-occurrences: the data
sets exercise speed and memory, not the quality of the suggestions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class BasketShape:
    name: str
    zipf_s: float
    zipf_offset: float
    size_law: Literal["uniform", "geometric"]
    max_lines: int  # uniform: 1..max_lines; geometric: unbounded (the mining cap applies)
    mean_lines: float  # geometric only
    min_support_count: int | None  # absolute, or …
    min_support_fraction: float | None  # … relative to the orders mined

    def min_support(self, n_orders: int) -> int:
        """The minimum support count for a data set of `n_orders` orders."""
        if self.min_support_count is not None:
            return self.min_support_count
        assert self.min_support_fraction is not None
        # round() first: 0.0002 × 1,000,000 is 200.00000000000003 in floating point.
        return max(1, math.ceil(round(self.min_support_fraction * n_orders, 9)))

    def describe(self) -> str:
        popularity = f"p(rank) ∝ 1/(rank + {self.zipf_offset:g})^{self.zipf_s:g}"
        if self.size_law == "uniform":
            lines = f"lines per order uniform 1–{self.max_lines}"
        else:
            lines = f"lines per order geometric, mean {self.mean_lines:g}"
        if self.min_support_count is not None:
            support = f"min support {self.min_support_count} orders"
        else:
            support = f"min support {self.min_support_fraction:.4%} of orders"
        return f"{self.name}: {lines}; {popularity}; {support}"


SHAPES = {
    "heavy": BasketShape(
        name="heavy",
        zipf_s=1.0,
        zipf_offset=10.0,
        size_law="uniform",
        max_lines=20,
        mean_lines=10.5,
        min_support_count=20,
        min_support_fraction=None,
    ),
    "standard": BasketShape(
        name="standard",
        zipf_s=1.0,
        zipf_offset=0.0,
        size_law="geometric",
        max_lines=0,
        mean_lines=3.2,
        min_support_count=None,
        min_support_fraction=0.0002,
    ),
}


@dataclass(frozen=True, slots=True)
class SyntheticOrders:
    codes: NDArray[np.int32]
    offsets: NDArray[np.int64]
    n_products: int


def generate_orders(n_orders: int, n_products: int, shape: BasketShape, *, seed: int) -> SyntheticOrders:
    """Orders of `shape`; products drawn from p(rank) ∝ 1/(rank + offset)^s, rank 1..n_products.

    Product ids are a random permutation of popularity ranks, so nothing can rely on id order.
    Lines may repeat a product (two variants of one product); mining counts it once per order.
    """
    rng = np.random.default_rng(seed)
    if shape.size_law == "uniform":
        lines = rng.integers(1, shape.max_lines + 1, size=n_orders)
    else:
        lines = rng.geometric(1.0 / shape.mean_lines, size=n_orders)  # 1, 2, … with mean 1/p
    offsets = np.zeros(n_orders + 1, dtype=np.int64)
    np.cumsum(lines, out=offsets[1:])
    weights = 1.0 / (np.arange(1, n_products + 1, dtype=np.float64) + shape.zipf_offset) ** shape.zipf_s
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    ranks = np.searchsorted(cdf, rng.random(int(offsets[-1])), side="right")
    ranks = np.minimum(ranks, n_products - 1)  # guards the float edge where cdf[-1] rounds below 1.0
    product_of_rank = rng.permutation(n_products).astype(np.int32)
    return SyntheticOrders(codes=product_of_rank[ranks], offsets=offsets, n_products=n_products)
