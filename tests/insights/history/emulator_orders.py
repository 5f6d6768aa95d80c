"""Past orders placed straight into the emulator's state (no webhooks: history the app never saw)."""

from __future__ import annotations

from datetime import datetime, timedelta

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.order_ops import add_variant_line, new_order
from testing.saleor_emulator.orders import Order

# Variant pks from the emulator's seed catalogue: tees, mugs, juices.
VARIANT_CYCLE = (348, 382, 300, 395, 383, 301)


def place_orders(
    emulator: SaleorEmulator,
    count: int,
    *,
    start: datetime,
    step: timedelta = timedelta(hours=1),
    channel: str = "default-channel",
) -> list[Order]:
    state = emulator.state
    placed = []
    for index in range(count):
        order = new_order(state, state.channels[channel], "UNFULFILLED", "CHECKOUT", f"s{index}@example.com")
        order.created_at = order.updated_at = start + step * index
        for offset in range(1 + index % 3):
            variant = state.variants[VARIANT_CYCLE[(index + offset) % len(VARIANT_CYCLE)]]
            add_variant_line(order, variant, 1 + offset)
        placed.append(order)
    return placed
