"""What a missing `sniffio` costs each HTTP request the app makes (httpx/httpcore, as to Saleor).

One command: `.venv/bin/python bench/sniffio_bench.py`. Runs the same client in subprocesses, with sniffio
hidden (bench/without_sniffio/, the app before sniffio was a dependency) and installed, alternating, and
reports per request: how often httpcore asks which async library runs, and the client's CPU. The server
is a minimal asyncio HTTP/1.1 responder in its own process, so only the client's CPU is counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fixed_response_server import serve as serve_fixed  # noqa: E402

RESPONSE = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-type: application/json\r\n\r\n{}"


def serve() -> None:
    serve_fixed(RESPONSE)


def client(port: int, requests: int) -> None:
    import httpcore._synchronization as synchronization
    import httpx

    calls = 0
    original = synchronization.current_async_library

    def counted() -> str:
        nonlocal calls
        calls += 1
        return original()

    for module in list(sys.modules.values()):
        if getattr(module, "current_async_library", None) is original:
            module.current_async_library = counted  # type: ignore[attr-defined]

    async def main() -> dict[str, float]:
        nonlocal calls
        async with httpx.AsyncClient() as http:
            url = f"http://127.0.0.1:{port}/graphql/"
            await http.post(url, json={"query": "{ shop { name } }"})
            calls = 0
            cpu = time.process_time()
            for _ in range(requests):
                await http.post(url, json={"query": "{ shop { name } }"})
            cpu = time.process_time() - cpu
        return {"calls_per_request": calls / requests, "client_cpu_us_per_request": cpu / requests * 1e6}

    print(json.dumps(asyncio.run(main())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--role", choices=["serve", "client"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "serve":
        return serve()
    if args.role == "client":
        return client(args.port, args.requests)
    me = [sys.executable, str(Path(__file__).resolve())]
    server = subprocess.Popen([*me, "--role", "serve"], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        results: dict[str, list[dict[str, float]]] = {"without sniffio (before)": [], "with sniffio": []}
        for _ in range(args.rounds):
            for name in results:
                env = dict(os.environ)
                if name.startswith("without"):
                    env["PYTHONPATH"] = str(ROOT / "bench" / "without_sniffio")
                command = [*me, "--role", "client", "--port", str(port), "--requests", str(args.requests)]
                out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
                results[name].append(json.loads(out))
        summary = {
            name: {
                "calls_per_request": runs[0]["calls_per_request"],
                "client_cpu_us_per_request": sorted(round(r["client_cpu_us_per_request"]) for r in runs),
            }
            for name, runs in results.items()
        }
        print(json.dumps({"requests": args.requests, "rounds": args.rounds, **summary}, indent=2))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
