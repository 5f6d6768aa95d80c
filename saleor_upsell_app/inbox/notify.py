"""Wake-ups across processes on PostgreSQL: LISTEN/NOTIFY on one channel.

Each app process keeps one asyncpg connection (outside the SQLAlchemy pool) listening on the channel;
a notification from another process wakes this process's inbox workers (its own NOTIFYs are ignored).
After an enqueue the process wakes one of its own idle workers directly; only when none is idle (all
busy, or none runs here: RUN_WORKERS=false) does it send a NOTIFY, coalesced: at most one per
`min_interval` however many events arrive, so under load it costs a few statements per second. With
the listener up, idle workers poll only rarely (the fallback for what no NOTIFY announces); while it
is down (connecting, or the database away) `listening` is False and main.py keeps the workers' short
poll.

NOTIFY is only a hint that there may be work: a lost or spurious one changes nothing but latency, since
the inbox claim decides what is processed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger("saleor_upsell.inbox")

CHANNEL = "saleor_upsell_inbox"


def asyncpg_dsn(database_url: str) -> str | None:
    """The asyncpg DSN of a PostgreSQL SQLAlchemy URL; None for another database (SQLite)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class InboxSignal:
    def __init__(
        self,
        dsn: str,
        on_notify: Callable[[], None],
        *,
        min_interval: float = 0.02,
        reconnect_max: float = 30.0,
    ) -> None:
        self._dsn = dsn
        self._on_notify = on_notify
        self._min_interval = min_interval
        self._reconnect_max = reconnect_max
        self._connection: asyncpg.Connection | None = None
        self._wanted = False
        self._sender: asyncio.Task[None] | None = None
        self.sent = 0

    @property
    def listening(self) -> bool:
        connection = self._connection
        return connection is not None and not connection.is_closed()

    async def run(self) -> None:
        """Listen until cancelled, reconnecting with a growing pause while the database is away."""
        pause = 0.5
        while True:
            closed = asyncio.Event()
            try:
                connection = await asyncpg.connect(self._dsn)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("inbox listener cannot connect; workers poll", extra={"error": str(exc)})
                await asyncio.sleep(pause)
                pause = min(pause * 2, self._reconnect_max)
                continue
            try:
                connection.add_termination_listener(lambda _connection, closed=closed: closed.set())
                await connection.add_listener(CHANNEL, self._received)
                self._connection = connection
                pause = 0.5
                # A NOTIFY sent while nobody listened is gone: look once for what it announced.
                self._on_notify()
                await closed.wait()
                log.warning("inbox listener connection lost; workers poll until it is back")
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("inbox listener failed; workers poll", extra={"error": str(exc)})
                await asyncio.sleep(pause)
            finally:
                self._connection = None
                with contextlib.suppress(Exception):
                    await connection.close(timeout=1)

    def _received(self, connection: Any, pid: int, *_args: Any) -> None:
        if pid != connection.get_server_pid():  # this process's own NOTIFY: its workers know already
            self._on_notify()

    def notify(self) -> None:
        """Tell every other listening process that the inbox may have work; coalesced."""
        if not self.listening:
            return
        self._wanted = True
        if self._sender is None or self._sender.done():
            self._sender = asyncio.create_task(self._send())

    async def _send(self) -> None:
        while self._wanted and self.listening:
            self._wanted = False
            connection = self._connection
            assert connection is not None
            try:
                await connection.execute(f"NOTIFY {CHANNEL}")
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("inbox NOTIFY failed", extra={"error": str(exc)})
                return
            self.sent += 1
            await asyncio.sleep(self._min_interval)

    async def aclose(self) -> None:
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender
