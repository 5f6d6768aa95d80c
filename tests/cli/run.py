"""Run the real `saleor-upsell` command line as a subprocess, from this checkout, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.paths import REPO


@dataclass(frozen=True)
class Finished:
    status: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60) -> Finished:
    """`python -m saleor_upsell_app.cli ARGS` in `cwd` (so no .env or ./data of the checkout is read),
    importing this checkout's code, with only the settings given in `env`."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "PYTHONPATH": str(REPO),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
    }
    process = subprocess.run(
        [sys.executable, "-m", "saleor_upsell_app.cli", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Finished(process.returncode, process.stdout, process.stderr)


def serve(port: int, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "saleor_upsell_app.cli", "serve", "--port", str(port)],
        cwd=cwd,
        env={**clean, "RUN_WORKERS": "false", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def manifest_when_up(port: int, process: subprocess.Popen[str], seconds: float = 90) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {process.communicate()[1]}")
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/api/manifest", timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        answer.raise_for_status()
        data: dict[str, object] = answer.json()
        return data
    raise AssertionError("serve did not answer in time")


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
