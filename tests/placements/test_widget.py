"""The storefront widget as served: its size budget, its headers, and the API reachable from a
storefront's own origin (CORS)."""

from __future__ import annotations

import gzip
import shutil
import subprocess

import httpx
import pytest

from saleor_upsell_app.main import STATIC_DIR
from tests.conftest import AppUnderTest

WIDGET = STATIC_DIR / "storefront" / "upsell.js"
BUDGET_GZIPPED = 15 * 1024  # the budget the docs state (docs/storefront-widget.md)


def test_widget_stays_within_its_size_budget() -> None:
    size = len(gzip.compress(WIDGET.read_bytes(), compresslevel=9))
    assert 0 < size <= BUDGET_GZIPPED, f"upsell.js is {size} bytes gzipped (budget {BUDGET_GZIPPED})"


def test_widget_is_plain_javascript_without_dependencies() -> None:
    source = WIDGET.read_text()
    assert "import " not in source and "require(" not in source  # nothing to fetch before it runs
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    subprocess.run([node, "--check", str(WIDGET)], check=True)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_widget_is_served_and_the_api_answers_other_origins(app: AppUnderTest) -> None:
    async with httpx.AsyncClient(base_url=app.base_url) as client:
        served = await client.get("/storefront/upsell.js")
        assert served.status_code == 200 and served.content == WIDGET.read_bytes()
        assert served.headers["content-type"] == "text/javascript; charset=utf-8"
        assert served.headers["cache-control"] == "public, max-age=300"
        preflight = await client.options(
            "/graphql",
            headers={
                "origin": "https://shop.example.com",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"
        # The dashboard's token header is not allowed cross-origin: only storefront fields are usable.
        assert "authorization-bearer" not in preflight.headers["access-control-allow-headers"]
