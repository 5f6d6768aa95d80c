"""The quiet uvicorn of `saleor-upsell serve` (cli/server.py), run for real as a subprocess serving a
tiny ASGI app: it answers with a Date header, SIGTERM stops it gracefully (the app's lifespan shutdown
runs in every worker process), and a worker process that dies is replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.paths import REPO

APP = """
import os


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        open(f"shutdown-{os.getpid()}", "w").close()  # a graceful stop, seen by the test
        await send({"type": "lifespan.shutdown.complete"})
        return
    pid = str(os.getpid()).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-pid", pid)]})
    await send({"type": "http.response.body", "body": b"ok"})
"""


def _serve(tmp_path: Path, port: int, workers: int) -> subprocess.Popen[str]:
    (tmp_path / "tiny_app.py").write_text(APP)
    code = (
        "from saleor_upsell_app.cli.server import run\n"
        f"run('tiny_app:app', host='127.0.0.1', port={port}, workers={workers}, log_level='warning')"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{tmp_path}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _get(port: int, process: subprocess.Popen[str], seconds: float = 60) -> httpx.Response:
    """The first answer of the server (a generous deadline: only a server that never answers fails)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            return httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer")


def _children(pid: int) -> set[int]:
    """The server's worker processes (not multiprocessing's resource tracker, also a child)."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return {int(child) for child in found if b"resource_tracker" not in _cmdline(int(child))}


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError("SIGTERM did not stop the server") from None


def _shut_down(tmp_path: Path) -> set[int]:
    return {int(path.name.split("-")[1]) for path in tmp_path.glob("shutdown-*")}


def test_one_process_answers_with_a_date_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = _serve(tmp_path, port, workers=1)
    try:
        answer = _get(port, process)
        assert answer.text == "ok"
        assert parsedate_to_datetime(answer.headers["date"]).tzinfo is not None
    finally:
        code = _stop(process)
    # Like uvicorn, the server re-raises the signal it stopped on once its shutdown is done.
    assert code in (0, -signal.SIGTERM)
    assert _shut_down(tmp_path) == {process.pid}
    assert "Traceback" not in process.communicate()[1]


def test_a_dead_worker_is_replaced_and_sigterm_stops_them_all(tmp_path: Path) -> None:
    port = free_port()
    process = _serve(tmp_path, port, workers=2)
    try:
        victim = int(_get(port, process).headers["x-pid"])
        before = _children(process.pid)
        assert victim in before
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while not (_children(process.pid) - before) and time.monotonic() < deadline:
            time.sleep(0.1)
        replacements = _children(process.pid) - before
        assert replacements, "no worker process was started in place of the dead one"
        answered = {int(_get(port, process).headers["x-pid"]) for _ in range(20)}
        assert victim not in answered
        workers = _children(process.pid)
    finally:
        code = _stop(process)
    assert code == 0
    assert not any(_alive(pid) for pid in workers)
    assert _shut_down(tmp_path) == workers
    assert "Traceback" not in process.communicate()[1]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
