"""The app's CPU per request to Saleor: `SaleorClient.mutate` of CheckoutLinesAdd, baseline vs current.

One command: `.venv/bin/python bench/transport_bench.py --baseline-ref 69d3a44`. A minimal asyncio
HTTP/1.1 server in its own process answers every request with the captured Saleor 3.23 answer to
CheckoutLinesAdd (1.4 kB), so only the client's CPU is counted. Each variant (the baseline's
saleor_upsell_app unpacked from git, then this checkout's) runs the same client in a subprocess, rounds
alternating, ``--concurrency`` requests in flight over the client's keep-alive pool. Reported per request:
the client process's CPU (µs), and the same for a bare ``httpx.AsyncClient.post`` as a reference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fixed_response_server import serve as serve_fixed  # noqa: E402

CAPTURE = (
    ROOT.parent
    / "shared"
    / "saleor"
    / "captures"
    / "graphql-app-checkoutLinesAdd-custom-price-force-new-line.json"
)


def _response() -> bytes:
    body = json.dumps(json.loads(CAPTURE.read_text())["response"]["body"]).encode()
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nserver: uvicorn\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def serve() -> None:
    serve_fixed(_response())


VARIABLES = json.loads(CAPTURE.read_text())["request"]["body"]["variables"]


async def _timed(call: Any, requests: int, concurrency: int) -> float:
    await call()  # connect, warm caches
    left = requests

    async def one_worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    cpu = time.process_time()
    await asyncio.gather(*(one_worker() for _ in range(concurrency)))
    return (time.process_time() - cpu) / requests * 1e6


def client(port: int, requests: int, concurrency: int, bare: bool) -> None:
    url = f"http://127.0.0.1:{port}/graphql/"

    async def main() -> dict[str, float]:
        if bare:
            import httpx

            async with httpx.AsyncClient() as http:
                query = {"query": "mutation { x }", "variables": VARIABLES}

                async def post() -> None:
                    (await http.post(url, json=query)).json()

                return {"cpu_us_per_request": await _timed(post, requests, concurrency)}
        import inspect

        from saleor_upsell_app.saleor.client import SaleorClient

        if "guarded" in inspect.signature(SaleorClient).parameters:  # the lean client (unguarded: loopback)
            saleor = SaleorClient(url, "bench-token", 10.0)
        else:  # the gql/httpx client, with its transport as the app builds it when private URLs are allowed
            from saleor_upsell_app.saleor.url_safety import transport_factory

            saleor = SaleorClient(url, "bench-token", 10.0, transport_factory(allow_private=True))  # type: ignore[arg-type]
        try:

            async def mutate() -> None:
                await saleor.mutate("CheckoutLinesAdd", VARIABLES)

            return {"cpu_us_per_request": await _timed(mutate, requests, concurrency)}
        finally:
            await saleor.aclose()

    print(json.dumps(asyncio.run(main())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--baseline-ref", help="git ref whose SaleorClient is measured first, e.g. 69d3a44")
    parser.add_argument("--role", choices=["serve", "client"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "serve":
        return serve()
    if args.role == "client":
        return client(args.port, args.requests, args.concurrency, args.bare)

    sys.path.insert(0, str(ROOT))
    from bench.harness import source_tree

    me = [sys.executable, str(Path(__file__).resolve())]
    with ExitStack() as stack:
        trees: dict[str, Path] = {}
        if args.baseline_ref:
            trees[f"baseline: {args.baseline_ref}"] = stack.enter_context(source_tree(args.baseline_ref))
        trees["current"] = ROOT
        server = subprocess.Popen([*me, "--role", "serve"], stdout=subprocess.PIPE, text=True)
        stack.callback(server.wait)
        stack.callback(server.terminate)
        assert server.stdout is not None
        port = int(server.stdout.readline())
        runs: dict[str, list[float]] = {name: [] for name in [*trees, "bare httpx.AsyncClient.post"]}
        for _ in range(args.rounds):
            for name in runs:
                tree = trees.get(name, ROOT)
                command = [*me, "--role", "client", "--port", str(port)]
                command += ["--requests", str(args.requests), "--concurrency", str(args.concurrency)]
                if name not in trees:
                    command.append("--bare")
                env = {**os.environ, "PYTHONPATH": str(tree)}
                out = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True, check=True)
                runs[name].append(json.loads(out.stdout)["cpu_us_per_request"])
        load = os.getloadavg()
        print(
            json.dumps(
                {
                    "requests": args.requests,
                    "rounds": args.rounds,
                    "concurrency": args.concurrency,
                    "load_average": [round(x, 2) for x in load],
                    "client_cpu_us_per_request (sorted rounds)": {
                        name: sorted(round(r) for r in values) for name, values in runs.items()
                    },
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
