"""Lift against the random holdout: orders of `eligible` checkouts vs orders of `held_out` ones.

Joined on the order's checkout id; a checkout's first exposure event decides its group. Amounts in different
currencies are never mixed: every lift is per currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..events import EventKind
from ..orders import CompactOrder
from .offer_counts import EventRow
from .stats import HoldoutLift, holdout_lift

ELIGIBLE, HELD_OUT = EventKind.ELIGIBLE, EventKind.HELD_OUT


@dataclass(frozen=True, slots=True)
class LiftSettings:
    min_group_size: int = 30
    max_inconclusive_half_width: float = 0.10


def holdout_groups(
    exposures: Iterable[EventRow], orders: Sequence[CompactOrder], *, rule: int | None = None
) -> dict[tuple[str, str], tuple[list[Decimal], list[Decimal]]]:
    """(channel, currency) → (treated order totals, held-out order totals), joined on the checkout id.

    With `rule`, only checkouts whose exposure event names that rule.
    """
    group_of: dict[str, bool] = {}
    for event in exposures:
        if event.kind not in (ELIGIBLE, HELD_OUT) or event.checkout_id is None:
            continue
        if rule is not None and str(rule) not in {str(r) for r in (event.details or {}).get("rule_ids", ())}:
            continue
        group_of.setdefault(event.checkout_id, event.kind == HELD_OUT)  # the first assignment holds
    groups: dict[tuple[str, str], tuple[list[Decimal], list[Decimal]]] = {}
    for order in orders:
        held_out = group_of.get(order.checkout_id or "")
        if held_out is None:
            continue
        treated, control = groups.setdefault((order.channel_slug, order.currency), ([], []))
        (control if held_out else treated).append(order.total)
    return groups


def lift_by_currency(
    groups: Mapping[tuple[str, str], tuple[list[Decimal], list[Decimal]]],
    settings: LiftSettings,
    channel: str | None = None,
) -> dict[str, HoldoutLift]:
    per_currency: dict[str, tuple[list[Decimal], list[Decimal]]] = {}
    for (group_channel, currency), (treated, control) in sorted(groups.items()):
        if channel is not None and group_channel != channel:
            continue
        all_treated, all_control = per_currency.setdefault(currency, ([], []))
        all_treated.extend(treated)
        all_control.extend(control)
    return {
        currency: holdout_lift(
            treated,
            control,
            min_group_size=settings.min_group_size,
            max_inconclusive_half_width=settings.max_inconclusive_half_width,
        )
        for currency, (treated, control) in per_currency.items()
    }
