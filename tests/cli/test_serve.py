"""`saleor-upsell serve --port P` as an operator starts a second instance: the app answers on P and,
with no APP_URL set, the manifest's URLs follow the port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.paths import REPO


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


def test_app_url_follows_the_port_unless_set(tmp_path: Path) -> None:
    port = free_port()
    process = serve(port, tmp_path, {})
    try:
        manifest = manifest_when_up(port, process)
        assert manifest["appUrl"] == f"http://localhost:{port}/dashboard/"
        assert str(manifest["tokenTargetUrl"]).startswith(f"http://localhost:{port}/")
    finally:
        stop(process)
    assert "Traceback" not in process.communicate()[1]

    other = free_port()
    process = serve(other, tmp_path, {"APP_URL": "https://upsell.example.com"})
    try:
        manifest = manifest_when_up(other, process)
        assert str(manifest["tokenTargetUrl"]).startswith("https://upsell.example.com/")
    finally:
        stop(process)
