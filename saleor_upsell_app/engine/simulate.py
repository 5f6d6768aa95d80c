"""What Saleor would hold after the decisions' mutations (for previews and the idempotency property).

Assumes each mutation succeeded and the promotion compensation hit its target, so an added line's unit
price is the target and its undiscounted price is the override (Saleor reports the override there).
Simulated lines get deterministic ids (``upsell:<rule id>``, ``<line id>+excess``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from .types import (
    AddBump,
    CheckoutHistory,
    CheckoutLine,
    CheckoutSnapshot,
    Decision,
    RemoveBump,
    SplitBumpQuantity,
    SwapUpgrade,
)


def _added_line(decision: AddBump) -> CheckoutLine:
    return CheckoutLine(
        id=f"upsell:{decision.rule_id}",
        variant_id=decision.variant_id,
        product_id=decision.product_id,
        category_id=None,  # bump lines never trigger rules, so their category does not matter here
        collection_ids=frozenset(),
        quantity=decision.quantity,
        unit_price=decision.unit_price,
        undiscounted_unit_price=decision.override_price,
        metadata=dict(decision.metadata),
    )


def swapped_line(decision: SwapUpgrade) -> CheckoutLine:
    """The line an upgrade swap puts in the checkout (the engine reads it too, to check later bumps)."""
    return CheckoutLine(
        id=f"upsell:{decision.rule_id}",
        variant_id=decision.to_variant_id,
        product_id=decision.to_product_id,
        category_id=decision.to_category_id,
        collection_ids=decision.to_collection_ids,
        quantity=decision.quantity,
        unit_price=decision.unit_price,
        undiscounted_unit_price=decision.override_price,
        metadata=dict(decision.metadata),
    )


def apply_decisions(snapshot: CheckoutSnapshot, decisions: Iterable[Decision]) -> CheckoutSnapshot:
    lines = list(snapshot.lines)
    for decision in decisions:
        if isinstance(decision, RemoveBump):
            lines = [line for line in lines if line.id != decision.line_id]
        elif isinstance(decision, SplitBumpQuantity):
            position = next(i for i, line in enumerate(lines) if line.id == decision.line_id)
            bump = lines[position]
            lines[position] = replace(bump, quantity=decision.keep)
            lines.append(
                replace(
                    bump,
                    id=f"{bump.id}+excess",
                    quantity=decision.excess,
                    unit_price=decision.regular_price,
                    undiscounted_unit_price=decision.regular_price,
                    metadata={},
                )
            )
        elif isinstance(decision, AddBump):
            lines.append(_added_line(decision))
        else:
            lines = [line for line in lines if line.id != decision.line_id]
            lines.append(swapped_line(decision))
    before = sum((line.unit_price * line.quantity for line in snapshot.lines), Decimal(0))
    after = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
    # Keep whatever the subtotal held beyond the lines (e.g. a voucher) and move it by the line change.
    return replace(snapshot, lines=tuple(lines), subtotal=snapshot.subtotal + after - before)


def history_after(history: CheckoutHistory, decisions: Iterable[Decision]) -> CheckoutHistory:
    """The history once the app has recorded the rules it just applied."""
    applied = {d.rule_id for d in decisions if isinstance(d, AddBump | SwapUpgrade)}
    return replace(history, offered_rule_ids=history.offered_rule_ids | applied)
