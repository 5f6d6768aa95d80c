"""`mine`: per channel, read the stored orders, mine pairs (or fall back), and store them as suggestions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from ..mining.baskets import encode_baskets
from ..mining.cold_start import MiningStatus, SuggestionSource, mine_if_enough_orders
from ..mining.pairs import Pair, PairTable, PairThresholds
from ..services import Services
from ..store.orders import CompactOrder
from .fallbacks import fallback_suggestions
from .order_items import Level, order_items
from .repository import SuggestionRepository, SuggestionRow

STEPS = ("load", "mine", "store")


@dataclass(frozen=True, slots=True)
class MiningSettings:
    level: Level = "product"
    thresholds: PairThresholds = field(default_factory=PairThresholds)
    min_orders: int = 100
    max_pairs: int = 1000  # per channel, best first: enough for any dashboard, bounded storage
    fallbacks_per_item: int = 3


@dataclass(frozen=True, slots=True)
class ChannelMining:
    channel: str
    level: Level
    status: MiningStatus
    stored: int
    by_source: dict[str, int]
    orders_over_basket_cap: int = 0

    @property
    def message(self) -> str:
        if self.status.enough_orders:
            return f"{self.channel}: {self.stored} pair(s) {self.status.message}"
        sources = ", ".join(f"{count} {source}" for source, count in sorted(self.by_source.items()))
        return f"{self.channel}: {self.status.message}; stored cold-start suggestions ({sources or 'none'})"


# (channel, step name, steps done for the channel, steps in all)
StepCallback = Callable[[str, str, int, int], None]


def mined_rows(table: PairTable, limit: int) -> list[SuggestionRow]:
    return [
        SuggestionRow(p.antecedent, p.consequent, SuggestionSource.MINED.value, evidence(p, table))
        for p in table.to_pairs(limit)
    ]


def evidence(pair: Pair, table: PairTable) -> dict[str, object]:
    return {
        "support_count": pair.support_count,
        # Orders with the antecedent: exact, as confidence = together / antecedent orders.
        "antecedent_orders": round(pair.support_count / pair.confidence) if pair.confidence else 0,
        "support": pair.support,
        "confidence": pair.confidence,
        "reverse_confidence": pair.reverse_confidence,
        "lift": pair.lift,
        "orders_considered": table.n_baskets,
        "orders_over_basket_cap": table.n_baskets_over_cap,
    }


async def mine_suggestions(
    services: Services,
    installation_id: int,
    settings: MiningSettings,
    *,
    channel: str | None = None,
    on_step: StepCallback | None = None,
) -> list[ChannelMining]:
    """Mine each channel (or the one given) separately: what sells together differs per market."""
    orders = await services.orders.list(installation_id, channel_slug=channel)
    by_channel: dict[str, list[CompactOrder]] = {}
    for order in orders:
        by_channel.setdefault(order.channel_slug, []).append(order)
    if channel is not None:
        by_channel.setdefault(channel, [])
    rules = await services.rules.list(installation_id, kinds=("bump",))
    repository = SuggestionRepository(services.sessions, services.engine.dialect.name)
    results = []
    for slug, channel_orders in sorted(by_channel.items()):

        def step(name: str, done: int, slug: str = slug) -> None:
            if on_step is not None:
                on_step(slug, name, done, len(STEPS))

        items = order_items(channel_orders, settings.level)
        step("load", 1)
        baskets = encode_baskets(items.baskets)
        # Counting runs in compiled code that releases the GIL: keep the event loop free meanwhile.
        outcome = await asyncio.to_thread(
            mine_if_enough_orders, baskets, settings.thresholds, settings.min_orders
        )
        step("mine", 2)
        if outcome.table is not None:
            rows = mined_rows(outcome.table, settings.max_pairs)
            over_cap = outcome.table.n_baskets_over_cap
        else:
            rows = fallback_suggestions(
                items, rules, slug, settings.level, outcome.status, per_trigger=settings.fallbacks_per_item
            )
            over_cap = 0
        stored = await repository.replace_computed(
            installation_id, slug, settings.level, rows, services.clock()
        )
        step("store", 3)
        by_source: dict[str, int] = {}
        for row in rows:
            by_source[row.source] = by_source.get(row.source, 0) + 1
        results.append(ChannelMining(slug, settings.level, outcome.status, stored, by_source, over_cap))
    return results
