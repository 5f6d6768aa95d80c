"""The PRODUCT placement at fixed request rates (open loop): latency p50/p90/p99/max counted from each
request's scheduled send time, and app CPU per request, with /healthz measured the same way at each rate in
the same command as the baseline.

One command: `.venv/bin/python bench/placements_bench.py [--rates 50 100 200 400] [--seconds 10]` (needs
PostgreSQL on 127.0.0.1). The app runs as 2 uvicorn worker processes on a database of its own (dropped
afterwards) with `--rules` bump rules (a few triggered by the viewed product, the rest by other products);
the Saleor emulator runs in this process. After a warm-up that fills both workers' rule and catalogue
caches, bench/open_loop.py (a separate process, its own CPU reported) sends GET /healthz and then the
same placements query at each rate; every Saleor call during the timed runs is counted (the budget is
none on the request path: PRODUCT answers from the caches).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
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
    machine_busy_seconds,
    start_uvicorn,
    stop,
    stop_on_sigterm,
    temporary_database,
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
from testing.saleor_emulator.ids import to_global_id  # noqa: E402
from testing.sample_data import APPLE_JUICE, MIGHTY_MUG, TEE_PRODUCT, TEE_S, bump_rule  # noqa: E402

QUERY = """query($u: String!, $v: ID!, $p: ID!) { placements(saleorApiUrl: $u, channel: "default-channel",
  placement: PRODUCT, productId: $p, variantId: $v) { offers { key productName imageUrl headline reason
  socialProof price { amount currency } regularPrice { amount } why { source ruleName } acceptWith } } }"""


def start_app(url: str, gc_log: Path, gc_thresholds: str | None = None) -> Server:
    def env(port: int) -> dict[str, str]:
        return {
            "DATABASE_URL": url,
            "APP_URL": f"http://127.0.0.1:{port}",
            "SECRET_KEY": SECRET,
            "ENVIRONMENT": "production",
            **LOOPBACK_SALEOR,  # the emulated Saleor listens on loopback, which production refuses
            "LOG_LEVEL": "WARNING",
            "RUN_WORKERS": "false",  # no webhooks in this bench: only the storefront API is measured
            # All the bench's requests come from one client IP, whose bucket (2/s by default) would
            # answer nearly all of them RATE_LIMITED; the bucket is still taken on every request.
            "STOREFRONT_RATE_PER_SECOND": "1000000",
            "STOREFRONT_RATE_BURST": "1000000",
            # bench/gc_thresholds: collector pauses logged; the thresholds replaced when asked
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench" / "gc_thresholds"), str(ROOT)]),
            "BENCH_GC_LOG": str(gc_log),
            **({"BENCH_GC_THRESHOLDS": gc_thresholds} if gc_thresholds else {}),
        }

    return start_uvicorn(
        "saleor_upsell_app.asgi:app",
        env,
        ready=lambda base: httpx.get(f"{base}/healthz", timeout=1).status_code == 200,
    )


async def seed(url: str, rules: int) -> None:
    parts = compose(Settings(_env_file=None, database_url=url, secret_key=SECRET))  # type: ignore[call-arg]
    installation = (await parts.installations.get_all())[0]
    settings = validate_channel_settings(
        {"mode": "offer", "max_offers_per_checkout": 2, "price_ceiling_percent": 50}
    )
    async with parts.db.transaction() as session:
        now = parts.clock()
        await save_channel_settings(session, installation.id, "default-channel", settings, now)
        await create_rule(session, installation.id, bump_rule(priority=10), now)
        mug = bump_rule(
            name="Mug", offer_variant_id=MIGHTY_MUG, price={"type": "percent_off", "percent": "40"}
        )
        await create_rule(session, installation.id, mug, now)
        for n in range(max(0, rules - 2)):  # the rest trigger on other products: the index must skip them
            other = bump_rule(
                name=f"Other {n}", trigger={"product_ids": [to_global_id("Product", 10_000 + n)]}
            )
            await create_rule(session, installation.id, other, now)
    await parts.aclose()


async def open_loop(
    url: str, rate: float, seconds: float, body: Path | None, expect: str | None
) -> dict[str, Any]:
    """bench/open_loop.py in its own process: `rate` requests/s for `seconds`, latency from the schedule."""
    command = [sys.executable, str(ROOT / "bench" / "open_loop.py"), url, "--rate", str(rate)]
    command += ["--seconds", str(seconds)] + (["--body", str(body)] if body is not None else [])
    command += ["--expect", expect] if expect is not None else []
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await process.communicate()  # the emulator keeps answering meanwhile
    if process.returncode != 0:
        raise RuntimeError(stderr.decode())
    result: dict[str, Any] = json.loads(stdout)
    return result


async def measured(
    app: Server, target: str, rate: float, seconds: float, body: Path | None, gc_log: Path
) -> dict[str, Any]:
    cpu = app_cpu_seconds(app.process.pid)
    busy, total = machine_busy_seconds()
    # Every PRODUCT answer must hold the offers (a refusal such as RATE_LIMITED is an HTTP 200 too).
    expect = '"acceptWith"' if body is not None else None
    result = await open_loop(f"{app.base_url}{target}", rate, seconds, body, expect)
    cpu = app_cpu_seconds(app.process.pid) - cpu
    busy_after, total_after = machine_busy_seconds()
    elapsed = result["requests"] / result["achieved_rate"]
    result["app_cpu_ms_per_request"] = round(cpu / result["requests"] * 1000, 3)
    result["app_cpu_share"] = round(cpu / elapsed, 3)  # of one core; the app has 2 workers on 2 cores
    result["machine_cpu_busy"] = round((busy_after - busy) / (total_after - total), 2)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["gc_pauses"] = gc_pauses(gc_log, app, result["started_at"], elapsed)
    return result


def gc_pauses(gc_log: Path, app: Server, started: float, seconds: float) -> dict[str, Any]:
    """The app's collections of >= 5 ms during a step (from bench/gc_thresholds' log)."""
    workers = set(worker_pids(app.process.pid))
    pauses = []
    for line in gc_log.read_text().splitlines() if gc_log.exists() else ():
        pid, generation, ms, at = line.split()
        if pid in workers and started <= float(at) <= started + seconds + 0.5:
            pauses.append((int(generation), float(ms)))
    return {
        "count": len(pauses),
        "max_ms": max((ms for _, ms in pauses), default=0.0),
        "total_ms": round(sum(ms for _, ms in pauses), 1),
        "generations": sorted({generation for generation, _ in pauses}),
    }


def row(endpoint: str, r: dict[str, Any]) -> str:
    errors = sum(r["errors"].values())
    return (
        f"| {endpoint} | {r['target_rate']:g} | {r['achieved_rate']:g} | {r['p50_ms']} | {r['p90_ms']} | "
        f"{r['p99_ms']} | {r['max_ms']} | {r['app_cpu_ms_per_request']} | {r['app_cpu_share']:.0%} | "
        f"{r['machine_cpu_busy']:.0%} | {r['generator_cpu_ms_per_request']} | {errors} | "
        f"{r['load_average'][0]} | {r['gc_pauses']['count']} / {r['gc_pauses']['max_ms']:g} ms |"
    )


async def warm_up(base_url: str, body: dict[str, Any], connections: int = 16, rounds: int = 5) -> None:
    """Requests over `connections` fresh connections at once: uvicorn's workers share one listening
    socket, so only concurrent connections are sure to reach both of them."""

    async def one_connection() -> None:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            for _ in range(rounds):
                answer = (await client.post("/graphql", json=body)).json()
                assert "errors" not in answer, answer

    await asyncio.gather(*(one_connection() for _ in range(connections)))


async def run(
    url: str, rules: int, seconds: float, rates: list[float], gc_thresholds: str | None, gc_log: Path
) -> dict[str, Any]:
    app = start_app(url, gc_log)
    other = None  # the same app and database with other collector thresholds
    try:
        async with SaleorEmulator() as emulator:
            await emulator.install_app(f"{app.base_url}/api/manifest")
            await seed(url, rules)
            if gc_thresholds:
                other = start_app(url, gc_log, gc_thresholds)
            variables = {"u": emulator.api_url, "v": TEE_S, "p": TEE_PRODUCT}
            body = {"query": QUERY, "variables": variables}
            async with httpx.AsyncClient(base_url=app.base_url, timeout=10) as client:
                answer = (await client.post("/graphql", json=body)).json()  # one connection: one worker
            offers = answer["data"]["placements"]["offers"]
            assert [o["acceptWith"]["key"] for o in offers] and offers[0]["price"]["amount"] == "1.19", answer
            assert {o["productName"] for o in offers} == {"Apple Juice", "Mighty Mug"}, offers
            with tempfile.TemporaryDirectory() as scratch:
                body_file = Path(scratch) / "body.json"
                body_file.write_text(json.dumps(body))
                # The other worker's first seconds (its rule index and catalogue not loaded yet), then
                # a warm-up over many connections at once, so that both workers have filled caches.
                cold = await measured(app, "/graphql", 100, 3, body_file, gc_log)
                steps = [("PRODUCT, a cold worker", cold)]
                await warm_up(app.base_url, body)
                if other is not None:
                    await warm_up(other.base_url, body)
                calls = len(emulator.graphql_calls)
                for rate in rates:  # baseline and PRODUCT side by side at each rate, same minute
                    steps.append(("/healthz", await measured(app, "/healthz", rate, seconds, None, gc_log)))
                    product = await measured(app, "/graphql", rate, seconds, body_file, gc_log)
                    steps.append(("PRODUCT", product))
                    if other is not None:
                        product = await measured(other, "/graphql", rate, seconds, body_file, gc_log)
                        steps.append((f"PRODUCT, gc thresholds {gc_thresholds}", product))
                saleor_calls = len(emulator.graphql_calls) - calls
            return {
                "rules": rules,
                "seconds_each": seconds,
                "app_processes": 2,
                "offers_per_answer": len(offers),
                "steps": [{"endpoint": endpoint, **result} for endpoint, result in steps],
                "table": [row(endpoint, result) for endpoint, result in steps],
                # Background refreshes of expired catalogue entries (30 s TTL per worker); no request
                # waits for one (VariantPricingCache.get_or_stale).
                "saleor_calls_during_timed_runs": saleor_calls,
                "load_average_after": os.getloadavg(),
                "offer_variant_ids": [APPLE_JUICE, MIGHTY_MUG],
            }
    finally:
        stop(app)
        if other is not None:
            stop(other)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10, help="per endpoint and rate")
    parser.add_argument("--rates", type=float, nargs="+", default=[50, 100, 200, 400], help="requests/s")
    parser.add_argument(
        "--gc-thresholds",
        help='also the same app with gc.set_threshold(...) replaced, e.g. "100000,20,100" (the old one)',
    )
    args = parser.parse_args()
    stop_on_sigterm()
    with temporary_database("placements") as (_, url), tempfile.TemporaryDirectory() as scratch:
        gc_log = Path(scratch) / "gc.log"
        result = asyncio.run(run(url, args.rules, args.seconds, args.rates, args.gc_thresholds, gc_log))
    print(json.dumps(result, indent=2))
    print(
        "| endpoint | rate | achieved | p50 ms | p90 ms | p99 ms | max ms | app CPU ms/req | app CPU |"
        " machine busy | generator CPU ms/req | errors | load 1 min | gc pauses >= 5 ms |"
    )
    print("\n".join(result["table"]))


if __name__ == "__main__":
    main()
