"""Fuzzing the webhook door: correctly signed random bodies (random JSON around Saleor's envelope,
random bytes) on every webhook route, over real HTTP. The app never answers 5xx, and whatever it
accepted is processed or parked: the workers keep going."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from tests.conftest import AppUnderTest
from tests.web.test_webhook_envelope import envelope

EVENTS = ("CHECKOUT_CREATED", "CHECKOUT_UPDATED", "ORDER_CREATED", "APP_DELETED")
KEYS = st.sampled_from(
    ["issuedAt", "issuingPrincipal", "checkout", "order", "app", "id", "__typename", "lines", "version"]
) | st.text(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["2026-12-02T01:00:00", "0001-01-01T00:00:00+23:59", "2026-12-02T01:00:00+00:00"])
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=30,
)
ENVELOPES = st.fixed_dictionaries(
    {},
    optional={
        "issuedAt": SCALARS,
        "issuingPrincipal": JSON,
        "checkout": JSON | st.fixed_dictionaries({"id": st.text(max_size=300)}, optional={"lines": JSON}),
        "order": JSON | st.fixed_dictionaries({"id": st.text(max_size=300)}),
        "app": JSON,
    },
)


def _encode(value: Any) -> bytes:
    return json.dumps(value).encode()


BODIES = (
    ENVELOPES.map(_encode)
    | JSON.map(_encode)
    | st.binary(max_size=200)
    | st.integers(1, 1100).map(lambda depth: b'{"checkout": ' + b"[" * depth + b"]" * depth + b"}")
)


async def test_signed_random_bodies_never_get_a_5xx(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    urls = {event: emulator.build_webhook_request(event, envelope()).url for event in EVENTS}
    statuses: dict[int, int] = {}
    client = httpx.Client(timeout=10)  # used only by the fuzzing thread

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(event=st.sampled_from(EVENTS), body=BODIES)
    def fuzz(event: str, body: bytes) -> None:
        request = emulator.sign_request(event, urls[event], body, app_id=installed.id)
        reply = client.post(request.url, headers=request.headers, content=request.body)
        statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
        assert reply.status_code < 500, (event, body[:200], reply.text)

    try:
        await asyncio.to_thread(fuzz)  # the app keeps serving on this loop meanwhile
    finally:
        await asyncio.to_thread(client.close)
    assert statuses.get(400, 0) > 0 and statuses.get(200, 0) > 0, statuses  # both sides were reached
    await app.wait_idle(emulator, timeout=60)  # nothing accepted is left stuck
