"""Ingest breakdown for bench/ingest_bench.py: the app's webhook verification without the inbox write."""

import os
import time
from datetime import UTC, datetime

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from saleor_upsell_app.saleor.apl import AuthData as InstallationData
from saleor_upsell_app.saleor.errors import ProtocolError
from saleor_upsell_app.saleor.jwks import JwksRefetchLimiter
from saleor_upsell_app.saleor.webhook_validation import verify_webhook

INSTALLATION = InstallationData(
    id=1,
    saleor_api_url=os.environ["BENCH_SALEOR_API_URL"],
    app_id="QXBwOjE=",
    token="bench",
    jwks=os.environ["BENCH_JWKS"],
    jwks_fetched_at=datetime.now(UTC),
    domain=None,
)
app = FastAPI()
limiter = JwksRefetchLimiter(10)


async def lookup(url: str) -> InstallationData | None:
    return INSTALLATION if url == INSTALLATION.saleor_api_url else None


async def no_refresh(_: InstallationData) -> str | None:
    return None


@app.post("/api/webhooks/checkout-updated")
async def receive(request: Request) -> JSONResponse:
    try:
        await verify_webhook(
            headers=request.headers,
            read_body=request.body,
            expected_event="checkout_updated",
            lookup=lookup,
            refresh_jwks=no_refresh,
            limiter=limiter,
        )
    except ProtocolError as exc:
        return JSONResponse(exc.as_body(), status_code=exc.status)
    time.monotonic()
    return JSONResponse({"success": True})
