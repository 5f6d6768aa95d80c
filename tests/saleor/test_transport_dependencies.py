"""The HTTP transport's optional dependencies that cost CPU when missing."""

from __future__ import annotations

import importlib.util

import httpcore._synchronization as synchronization


async def test_sniffio_is_installed_so_httpcore_does_not_search_for_it_per_request() -> None:
    # Without sniffio, httpcore's current_async_library() retries `import sniffio` on every call and
    # searches sys.path each time (~7% of the app's CPU; bench/RESULTS.md).
    assert importlib.util.find_spec("sniffio") is not None
    assert synchronization.current_async_library() == "asyncio"
