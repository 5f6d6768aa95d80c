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
import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import asyncpg
import httpx

from saleor_upsell_app.kit.db.migrate import upgrade_to_head

ROOT = Path(__file__).resolve().parents[1]

PG = "postgresql://postgres@127.0.0.1:5432"
SECRET = "bench-secret-key-0123456789-0123456789-abcdef"


# What a production-mode app needs to be installed by the emulator on loopback (settings refuse an
# open allow-list and private addresses in production).
LOOPBACK_SALEOR = {
    "ALLOWED_SALEOR_URLS": r"http://127\.0\.0\.1:\d+/graphql/",
    "ALLOW_PRIVATE_SALEOR_URLS": "true",
}


def stop_on_sigterm() -> None:
    """Make `kill <pid>` unwind like Ctrl-C does, so servers are stopped and databases dropped."""

    def unwind(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, unwind)


def migrate(url: str, root: Path = ROOT) -> None:
    """Migrate `url` to the head of the app in `root`: a baseline tree has its own migrations."""
    if root == ROOT:
        upgrade_to_head(url)
        return
    code = (
        "import sys\n"
        "from saleor_upsell_app.kit.db.migrate import upgrade_to_head\n"
        "upgrade_to_head(sys.argv[1])"
    )
    subprocess.run(
        [sys.executable, "-c", code, url], cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, check=True
    )


@contextmanager
def temporary_database(what: str, root: Path = ROOT) -> Iterator[tuple[str, str]]:
    """A new database migrated to head (of the app in `root`), yielded as (name, SQLAlchemy URL) and
    dropped on the way out.

    The name is unique per run (pid + random suffix), so two engineers' runs never share, or drop, each
    other's database on the shared server.
    """
    name = f"upsell_bench_{what}_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
        migrate(url, root)
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


async def _connect(dsn: str, seconds: float = 30) -> asyncpg.Connection:
    """The server is shared: another bench may hold every connection slot for a moment."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return await asyncpg.connect(dsn)
        except asyncpg.TooManyConnectionsError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


async def count_rows(database: str, query: str) -> int:
    """The single number `query` (a SELECT count(*)) returns in database `database`."""
    connection = await _connect(f"{PG}/{database}")
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


@dataclass(frozen=True, slots=True)
class Variant:
    """Which code a server runs: the app of a source tree (this checkout, or a git ref's files unpacked
    by `source_tree`), optionally with sniffio hidden as before it was a dependency. Lets a bench
    measure a baseline and the current code in the same command, on the same machine and load."""

    name: str
    root: Path = ROOT
    without_sniffio: bool = False

    def environment(self) -> dict[str, str]:
        paths = [str(self.root)]
        if self.without_sniffio:
            paths.insert(0, str(ROOT / "bench" / "without_sniffio"))
        return {"PYTHONPATH": os.pathsep.join(paths)}


@contextmanager
def source_tree(ref: str) -> Iterator[Path]:
    """The app package as committed at git `ref`, unpacked into a temporary folder (removed after)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "saleor_upsell_app", "graphql"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.TemporaryDirectory(prefix="upsell_bench_tree_") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


def variants(
    stack: ExitStack, baseline_ref: str | None, baseline_without_sniffio: bool, current_ref: str | None = None
) -> list[Variant]:
    """The baseline asked for on the command line (a git ref's code and/or sniffio hidden), then the
    current code (this checkout's files, or `current_ref`'s so that edits during a run change nothing).
    Unpacked trees live as long as `stack`."""
    runs = []
    if baseline_ref is not None or baseline_without_sniffio:
        root = stack.enter_context(source_tree(baseline_ref)) if baseline_ref else ROOT
        label = f"baseline: {baseline_ref or 'this checkout'}" + (
            " without sniffio" if baseline_without_sniffio else ""
        )
        runs.append(Variant(label, root, baseline_without_sniffio))
    if current_ref is None:
        runs.append(Variant("current"))
    else:
        runs.append(Variant(f"current: {current_ref}", stack.enter_context(source_tree(current_ref))))
    return runs


def start_uvicorn(
    target: str,
    env: Callable[[int], Mapping[str, str]],
    ready: Callable[[str], bool],
    attempts: int = 3,
    root: Path = ROOT,
    workers: int = 2,
) -> Server:
    """Serve the ASGI app `target` with 2 workers on a free loopback port; `env(port)` is its extra
    environment. Returns once `ready(base_url)` is true while our process is still alive (HTTP errors
    while it starts count as not ready). The port is free when picked but could be taken before
    uvicorn binds it: a server that exits before it is ready is retried on another port."""
    for _ in range(attempts):
        port = free_port()
        process = _spawn(target, port, env(port), root, workers)
        server = Server(process, port)
        deadline = time.monotonic() + 60  # a loaded 2-core machine starts slowly
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
            raise RuntimeError(f"{target} did not get ready on port {port} within 60 s")
    raise RuntimeError(f"{target} exited before it was ready, {attempts} times (last: {process.returncode})")


def start_process(command: list[str], ready_prefix: str, env: Mapping[str, str], root: Path = ROOT) -> Server:
    """A server that picks its own port (port 0) and says so on its first stdout line,
    `<ready_prefix><port>`: no race for a port picked here. Its own process group, like uvicorn's."""
    process = subprocess.Popen(
        command, cwd=root, env={**os.environ, **env}, stdout=subprocess.PIPE, start_new_session=True
    )
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    if not line.startswith(ready_prefix):
        stop(Server(process, 0))
        raise RuntimeError(f"{command} did not start: {line!r}")
    return Server(process, int(line[len(ready_prefix) :]))


def _spawn(
    target: str, port: int, env: Mapping[str, str], root: Path, workers: int
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, cwd=root, env={**os.environ, **env}, start_new_session=True)


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


def _cpu_seconds(pids: list[str]) -> float:
    """User+system CPU of these processes, from /proc (processes gone since count nothing)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def process_cpu_seconds(pid: int) -> float:
    """One process (a single-process server such as the Saleor stand-in)."""
    return _cpu_seconds([str(pid)])


def app_cpu_seconds(parent_pid: int) -> float:
    """The app's uvicorn supervisor and its worker processes."""
    children = subprocess.run(["pgrep", "-P", str(parent_pid)], capture_output=True, text=True).stdout.split()
    return _cpu_seconds([str(parent_pid), *children])


def postgres_cpu_seconds() -> float:
    """Every PostgreSQL server process on the machine (backends, WAL writer, checkpointer)."""
    pids = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split()
    return _cpu_seconds(pids)


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / ticks, sum(values) / ticks


def worker_pids(parent_pid: int) -> list[str]:
    """The uvicorn supervisor's worker processes."""
    return subprocess.run(["pgrep", "-P", str(parent_pid)], capture_output=True, text=True).stdout.split()


def start_profiles(pids: list[str], seconds: float, folder: Path) -> list[subprocess.Popen[bytes]]:
    """py-spy (a dev tool: `pip install py-spy`) sampling each process for `seconds`, collapsed stacks
    written to `folder/<pid>.txt`; idle (waiting) stacks are left out, so samples are CPU time."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                pid,
                "--duration",
                str(int(seconds)),
                "--rate",
                "250",
                "--format",
                "raw",
                "--output",
                str(folder / f"{pid}.txt"),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in pids
    ]


# Where a sampled stack's time is charged: the first package (from the leaf up) that matches.
PROFILE_GROUPS = (
    ("sqlalchemy / DB driver", ("sqlalchemy", "asyncpg", "aiosqlite", "greenlet")),
    ("httpx / httpcore / anyio / gql", ("httpx", "httpcore", "anyio", "h11", "gql/")),
    ("strawberry / graphql-core", ("strawberry", "graphql/")),
    ("starlette / fastapi / uvicorn", ("starlette", "fastapi", "uvicorn", "httptools")),
    ("pydantic", ("pydantic",)),
    ("jwt / cryptography", ("jwt/", "cryptography")),
    ("json", ("json", "orjson")),
    ("asyncio loop", ("asyncio/", "uvloop")),
    ("the app", ("saleor_upsell_app",)),
)


def summarize_profiles(
    folder: Path,
    functions: tuple[str, ...] = (),
    groups: tuple[tuple[str, tuple[str, ...]], ...] = PROFILE_GROUPS,
    top_of: str | None = None,
) -> dict[str, object]:
    """Shares of all samples: by library (the innermost frame's package) and, inclusive, by function;
    with `top_of` (a path fragment, e.g. "saleor_upsell_app/"), also the 15 functions there that the
    most samples pass through (names as py-spy gives them: Class.method)."""
    by_group: dict[str, int] = {}
    by_function = dict.fromkeys(functions, 0)
    through: dict[str, int] = {}
    total = 0
    for path in folder.glob("*.txt"):
        for line in path.read_text().splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not count_text.isdigit():
                continue
            count = int(count_text)
            total += count
            frames = stack.split(";")
            group = "other"
            for frame in reversed(frames):
                found = next((name for name, keys in groups if any(k in frame for k in keys)), None)
                if found is not None:
                    group = found
                    break
            by_group[group] = by_group.get(group, 0) + count
            for function in functions:
                if any(frame.split(" (", 1)[0] == function for frame in frames):
                    by_function[function] += count
            if top_of is not None:
                for name in {f.split(" (", 1)[0] for f in frames if top_of in f}:
                    through[name] = through.get(name, 0) + count
    share = (
        {k: round(v / total, 3) for k, v in sorted(by_group.items(), key=lambda kv: -kv[1])} if total else {}
    )
    inclusive = {k: round(v / total, 3) for k, v in by_function.items()} if total else {}
    summary: dict[str, object] = {"samples": total, "by_library": share, "inclusive": inclusive}
    if top_of is not None and total:
        ranked = sorted(through.items(), key=lambda kv: -kv[1])[:15]
        summary["top_functions"] = {k: round(v / total, 3) for k, v in ranked}
    return summary
