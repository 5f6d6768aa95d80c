"""GET /metrics: webhooks received and refused by code, inbox depth, oldest waiting event, parked count,
processing latency, and Saleor call latency and errors, as Prometheus reads them."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.sample_data import TEE_S
from tests.bumps.helpers import add_rule, offer_lines
from tests.conftest import run_app
from tests.web.test_webhook_envelope import envelope, nested, signed

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(base_url: str, **headers: str) -> Samples:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{base_url}/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_show_webhooks_inbox_and_saleor_calls(
    sqlite_url: str, emulator: SaleorEmulator
) -> None:
    async with run_app(sqlite_url, inbox_max_attempts=2) as app:
        await emulator.install_app(app.manifest_url)
        before = await scrape(app.base_url)
        await add_rule(app)
        checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
        await app.wait_idle(emulator)
        assert len(offer_lines(await emulator.shopper.checkout(checkout["id"]))) == 1

        async with httpx.AsyncClient() as client:
            good = emulator.build_webhook_request("CHECKOUT_UPDATED", envelope())
            for request in [good, good]:  # stored, then a duplicate
                await client.post(request.url, headers=request.headers, content=request.body)
            deep = signed(emulator, "CHECKOUT_UPDATED", b'{"checkout": ' + nested(100).encode() + b"}")
            await client.post(deep.url, headers=deep.headers, content=deep.body)
            await client.post(
                good.url, headers=good.headers | {"Saleor-Signature": "x.y.z"}, content=good.body
            )
        # Saleor refusing the next bump for good: retried once, then parked.
        emulator.fail_graphql(times=None, status=503, only="checkoutLinesAdd")
        await emulator.shopper.create_checkout([(TEE_S, 1)])
        await app.wait_idle(emulator, timeout=30)
        emulator.clear_failures()
        after = await scrape(app.base_url)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    event = "CHECKOUT_UPDATED"
    assert delta("saleor_upsell_webhooks_received_total", event="CHECKOUT_CREATED", outcome="stored") == 2
    assert delta("saleor_upsell_webhooks_received_total", event=event, outcome="duplicate") == 1
    assert delta("saleor_upsell_webhooks_received_total", event=event, outcome="own_event") >= 1
    refused = "saleor_upsell_webhooks_refused_total"
    assert delta(refused, event=event, code="PAYLOAD_TOO_DEEP", status="400") == 1
    assert delta(refused, event=event, code="SIGNATURE_VERIFICATION_FAILED", status="401") == 1

    processing = "saleor_upsell_inbox_processing_seconds_count"
    assert delta(processing, event="CHECKOUT_CREATED", outcome="done") == 1
    assert delta(processing, event=event, outcome="done") == 1
    assert delta(processing, event="CHECKOUT_CREATED", outcome="retry") == 1
    assert delta(processing, event="CHECKOUT_CREATED", outcome="parked") == 1

    add = "CheckoutLinesAdd"
    assert delta("saleor_upsell_saleor_request_seconds_count", operation=add) == 3  # 1 made, 2 refused
    assert delta("saleor_upsell_saleor_errors_total", operation=add, code="SALEOR_UNAVAILABLE") == 2

    assert value(after, "saleor_upsell_inbox_events", status="parked") == 1
    assert value(after, "saleor_upsell_inbox_events", status="pending") == 0
    assert value(after, "saleor_upsell_database_up") == 1


async def test_oldest_waiting_event_and_the_metrics_token(sqlite_url: str, emulator: SaleorEmulator) -> None:
    async with run_app(sqlite_url, run_workers=False, metrics_token="s3cret-metrics-token") as app:
        await emulator.install_app(app.manifest_url)
        await emulator.shopper.create_checkout([(TEE_S, 1)])
        await emulator.drain()
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"{app.base_url}/metrics")).status_code == 401
            wrong = {"Authorization": "Bearer nope"}
            assert (await client.get(f"{app.base_url}/metrics", headers=wrong)).status_code == 401
        samples = await scrape(app.base_url, Authorization="Bearer s3cret-metrics-token")
        assert value(samples, "saleor_upsell_inbox_events", status="pending") == 1
        assert 0 < value(samples, "saleor_upsell_inbox_oldest_pending_age_seconds") < 60
