"""Headless Chromium for the browser tests: Debian's package, the flags this machine needs, and one
rule for when it is missing (skip locally, fail in CI where REQUIRE_BROWSER=1)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Without the background-networking flags Chromium keeps dialling out on a machine with no network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def require_chromium() -> None:
    require(
        Path(CHROMIUM).exists() or shutil.which("chromium") is not None,
        f"{CHROMIUM} not installed (apt-get install -y chromium, or `make browser`)",
    )
