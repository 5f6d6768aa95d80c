"""A lean open-loop HTTP load generator: requests at a FIXED RATE, latency counted from each request's
scheduled send time, so a stall of the server shows as the latency of every request that should have
gone out meanwhile (no coordinated omission, as in wrk2).

    python bench/open_loop.py URL --rate 200 --seconds 10 [--body FILE] [--connections 32]

Runs in its own process (the benches start it as a subprocess) on uvloop with raw asyncio protocols and
keep-alive HTTP/1.1 connections opened on demand up to `--connections`; a request whose turn comes when
every connection is busy waits for one, and that wait is in its latency. Prints one JSON object: achieved
rate, errors, p50/p90/p99/max from the schedule, how late the generator itself sent (its `send_lag`),
and its own CPU time, so one can see it was not the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
from pathlib import Path
from urllib.parse import urlsplit

import uvloop


class Connection(asyncio.Protocol):
    """One keep-alive connection carrying one request at a time; `send` resolves to (status, body)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is not an asyncio.Transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed mid-response"))

    def send(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.waiter

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        response = self._complete()
        if response is not None and self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(response)

    def _complete(self) -> tuple[int, bytes] | None:
        """(status, body) once a whole response is buffered (and consumed); None while it is partial."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(self.buffer[:end]).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        length = None
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name == "content-length":
                length = int(value)
        if length is not None:
            if len(self.buffer) < end + 4 + length:
                return None
            body = bytes(self.buffer[end + 4 : end + 4 + length])
            del self.buffer[: end + 4 + length]
            return status, body
        terminator = self.buffer.find(b"0\r\n\r\n", end + 4)  # chunked: wait for the last chunk
        if terminator < 0:
            return None
        body = bytes(self.buffer[end + 4 : terminator])  # chunk framing left in: only searched
        del self.buffer[: terminator + 5]
        return status, body


async def run(
    url: str,
    rate: float,
    seconds: float,
    body: bytes | None,
    connections: int,
    slow_ms: float,
    expect: bytes | None,
) -> dict[str, object]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    method = "POST" if body is not None else "GET"
    head = f"{method} {parts.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    request = (head + "\r\n").encode() + (body or b"")

    loop = asyncio.get_running_loop()
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    opened = 0
    latencies: list[float] = []
    slow: list[tuple[float, float]] = []  # (scheduled offset, latency) of requests over `slow_ms`
    lags: list[float] = []
    errors: dict[str, int] = {}
    bad_bodies: list[str] = []

    async def connection() -> Connection:
        nonlocal opened
        if idle.empty() and opened < connections:
            opened += 1
            _, protocol = await loop.create_connection(Connection, host, port)
            return protocol
        return await idle.get()

    async def one(scheduled: float) -> None:
        nonlocal opened
        conn = await connection()
        lags.append(time.perf_counter() - scheduled)
        try:
            status, answer = await conn.send(request)
            if not 200 <= status < 300:
                errors[str(status)] = errors.get(str(status), 0) + 1
            elif expect is not None and expect not in answer:
                # A GraphQL refusal (rate limit, validation) is a 200 too: it must not count as an answer.
                errors["unexpected body"] = errors.get("unexpected body", 0) + 1
                bad_bodies.append(answer[:300].decode("utf-8", "replace"))
        except ConnectionError as error:
            errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
        latency = time.perf_counter() - scheduled
        latencies.append(latency)
        if latency * 1000 > slow_ms:
            slow.append((scheduled - start, latency))
        if conn.closed:
            opened -= 1
        else:
            idle.put_nowait(conn)

    total = int(rate * seconds)
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    tasks = []
    start = time.perf_counter() + 0.05
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)

    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000, 2)

    return {
        "started_at": round(time.time() - elapsed, 3),  # epoch seconds, to line stalls up with server logs
        "target_rate": rate,
        "achieved_rate": round(len(latencies) / elapsed, 1),
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "max_ms": round(ordered[-1] * 1000, 2),
        "send_lag_p99_ms": round(sorted(lags)[int(0.99 * (len(lags) - 1))] * 1000, 2),
        "connections_opened": opened,
        "generator_cpu_ms_per_request": round(cpu / len(latencies) * 1000, 3),
        "generator_cpu_share": round(cpu / elapsed, 3),
        "stalls": stalls(slow),
        "unexpected_body_sample": bad_bodies[0] if bad_bodies else None,
    }


def stalls(slow: list[tuple[float, float]]) -> list[dict[str, float]]:
    """Slow requests grouped into episodes (scheduled within 0.2 s of each other): when, how many, how
    slow at worst. One long episode is a server pause; scattered singles are noise."""
    episodes: list[dict[str, float]] = []
    for offset, latency in sorted(slow):
        if episodes and offset - episodes[-1]["last_s"] < 0.2:
            episode = episodes[-1]
            episode["last_s"] = round(offset, 3)
            episode["requests"] += 1
            episode["max_ms"] = max(episode["max_ms"], round(latency * 1000, 1))
        else:
            episodes.append(
                {
                    "at_s": round(offset, 3),
                    "last_s": round(offset, 3),
                    "requests": 1,
                    "max_ms": round(latency * 1000, 1),
                }
            )
    return episodes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--body", type=Path, help="POST this file as application/json (else GET)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--expect", help="a 2xx answer without this text counts as an error")
    parser.add_argument(
        "--slow-ms", type=float, default=50, help="report requests slower than this as stalls"
    )
    args = parser.parse_args()
    body = args.body.read_bytes() if args.body else None
    result = uvloop.run(
        run(
            args.url,
            args.rate,
            args.seconds,
            body,
            args.connections,
            args.slow_ms,
            args.expect.encode() if args.expect else None,
        )
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
