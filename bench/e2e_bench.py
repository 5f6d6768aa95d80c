"""End-to-end processing: signed webhook in → engine decision → checkoutLinesAdd answered by the emulator.

One command: `.venv/bin/python bench/e2e_bench.py --checkouts 2000` (PostgreSQL on 127.0.0.1 needed).
The app runs as 2 uvicorn worker processes (each with its inbox workers) on PostgreSQL; the Saleor
emulator runs in this process. Checkouts are created first (not timed); then one shopper-style
CHECKOUT_UPDATED per checkout is built and signed (untimed), then delivered 64 at a time, and the clock
runs until every bump is applied. Afterwards
every checkout is checked: exactly one bump line (nothing lost, nothing doubled).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    LOOPBACK_SALEOR,
    SECRET,
    Server,
    app_cpu_seconds,
    count_rows,
    machine_busy_seconds,
    postgres_cpu_seconds,
    start_uvicorn,
    stop,
    stop_on_sigterm,
    temporary_database,
)
from saleor_upsell_app.engine import metadata as md  # noqa: E402
from saleor_upsell_app.engine.spec import ChannelSettingsSpec  # noqa: E402
from saleor_upsell_app.main import compose  # noqa: E402
from saleor_upsell_app.rules.service import create_rule, save_channel_settings  # noqa: E402
from saleor_upsell_app.settings import Settings  # noqa: E402
from testing.saleor_emulator.emulator import SaleorEmulator  # noqa: E402
from testing.sample_data import POLO, TEE_S, bump_rule  # noqa: E402


def start_app(url: str, inbox_workers: int) -> Server:
    def env(port: int) -> dict[str, str]:
        return {
            "DATABASE_URL": url,
            "APP_URL": f"http://127.0.0.1:{port}",
            "SECRET_KEY": SECRET,
            "ENVIRONMENT": "production",
            **LOOPBACK_SALEOR,  # the emulated Saleor listens on loopback, which production refuses
            "LOG_LEVEL": "WARNING",
            "INBOX_WORKERS": str(inbox_workers),
        }

    return start_uvicorn(
        "saleor_upsell_app.asgi:app",
        env,
        ready=lambda base: httpx.get(f"{base}/healthz", timeout=1).status_code == 200,
    )


async def applied(database: str) -> int:
    return await count_rows(database, "SELECT count(*) FROM checkout_offers WHERE status = 'applied'")


async def saleor_side_alone(
    emulator: SaleorEmulator, token: str, app_request: dict[str, Any], count: int
) -> dict[str, float]:
    """How fast Saleor's side of one event is by itself: `checkoutLinesAdd` exactly as the app sends it,
    16 at a time (the app's client limit), on fresh checkouts whose lines trigger no rule."""
    ids = [(await emulator.shopper.create_checkout([(POLO, 1)]))["id"] for _ in range(count)]
    await emulator.drain()
    limit = asyncio.Semaphore(16)

    async def add_line(checkout_id: str) -> None:
        async with limit:
            variables = {**app_request["variables"], "id": checkout_id}
            answer = await emulator.graphql(app_request["query"], variables, token=token)
            assert not answer.get("errors") and not answer["data"]["checkoutLinesAdd"]["errors"], answer

    cpu = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(add_line(checkout_id) for checkout_id in ids))
    await emulator.drain()  # the echo webhooks are part of Saleor's work
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    return {
        "events_per_second": round(count / elapsed, 1),
        "cpu_ms_per_event": round(cpu / count * 1000, 2),
        "cpu_share_of_one_core": round(cpu / elapsed, 2),
    }


async def run(database: str, url: str, checkouts: int, inbox_workers: int) -> dict[str, object]:
    app = start_app(url, inbox_workers)
    try:
        async with SaleorEmulator(retry_delays=(0.2, 0.4, 0.8, 1.6, 3.2)) as emulator:
            installed = await emulator.install_app(f"{app.base_url}/api/manifest")
            ids = []
            for _ in range(checkouts):  # no rule yet: the app receives these and decides nothing
                ids.append((await emulator.shopper.create_checkout([(TEE_S, 1)]))["id"])
            await emulator.drain()
            parts = compose(Settings(_env_file=None, database_url=url, secret_key=SECRET))  # type: ignore[call-arg]
            installation = (await parts.installations.get_all())[0]
            async with parts.db.transaction() as session:
                await create_rule(session, installation.id, bump_rule(), parts.clock())
                # Every checkout gets its bump, as in the recorded runs (the default holdout is 10%).
                await save_channel_settings(
                    session, installation.id, "default-channel",
                    ChannelSettingsSpec(holdout_percent=Decimal(0)), parts.clock(),
                )  # fmt: skip
            await parts.aclose()
            # Each app process caches its rule index for RULE_CACHE_SECONDS (2 s by default): the
            # rule reaches the webhook flow after that, by design.
            await asyncio.sleep(Settings.model_fields["rule_cache_seconds"].default + 0.5)
            calls_before = len(emulator.graphql_calls)

            # Saleor's side of building and signing each body happens before the clock starts.
            requests = [
                emulator.build_webhook_request("CHECKOUT_UPDATED", subject=emulator.checkout(checkout_id))
                for checkout_id in ids
            ]
            limit = asyncio.Semaphore(64)  # Saleor's celery workers deliver concurrently, not all at once

            async def deliver(request: object) -> None:
                async with limit:
                    await emulator.deliver_webhook_request(request)  # type: ignore[arg-type]

            emulator_cpu = time.process_time()  # this process is the emulated Saleor
            app_cpu = app_cpu_seconds(app.process.pid)
            postgres_cpu = postgres_cpu_seconds()
            machine_busy, machine_total = machine_busy_seconds()
            started = time.perf_counter()
            delivering = asyncio.gather(*(deliver(r) for r in requests))
            while (done := await applied(database)) < checkouts:
                if time.perf_counter() - started > 600:
                    raise TimeoutError(f"only {done} of {checkouts} applied")
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            emulator_cpu = time.process_time() - emulator_cpu
            app_cpu = app_cpu_seconds(app.process.pid) - app_cpu
            postgres_cpu = postgres_cpu_seconds() - postgres_cpu
            busy_after, total_after = machine_busy_seconds()
            machine_share = (busy_after - machine_busy) / (total_after - machine_total)
            await delivering
            await emulator.drain()

            bump_counts = []
            for checkout_id in ids:
                lines = emulator.checkout(checkout_id).lines
                bump_counts.append(sum(1 for line in lines if md.read_marker(line.meta) is not None))
            failed_attempts = sum(1 for d in emulator.deliveries if not d.ok)
            mutations = [c for c in emulator.graphql_calls[calls_before:] if "checkoutLinesAdd" in c.query]
            saleor_side = await saleor_side_alone(emulator, installed.token, mutations[0].body, checkouts)
            return {
                "checkouts": checkouts,
                "seconds": round(elapsed, 3),
                "events_per_second": round(checkouts / elapsed, 1),
                "checkouts_with_exactly_one_bump": sum(1 for n in bump_counts if n == 1),
                "checkouts_with_more": sum(1 for n in bump_counts if n > 1),
                "checkoutLinesAdd_calls": len(mutations),
                "failed_delivery_attempts_retried": failed_attempts,
                "emulator_cpu_share_of_one_core": round(emulator_cpu / elapsed, 2),
                "app_cpu_share_of_two_cores": round(app_cpu / elapsed / 2, 2),
                "machine_cpu_busy": round(machine_share, 2),
                # CPU milliseconds each event cost, per party: what bounds the rate on this machine.
                "cpu_ms_per_event": {
                    "app": round(app_cpu / checkouts * 1000, 2),
                    "emulator_and_driver": round(emulator_cpu / checkouts * 1000, 2),
                    "postgresql": round(postgres_cpu / checkouts * 1000, 2),
                },
                # Baseline in the same command: the emulator answering the app's own mutation (same
                # text and variables, another checkout) from this process, and sending its echo.
                "saleor_side_alone": saleor_side,
                "app_processes": 2,
                "inbox_workers_per_process": inbox_workers,
            }
    finally:
        stop(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkouts", type=int, default=2000)
    parser.add_argument("--inbox-workers", type=int, default=4)
    args = parser.parse_args()
    stop_on_sigterm()
    with temporary_database("e2e") as (database, url):
        result = asyncio.run(run(database, url, args.checkouts, args.inbox_workers))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
