"""A keep-alive HTTP/1.1 server answering every request with the same bytes, for client-side benches
(bench/sniffio_bench.py, bench/transport_bench.py). Standard library only: importing it loads nothing
that the benches compare (httpx, httpcore, sniffio)."""

from __future__ import annotations

import asyncio


async def _serve(response: bytes, ready: asyncio.Future[int]) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                writer.write(response)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    ready.set_result(server.sockets[0].getsockname()[1])
    async with server:
        await server.serve_forever()


def serve(response: bytes) -> None:
    """Listen on a free loopback port, print it on stdout, answer ``response`` until killed."""

    async def main() -> None:
        ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(_serve(response, ready))
        print(await ready, flush=True)
        await task

    asyncio.run(main())
