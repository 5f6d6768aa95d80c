"""Try the app without a Saleor: serve the emulator, install the running app into it, place checkouts.

    make run                                   # the app, in one terminal
    .venv/bin/python -m testing.saleor_emulator --app-url http://localhost:8000    # in another

The emulator (a test double of Saleor 3.23 with its sample catalogue, in memory) installs the app
through the real register flow, so `saleor-upsell rules import examples/rules.yaml` then finds one
installation. Each Enter places a shopper's checkout with a Monospace Tee (S) and, once the app has
processed the webhooks, prints its lines: with the example rules the app adds a discounted Apple Juice.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from decimal import Decimal
from typing import Any

from testing.sample_data import TEE_S

from .emulator import SaleorEmulator
from .install import InstallError

WAIT_FOR_APP_SECONDS = 10.0


def _describe(line: dict[str, Any], names: dict[str, str]) -> str:
    unit = line["unitPrice"]["gross"]
    bump = any(m["key"].startswith("saleor-upsell") for m in line["metadata"])
    price = f"{Decimal(str(unit['amount'])):.2f} {unit['currency']}" + (
        "  (added by the app)" if bump else ""
    )
    return f"  {line['quantity']} × {names.get(line['variant']['id'], line['variant']['id'])}  {price}"


async def _place_checkout(emu: SaleorEmulator, names: dict[str, str]) -> None:
    checkout = await emu.shopper.create_checkout([(TEE_S, 1)])
    lines = checkout["lines"]
    deadline = asyncio.get_running_loop().time() + WAIT_FOR_APP_SECONDS
    while asyncio.get_running_loop().time() < deadline:
        await emu.drain()
        await asyncio.sleep(0.5)
        lines = (await emu.shopper.checkout(checkout["id"]))["lines"]
        if len(lines) > 1:
            break
    print(f"checkout {checkout['id']}:")
    for line in lines:
        print(_describe(line, names))
    if len(lines) == 1:
        print(
            "  (no offer: import examples/rules.yaml first, or see `saleor-upsell inbox list`;"
            " one checkout in ten is held out by default to measure lift)"
        )


async def _variant_names(emu: SaleorEmulator) -> dict[str, str]:
    query = (
        '{ productVariants(first: 100, channel: "default-channel") '
        "{ edges { node { id name product { name } } } } }"
    )
    result = await emu.graphql(query, {}, token=emu.staff_token())
    edges = (result.get("data") or {}).get("productVariants", {}).get("edges", [])
    return {e["node"]["id"]: f"{e['node']['product']['name']} {e['node']['name']}".strip() for e in edges}


async def main(app_url: str, port: int) -> int:
    async with SaleorEmulator(port=port) as emu:
        try:
            installed = await emu.install_app(f"{app_url.rstrip('/')}/api/manifest")
        except InstallError as exc:
            print(f"could not install the app from {app_url}: {exc}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"the app does not answer at {app_url} ({exc}): start it first (make run)", file=sys.stderr)
            return 1
        token = emu.dashboard_token(
            installed.id, permissions=[], user_permissions=["MANAGE_DISCOUNTS"], ttl=8 * 3600
        )
        names = await _variant_names(emu)
        print(
            f"Saleor emulator at {emu.api_url} — the app from {app_url} is installed (app id {installed.id})."
        )
        print("Next: saleor-upsell rules import examples/rules.yaml")
        print("Dashboard API calls: POST /graphql with headers")
        print(f"  saleor-api-url: {emu.api_url}")
        print(f"  authorization-bearer: {token}")
        print("Press Enter to place a checkout with a Monospace Tee (S); Ctrl-C to stop.")
        while True:
            if not await asyncio.to_thread(sys.stdin.readline):
                return 0  # end of input
            await _place_checkout(emu, names)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--app-url", default="http://localhost:8000", help="where the app runs (APP_URL)")
    parser.add_argument("--port", type=int, default=8100, help="the emulator's port on 127.0.0.1")
    args = parser.parse_args()
    try:
        sys.exit(asyncio.run(main(args.app_url, args.port)))
    except KeyboardInterrupt:
        sys.exit(0)
