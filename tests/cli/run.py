"""Run the real `saleor-upsell` command line as a subprocess, from this checkout, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
