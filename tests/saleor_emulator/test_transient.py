"""The transient 0.00 reading of PROTOCOL "Money facts": right after a custom-priced line is added, a
concurrent read can show its unit price as 0.00 for about a second (Saleor stores the line before it
prices it). Off by default; `transient_zero_price` seconds turn it on."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp

from .fake_app import FakeApp, capture

MONOSPACE_S, APPLE_JUICE = "UHJvZHVjdFZhcmlhbnQ6MzQ4", "UHJvZHVjdFZhcmlhbnQ6MzAw"
ADD = capture("graphql-app-checkoutLinesAdd-custom-price-force-new-line.json")["request"]["body"]
READ = """query($id: ID!) { checkout(id: $id) { subtotalPrice { gross { amount } }
  lines { unitPrice { gross { amount } } totalPrice { gross { amount } }
          undiscountedUnitPrice { amount } } } }"""


async def _add_custom_line(emu: SaleorEmulator, token: str) -> tuple[str, dict[str, Any]]:
    checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
    result = await emu.graphql(ADD["query"], {**ADD["variables"], "id": checkout["id"]}, token=token)
    line = result["data"]["checkoutLinesAdd"]["checkout"]["lines"][1]
    return str(checkout["id"]), line


async def _read(emu: SaleorEmulator, checkout_id: str, token: str | None = None) -> dict[str, Any]:
    checkout: dict[str, Any] = (await emu.graphql(READ, {"id": checkout_id}, token=token))["data"]["checkout"]
    return checkout


async def test_off_by_default(emu: SaleorEmulator, installed: InstalledApp) -> None:
    checkout_id, _ = await _add_custom_line(emu, installed.token)
    read = await _read(emu, checkout_id)
    assert read["subtotalPrice"] == {"gross": {"amount": 44.0}}


async def test_a_concurrent_read_sees_zero_for_a_moment(
    emu: SaleorEmulator, fake_app: FakeApp, installed: InstalledApp
) -> None:
    emu.transient_zero_price = 2.0  # generous: the reads below must land inside it on a loaded machine
    checkout_id, added = await _add_custom_line(emu, installed.token)
    assert added["unitPrice"] == {"gross": {"amount": 24.0, "currency": "USD"}, "net": {"amount": 24.0}}
    for token in (None, installed.token):  # the shopper's read and the app's own read alike
        read = await _read(emu, checkout_id, token)
        assert read["lines"][1] == {
            "unitPrice": {"gross": {"amount": 0.0}},
            "totalPrice": {"gross": {"amount": 0.0}},
            "undiscountedUnitPrice": {"amount": 24.0},
        }
        assert read["subtotalPrice"] == {"gross": {"amount": 20.0}}
    await emu.drain()
    webhook = json.loads(fake_app.events("checkout_updated")[-1].body)
    assert webhook["checkout"]["lines"][1]["unitPrice"]["gross"]["amount"] == 24.0  # as captured
    await asyncio.sleep(2.05)
    assert (await _read(emu, checkout_id))["subtotalPrice"] == {"gross": {"amount": 44.0}}


async def test_only_custom_priced_adds_read_zero() -> None:
    async with SaleorEmulator(transient_zero_price=5.0) as emu:
        checkout = await emu.shopper.create_checkout([(MONOSPACE_S, 1)])
        await emu.shopper.add_lines(checkout["id"], [(APPLE_JUICE, 1)])
        assert (await _read(emu, checkout["id"]))["subtotalPrice"] == {"gross": {"amount": 21.49}}
