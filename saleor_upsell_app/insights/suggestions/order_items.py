"""What the stored order history says about items: baskets, how often each sold, and their categories."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..orders import CompactOrder
from .repository import Level

LEVELS: tuple[Level, ...] = tuple(Level)

# Positions in a compact order line: [variant_id, product_id, quantity, unit amount, category_id].
_VARIANT, _PRODUCT, _CATEGORY = 0, 1, 4


def item_of(line: Sequence[object], level: Level) -> str | None:
    value = line[_VARIANT if level == Level.VARIANT else _PRODUCT]
    return str(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class OrderItems:
    baskets: list[list[str]]  # one per order, item ids at the mined level
    orders_with_item: Counter[str]  # in how many orders each item was bought
    category_of: dict[str, str]  # item → its product's category, where the history recorded it
    product_of_variant: dict[str, str]


def order_items(orders: Sequence[CompactOrder], level: Level) -> OrderItems:
    baskets: list[list[str]] = []
    sold: Counter[str] = Counter()
    category_of: dict[str, str] = {}
    product_of_variant: dict[str, str] = {}
    for order in orders:
        basket: list[str] = []
        for line in order.lines:
            item = item_of(line, level)
            if item is None:  # a deleted variant or product: nothing to suggest
                continue
            basket.append(item)
            if len(line) > _CATEGORY and line[_CATEGORY] is not None:
                category_of[item] = str(line[_CATEGORY])
            if line[_VARIANT] is not None and line[_PRODUCT] is not None:
                product_of_variant[str(line[_VARIANT])] = str(line[_PRODUCT])
        baskets.append(basket)
        sold.update(set(basket))
    return OrderItems(baskets, sold, category_of, product_of_variant)


def best_sellers_by_category(items: OrderItems, per_category: int) -> dict[str, list[str]]:
    """Each category's most ordered items, most first (ties: item id, so reruns agree)."""
    ranked: dict[str, list[str]] = {}
    for item, _count in sorted(items.orders_with_item.items(), key=lambda pair: (-pair[1], pair[0])):
        category = items.category_of.get(item)
        if category is not None and len(ranked.setdefault(category, [])) < per_category:
            ranked[category].append(item)
    return ranked
