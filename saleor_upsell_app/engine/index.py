"""Rules indexed by what triggers them, so an evaluation costs O(checkout), not O(rules).

Every enabled bump/upgrade rule gets a global *rank* (priority descending, then older ``created_at``,
then id: deterministic). Each trigger key (variant, product, category, collection, upgrade source
variant) maps to a rank-sorted list; rules that trigger on the subtotal alone sit in one rank-sorted list
per currency of their ``min_subtotal``. A checkout's candidates are the lazy merge of the lists its lines
touch, so the engine reads them best-first and stops when the cap is full.
"""

from __future__ import annotations

import heapq
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from operator import itemgetter
from typing import TypeAlias

from .spec import BumpRuleSpec, UpgradeRuleSpec
from .types import CheckoutLine, Rule

_NO_DATE = datetime.max
Ranks: TypeAlias = "array[int]"  # array("i") of ascending ranks


@dataclass(frozen=True, slots=True, eq=False)
class IndexedRule:
    """A rule flattened for fast checks (sets instead of lists, no pydantic attribute walks)."""

    rank: int
    rule_id: int
    spec: BumpRuleSpec | UpgradeRuleSpec
    enabled: bool
    channels: frozenset[str]
    starts_at: datetime | None
    ends_at: datetime | None
    variant_ids: frozenset[str]
    product_ids: frozenset[str]
    category_ids: frozenset[str]
    collection_ids: frozenset[str]
    min_subtotal: Mapping[str, Decimal] | None
    has_item_trigger: bool
    offer_variant_id: str  # bump: the offer; upgrade: the target variant
    from_variant_ids: frozenset[str]
    overrides_cap: bool

    @property
    def is_upgrade(self) -> bool:
        return isinstance(self.spec, UpgradeRuleSpec)

    def active_at(self, now: datetime) -> bool:
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or now < self.ends_at
        )

    def line_matches(self, line: CheckoutLine) -> bool:
        """Does this line satisfy one of the rule's item triggers (bumps) / source variants (upgrades)?"""
        if self.from_variant_ids:
            return line.variant_id in self.from_variant_ids
        return (
            line.variant_id in self.variant_ids
            or line.product_id in self.product_ids
            or line.category_id in self.category_ids
            or not self.collection_ids.isdisjoint(line.collection_ids)
        )


def rule_sort_key(rule: Rule) -> tuple[int, datetime, int]:
    """Priority descending, then older created_at, then id (dated rules before undated ones)."""
    created = rule.created_at
    if created is None:
        created = _NO_DATE  # unknown age sorts after every dated rule
    elif created.tzinfo is not None:
        created = created.astimezone(UTC).replace(tzinfo=None)
    return (-rule.spec.priority, created, rule.id)


def _compile(rank: int, rule: Rule) -> IndexedRule:
    spec = rule.spec
    if isinstance(spec, UpgradeRuleSpec):
        return IndexedRule(
            rank=rank,
            rule_id=rule.id,
            spec=spec,
            enabled=spec.enabled,
            channels=frozenset(spec.channels),
            starts_at=spec.starts_at,
            ends_at=spec.ends_at,
            variant_ids=frozenset(),
            product_ids=frozenset(),
            category_ids=frozenset(),
            collection_ids=frozenset(),
            min_subtotal=None,
            has_item_trigger=True,
            offer_variant_id=spec.to_variant_id,
            from_variant_ids=frozenset(spec.from_variant_ids),
            overrides_cap=spec.overrides.max_offers,
        )
    assert isinstance(spec, BumpRuleSpec)
    trigger = spec.trigger
    return IndexedRule(
        rank=rank,
        rule_id=rule.id,
        spec=spec,
        enabled=spec.enabled,
        channels=frozenset(trigger.channels),
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        variant_ids=frozenset(trigger.variant_ids),
        product_ids=frozenset(trigger.product_ids),
        category_ids=frozenset(trigger.category_ids),
        collection_ids=frozenset(trigger.collection_ids),
        min_subtotal=trigger.min_subtotal,
        has_item_trigger=trigger.has_item_trigger,
        offer_variant_id=spec.offer_variant_id,
        from_variant_ids=frozenset(),
        overrides_cap=spec.overrides.max_offers,
    )


class RuleIndex:
    """Bump and upgrade rules of one Saleor installation, ready for :func:`evaluate_checkout`."""

    __slots__ = ("_by_id", "_by_key", "_ranked", "_subtotal_only", "cap_overriders", "variant_weights")

    def __init__(self, ranked: Sequence[IndexedRule], *, nested: bool = False) -> None:
        self._ranked = tuple(ranked)
        self._by_id = {rule.rule_id: rule for rule in ranked}
        # Rules with an A/B test: rule id → (variant name, weight), to assign each checkout a variant.
        self.variant_weights: dict[int, tuple[tuple[str, int], ...]] = {
            rule.rule_id: tuple((v.name, v.weight) for v in rule.spec.variants)
            for rule in ranked
            if isinstance(rule.spec, BumpRuleSpec) and rule.spec.variants
        }
        # One table for every trigger key: Saleor global ids carry their type, so a variant id can never
        # collide with a product, category or collection id. Upgrades sit under their source variants.
        by_key: defaultdict[str, list[int]] = defaultdict(list)
        subtotal_only: defaultdict[str, list[int]] = defaultdict(list)
        for rule in ranked:  # ranks ascend, so every list comes out sorted
            if not rule.enabled:
                continue  # kept in _by_id: lines it already added must still be recognised
            keys = rule.from_variant_ids or (
                rule.variant_ids | rule.product_ids | rule.category_ids | rule.collection_ids
            )
            for key in keys:
                by_key[key].append(rule.rank)
            if not rule.has_item_trigger and rule.min_subtotal:
                for currency in rule.min_subtotal:
                    subtotal_only[currency].append(rule.rank)
        self._by_key = _compact(by_key)
        self._subtotal_only = _compact(subtotal_only)
        # Rules that may exceed the offer cap, in their own small index: once the cap is full the engine
        # reads only these, instead of walking every remaining candidate.
        overriders = [rule for rule in ranked if rule.overrides_cap and rule.enabled]
        self.cap_overriders: RuleIndex | None = None
        if overriders and not nested:
            renumbered = [replace(rule, rank=rank) for rank, rule in enumerate(overriders)]
            self.cap_overriders = RuleIndex(renumbered, nested=True)

    @classmethod
    def build(cls, rules: Iterable[Rule]) -> RuleIndex:
        """Index the bump and upgrade rules; post-purchase rules are ignored here."""
        checkout_rules = [r for r in rules if isinstance(r.spec, BumpRuleSpec | UpgradeRuleSpec)]
        checkout_rules.sort(key=rule_sort_key)
        return cls([_compile(rank, rule) for rank, rule in enumerate(checkout_rules)])

    def __len__(self) -> int:
        return len(self._ranked)

    def get(self, rule_id: int | None) -> IndexedRule | None:
        return self._by_id.get(rule_id) if rule_id is not None else None

    def candidates(self, lines: Iterable[CheckoutLine], currency: str) -> Iterator[IndexedRule]:
        """Enabled rules whose trigger keys touch these lines, best rank first (may repeat a rule).

        Upgrade rules come from their source variants; whether that line may be upgraded is the
        engine's call.
        """
        lists: list[Ranks] = []  # lines sharing a category repeat its list: the consumer drops repeats
        by_key = self._by_key
        for line in lines:
            for key in (line.variant_id, line.product_id, line.category_id, *line.collection_ids):
                found = by_key.get(key) if key else None
                if found:
                    lists.append(found)
        found = self._subtotal_only.get(currency)
        if found:
            lists.append(found)
        ranked = self._ranked
        return (ranked[rank] for rank in _merge_sorted(lists))


def _compact(table: Mapping[str, list[int]]) -> dict[str, Ranks]:
    """Freeze a key → ranks table for lookups from a cold cache (one evaluation per webhook).

    Keys are interned: ids parsed from a webhook are interned too (``snapshot.py``), so a lookup compares
    pointers instead of reading both strings. Ranks live in flat arrays, not lists of int objects.
    """
    return {sys.intern(key): array("i", ranks) for key, ranks in table.items()}


_SHORT = 4
_head = itemgetter(0)


def _merge_sorted(lists: list[Ranks]) -> Iterator[int]:
    """Lazy k-way merge of ascending rank lists (leaner than heapq.merge: the engine reads only a few).

    The best head is yielded first without building anything: with the usual cap of one offer the
    engine often needs no more. Then short lists (most variant and product keys) are pooled and sorted
    in one C call, so the heap only holds the long category, collection and subtotal lists. Ranks may
    repeat (the first one always does).
    """
    if not lists:
        return
    yield min(lists, key=_head)[0]
    pooled: list[int] = []
    merged: list[Sequence[int]] = []
    for ranks in lists:
        if len(ranks) <= _SHORT:
            pooled.extend(ranks)
        else:
            merged.append(ranks)
    if pooled:
        pooled.sort()
        merged.append(pooled)
    if len(merged) == 1:
        yield from merged[0]
        return
    heap = [(source[0], which, 0) for which, source in enumerate(merged)]
    heapq.heapify(heap)
    while heap:
        rank, which, position = heap[0]
        yield rank
        position += 1
        source = merged[which]
        if position < len(source):
            heapq.heapreplace(heap, (source[position], which, position))
        else:
            heapq.heappop(heap)
