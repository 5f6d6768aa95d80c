"""Cold-start suggestions when a channel has too few orders to mine: the merchant's own pairings (bump
rules) first, then best sellers of the same category. Each row says where it came from and why."""

from __future__ import annotations

from collections.abc import Sequence

from ...engine.spec import BumpRuleSpec
from ...mining.cold_start import MiningStatus, SuggestionSource, suggest_for
from ...rules.stored import StoredRule
from .order_items import OrderItems, best_sellers_by_category
from .repository import Level, SuggestionRow


def merchant_pairings(
    rules: Sequence[StoredRule], channel: str, level: Level, product_of_variant: dict[str, str]
) -> tuple[dict[str, list[str]], dict[tuple[str, str], int]]:
    """trigger item → offered items from enabled bump rules for the channel, and the rule behind each pair.

    At product level a variant is known by its product only if the history saw it sold; pairs whose
    offer has no known product are left out rather than stored at the wrong level.
    """
    pairings: dict[str, list[str]] = {}
    rule_of: dict[tuple[str, str], int] = {}
    for rule in rules:
        spec = rule.spec
        if not isinstance(spec, BumpRuleSpec) or not spec.enabled:
            continue
        if spec.trigger.channels and channel not in spec.trigger.channels:
            continue
        if level == Level.VARIANT:
            triggers = list(spec.trigger.variant_ids)
            offered: str | None = spec.offer_variant_id
        else:
            triggers = [*spec.trigger.product_ids]
            triggers += [product_of_variant[v] for v in spec.trigger.variant_ids if v in product_of_variant]
            offered = product_of_variant.get(spec.offer_variant_id)
        if offered is None:
            continue
        for trigger in dict.fromkeys(triggers):
            if trigger != offered and offered not in pairings.setdefault(trigger, []):
                pairings[trigger].append(offered)
                rule_of.setdefault((trigger, offered), rule.id)
    return pairings, rule_of


def fallback_suggestions(
    items: OrderItems,
    rules: Sequence[StoredRule],
    channel: str,
    level: Level,
    status: MiningStatus,
    *,
    per_trigger: int = 3,
) -> list[SuggestionRow]:
    pairings, rule_of = merchant_pairings(rules, channel, level, items.product_of_variant)
    # One extra per category: the trigger itself is never suggested, and may be its category's best seller.
    best_sellers = best_sellers_by_category(items, per_trigger + 1)
    triggers = sorted(set(items.orders_with_item) | set(pairings))
    rows: list[SuggestionRow] = []
    for trigger in triggers:
        for suggestion in suggest_for(
            trigger,
            mined=(),
            merchant_pairings=pairings,
            category_of=items.category_of,
            best_sellers_by_category=best_sellers,
            limit=per_trigger,
        ):
            evidence: dict[str, object] = {"reason": status.message, "orders_considered": status.orders}
            if suggestion.source is SuggestionSource.MERCHANT:
                evidence["rule_id"] = rule_of[(trigger, suggestion.suggested)]
            else:
                evidence["category_id"] = items.category_of[trigger]
                evidence["orders_with_item"] = items.orders_with_item[suggestion.suggested]
            rows.append(SuggestionRow(trigger, suggestion.suggested, suggestion.source.value, evidence))
    return rows
