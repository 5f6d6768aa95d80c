"""The per-event path on its own: app CPU per processed checkout event (inbox claim → evaluation → offer
claim → checkoutLinesAdd → result → finish), counting the ingest of the echo of its own mutation.

One command, baseline and change in the same run:
    .venv/bin/python bench/event_path_bench.py --checkouts 400 --baseline-ref 69d3a44 [--sqlite] [--profile]

Each variant runs in a child process of its own (its code on PYTHONPATH, a fresh database migrated by
that code). In the child the app is served in-process with its workers off; the Saleor emulator runs
in a second thread with its own event loop, so its CPU is measured apart (`time.thread_time` in that
thread) and taken out. Checkouts are created (each CHECKOUT_CREATED ingested, untimed); then the
workers start and the clock runs until every bump is applied and the inbox and the echoes are quiet.
App CPU = the child's process time − the emulator thread's. Afterwards every checkout is checked for
exactly one bump line. `--profile` samples the child with py-spy (emulator-thread stacks left out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Coroutine
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
CHILD = "--child" in sys.argv
if not CHILD:
    sys.path.insert(0, str(ROOT))  # a child gets its variant's tree (then ROOT) from PYTHONPATH

T = TypeVar("T")

PROFILE_FUNCTIONS = (
    "claim",
    "finish_many",
    "__call__",
    "process",
    "evaluate",
    "apply_offer",
    "settle",
    "execute",
    "record",
)


class EmulatorThread:
    """The emulated Saleor on its own thread and loop: its CPU is that thread's, not the app's."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="emulator", daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> Awaitable[T]:
        return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self.loop))

    async def cpu(self) -> float:
        async def thread_time() -> float:
            return time.thread_time()

        return await self.run(thread_time())

    def user_system(self) -> tuple[float, float]:
        """This thread's user and system CPU seconds (clock ticks, from /proc)."""
        fields = Path(f"/proc/self/task/{self._thread.native_id}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / ticks, int(fields[12]) / ticks

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)


async def _count(url: str, query: str) -> int:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split("///", 1)[1], timeout=30) as connection:
            return int(connection.execute(query).fetchone()[0])
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


async def child(url: str, checkouts: int, workers: int, wait_for_go: bool) -> dict[str, object]:
    from saleor_upsell_app.engine import metadata as md
    from saleor_upsell_app.engine.spec import ChannelSettingsSpec
    from saleor_upsell_app.main import _start_workers, create_app
    from saleor_upsell_app.rules.service import create_rule, save_channel_settings
    from saleor_upsell_app.settings import Settings
    from testing.saleor_emulator.emulator import SaleorEmulator
    from testing.saleor_emulator.serve import serve_asgi
    from testing.sample_data import TEE_S, bump_rule

    emu_thread = EmulatorThread()
    emulator = SaleorEmulator(retry_delays=(0.2, 0.4, 0.8, 1.6, 3.2))
    await emu_thread.run(emulator.__aenter__())
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        environment="test",
        app_url="http://127.0.0.1:1",  # replaced below, once the port is known
        database_url=url,
        secret_key="bench-secret-key-0123456789-0123456789-abcdef",
        log_level="WARNING",
        inbox_workers=workers,
        run_workers=False,
        run_scheduler=False,
        rule_cache_seconds=60,
    )
    from testing.saleor_emulator.serve import _free_port

    port = _free_port("127.0.0.1")
    settings = settings.model_copy(update={"app_url": f"http://127.0.0.1:{port}"})
    app = create_app(settings, migrate=False)
    parts = app.state.parts
    try:
        async with serve_asgi(app, port=port) as base_url:
            await emu_thread.run(emulator.install_app(f"{base_url}/api/manifest"))
            installation = (await parts.installations.get_all())[0]
            async with parts.db.transaction() as session:
                await create_rule(session, installation.id, bump_rule(), parts.clock())
                await save_channel_settings(
                    session, installation.id, "default-channel",
                    ChannelSettingsSpec(holdout_percent=Decimal(0)), parts.clock(),
                )  # fmt: skip

            async def create_all() -> list[str]:
                ids = [(await emulator.shopper.create_checkout([(TEE_S, 1)]))["id"] for _ in range(checkouts)]
                await emulator.drain()
                return ids

            ids = await emu_thread.run(create_all())

            # Polls run on the emulator's thread: their CPU is taken out with the emulator's.
            def count(query: str) -> Awaitable[int]:
                return emu_thread.run(_count(url, query))

            pending = await count("SELECT count(*) FROM inbox_events WHERE status = 'pending'")
            if wait_for_go:
                print(json.dumps({"ready": os.getpid()}), flush=True)
                await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

            emulator_cpu = await emu_thread.cpu()
            emulator_split, split = emu_thread.user_system(), os.times()
            cpu = time.process_time()
            started = time.perf_counter()
            tasks = _start_workers(parts)
            applied_query = "SELECT count(*) FROM checkout_offers WHERE status = 'applied'"
            busy_query = "SELECT count(*) FROM inbox_events WHERE status IN ('pending', 'processing')"
            while await count(applied_query) < checkouts or await count(busy_query):
                if time.perf_counter() - started > 600:
                    raise TimeoutError("events not processed within 600 s")
                await asyncio.sleep(0.05)
            await emu_thread.run(emulator.drain())  # the echoes, ingested by the app
            while await count(busy_query):  # noqa: ASYNC110 (another process's rows: nothing to await)
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            emulator_cpu = await emu_thread.cpu() - emulator_cpu
            app_cpu = time.process_time() - cpu - emulator_cpu
            emulator_after, after = emu_thread.user_system(), os.times()
            # User vs kernel time (clock ticks): the kernel share is mostly socket round trips.
            app_user = after.user - split.user - (emulator_after[0] - emulator_split[0])
            app_system = after.system - split.system - (emulator_after[1] - emulator_split[1])
            for worker in parts.workers:
                worker.stop()
            await asyncio.gather(*tasks, return_exceptions=True)

            def bump_lines(checkout_id: str) -> int:
                lines = emulator.checkout(checkout_id).lines
                return sum(1 for line in lines if md.read_marker(line.meta) is not None)

            counts = [bump_lines(checkout_id) for checkout_id in ids]
            return {
                "checkouts": checkouts,
                "events_pending_at_start": pending,
                "seconds": round(elapsed, 3),
                "app_cpu_ms_per_checkout": round(app_cpu / checkouts * 1000, 3),
                "app_user_system_ms_per_checkout": [
                    round(app_user / checkouts * 1000, 2),
                    round(app_system / checkouts * 1000, 2),
                ],
                "emulator_cpu_ms_per_checkout": round(emulator_cpu / checkouts * 1000, 3),
                "checkouts_with_exactly_one_bump": sum(1 for n in counts if n == 1),
                "checkouts_with_more": sum(1 for n in counts if n > 1),
            }
    finally:
        await emu_thread.run(emulator.__aexit__(None, None, None))
        emu_thread.stop()


def run_variant(
    variant: Any, checkouts: int, workers: int, sqlite: bool, profile: Path | None
) -> dict[str, object]:
    from bench.harness import summarize_profiles, temporary_database

    with ExitStack() as stack:
        if sqlite:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="upsell_bench_event_"))
            url = f"sqlite+aiosqlite:///{folder}/upsell.sqlite3"
            from bench.harness import migrate

            migrate(url, variant.root)
        else:
            _, url = stack.enter_context(temporary_database("eventpath", variant.root))
        command = [sys.executable, str(Path(__file__).resolve()), "--child", url]
        command += ["--checkouts", str(checkouts), "--inbox-workers", str(workers)]
        if profile is not None:
            command.append("--wait-for-go")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(variant.root), str(ROOT)])}
        process = subprocess.Popen(
            command, cwd=variant.root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None and process.stdin is not None
        samplers = []
        if profile is not None:
            ready = json.loads(process.stdout.readline())
            folder_for = profile / variant.name.replace(" ", "_").replace(":", "")
            samplers = _sample_gil_holder(str(ready["ready"]), folder_for)
            time.sleep(1.0)  # py-spy attaches
            process.stdin.write("go\n")
            process.stdin.flush()
        output, _ = process.communicate(timeout=900)
        for sampler in samplers:
            sampler.terminate()
            sampler.wait()
        if process.returncode != 0:
            raise RuntimeError(f"{variant.name}: child failed ({process.returncode})")
        result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
        if profile is not None:
            _drop_thread_stacks(folder_for)
            result["profile"] = summarize_profiles(folder_for, PROFILE_FUNCTIONS)
        return result


def _sample_gil_holder(pid: str, folder: Path) -> list[subprocess.Popen[bytes]]:
    """py-spy on the thread holding the GIL only (`--gil`): on a loaded machine a thread preempted in
    a socket write still looks busy to a plain sampler; the GIL holder is running Python."""
    folder.mkdir(parents=True, exist_ok=True)
    py_spy = str(Path(sys.executable).parent / "py-spy")
    command = [py_spy, "record", "--pid", pid, "--duration", "600", "--rate", "250", "--gil"]
    command += ["--format", "raw", "--output", str(folder / f"{pid}.txt"), "--nonblocking"]
    return [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]


def _drop_thread_stacks(folder: Path) -> None:
    """Leave out the emulator thread's samples (its stacks start in threading's bootstrap)."""
    for path in folder.glob("*.txt"):
        kept = [line for line in path.read_text().splitlines() if "_bootstrap_inner" not in line]
        path.write_text("\n".join(kept) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkouts", type=int, default=400)
    parser.add_argument("--inbox-workers", type=int, default=2)
    parser.add_argument("--baseline-ref", default=None)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--profile", type=Path, default=None, help="folder for py-spy samples")
    parser.add_argument("--repeat", type=int, default=1, help="alternate the variants this many times")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--wait-for-go", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        result = asyncio.run(child(args.child, args.checkouts, args.inbox_workers, args.wait_for_go))
        print(json.dumps(result), flush=True)
        return
    from bench.harness import stop_on_sigterm, variants

    stop_on_sigterm()
    report: dict[str, object] = {
        "database": "sqlite" if args.sqlite else "postgresql",
        "load_average_before": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    with ExitStack() as stack:
        runs = variants(stack, args.baseline_ref, False)
        for round_ in range(args.repeat):
            for variant in runs:
                key = variant.name if args.repeat == 1 else f"{variant.name} #{round_ + 1}"
                report[key] = run_variant(
                    variant, args.checkouts, args.inbox_workers, args.sqlite, args.profile
                )
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
