"""Webhook ingest under load: real JWS verification + durable inbox write + 2xx, vs a bare FastAPI endpoint.

One command: `.venv/bin/python bench/ingest_bench.py` (needs Debian's `wrk` and PostgreSQL on 127.0.0.1).
Both servers run with 2 uvicorn worker processes and are loaded by the same wrk settings in the same run.
The app runs with its inbox workers off, so this measures ingest only (processing is bench/e2e_bench.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    LOOPBACK_SALEOR,
    SECRET,
    Server,
    count_rows,
    start_uvicorn,
    stop,
    stop_on_sigterm,
    temporary_database,
)
from saleor_upsell_app.main import compose  # noqa: E402
from saleor_upsell_app.settings import Settings  # noqa: E402
from testing.saleor_emulator.keys import SigningKey  # noqa: E402

CAPTURE = Path(ROOT.parent / "shared" / "saleor" / "captures" / "webhook-checkout-updated-by-shopper.json")
API_URL = "http://127.0.0.1:8999/graphql/"  # the Saleor the events claim to come from (never called)


def _sign_chunk(args: tuple[bytes, list[str]]) -> list[str]:
    from cryptography.hazmat.primitives import serialization

    pem, bodies = args
    key = SigningKey(serialization.load_pem_private_key(pem, password=None))  # type: ignore[arg-type]
    return [f"{key.sign_detached(body.encode())}\t{body}" for body in bodies]


def make_requests(key: SigningKey, count: int, folder: Path) -> Path:
    """`count` distinct checkout events (the captured body with its own issuedAt and checkout id)."""
    template = json.loads(json.loads(CAPTURE.read_text())["raw_body"])
    start = datetime(2026, 11, 25, tzinfo=UTC)
    bodies = []
    for i in range(count):
        event = dict(template)
        event["issuedAt"] = (start + timedelta(microseconds=i)).isoformat()
        event["checkout"] = dict(template["checkout"], id=f"Q2hlY2tvdXQ6{uuid.uuid4().hex}")
        bodies.append(json.dumps(event))
    chunks = [bodies[i : i + 2000] for i in range(0, count, 2000)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        lines = [
            line
            for chunk in pool.map(_sign_chunk, [(key.private_pem(), c) for c in chunks])
            for line in chunk
        ]
    path = folder / "requests.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def split_requests(path: Path, parts: int) -> list[Path]:
    """One file per load level, so every level stores new events (a repeat would only be deduplicated)."""
    lines = path.read_text().splitlines()
    size = len(lines) // parts
    files = []
    for part in range(parts):
        part_path = path.with_name(f"requests-{part}.tsv")
        part_path.write_text("\n".join(lines[part * size : (part + 1) * size]) + "\n")
        files.append(part_path)
    return files


async def install(url: str, key: SigningKey) -> None:
    """The installation the signed events come from, so the app verifies them with `key`."""
    parts = compose(Settings(_env_file=None, database_url=url, secret_key=SECRET))  # type: ignore[call-arg]
    await parts.installations.set(
        saleor_api_url=API_URL,
        app_id="QXBwOjE=",
        token="bench-token",
        jwks=json.dumps({"keys": [key.jwk()]}),
        domain="127.0.0.1:8999",
        now=datetime.now(UTC),
    )
    await parts.aclose()


def start_server(target: str, env: Callable[[int], dict[str, str]]) -> Server:
    # The bare endpoint has no /healthz: any answer on the webhook path means the server is up.
    def answers(base: str) -> bool:
        httpx.post(f"{base}/api/webhooks/checkout-updated", content=b"{}", timeout=1)
        return True

    return start_uvicorn(target, env, ready=answers)


def run_wrk(base_url: str, requests: Path, seconds: int, connections: int) -> dict[str, float]:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "wrk_post.lua"),
            f"{base_url}/api/webhooks/checkout-updated",
            "--",
            "2",
        ],
        env={**os.environ, "WRK_REQUESTS": str(requests), "WRK_SALEOR_API_URL": API_URL},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        assert match, output
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "requests": float(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": float(non_2xx.group(1)) if non_2xx else 0.0,
    }


async def stored_events(database: str) -> int:
    return await count_rows(database, "SELECT count(*) FROM inbox_events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64], help="wrk connection counts")
    parser.add_argument(
        "--events", type=int, default=120_000, help="distinct signed events, split between the load levels"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (Debian's HTTP load generator)")
    stop_on_sigterm()

    key = SigningKey()
    print(f"signing {args.events} distinct events...", flush=True)
    # ~100 MB of signed bodies: in a temporary folder, removed with the database (also on Ctrl-C).
    folder = Path(tempfile.mkdtemp(prefix="upsell_bench_ingest_"))
    try:
        run(args, key, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, key: SigningKey, folder: Path) -> None:
    requests = make_requests(key, args.events, folder)
    with temporary_database("ingest") as (database, url):
        asyncio.run(install(url, key))
        results = load_servers(args, key, url, requests)
        stored = asyncio.run(stored_events(database))
    accepted = sum(level["app"]["requests"] - level["app"]["errors"] for level in results.values())
    summary = {
        level: {**runs, "app_share_of_bare": round(runs["app"]["rps"] / runs["bare"]["rps"], 3)}
        for level, runs in results.items()
    }
    # Every 2xx'd event must be stored (a few more rows: requests in flight when wrk stopped).
    print(json.dumps({**summary, "app_events_answered_2xx": accepted, "stored_events": stored}, indent=2))


def load_servers(
    args: argparse.Namespace, key: SigningKey, url: str, requests: Path
) -> dict[str, dict[str, dict[str, float]]]:
    """Each server in turn, on a free port, under every load level; stopped even if wrk fails."""
    verify_env = {"BENCH_SALEOR_API_URL": API_URL, "BENCH_JWKS": json.dumps({"keys": [key.jwk()]})}

    def app_env(port: int) -> dict[str, str]:
        return {
            "DATABASE_URL": url,
            "APP_URL": f"http://127.0.0.1:{port}",
            "SECRET_KEY": SECRET,
            "ENVIRONMENT": "production",
            **LOOPBACK_SALEOR,  # the emulated Saleor listens on loopback, which production refuses
            "RUN_WORKERS": "false",
            "LOG_LEVEL": "WARNING",
        }

    servers: list[tuple[str, str, Callable[[int], dict[str, str]]]] = [
        ("bare", "bench.bare_app:app", lambda port: {}),
        ("verify_only", "bench.verify_only_app:app", lambda port: verify_env),
        ("app", "saleor_upsell_app.asgi:app", app_env),
    ]
    results: dict[str, dict[str, dict[str, float]]] = {}
    per_level = split_requests(requests, len(args.connections))
    for name, target, env in servers:
        server = start_server(target, env)
        try:
            for connections, level_requests in zip(args.connections, per_level, strict=True):
                results.setdefault(f"c{connections}", {})[name] = run_wrk(
                    server.base_url, level_requests, args.seconds, connections
                )
        finally:
            stop(server)
    return results


if __name__ == "__main__":
    main()
