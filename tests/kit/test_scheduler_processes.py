"""Two real app processes (uvicorn, started as the deployment starts them) on one PostgreSQL database:
every scheduled job runs once per period in total, never once per process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from saleor_upsell_app.kit.db import Database
from saleor_upsell_app.kit.db.migrate import upgrade_to_head_async
from saleor_upsell_app.kit.scheduled_runs import ScheduledRun
from tests.conftest import TEST_SECRET, free_port, postgres_database
from tests.paths import REPO

pytestmark = pytest.mark.postgres


def _start(database_url: str, port: int) -> subprocess.Popen[str]:
    env = os.environ | {
        "PYTHONPATH": str(REPO),  # this checkout, not the one the virtualenv was installed from
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "ENVIRONMENT": "test",
        "APP_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "INFO",
        "LOG_JSON": "true",
        "INBOX_WORKERS": "1",
        "RUN_SCHEDULER": "true",
        "SCHEDULER_PERIOD_SECONDS": "1",
        "SCHEDULER_TICK_SECONDS": "0.1",
        "TUNE_GC": "false",
    }
    command = [sys.executable, "-m", "uvicorn", "saleor_upsell_app.asgi:app", "--host", "127.0.0.1"]
    return subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _runs_logged(output: str) -> list[dict[str, Any]]:
    entries = []
    for line in output.splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if entry.get("message") == "scheduled job ran":
                entries.append(entry)
    return entries


async def test_two_processes_run_each_job_once_per_period() -> None:
    async with postgres_database() as url:
        await upgrade_to_head_async(url)
        ports = [free_port(), free_port()]
        processes = [_start(url, port) for port in ports]
        outputs: list[str] = []
        try:
            deadline = time.monotonic() + 60
            async with httpx.AsyncClient() as client:
                for port in ports:
                    while True:
                        assert time.monotonic() < deadline, "the app processes did not start"
                        try:
                            if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                                break
                        except httpx.TransportError:
                            pass
                        await asyncio.sleep(0.2)
            await asyncio.sleep(6)  # about six one-second periods with both processes up
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                out, _ = process.communicate(timeout=30)
                outputs.append(out)

        logged = [_runs_logged(out) for out in outputs]
        ran = Counter((e["job"], e["period"]) for entries in logged for e in entries)
        assert ran, outputs
        assert set(ran.values()) == {1}, [k for k, n in ran.items() if n > 1]  # never twice in a period
        jobs = {job for job, _ in ran}
        assert jobs == {"guardrail", "mining", "digest"}
        periods = {job: {p for j, p in ran if j == job} for job in jobs}
        assert min(len(p) for p in periods.values()) >= 4  # it kept running, every period
        owners = {e["owner"] for entries in logged for e in entries}
        assert len(owners) == 2, owners  # both processes took turns (which one wins a period varies)

        db = Database(url)
        try:
            async with db.read() as session:
                rows = list(await session.scalars(select(ScheduledRun)))
        finally:
            await db.dispose()
        # Each claimed (job, period) is one row, and the process that claimed it is the one that ran it.
        assert Counter((r.job, r.period) for r in rows if r.status == "done") == ran
        by_row = {(r.job, r.period): r.owner for r in rows}
        assert all(by_row[(e["job"], e["period"])] == e["owner"] for entries in logged for e in entries)
