"""What the HTTP benchmarks share: a PostgreSQL database of their own that is dropped again, counting
its rows, and uvicorn servers on free ports started and stopped as separate process groups (2 worker
processes each, as the issue's targets assume). The scripts put the repository root on sys.path before
importing this.

Cleanup holds on failure and on Ctrl-C: `temporary_database` drops in a `finally`, and
`stop_on_sigterm` turns SIGTERM into SystemExit so that the same `finally` blocks run for a `kill`.
Only SIGKILL leaves a database behind (its name says which process made it: `upsell_bench_<what>_<pid>_…`).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import asyncpg
import httpx

from saleor_upsell_app.kit.db.migrate import upgrade_to_head

ROOT = Path(__file__).resolve().parents[1]

PG = "postgresql://postgres@127.0.0.1:5432"
SECRET = "bench-secret-key-0123456789-0123456789-abcdef"


def stop_on_sigterm() -> None:
    """Make `kill <pid>` unwind like Ctrl-C does, so servers are stopped and databases dropped."""

    def unwind(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, unwind)


@contextmanager
def temporary_database(what: str) -> Iterator[tuple[str, str]]:
    """A new database migrated to head, yielded as (name, SQLAlchemy URL) and dropped on the way out.

    The name is unique per run (pid + random suffix), so two engineers' runs never share, or drop, each
    other's database on the shared server.
    """
    name = f"upsell_bench_{what}_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
        upgrade_to_head(url)
        yield name, url
    finally:
        # FORCE: a server that could not be stopped cleanly may still hold connections.
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(f"{PG}/postgres")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def count_rows(database: str, query: str) -> int:
    """The single number `query` (a SELECT count(*)) returns in database `database`."""
    connection = await asyncpg.connect(f"{PG}/{database}")
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


def free_port() -> int:
    """A loopback TCP port nobody is listening on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Server:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_uvicorn(
    target: str,
    env: Callable[[int], Mapping[str, str]],
    ready: Callable[[str], bool],
    attempts: int = 3,
) -> Server:
    """Serve the ASGI app `target` with 2 workers on a free loopback port; `env(port)` is its extra
    environment. Returns once `ready(base_url)` is true while our process is still alive (HTTP errors
    while it starts count as not ready). The port is free when picked but could be taken before
    uvicorn binds it: a server that exits before it is ready is retried on another port."""
    for _ in range(attempts):
        port = free_port()
        process = _spawn(target, port, env(port))
        server = Server(process, port)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if ready(server.base_url) and process.poll() is None:
                    return server
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        exited = process.poll() is not None
        stop(server)
        if not exited:
            raise RuntimeError(f"{target} did not get ready on port {port} within 30 s")
    raise RuntimeError(f"{target} exited before it was ready, {attempts} times (last: {process.returncode})")


def _spawn(target: str, port: int, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "2", "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)


def stop(server: Server) -> None:
    """SIGTERM the server's whole process group (supervisor and workers), SIGKILL it after 20 s."""
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
