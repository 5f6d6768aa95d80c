"""uvicorn without its idle ticks, for `saleor-upsell serve`.

Stock uvicorn wakes every worker process 10 times a second (`Server.main_loop` sleeps 0.1 s and calls
`on_tick`: refresh the Date header once a second, check `should_exit` and `limit_max_requests`), and its
multi-process supervisor pings every worker over a pipe twice a second. On an idle app that is most of
the CPU it spends. Here:

- `QuietServer` waits on an event its signal handler sets instead of polling `should_exit`, and
  computes the default headers (Date, at one-second resolution like uvicorn) when a response reads
  them instead of on a tick. With `limit_max_requests` or a `callback_notify` (gunicorn) configured it
  falls back to uvicorn's ticking loop, which is what checks them.
- `Supervisor` starts the worker processes (uvicorn's own `Process`, running a `QuietServer`) and
  sleeps until a signal arrives or a worker exits (its process sentinel), so a dead worker is replaced
  at once; the health ping that finds a hung one runs every `health_interval` seconds, not every 0.5.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import time
from email.utils import formatdate
from multiprocessing.connection import wait
from types import FrameType
from typing import Any

from uvicorn import Config, Server
from uvicorn.config import STARTUP_FAILURE
from uvicorn.server import ServerState
from uvicorn.supervisors.multiprocess import Process

log = logging.getLogger("uvicorn.error")

# How often the supervisor checks that every worker still answers (uvicorn: every 0.5 s). A worker that
# exits is noticed at once through its sentinel; this only catches one that is alive but wedged.
HEALTH_INTERVAL = 10.0


class _LazyHeaders(ServerState):
    """`default_headers` built when a response reads them (once per second of the clock at most)."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._second = -1
        self._headers: list[tuple[bytes, bytes]] = []
        super().__init__()

    @property  # a plain attribute in ServerState
    def default_headers(self) -> list[tuple[bytes, bytes]]:
        now = int(time.time())
        if now != self._second:
            date = [(b"date", formatdate(now, usegmt=True).encode())] if self._config.date_header else []
            self._headers = date + self._config.encoded_headers
            self._second = now
        return self._headers

    @default_headers.setter
    def default_headers(self, value: list[tuple[bytes, bytes]]) -> None:
        self._headers = value


class QuietServer(Server):
    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.server_state = _LazyHeaders(config)
        self._exit: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def main_loop(self) -> None:
        if self.config.limit_max_requests is not None or self.config.callback_notify is not None:
            await super().main_loop()
            return
        self._exit = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        # A signal that came before the event existed has only set should_exit.
        if not self.should_exit:
            await self._exit.wait()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None and self._exit is not None:
            # A signal handler runs between two bytecodes of the main thread: only the thread-safe call
            # both schedules the set and wakes a loop asleep in its selector.
            with contextlib.suppress(RuntimeError):  # the loop already closed
                self._loop.call_soon_threadsafe(self._exit.set)


class _Worker(Process):
    """uvicorn's worker process (its pipe answers health pings), serving a QuietServer."""

    @property
    def server(self) -> Server:
        if self._server is None:
            self._server = QuietServer(config=self.config)
        return self._server


class Supervisor:
    """The worker processes of one listening socket: start them, replace one that exits, stop them all
    on SIGINT or SIGTERM."""

    def __init__(
        self, config: Config, sockets: list[socket.socket], health_interval: float = HEALTH_INTERVAL
    ) -> None:
        self.config = config
        self.sockets = sockets
        self.health_interval = health_interval
        self.workers: list[_Worker] = []
        self._stopping = False

    def run(self) -> None:
        woken, waker = socket.socketpair()
        woken.setblocking(False)
        waker.setblocking(False)
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        previous_fd = signal.set_wakeup_fd(waker.fileno())  # a signal ends the wait below at once
        try:
            self.workers = [self._start() for _ in range(self.config.workers)]
            checked = time.monotonic()
            while not self._stopping:
                sentinels = {worker.process.sentinel: worker for worker in self.workers}
                ready = wait([woken, *sentinels], timeout=self.health_interval)
                with contextlib.suppress(BlockingIOError):
                    woken.recv(64)
                if self._stopping:
                    break
                exited = [sentinels[fd] for fd in ready if isinstance(fd, int) and fd in sentinels]
                if time.monotonic() - checked >= self.health_interval:
                    checked = time.monotonic()
                    exited += [w for w in self.workers if w not in exited and not w.is_alive(timeout=5)]
                for worker in exited:
                    if not self._replace(worker):
                        self._stopping = True
                        break
            for worker in self.workers:
                worker.terminate()
            for worker in self.workers:
                worker.join()
        finally:
            signal.set_wakeup_fd(previous_fd)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            woken.close()
            waker.close()

    def _stop(self, sig: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _start(self) -> _Worker:
        worker = _Worker(self.config, self.sockets)
        worker.start()
        return worker

    def _replace(self, worker: _Worker) -> bool:
        """Start a new worker in the place of one that exited or hung; False when the app cannot start."""
        worker.kill()
        worker.join()
        if worker.exitcode == STARTUP_FAILURE:
            # It never served: the app or the socket is broken and every restart would fail the same way.
            log.error("worker process %s failed to start; stopping", worker.pid)
            return False
        log.warning("worker process %s died; starting another", worker.pid)
        self.workers[self.workers.index(worker)] = self._start()
        return True


def run(app: str, **options: Any) -> None:
    """Serve the ASGI app at import string `app` like `uvicorn.run(app, **options)`, quietly."""
    config = Config(app, **options)
    if config.workers > 1:
        Supervisor(config, [config.bind_socket()]).run()
        return
    server = QuietServer(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)
