"""Suggestions as a service: `mine` (per channel, read the stored orders, mine pairs or fall back, store
them) and what the merchant does with one (list, accept as a bump rule, dismiss)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ...engine.ids import global_id_type
from ...kit.db import Database
from ...kit.errors import AppError
from ...mining.baskets import encode_baskets
from ...mining.cold_start import MiningStatus, SuggestionSource, mine_if_enough_orders
from ...mining.pairs import Pair, PairTable, PairThresholds
from ...rules import service as rules
from ...rules.stored import StoredRule
from ..orders import CompactOrder, OrderRepository
from .fallbacks import fallback_suggestions
from .order_items import order_items
from .repository import Level, StoredSuggestion, SuggestionRepository, SuggestionRow, SuggestionStatus

STEPS = ("load", "mine", "store")


@dataclass(frozen=True, slots=True)
class MiningSettings:
    level: Level = Level.PRODUCT
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
    db: Database,
    installation_id: int,
    settings: MiningSettings,
    now: datetime,
    *,
    channel: str | None = None,
    on_step: StepCallback | None = None,
) -> list[ChannelMining]:
    """Mine each channel (or the one given) separately: what sells together differs per market."""
    async with db.read() as session:
        orders = await OrderRepository(session).list(installation_id, channel_slug=channel)
        bump_rules = await rules.list_rules(session, installation_id, kinds=("bump",))
    by_channel: dict[str, list[CompactOrder]] = {}
    for order in orders:
        by_channel.setdefault(order.channel_slug, []).append(order)
    if channel is not None:
        by_channel.setdefault(channel, [])
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
                items,
                bump_rules,
                slug,
                settings.level,
                outcome.status,
                per_trigger=settings.fallbacks_per_item,
            )
            over_cap = 0
        async with db.transaction() as session:
            stored = await SuggestionRepository(session).replace_computed(
                installation_id, slug, settings.level, rows, now
            )
        step("store", 3)
        by_source: dict[str, int] = {}
        for row in rows:
            by_source[row.source] = by_source.get(row.source, 0) + 1
        results.append(ChannelMining(slug, settings.level, outcome.status, stored, by_source, over_cap))
    return results


# ------------------------------------------------------------------------------------------ the merchant

DEFAULT_PRICE: dict[str, Any] = {"type": "percent_off", "percent": "10"}
DEFAULT_HEADLINE = "Frequently bought together"
DEFAULT_REASON = "Pairs well with what is in your cart."


class SuggestionRefused(AppError):
    """``code`` is ``not_found``, ``already_done`` or ``required`` (a field is needed)."""

    status = 400

    def __init__(
        self, code: str, message: str, suggestion: StoredSuggestion | None, field: str | None = None
    ):
        super().__init__(message, code=code)
        self.suggestion = suggestion
        self.field = field


@dataclass(frozen=True, slots=True)
class AcceptInput:
    """How to turn a suggestion into a bump rule; every field has a default."""

    name: str | None = None
    headline: str | None = None
    reason: str | None = None
    badge: str | None = None
    price: Any = None
    offer_variant_id: str | None = None
    enabled: bool = True


async def list_suggestions(
    session: AsyncSession, installation_id: int, *, channel: str | None, status: str | None
) -> list[StoredSuggestion]:
    found = await SuggestionRepository(session).list(installation_id, channel_slug=channel, status=status)
    return sorted(found, key=lambda s: (s.channel_slug, s.id))


async def get_suggestion(
    session: AsyncSession, installation_id: int, suggestion_id: int
) -> StoredSuggestion | None:
    return await SuggestionRepository(session).get(installation_id, suggestion_id)


def _default_reason(row: StoredSuggestion) -> str:
    """Social proof only when the mined figures say so; otherwise a plain line."""
    confidence = row.evidence.get("confidence")
    if row.source == SuggestionSource.MINED and confidence is not None:
        share = round(Decimal(str(confidence)) * 100)
        if share > 0:
            return f"{share}% of shoppers who bought this also bought it."
    return DEFAULT_REASON


def rule_from_suggestion(row: StoredSuggestion, data: AcceptInput) -> dict[str, Any]:
    """A bump rule in the rule file format: the suggestion's pair, the input's copy and price."""
    offer_variant = data.offer_variant_id or row.consequent_id
    trigger_key = "variant_ids" if global_id_type(row.antecedent_id) == "ProductVariant" else "product_ids"
    copy: dict[str, Any] = {
        "headline": data.headline or DEFAULT_HEADLINE,
        "reason": data.reason or _default_reason(row),
    }
    if data.badge:
        copy["badge"] = data.badge
    return {
        "kind": "bump",
        "name": data.name or f"Suggested pairing {row.id}",
        "enabled": data.enabled,
        "trigger": {trigger_key: [row.antecedent_id], "channels": [row.channel_slug]},
        "offer_variant_id": str(offer_variant),
        "price": data.price if data.price is not None else DEFAULT_PRICE,
        "copy": copy,
    }


async def _found(session: AsyncSession, installation_id: int, suggestion_id: int) -> StoredSuggestion:
    row = await SuggestionRepository(session).get(installation_id, suggestion_id)
    if row is None:
        raise SuggestionRefused("not_found", f"No suggestion {suggestion_id}.", None, "id")
    return row


async def accept_suggestion(
    session: AsyncSession, installation_id: int, suggestion_id: int, data: AcceptInput, now: datetime
) -> tuple[StoredSuggestion | None, StoredRule]:
    """The suggestion (accepted) and the bump rule made from it; SuggestionRefused or rules.InvalidRule."""
    row = await _found(session, installation_id, suggestion_id)
    if row.status != SuggestionStatus.NEW:
        raise SuggestionRefused("already_done", f"The suggestion is already {row.status}.", row)
    if data.offer_variant_id is None and global_id_type(row.consequent_id) != "ProductVariant":
        raise SuggestionRefused(
            "required",
            "The suggestion offers a product: choose which of its variants to offer.",
            row,
            "offerVariantId",
        )
    spec = rules.validate_rule(rule_from_suggestion(row, data))
    repository = SuggestionRepository(session)
    if not await repository.move(installation_id, suggestion_id, SuggestionStatus.ACCEPTED):
        raise SuggestionRefused("already_done", "Accepted meanwhile.", None)
    stored = await rules.store_rule(session, installation_id, spec, now)
    return await repository.get(installation_id, suggestion_id), stored


async def dismiss_suggestion(
    session: AsyncSession, installation_id: int, suggestion_id: int
) -> StoredSuggestion | None:
    row = await _found(session, installation_id, suggestion_id)
    repository = SuggestionRepository(session)
    if not await repository.move(installation_id, suggestion_id, SuggestionStatus.DISMISSED):
        raise SuggestionRefused("already_done", f"The suggestion is already {row.status}.", row)
    return await repository.get(installation_id, suggestion_id)
