"""The PRODUCT placement under a modest load: latency (p50/p99) and app CPU per request, with /healthz
measured the same way in the same command as the baseline.

One command: `.venv/bin/python bench/placements_bench.py` (needs Debian's `wrk` and PostgreSQL on
127.0.0.1). The app runs as 2 uvicorn worker processes on a database of its own (dropped afterwards)
with `--rules` bump rules (a few triggered by the viewed product, the rest by other products); the Saleor
emulator runs in this process. After a warm-up that fills both workers' rule and catalogue caches,
wrk (`-t2`, `--connections`, `--seconds`) posts the same placements query; every Saleor call during the
timed runs is counted (the budget is none: PRODUCT answers from the caches).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
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


def start_app(url: str) -> Server:
    def env(port: int) -> dict[str, str]:
        return {
            "DATABASE_URL": url,
            "APP_URL": f"http://127.0.0.1:{port}",
            "SECRET_KEY": SECRET,
            "ENVIRONMENT": "production",
            **LOOPBACK_SALEOR,  # the emulated Saleor listens on loopback, which production refuses
            "LOG_LEVEL": "WARNING",
            "RUN_WORKERS": "false",  # no webhooks in this bench: only the storefront API is measured
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


async def wrk(url: str, seconds: int, connections: int, body: Path | None) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    env = dict(os.environ)
    if body is not None:
        command += ["-s", str(ROOT / "bench" / "wrk_body.lua")]
        env["WRK_BODY"] = str(body)
    process = await asyncio.create_subprocess_exec(
        *command, url, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await process.communicate()  # the emulator keeps answering meanwhile
    if process.returncode != 0:
        raise RuntimeError(stderr.decode())
    output = stdout.decode()

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        assert match, output
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": float(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "p50_ms": latency("50"),
        "p90_ms": latency("90"),
        "p99_ms": latency("99"),
        "errors": float(non_2xx.group(1)) if non_2xx else 0.0,
    }


async def measured(
    app: Server, target: str, seconds: int, connections: int, body: Path | None
) -> dict[str, Any]:
    cpu = app_cpu_seconds(app.process.pid)
    busy, total = machine_busy_seconds()
    result: dict[str, Any] = await wrk(f"{app.base_url}{target}", seconds, connections, body)
    cpu = app_cpu_seconds(app.process.pid) - cpu
    busy_after, total_after = machine_busy_seconds()
    result["app_cpu_ms_per_request"] = round(cpu / result["requests"] * 1000, 3)
    result["machine_cpu_busy"] = round((busy_after - busy) / (total_after - total), 2)
    return result


async def run(url: str, rules: int, seconds: int, connections: int) -> dict[str, Any]:
    app = start_app(url)
    try:
        async with SaleorEmulator() as emulator:
            await emulator.install_app(f"{app.base_url}/api/manifest")
            await seed(url, rules)
            variables = {"u": emulator.api_url, "v": TEE_S, "p": TEE_PRODUCT}
            body = {"query": QUERY, "variables": variables}
            async with httpx.AsyncClient(base_url=app.base_url, timeout=10) as client:
                answer = (await client.post("/graphql", json=body)).json()
                for _ in range(40):  # both workers: rule index and catalogue caches filled
                    await client.post("/graphql", json=body)
            offers = answer["data"]["placements"]["offers"]
            assert [o["acceptWith"]["key"] for o in offers] and offers[0]["price"]["amount"] == "1.19", answer
            assert {o["productName"] for o in offers} == {"Apple Juice", "Mighty Mug"}, offers
            with tempfile.TemporaryDirectory() as scratch:
                body_file = Path(scratch) / "body.json"
                body_file.write_text(json.dumps(body))
                calls = len(emulator.graphql_calls)
                baseline = await measured(app, "/healthz", seconds, connections, None)
                product = await measured(app, "/graphql", seconds, connections, body_file)
                saleor_calls = len(emulator.graphql_calls) - calls
            return {
                "rules": rules,
                "connections": connections,
                "seconds_each": seconds,
                "app_processes": 2,
                "offers_per_answer": len(offers),
                "baseline_healthz": baseline,
                "placements_product": product,
                # Background refreshes of expired catalogue entries (30 s TTL per worker); no request
                # waits for one (VariantPricingCache.get_or_stale).
                "saleor_calls_during_timed_runs": saleor_calls,
                "load_average_after": os.getloadavg(),
                "offer_variant_ids": [APPLE_JUICE, MIGHTY_MUG],
            }
    finally:
        stop(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (Debian's HTTP load generator)")
    stop_on_sigterm()
    with temporary_database("placements") as (_, url):
        result = asyncio.run(run(url, args.rules, args.seconds, args.connections))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
