"""Command-line start-up: how long `saleor-upsell --help`, `--version` and `rules list` take to answer.

    .venv/bin/python bench/cli_startup.py              # 9 runs of each command
    .venv/bin/python bench/cli_startup.py --runs 21

Every command runs as a fresh process (`python -m saleor_upsell_app.cli ...`, this checkout's code) in a
scratch folder with its own SQLite database, migrated, holding one installation and the rules of
examples/rules.yaml. Measured in the same run: `python -c pass` (the interpreter alone, the floor) and
`python -c "import saleor_upsell_app.main"` (what every command imported before the imports were made
lazy: the web app with the analytics and mining stack). Wall time and CPU time (user + system, from
getrusage of the child) are reported as medians; CPU time is the steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def measure(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


async def add_installation(database_url: str) -> None:
    from saleor_upsell_app.installations.apl import InstallationStore
    from saleor_upsell_app.kit.crypto import TokenCipher
    from saleor_upsell_app.kit.db import Database

    db = Database(database_url)
    store = InstallationStore(db, TokenCipher(SECRET))
    await store.set(
        saleor_api_url="https://bench.saleor.example/graphql/",
        app_id="QXBwOjE=",
        token="bench-token",
        jwks='{"keys": []}',
        domain="bench.saleor.example",
        now=datetime.now(UTC),
    )
    await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cli-startup-") as scratch:
        cwd = Path(scratch)
        database_url = f"sqlite+aiosqlite:///{cwd / 'bench.sqlite3'}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": scratch,
            "PYTHONPATH": str(ROOT),
            "ENVIRONMENT": "test",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": database_url,
        }
        cli = [sys.executable, "-m", "saleor_upsell_app.cli"]
        measure([*cli, "migrate"], env, cwd)
        asyncio.run(add_installation(database_url))
        measure([*cli, "rules", "import", str(ROOT / "examples" / "rules.yaml")], env, cwd)

        cases = [
            ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
            (
                "import saleor_upsell_app.main (before)",
                [sys.executable, "-c", "import saleor_upsell_app.main"],
            ),
            ("saleor-upsell --help", [*cli, "--help"]),
            ("saleor-upsell --version", [*cli, "--version"]),
            ("saleor-upsell rules import --help", [*cli, "rules", "import", "--help"]),
            ("saleor-upsell rules list", [*cli, "rules", "list"]),
        ]
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in cases}
        for _ in range(args.runs):  # interleaved, so a burst of load hits every case alike
            for name, argv in cases:
                samples[name].append(measure(argv, env, cwd))

    load = os.getloadavg()
    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}, {args.runs} runs each"
    )
    print("| command | wall median | wall min | CPU median | CPU min |")
    print("|---|---:|---:|---:|---:|")
    for name, _ in cases:
        walls = [w for w, _ in samples[name]]
        cpus = [c for _, c in samples[name]]
        print(
            f"| {name} | {statistics.median(walls) * 1000:.0f} ms | {min(walls) * 1000:.0f} ms "
            f"| {statistics.median(cpus) * 1000:.0f} ms | {min(cpus) * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
