"""`python -m testing.saleor_standin [--port N]`: serve until killed; the first line on stdout is
`listening <port>` (port 0, the default, lets the OS pick a free one)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from collections.abc import Awaitable

from .http import Request, Response, serve
from .standin import StandIn


async def main(host: str, port: int, deliveries: int) -> None:
    standin: StandIn | None = None

    def handle(request: Request) -> Response | Awaitable[Response]:
        assert standin is not None
        return standin.handle(request)

    server = await serve(handle, host, port)
    bound = server.sockets[0].getsockname()[1]
    standin = StandIn(f"http://{host}:{bound}/graphql/", deliveries)
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stopping.set)
    print(f"listening {bound}", flush=True)
    async with server:
        await stopping.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--deliveries", type=int, default=64, help="shopper events in flight at once")
    args = parser.parse_args()
    with contextlib.suppress(ImportError):
        import uvloop  # the loop's own cost is part of the stand-in's CPU per event

        uvloop.install()
    asyncio.run(main(args.host, args.port, args.deliveries))
