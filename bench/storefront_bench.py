"""The storefront query `checkoutOffers`: app CPU per request and latency at N concurrent clients.

One command: `.venv/bin/python bench/storefront_bench.py --baseline-ref main` (PostgreSQL on 127.0.0.1
needed). Each variant (the baseline, then the current code) gets its own database and app (2 uvicorn
worker processes); the Saleor emulator runs in this process. An offer-mode channel (no holdout) with one
bump rule, the per-client rate limit raised (all clients share one address);
`--checkouts` checkouts holding its trigger are created and their webhooks processed (untimed); then
`--clients` clients each send `checkoutOffers` for those checkouts in turn, back to back, for
`--seconds`. Every answer must list the one offer. CPU of the app's processes comes from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    LOOPBACK_SALEOR,
    SECRET,
    Server,
    Variant,
    app_cpu_seconds,
    count_rows,
    machine_busy_seconds,
    start_profiles,
    start_uvicorn,
    stop,
    stop_on_sigterm,
    summarize_profiles,
    temporary_database,
    variants,
    worker_pids,
)
from saleor_upsell_app.main import compose  # noqa: E402
from saleor_upsell_app.rules.service import (  # noqa: E402
    create_rule,
    save_channel_settings,
    validate_channel_settings,
)
from saleor_upsell_app.settings import Settings  # noqa: E402
from testing.saleor_emulator.emulator import SaleorEmulator  # noqa: E402
from testing.sample_data import TEE_S, bump_rule  # noqa: E402

OFFERS = """query Offers($saleorApiUrl: String!, $checkoutId: ID!) {
  checkoutOffers(saleorApiUrl: $saleorApiUrl, checkoutId: $checkoutId) {
    checkoutId mode channel
    offers { ruleId kind variantId productName imageUrl quantity headline reason badge
      price { amount currency } regularPrice { amount currency } replacesLineId }
  }
}"""


def start_app(variant: Variant, url: str) -> Server:
    def env(port: int) -> dict[str, str]:
        return {
            **variant.environment(),
            **LOOPBACK_SALEOR,
            "DATABASE_URL": url,
            "APP_URL": f"http://127.0.0.1:{port}",
            "SECRET_KEY": SECRET,
            "ENVIRONMENT": "production",
            "LOG_LEVEL": "WARNING",
            # Back-to-back clients from one address: the per-client rate limit would answer most of
            # them RATE_LIMITED (cheap refusals, not the query being measured).
            "STOREFRONT_RATE_PER_SECOND": "1000000",
            "STOREFRONT_RATE_BURST": "1000000",
        }

    return start_uvicorn(
        "saleor_upsell_app.asgi:app",
        env,
        ready=lambda base: httpx.get(f"{base}/healthz", timeout=1).status_code == 200,
        root=variant.root,
    )


async def _idle(database: str, emulator: SaleorEmulator) -> None:
    for _ in range(600):
        await emulator.drain()
        if not await count_rows(database, "SELECT count(*) FROM inbox_events WHERE status <> 'done'"):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the app did not process the checkouts' webhooks")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


FUNCTIONS = (
    "Storefront.offers",
    "Storefront._checkout",
    "OnCheckout.claims",
    "Evaluator.evaluate",
    "Storefront.log_shown",
    "listing_reads",
    "SaleorClient.execute",
    "parse",
    "validate",
)


async def measure(
    variant: Variant,
    database: str,
    url: str,
    checkouts: int,
    clients: int,
    seconds: float,
    profile: Path | None,
) -> dict[str, Any]:
    app = start_app(variant, url)
    try:
        async with SaleorEmulator() as emulator:
            await emulator.install_app(f"{app.base_url}/api/manifest")
            parts = compose(Settings(_env_file=None, database_url=url, secret_key=SECRET))  # type: ignore[call-arg]
            installation = (await parts.installations.get_all())[0]
            now = parts.clock()
            async with parts.db.transaction() as session:
                await create_rule(session, installation.id, bump_rule(), now)
            async with parts.db.transaction() as session:
                await save_channel_settings(
                    session,
                    installation.id,
                    "default-channel",
                    # No holdout: with the 10% default one checkout in ten lists no offer.
                    validate_channel_settings({"mode": "offer", "holdout_percent": 0}),
                    now,
                )
            await parts.aclose()
            ids = [(await emulator.shopper.create_checkout([(TEE_S, 1)]))["id"] for _ in range(checkouts)]
            await _idle(database, emulator)
            await asyncio.sleep(Settings.model_fields["rule_cache_seconds"].default + 0.5)

            latencies: list[float] = []
            failures: list[str] = []
            async with httpx.AsyncClient(base_url=app.base_url, timeout=30) as http:

                async def ask(checkout_id: str) -> None:
                    started = time.perf_counter()
                    response = await http.post(
                        "/graphql",
                        json={
                            "query": OFFERS,
                            "variables": {"saleorApiUrl": emulator.api_url, "checkoutId": checkout_id},
                        },
                    )
                    latencies.append(time.perf_counter() - started)
                    body = response.json()
                    offers = (body.get("data") or {}).get("checkoutOffers") or {}
                    if response.status_code != 200 or len(offers.get("offers") or ()) != 1:
                        failures.append(response.text[:300])

                for checkout_id in ids[: clients * 2]:  # warm-up: connections, caches, first requests
                    await ask(checkout_id)
                latencies.clear()

                async def client(number: int, deadline: float) -> None:
                    position = number
                    while time.perf_counter() < deadline:
                        await ask(ids[position % len(ids)])
                        position += clients

                calls_before = len(emulator.graphql_calls)
                app_cpu = app_cpu_seconds(app.process.pid)
                driver_cpu = time.process_time()
                busy, total = machine_busy_seconds()
                spies = start_profiles(worker_pids(app.process.pid), seconds - 1, profile) if profile else []
                started = time.perf_counter()
                await asyncio.gather(*(client(n, started + seconds) for n in range(clients)))
                elapsed = time.perf_counter() - started
                app_cpu = app_cpu_seconds(app.process.pid) - app_cpu
                driver_cpu = time.process_time() - driver_cpu
                busy_after, total_after = machine_busy_seconds()
                saleor_calls = len(emulator.graphql_calls) - calls_before
                for spy in spies:
                    spy.wait()
            count = len(latencies)
            return {
                "variant": variant.name,
                "requests": count,
                "failed": len(failures),
                "first_failure": failures[0] if failures else None,
                "requests_per_second": round(count / elapsed, 1),
                "app_cpu_ms_per_request": round(app_cpu / count * 1000, 2),
                "emulator_and_driver_cpu_ms_per_request": round(driver_cpu / count * 1000, 2),
                "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
                "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
                "saleor_requests_per_request": round(saleor_calls / count, 2),
                "machine_cpu_busy": round((busy_after - busy) / (total_after - total), 2),
                **({"profile": summarize_profiles(profile, FUNCTIONS)} if profile else {}),
            }
    finally:
        stop(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--baseline-ref", help="git ref whose app is measured first, e.g. main")
    parser.add_argument("--baseline-without-sniffio", action="store_true")
    parser.add_argument("--current-ref", help="measure this git ref's code as the current (e.g. HEAD)")
    parser.add_argument(
        "--profile",
        type=Path,
        help="sample the app's workers with py-spy; collapsed stacks kept in this folder",
    )
    args = parser.parse_args()
    stop_on_sigterm()
    results = []
    with ExitStack() as stack:
        for number, variant in enumerate(
            variants(stack, args.baseline_ref, args.baseline_without_sniffio, args.current_ref)
        ):
            profile = args.profile / str(number) if args.profile else None
            with temporary_database("storefront", variant.root) as (database, url):
                results.append(
                    asyncio.run(
                        measure(variant, database, url, args.checkouts, args.clients, args.seconds, profile)
                    )
                )
            print(json.dumps(results[-1]), flush=True)
    print(json.dumps({"clients": args.clients, "seconds": args.seconds, "runs": results}, indent=2))


if __name__ == "__main__":
    main()
