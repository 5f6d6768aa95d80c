"""Rules indexed by what triggers them, so an evaluation costs O(checkout), not O(rules).

Every enabled bump/upgrade rule gets a global *rank* (priority descending, then older ``created_at``,
then id: deterministic). Each trigger key (variant, product, category, collection, upgrade source
variant) maps to a rank-sorted list; rules that trigger on the subtotal alone sit in one rank-sorted list
per currency of their ``min_subtotal``. A checkout's candidates are the lazy merge of the lists its lines
touch, so the engine reads them best-first and stops when the cap is full.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from .models import CheckoutLine, Rule
from .spec import BumpRuleSpec, UpgradeRuleSpec

_NO_DATE = datetime.max


@dataclass(frozen=True, slots=True, eq=False)
class IndexedRule:
    """A rule flattened for fast checks (sets instead of lists, no pydantic attribute walks)."""

    rank: int
    rule_id: str
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


def rule_sort_key(rule: Rule) -> tuple[int, datetime, str]:
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

    __slots__ = (
        "_by_category",
        "_by_collection",
        "_by_id",
        "_by_product",
        "_by_variant",
        "_ranked",
        "_subtotal_only",
        "_upgrades_by_source",
        "has_cap_overriders",
    )

    def __init__(self, ranked: Sequence[IndexedRule]) -> None:
        self._ranked = tuple(ranked)
        self._by_id = {rule.rule_id: rule for rule in ranked}
        tables: dict[str, defaultdict[str, list[int]]] = {
            name: defaultdict(list) for name in ("variant", "product", "category", "collection", "upgrade")
        }
        subtotal_only: defaultdict[str, list[int]] = defaultdict(list)
        for rule in ranked:  # ranks ascend, so every list comes out sorted
            if not rule.enabled:
                continue  # kept in _by_id: lines it already added must still be recognised
            if rule.from_variant_ids:
                for key in rule.from_variant_ids:
                    tables["upgrade"][key].append(rule.rank)
                continue
            for key in rule.variant_ids:
                tables["variant"][key].append(rule.rank)
            for key in rule.product_ids:
                tables["product"][key].append(rule.rank)
            for key in rule.category_ids:
                tables["category"][key].append(rule.rank)
            for key in rule.collection_ids:
                tables["collection"][key].append(rule.rank)
            if not rule.has_item_trigger and rule.min_subtotal:
                for currency in rule.min_subtotal:
                    subtotal_only[currency].append(rule.rank)
        self._by_variant = dict(tables["variant"])
        self._by_product = dict(tables["product"])
        self._by_category = dict(tables["category"])
        self._by_collection = dict(tables["collection"])
        self._upgrades_by_source = dict(tables["upgrade"])
        self._subtotal_only = dict(subtotal_only)
        self.has_cap_overriders = any(rule.overrides_cap and rule.enabled for rule in ranked)

    @classmethod
    def build(cls, rules: Iterable[Rule]) -> RuleIndex:
        """Index the bump and upgrade rules; post-purchase rules are ignored here."""
        checkout_rules = [r for r in rules if isinstance(r.spec, BumpRuleSpec | UpgradeRuleSpec)]
        checkout_rules.sort(key=rule_sort_key)
        return cls([_compile(rank, rule) for rank, rule in enumerate(checkout_rules)])

    def __len__(self) -> int:
        return len(self._ranked)

    def get(self, rule_id: str) -> IndexedRule | None:
        return self._by_id.get(rule_id)

    def candidates(
        self, trigger_lines: Iterable[CheckoutLine], upgradable_lines: Iterable[CheckoutLine], currency: str
    ) -> Iterator[IndexedRule]:
        """Enabled rules whose trigger keys touch these lines, best rank first (may repeat a rule)."""
        # Keyed by identity: lines sharing a category or collection share its list; merge it once.
        lists: dict[int, list[int]] = {}
        by_variant, by_product = self._by_variant, self._by_product
        by_category, by_collection = self._by_category, self._by_collection
        for line in trigger_lines:
            for found in (
                by_variant.get(line.variant_id),
                by_product.get(line.product_id),
                by_category.get(line.category_id) if line.category_id else None,
            ):
                if found:
                    lists[id(found)] = found
            for collection_id in line.collection_ids:
                found = by_collection.get(collection_id)
                if found:
                    lists[id(found)] = found
        for line in upgradable_lines:
            found = self._upgrades_by_source.get(line.variant_id)
            if found:
                lists[id(found)] = found
        found = self._subtotal_only.get(currency)
        if found:
            lists[id(found)] = found
        ranked = self._ranked
        return (ranked[rank] for rank in _merge_sorted(list(lists.values())))


def _merge_sorted(lists: list[list[int]]) -> Iterator[int]:
    """Lazy k-way merge of ascending rank lists (leaner than heapq.merge: the engine reads only a few)."""
    if len(lists) == 1:
        yield from lists[0]
        return
    heap = [(ranks[0], which, 0) for which, ranks in enumerate(lists)]
    heapq.heapify(heap)
    while heap:
        rank, which, position = heap[0]
        yield rank
        position += 1
        ranks = lists[which]
        if position < len(ranks):
            heapq.heapreplace(heap, (ranks[position], which, position))
        else:
            heapq.heappop(heap)
