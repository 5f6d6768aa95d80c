"""End to end: signed CHECKOUT_UPDATED in → engine decision → checkoutLinesAdd → signed echo back in,
with Saleor played by the stand-in (testing/saleor_standin, a separate cheap process answering from the
captures) so that the app is what the machine spends its CPU on.

One command (PostgreSQL on 127.0.0.1 needed):
    .venv/bin/python bench/e2e_bench.py --checkouts 3000 --baseline-ref 69d3a44 [--profile /tmp/e2e-prof]
Per run (the baseline's app, then this checkout's; each in a database of its own, dropped after):
the stand-in installs the app through its manifest and register endpoint, a subprocess of that run's own
code stores one bump rule (Monospace Tee → Cubes Fountain Tee M at 20% off: the captured 24.00 line;
holdout 0 and no price ceiling so every checkout gets it). The stand-in then makes the checkouts and
signs one shopper CHECKOUT_UPDATED each (untimed); the clock runs from the first delivery until every
event, mutation and echo is answered and the app's inbox holds nothing pending. Afterwards every
checkout is checked: exactly one app line each (nothing lost, nothing doubled).

CPU per checkout is per event handled end to end (the shopper's event plus the echo of the app's own
mutation); "per webhook" halves it. The last lines are a markdown table row per run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
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
    postgres_cpu_seconds,
    process_cpu_seconds,
    start_process,
    start_profiles,
    start_uvicorn,
    stop,
    stop_on_sigterm,
    summarize_profiles,
    temporary_database,
    variants,
    worker_pids,
)
from testing.sample_data import CUBES_M, bump_rule  # noqa: E402

# What the profile's inclusive shares are given for (the app's per-event path).
FUNCTIONS = (
    "SaleorClient.execute",
    "InboxRepository.claim",
    "CheckoutOfferRepository.claim",
    "CheckoutOfferRepository.transition",
    "evaluate_for_checkout",
    "verify_webhook",
)
# Where the stand-in's own samples go (innermost matching frame, as for the app).
STANDIN_GROUPS = (
    ("RSA signing (SigningKey.sign_detached)", ("sign_detached", "cryptography")),
    ("JSON", ("json/", "orjson")),
    ("stand-in: world + selection", ("saleor_standin/world", "saleor_standin/selection")),
    ("stand-in: HTTP", ("saleor_standin/http",)),
    ("stand-in: other", ("saleor_standin", "saleor_emulator")),
    # uvloop runs in C: samples whose innermost Python frame is the loop are sockets, epoll, callbacks.
    ("event loop (uvloop: sockets, epoll)", ("asyncio/", "uvloop")),
)

# Run by the variant's own code, so a baseline stores its rule through its own service.
SETUP = """
import asyncio, json, sys
from decimal import Decimal
from saleor_upsell_app.engine.spec import ChannelSettingsSpec
from saleor_upsell_app.main import compose
from saleor_upsell_app.rules.service import create_rule, save_channel_settings
from saleor_upsell_app.settings import Settings

async def main(url, secret, rule):
    parts = compose(Settings(_env_file=None, database_url=url, secret_key=secret))
    installation = (await parts.installations.get_all())[0]
    async with parts.db.transaction() as session:
        await create_rule(session, installation.id, rule, parts.clock())
        await save_channel_settings(session, installation.id, "default-channel",
            ChannelSettingsSpec(holdout_percent=Decimal(0), price_ceiling_percent=None), parts.clock())
    await parts.aclose()

asyncio.run(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3])))
"""


def start_app(variant: Variant, url: str, inbox_workers: int) -> Server:
    def env(port: int) -> dict[str, str]:
        return {
            **variant.environment(),
            "DATABASE_URL": url,
            "APP_URL": f"http://127.0.0.1:{port}",
            "SECRET_KEY": SECRET,
            "ENVIRONMENT": "production",
            **LOOPBACK_SALEOR,  # the stand-in listens on loopback, which production refuses
            "LOG_LEVEL": "WARNING",
            "INBOX_WORKERS": str(inbox_workers),
        }

    return start_uvicorn(
        "saleor_upsell_app.asgi:app",
        env,
        ready=lambda base: httpx.get(f"{base}/healthz", timeout=1).status_code == 200,
        root=variant.root,
    )


def start_standin() -> Server:
    """The stand-in is always this checkout's (it plays Saleor, the same for every variant)."""
    return start_process(
        [sys.executable, "-m", "testing.saleor_standin"],
        ready_prefix="listening ",
        env={"PYTHONPATH": str(ROOT)},
    )


async def pending(database: str) -> int:
    return await count_rows(
        database, "SELECT count(*) FROM inbox_events WHERE status IN ('pending', 'processing')"
    )


async def measure(
    variant: Variant, database: str, url: str, checkouts: int, inbox_workers: int, profile: Path | None
) -> dict[str, Any]:
    load, utc = os.getloadavg(), datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    standin = start_standin()
    app: Server | None = None
    try:
        app = start_app(variant, url, inbox_workers)
        async with httpx.AsyncClient(base_url=standin.base_url, timeout=120) as control:
            installed = (
                await control.post("/bench/install", json={"manifest_url": f"{app.base_url}/api/manifest"})
            ).json()
            rule = bump_rule(offer_variant_id=CUBES_M)
            await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-c", SETUP, url, SECRET, json.dumps(rule)],
                cwd=variant.root,
                env={**os.environ, **variant.environment()},
                check=True,
            )
            # Each app process caches its rule index for RULE_CACHE_SECONDS (2 s by default).
            await asyncio.sleep(2.5)
            await control.post("/bench/checkouts", json={"count": checkouts})

            before = await _cpu(app, standin)
            spies = []
            if profile:
                spies = start_profiles(worker_pids(app.process.pid), 600, profile / "app")
                spies += start_profiles([str(standin.process.pid)], 600, profile / "standin")
            started = time.perf_counter()
            await control.post("/bench/deliver")
            stats = await _until_done(control, database, checkouts, started)
            elapsed = time.perf_counter() - started
            after = await _cpu(app, standin)
            for spy in spies:
                spy.send_signal(signal.SIGINT)  # py-spy writes what it has on Ctrl-C
            for spy in spies:
                spy.wait(timeout=60)
            check = (await control.get("/bench/check")).json()
            parked = await count_rows(database, "SELECT count(*) FROM inbox_events WHERE status = 'parked'")
    finally:
        if app is not None:
            stop(app)
        stop(standin)
    cpu = {k: after[k] - before[k] for k in before}
    busy = (after["machine_busy"] - before["machine_busy"]) / (
        after["machine_total"] - before["machine_total"]
    )

    def per_checkout(seconds: float) -> float:
        return round(seconds / checkouts * 1000, 3)

    return {
        "run": variant.name,
        "machine": f"{platform.node()} ({os.cpu_count()} cores)",
        "utc": utc,  # when the run started, with the load average then
        "load_average_before": [round(x, 2) for x in load],
        "checkouts": checkouts,
        "seconds": round(elapsed, 3),
        "events_per_second": round(checkouts / elapsed, 1),
        "webhooks_per_second": round((stats["delivered"] + stats["echoes"]) / elapsed, 1),
        "check": {
            **check,
            "mutations": stats["mutations"],
            "events_delivered": stats["delivered"],
            "echoes_delivered": stats["echoes"],
            "deliveries_lost": stats["lost"],
            "failed_attempts_retried": stats["failed_attempts"],
            "operations_not_answered": stats["unanswered"],
            "inbox_parked": parked,
        },
        # CPU milliseconds per checkout (its event and the echo of the app's mutation), per party.
        "cpu_ms_per_checkout": {
            "app": per_checkout(cpu["app"]),
            "standin": per_checkout(cpu["standin"]),
            "postgresql": per_checkout(cpu["postgresql"]),
        },
        "app_cpu_ms_per_webhook": round(cpu["app"] / max(1, stats["delivered"] + stats["echoes"]) * 1000, 3),
        "app_cpu_share_of_two_cores": round(cpu["app"] / elapsed / 2, 2),
        "machine_cpu_busy": round(busy, 2),
        "app": {"processes": 2, "inbox_workers_per_process": inbox_workers, "app_id": installed["app_id"]},
        **(
            {
                "profile": summarize_profiles(profile / "app", FUNCTIONS, top_of="saleor_upsell_app/"),
                "standin_profile": summarize_profiles(profile / "standin", groups=STANDIN_GROUPS),
            }
            if profile
            else {}
        ),
    }


async def _cpu(app: Server, standin: Server) -> dict[str, float]:
    busy, total = machine_busy_seconds()
    return {
        "app": app_cpu_seconds(app.process.pid),
        "standin": process_cpu_seconds(standin.process.pid),
        "postgresql": postgres_cpu_seconds(),
        "machine_busy": busy,
        "machine_total": total,
    }


async def _until_done(
    control: httpx.AsyncClient, database: str, checkouts: int, started: float
) -> dict[str, Any]:
    """Every event delivered (or given up), every mutation echoed, nothing pending in the inbox."""
    while True:
        await asyncio.sleep(0.05)
        stats = (await control.get("/bench/stats")).json()
        answered = stats["delivered"] + stats["echoes"] + stats["lost"]
        if (
            stats["in_flight"] == 0
            and answered >= checkouts + stats["mutations"]
            and not await pending(database)
        ):
            return dict(stats)
        if time.perf_counter() - started > 600:
            raise TimeoutError(f"not done after 600 s: {stats}")


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "| machine | UTC | load (1/5/15) | run | checkouts | events/s | exactly one / lost / doubled "
        "| app ms/checkout | app ms/webhook | stand-in ms/checkout | PostgreSQL ms/checkout | machine busy |"
    )
    rows = [head, "|" + "---|" * 12]
    for r in results:
        check, cpu = r["check"], r["cpu_ms_per_checkout"]
        load = " / ".join(str(x) for x in r["load_average_before"])
        rows.append(
            f"| {r['machine']} | {r['utc']} | {load} | {r['run']} "
            f"| {r['checkouts']} | {r['events_per_second']} | {check['exactly_one']} / {check['none']} / "
            f"{check['more']} | {cpu['app']} | {r['app_cpu_ms_per_webhook']} | {cpu['standin']} "
            f"| {cpu['postgresql']} | {r['machine_cpu_busy']} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkouts", type=int, default=3000)
    parser.add_argument("--inbox-workers", type=int, default=4)
    parser.add_argument("--baseline-ref", help="git ref whose app is measured first in the same command")
    parser.add_argument("--current-ref", help="measure this git ref's code as the current (e.g. HEAD)")
    parser.add_argument(
        "--profile", type=Path, help="py-spy over the app's workers; stacks kept in this folder"
    )
    args = parser.parse_args()
    stop_on_sigterm()
    results = []
    with ExitStack() as stack:
        for number, variant in enumerate(variants(stack, args.baseline_ref, False, args.current_ref)):
            profile = args.profile / str(number) if args.profile else None
            with temporary_database("e2e", variant.root) as (database, url):
                results.append(
                    asyncio.run(measure(variant, database, url, args.checkouts, args.inbox_workers, profile))
                )
            print(json.dumps(results[-1]), flush=True)
    print(table(results))
    if any(r["check"]["exactly_one"] != r["checkouts"] for r in results):
        sys.exit("some checkout did not end with exactly one bump line (see check above)")


if __name__ == "__main__":
    main()
