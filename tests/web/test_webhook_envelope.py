"""The webhook envelope is checked at the door: a signed body the app cannot read (too deep, a timestamp
without an offset or out of range, a principal or subject of the wrong type, an id too long to store)
is refused with 400 and a named code, and never reaches the inbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from testing.saleor_emulator.delivery import WebhookRequest
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from tests.conftest import AppUnderTest


def envelope(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "issuedAt": datetime.now(UTC).isoformat(),
        "version": "3.23.28",
        "issuingPrincipal": None,
        "recipient": None,
        "checkout": None,
    }
    return base | fields


def signed(emulator: SaleorEmulator, event: str, body: bytes) -> WebhookRequest:
    """A request for `event` carrying exactly `body`, signed with Saleor's key."""
    template = emulator.build_webhook_request(event, envelope())
    return emulator.sign_request(event, template.url, body, app_id=template.app_id)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def post(request: WebhookRequest) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(request.url, headers=request.headers, content=request.body)


async def inbox_size(app: AppUnderTest) -> int:
    return sum((await app.data.inbox.counts()).values())


NOW = datetime.now(UTC).isoformat()
REFUSED = [
    (
        "deep",
        b'{"issuedAt": null, "checkout": {"id": "x", "deep": ' + nested(1005).encode() + b"}}",
        "PAYLOAD_TOO_DEEP",
    ),
    ("deep-just-over", b'{"checkout": {"id": "x", "d": ' + nested(130).encode() + b"}}", "PAYLOAD_TOO_DEEP"),
    ("naive-issued-at", envelope(issuedAt="2026-12-02T01:00:00"), "INVALID_ISSUED_AT"),
    ("overflowing-issued-at", envelope(issuedAt="0001-01-01T00:00:00+23:59"), "INVALID_ISSUED_AT"),
    ("garbage-issued-at", envelope(issuedAt="yesterday"), "INVALID_ISSUED_AT"),
    ("far-future-issued-at", envelope(issuedAt="9999-12-31T23:59:59+00:00"), "INVALID_ISSUED_AT"),
    ("number-issued-at", envelope(issuedAt=17), "INVALID_ISSUED_AT"),
    ("string-principal", envelope(issuingPrincipal="App"), "INVALID_ENVELOPE"),
    ("list-principal", envelope(issuingPrincipal=[]), "INVALID_ENVELOPE"),
    ("list-checkout", envelope(checkout=[{"id": "x"}]), "INVALID_ENVELOPE"),
    ("string-checkout", envelope(checkout="not-a-checkout"), "INVALID_ENVELOPE"),
    ("checkout-without-id", envelope(checkout={"token": "x"}), "INVALID_ENVELOPE"),
    ("numeric-checkout-id", envelope(checkout={"id": 12}), "INVALID_ENVELOPE"),
    ("long-checkout-id", envelope(checkout={"id": "Q" * 300}), "INVALID_ENVELOPE"),
    ("array-body", [envelope()], "INVALID_BODY"),
    ("not-utf8", b'{"checkout": null, "x": "\xff"}', "INVALID_BODY"),
    ("not-json", b"{", "INVALID_BODY"),
]


@pytest.mark.parametrize(("case", "body", "code"), REFUSED, ids=[case for case, _, _ in REFUSED])
async def test_unreadable_envelopes_are_refused_with_a_named_code(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, case: str, body: Any, code: str
) -> None:
    import json

    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = await post(signed(emulator, "CHECKOUT_UPDATED", raw))
    assert (response.status_code, response.json()["error"]["code"]) == (400, code), response.text
    assert await inbox_size(app) == 0


async def test_payload_at_the_depth_limit_is_accepted(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    # 64 levels, the envelope included: deeper than any payload Saleor sends, far below any parser limit.
    body = b'{"issuedAt": null, "checkout": {"id": "Q2hlY2tvdXQ6MQ==", "d": ' + nested(62).encode() + b"}}"
    response = await post(signed(emulator, "CHECKOUT_UPDATED", body))
    assert response.status_code == 200, response.text
    assert await inbox_size(app) == 1


@pytest.mark.parametrize(
    "issued_at", ["2026-12-02T01:00:00+00:00", "2026-12-02T01:00:00Z", "2026-12-02T03:00:00.123456+02:00"]
)
async def test_issued_at_with_an_offset_is_stored_in_utc(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, issued_at: str
) -> None:
    response = await post(signed(emulator, "CHECKOUT_UPDATED", _json(envelope(issuedAt=issued_at))))
    assert response.status_code == 200, response.text
    [row] = await app.data.inbox.rows()
    assert row.issued_at == datetime.fromisoformat(issued_at).astimezone(UTC)


def _json(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


async def test_one_stores_malformed_events_never_fail_another_stores_webhooks(db_url: str) -> None:
    from datetime import timedelta

    from tests.conftest import FAST_RETRIES, run_app

    async with (
        SaleorEmulator(retry_delays=FAST_RETRIES) as store_a,
        SaleorEmulator(retry_delays=FAST_RETRIES) as store_b,
        run_app(db_url, run_workers=False) as app,
    ):
        await store_a.install_app(app.manifest_url)
        await store_b.install_app(app.manifest_url)
        start = datetime.now(UTC) - timedelta(minutes=1)
        genuine = [
            store_b.build_webhook_request(
                "CHECKOUT_UPDATED",
                envelope(issuedAt=(start + timedelta(milliseconds=n)).isoformat(), checkout={"id": f"c{n}"}),
            )
            for n in range(60)
        ]
        bad_bodies = [_json(body) if not isinstance(body, bytes) else body for _, body, _ in REFUSED]
        malformed = [signed(store_a, "CHECKOUT_UPDATED", body) for body in bad_bodies * 2]
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=200), timeout=60) as client:
            replies = await asyncio.gather(
                *(
                    client.post(r.url, headers=r.headers, content=r.body)
                    for r in [x for pair in zip(genuine, malformed, strict=False) for x in pair]
                    + genuine[len(malformed) :]
                )
            )
        by_store: dict[str, list[int]] = {}
        for reply in replies:
            store = reply.request.headers["saleor-api-url"]
            by_store.setdefault(store, []).append(reply.status_code)
        assert by_store[store_b.api_url] == [200] * 60
        assert set(by_store[store_a.api_url]) == {400}
        assert (await app.data.inbox.counts()) == {"pending": 60}
