"""An idle app's CPU, and how soon an event is processed after its 2xx.

One command: `.venv/bin/python bench/idle_bench.py --baseline-ref main` (PostgreSQL on 127.0.0.1 for
the PostgreSQL rows). For each variant (the baseline, then the current code) and database:

1. idle: the app (2 uvicorn worker processes, 2 inbox workers each, as deployed) installed in the
   emulator, `--checkouts` checkouts created and processed, then left alone for `--settle` seconds;
   its CPU over the next `--idle` seconds (from /proc), per process and second;
2. pickup, same process: one signed CHECKOUT_UPDATED at a time, `--gap` seconds of idleness apart;
   the time from the 2xx to the event's `finished_at` (processing included, an upper bound of pickup);
3. pickup, other process (PostgreSQL): the same events sent to a second server of the same database
   that ingests only (RUN_WORKERS=false, 1 process), so only the first server's workers can take them:
   without a wake-up across processes they wait for a poll.

Every app server is started as deployed, by its own tree's `saleor-upsell serve` (so the baseline runs
under the server its `serve` used). The floor rows: a FastAPI app that does nothing, under plain uvicorn
and under this checkout's quiet server (cli/server.py), idle.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    LOOPBACK_SALEOR,
    PG,
    SECRET,
    Server,
    Variant,
    app_cpu_seconds,
    free_port,
    migrate,
    start_uvicorn,
    stop,
    stop_on_sigterm,
    temporary_database,
    variants,
)
from testing.saleor_emulator.emulator import SaleorEmulator  # noqa: E402
from testing.sample_data import TEE_S  # noqa: E402

LAST_UPDATE = (
    "SELECT finished_at FROM inbox_events WHERE event_type = 'CHECKOUT_UPDATED' ORDER BY id DESC LIMIT 1"
)
LAST_STATUS = "SELECT status FROM inbox_events WHERE event_type = 'CHECKOUT_UPDATED' ORDER BY id DESC LIMIT 1"
UNFINISHED = "SELECT count(*) FROM inbox_events WHERE status <> 'done'"


def _serve(
    command: list[str], env: dict[str, str], root: Path, port: int, ready: Callable[[str], bool]
) -> Server:
    """`command` (a server on `port`) in its own process group, once `ready(base_url)` holds."""
    process = subprocess.Popen(command, cwd=root, env={**os.environ, **env}, start_new_session=True)
    server = Server(process, port)
    deadline = time.monotonic() + 90  # a loaded 2-core machine starts slowly
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if ready(server.base_url):
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"{command} did not get ready on port {port} (exit {process.returncode})")


def start_app(variant: Variant, url: str, *, workers: int = 2, run_workers: bool = True) -> Server:
    """The app of `variant` started by its own `saleor-upsell serve`, as deployed."""
    port = free_port()
    env = {
        **variant.environment(),
        **LOOPBACK_SALEOR,
        "DATABASE_URL": url,
        "APP_URL": f"http://127.0.0.1:{port}",
        "SECRET_KEY": SECRET,
        "ENVIRONMENT": "production",
        "LOG_LEVEL": "WARNING",
        "RUN_WORKERS": "true" if run_workers else "false",
    }
    command = [sys.executable, "-m", "saleor_upsell_app.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    return _serve(command, env, variant.root, port, _healthy)


def _healthy(base: str) -> bool:
    return httpx.get(f"{base}/healthz", timeout=1).status_code == 200


def _bare_ready(base: str) -> bool:
    return httpx.post(f"{base}/api/webhooks/checkout-updated", timeout=1).status_code == 200


class Rows:
    """The bench's own reads of the app's database (asyncpg or sqlite3, outside the app)."""

    def __init__(self, database: str, url: str) -> None:
        self.sqlite = url.split("///", 1)[1] if url.startswith("sqlite") else None
        self.database = database
        self._connection: Any = None

    async def one(self, query: str) -> Any:
        if self.sqlite is not None:
            with sqlite3.connect(self.sqlite) as connection:
                row = connection.execute(query).fetchone()
            return row[0] if row else None
        import asyncpg

        if self._connection is None:  # one connection, kept: polling must not add connects
            self._connection = await asyncpg.connect(f"{PG}/{self.database}")
        return await self._connection.fetchval(query)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()


def _as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def _pickups(
    emulator: SaleorEmulator, rows: Rows, ids: list[str], target: Server | None, gap: float
) -> list[tuple[float, float]]:
    """(claimed, finished) milliseconds after each event's 2xx, one event at a time, `gap` s apart:
    claimed is when this bench (polling every few ms) first sees the row leave `pending`, finished
    the row's own finished_at."""
    latencies = []
    async with httpx.AsyncClient(timeout=30) as http:
        for checkout_id in ids:
            await asyncio.sleep(gap)
            request = emulator.build_webhook_request(
                "CHECKOUT_UPDATED", subject=emulator.checkout(checkout_id)
            )
            if target is not None:
                path = "/" + request.url.split("/", 3)[3]
                request = dataclasses.replace(request, url=target.base_url + path)
            before = await rows.one(LAST_UPDATE)
            response = await http.post(request.url, content=request.body, headers=request.headers)
            answered = datetime.now(UTC)
            assert response.status_code < 300, response.text
            deadline = time.monotonic() + 30
            claimed: float | None = None
            while True:
                if claimed is None and await rows.one(LAST_STATUS) != "pending":
                    claimed = (datetime.now(UTC) - answered).total_seconds() * 1000
                finished = _as_utc(await rows.one(LAST_UPDATE))
                if finished is not None and finished != _as_utc(before):
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError("event not processed within 30 s")
                await asyncio.sleep(0.002)
            done = max(0.0, (finished - answered).total_seconds() * 1000)
            latencies.append((min(claimed if claimed is not None else done, done), done))
    return latencies


async def _processed(rows: Rows) -> None:
    for _ in range(600):
        if not await rows.one(UNFINISHED):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the app did not process the checkouts' webhooks")


def _idle_cpu(server: Server, seconds: float) -> float:
    """CPU milliseconds per second of a server's process group (supervisor + 2 workers), per worker."""
    cpu = app_cpu_seconds(server.process.pid)
    started = time.perf_counter()
    time.sleep(seconds)
    elapsed = time.perf_counter() - started
    return round((app_cpu_seconds(server.process.pid) - cpu) / elapsed / 2 * 1000, 2)


def bare_idle(args: argparse.Namespace, quiet: bool) -> dict[str, Any]:
    """The floor: a FastAPI app that does nothing (2 workers), idle, under plain uvicorn or under this
    checkout's quiet server."""
    if quiet:
        port = free_port()
        code = (
            "from saleor_upsell_app.cli.server import run\n"
            f"run('bench.bare_app:app', host='127.0.0.1', port={port}, workers=2, log_level='warning')"
        )
        server = _serve([sys.executable, "-c", code], {"PYTHONPATH": str(ROOT)}, ROOT, port, _bare_ready)
    else:
        server = start_uvicorn("bench.bare_app:app", lambda port: {}, ready=_bare_ready)
    try:
        time.sleep(args.settle / 4)
        name = "bare FastAPI app under " + ("the quiet server (cli/server.py)" if quiet else "plain uvicorn")
        return {"variant": name, "idle": _idle_cpu(server, args.idle)}
    finally:
        stop(server)


def _summary(latencies: list[tuple[float, float]]) -> dict[str, float]:
    claimed = [c for c, _ in latencies]
    finished = [f for _, f in latencies]
    return {
        "events": len(latencies),
        "claimed_median_ms": round(statistics.median(claimed), 1),
        "claimed_max_ms": round(max(claimed), 1),
        "finished_median_ms": round(statistics.median(finished), 1),
        "finished_max_ms": round(max(finished), 1),
    }


async def measure(variant: Variant, database: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    rows = Rows(database, url)
    app = start_app(variant, url)
    ingest_only: Server | None = None
    try:
        async with SaleorEmulator() as emulator:
            await emulator.install_app(f"{app.base_url}/api/manifest")
            ids = [(await emulator.shopper.create_checkout([(TEE_S, 1)]))["id"] for _ in range(args.events)]
            await emulator.drain()
            await _processed(rows)
            await asyncio.sleep(args.settle)
            idle = await asyncio.to_thread(_idle_cpu, app, args.idle)
            result: dict[str, Any] = {
                "variant": variant.name,
                "database": "sqlite" if rows.sqlite else "postgresql",
                "idle_cpu_ms_per_second_per_process": idle,
                "pickup_same_process": _summary(await _pickups(emulator, rows, ids, None, args.gap)),
            }
            if rows.sqlite is None:
                ingest_only = start_app(variant, url, workers=1, run_workers=False)
                await asyncio.sleep(args.settle)
                latencies = await _pickups(emulator, rows, ids, ingest_only, args.gap)
                result["pickup_other_process"] = _summary(latencies)
            return result
    finally:
        await rows.close()
        if ingest_only is not None:
            stop(ingest_only)
        stop(app)


@contextmanager
def sqlite_database(root: Path) -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="upsell_bench_idle_") as folder:
        url = f"sqlite+aiosqlite:///{folder}/idle.sqlite3"
        migrate(url, root)
        yield "sqlite", url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=8)
    parser.add_argument("--settle", type=float, default=20.0, help="idle seconds before measuring")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle CPU measured")
    parser.add_argument("--gap", type=float, default=1.5, help="idle seconds before each event")
    parser.add_argument("--databases", nargs="+", default=["postgresql", "sqlite"])
    parser.add_argument("--baseline-ref", help="git ref whose app is measured first, e.g. main")
    parser.add_argument("--baseline-without-sniffio", action="store_true")
    parser.add_argument("--current-ref", help="measure this git ref's code as the current (e.g. HEAD)")
    args = parser.parse_args()
    stop_on_sigterm()
    results = []
    for quiet in (False, True):
        results.append(bare_idle(args, quiet))
        print(json.dumps(results[-1]), flush=True)
    with ExitStack() as stack:
        for variant in variants(stack, args.baseline_ref, args.baseline_without_sniffio, args.current_ref):
            for kind in args.databases:
                database = (
                    temporary_database("idle", variant.root)
                    if kind == "postgresql"
                    else sqlite_database(variant.root)
                )
                with database as (name, url):
                    results.append(asyncio.run(measure(variant, name, url, args)))
                print(json.dumps(results[-1]), flush=True)
    print(json.dumps({"settle_s": args.settle, "idle_s": args.idle, "runs": results}, indent=2))


if __name__ == "__main__":
    main()
