"""What the HTTP benchmarks share: a fresh PostgreSQL database, counting its rows, and uvicorn servers
started and stopped as separate process groups (2 worker processes each, as the issue's targets assume).
The scripts put the repository root on sys.path before importing this."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import asyncpg
import httpx

from saleor_upsell_app.kit.db.migrate import upgrade_to_head

ROOT = Path(__file__).resolve().parents[1]

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-secret-key-0123456789-0123456789-abcdef"


async def fresh_database(name: str) -> str:
    """Drop and recreate database `name`, migrate it to head; returns its SQLAlchemy URL."""
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    await asyncio.to_thread(upgrade_to_head, url)
    return url


async def count_rows(database: str, query: str) -> int:
    """The single number `query` (a SELECT count(*)) returns in database `database`."""
    connection = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}")
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


def start_uvicorn(
    target: str, port: int, env: dict[str, str], ready: Callable[[str], bool]
) -> subprocess.Popen[bytes]:
    """Serve the ASGI app `target` on 127.0.0.1:`port` with 2 workers; returns once `ready(base_url)`
    is true (HTTP errors while it starts count as not ready), or kills it after 30 s."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--port",
        str(port),
        "--workers",
        "2",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if ready(base_url):
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{target} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's whole process group (supervisor and workers) and wait for it."""
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)
