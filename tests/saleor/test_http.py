"""saleor/http.py against real loopback servers: keep-alive reuse, the framings an HTTP/1.1 server may
answer with, and failures that say whether the request may have reached the server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from saleor_upsell_app.saleor.client import SaleorClient
from saleor_upsell_app.saleor.errors import SaleorGraphQLError, SaleorUnavailable
from saleor_upsell_app.saleor.http import ConnectFailed, ConnectionLost, HttpPool, ResponseTimeout

Reply = Callable[[bytes, asyncio.StreamWriter], Awaitable[None]]


class Server:
    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.connections = 0
        self.requests: list[bytes] = []
        self.port = 0


@asynccontextmanager
async def serving(reply: Reply) -> AsyncIterator[Server]:
    state = Server(reply)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                request = head + await reader.readexactly(length)
                state.requests.append(request)
                await state.reply(request, writer)
                if writer.is_closing():
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    try:
        yield state
    finally:
        server.close()


def pool(port: int, *, timeout: float = 2.0, guarded: bool = False) -> HttpPool:
    return HttpPool(
        f"http://127.0.0.1:{port}/graphql/",
        {"Authorization": "Bearer t"},
        timeout=timeout,
        connect_timeout=2.0,
        max_connections=4,
        guarded=guarded,
    )


async def fixed(answer: bytes) -> Reply:
    async def reply(_request: bytes, writer: asyncio.StreamWriter) -> None:
        writer.write(answer)
        await writer.drain()

    return reply


async def test_keep_alive_connections_are_reused_and_the_request_is_well_formed() -> None:
    async with serving(await fixed(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")) as server:
        http = pool(server.port)
        try:
            assert await http.post(b'{"query":"{ shop { name } }"}') == (200, b"{}")
            assert await http.post(b"{}") == (200, b"{}")
        finally:
            await http.aclose()
    assert server.connections == 1
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST /graphql/ HTTP/1.1"
    assert {b"Host: 127.0.0.1:%d" % server.port, b"Authorization: Bearer t"} <= set(lines)
    assert b"Content-Length: %d" % len(body) in lines and body == b'{"query":"{ shop { name } }"}'


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3;x=y\r\ndef\r\n0\r\n\r\n",
            id="chunked",
        ),
        pytest.param(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef",
            id="interim-100",
        ),
        pytest.param(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabcdef", id="until-close"),
    ],
)
async def test_every_framing_gives_the_same_body(answer: bytes) -> None:
    async def reply(_request: bytes, writer: asyncio.StreamWriter) -> None:
        for i in range(0, len(answer), 7):  # in small pieces, as a slow network delivers them
            writer.write(answer[i : i + 7])
            await writer.drain()
            await asyncio.sleep(0)
        if b"close" in answer:
            writer.close()

    async with serving(reply) as server:
        http = pool(server.port)
        try:
            assert await http.post(b"{}") == (200, b"abcdef")
            assert await http.post(b"{}") == (200, b"abcdef")
        finally:
            await http.aclose()
    assert server.connections == (2 if b"close" in answer else 1)


async def test_a_connection_closed_by_the_server_while_idle_is_not_reused() -> None:
    async def reply(_request: bytes, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        await writer.drain()
        writer.close()  # no Connection: close header: the close arrives while the pool holds it

    async with serving(reply) as server:
        http = pool(server.port)
        try:
            assert await http.post(b"{}") == (200, b"{}")
            await asyncio.sleep(0.05)
            assert await http.post(b"{}") == (200, b"{}")
        finally:
            await http.aclose()
    assert server.connections == 2


async def test_a_reset_after_the_request_left_may_have_reached_the_server() -> None:
    async def reply(_request: bytes, writer: asyncio.StreamWriter) -> None:
        writer.transport.abort()

    async with serving(reply) as server:
        http = pool(server.port)
        try:
            with pytest.raises(ConnectionLost) as lost:
                await http.post(b"{}")
        finally:
            await http.aclose()
    assert lost.value.sent and len(server.requests) == 1


async def test_no_connection_means_nothing_was_sent() -> None:
    async with serving(await fixed(b"")) as server:
        port = server.port
    http = pool(port)  # the listener is gone
    with pytest.raises(ConnectFailed) as failed:
        await http.post(b"{}")
    assert not failed.value.sent


async def test_a_slow_answer_times_out_and_its_connection_is_dropped() -> None:
    async def reply(request: bytes, writer: asyncio.StreamWriter) -> None:
        if request.endswith(b"slow"):
            await asyncio.sleep(0.5)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        await writer.drain()

    async with serving(reply) as server:
        http = pool(server.port, timeout=0.1)
        try:
            with pytest.raises(ResponseTimeout) as timed_out:
                await http.post(b"slow")
            assert timed_out.value.sent
            assert await http.post(b"{}") == (200, b"{}")  # on a new connection, not the late answer
        finally:
            await http.aclose()
    assert server.connections == 2


async def test_the_guarded_pool_never_connects_to_loopback() -> None:
    async with serving(await fixed(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")) as server:
        http = pool(server.port, guarded=True)
        with pytest.raises(ConnectFailed, match="non-public") as refused:
            await http.post(b"{}")
    assert not refused.value.sent and server.connections == 0


def test_a_header_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        HttpPool(
            "http://127.0.0.1:1/",
            {"Authorization": "Bearer t\r\nX-Injected: 1"},
            timeout=1,
            connect_timeout=1,
            max_connections=1,
            guarded=False,
        )


def http_answer(status: str, body: bytes) -> bytes:
    return b"HTTP/1.1 %s\r\nContent-Length: %d\r\n\r\n%s" % (status.encode(), len(body), body)


@pytest.mark.parametrize(
    ("answer", "error", "may_have_applied"),
    [
        (http_answer("503 Service Unavailable", b'{"errors":[{"message":"down"}]}'), SaleorUnavailable, True),
        (http_answer("429 Too Many Requests", b""), SaleorUnavailable, False),
        (http_answer("200 OK", b"<html>"), SaleorUnavailable, True),
        (http_answer("400 Bad Request", b"<html>"), SaleorGraphQLError, None),
        (http_answer("400 Bad Request", b'{"errors":[{"message":"no"}]}'), SaleorGraphQLError, None),
    ],
    ids=["503-with-errors", "429", "200-not-json", "400-not-json", "400-graphql-errors"],
)
async def test_the_client_reads_answers_into_typed_errors(
    answer: bytes, error: type[Exception], may_have_applied: bool | None
) -> None:
    async with serving(await fixed(answer)) as server:
        client = SaleorClient(f"http://127.0.0.1:{server.port}/graphql/", "t", 2.0)
        try:
            with pytest.raises(error) as raised:
                await client.execute("AppId")
        finally:
            await client.aclose()
    if may_have_applied is not None:
        assert isinstance(raised.value, SaleorUnavailable)
        assert raised.value.may_have_applied is may_have_applied


def test_the_pool_runs_on_uvloop_as_the_app_does_under_uvicorn() -> None:
    uvloop = pytest.importorskip("uvloop")

    async def twice() -> list[tuple[int, bytes]]:
        async with serving(await fixed(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")) as server:
            http = pool(server.port)
            try:
                return [await http.post(b"{}"), await http.post(b"{}")]
            finally:
                await http.aclose()

    assert uvloop.run(twice()) == [(200, b"{}")] * 2
