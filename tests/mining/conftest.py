from __future__ import annotations

import random

import pytest


def skewed_baskets(seed: int, n_baskets: int, n_items: int, max_size: int) -> list[list[str]]:
    """Random baskets with skewed item popularity and occasional repeated lines."""
    rng = random.Random(seed)
    items = [f"p{i}" for i in range(n_items)]
    weights = [1.0 / (rank + 1) for rank in range(n_items)]
    baskets = []
    for _ in range(n_baskets):
        size = rng.randint(0, max_size)
        baskets.append(rng.choices(items, weights=weights, k=size))
    return baskets


@pytest.fixture
def fixture_baskets() -> list[list[str]]:
    return skewed_baskets(seed=11, n_baskets=400, n_items=18, max_size=9)
