"""Saleor failing the app's mutations: a 5xx or 429 is transient whatever its body says, a lost answer
(timeout or reset after Saleor took the mutation) keeps the claim and is reconciled from the checkout's
lines, nothing is ever doubled, and what keeps failing is parked with its reason."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from saleor_upsell_app.tables import CheckoutOffer
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.sample_data import TEE_S
from tests.bumps.helpers import add_rule, offer_lines
from tests.conftest import AppUnderTest, run_app

ADD = "checkoutLinesAdd"
ERRORS_BODY = {"errors": [{"message": "Service temporarily unavailable", "extensions": {}}]}


async def _claims(app: AppUnderTest) -> list[tuple[str, str | None]]:
    async with app.data.db.read() as session:
        return [(c.status, c.line_id) for c in await session.scalars(select(CheckoutOffer))]


async def _checkout_with_rule(app: AppUnderTest, emulator: SaleorEmulator) -> dict[str, Any]:
    await emulator.install_app(app.manifest_url)
    checkout: dict[str, Any] = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)  # processed before the rule exists: no offer yet
    await add_rule(app)
    return checkout


async def _update(app: AppUnderTest, emulator: SaleorEmulator, checkout: dict[str, Any]) -> list[Any]:
    emulator.send_event("CHECKOUT_UPDATED", emulator.checkout(checkout["id"]), principal=None)
    await app.wait_idle(emulator, timeout=30)
    return offer_lines(await emulator.shopper.checkout(checkout["id"]))


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"status": 503, "body": ERRORS_BODY}, id="503-with-graphql-errors"),
        pytest.param({"status": 502, "body": ERRORS_BODY}, id="502-with-graphql-errors"),
        pytest.param({"status": 429, "body": ERRORS_BODY}, id="429-with-graphql-errors"),
        pytest.param({"status": 503, "reset": True}, id="reset-before-saleor-took-it"),
    ],
)
async def test_transient_answers_are_retried_and_the_bump_made_once(
    db_url: str, emulator: SaleorEmulator, failure: dict[str, Any]
) -> None:
    async with run_app(db_url) as app:
        checkout = await _checkout_with_rule(app, emulator)
        emulator.fail_graphql(times=2, only=ADD, **failure)
        lines = await _update(app, emulator, checkout)
        assert len(lines) == 1
        assert await _claims(app) == [("applied", lines[0]["id"])]
        [event] = [row for row in await app.data.inbox.rows() if row.status == "done" and row.attempts > 1]
        assert event.attempts == 3  # two transient failures, then the bump


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"status": None, "reset": True, "after": True}, id="reset-after-saleor-took-it"),
        pytest.param({"status": None, "delay": 1.5, "after": True}, id="timeout-after-saleor-took-it"),
        pytest.param({"status": 504, "body": ERRORS_BODY, "after": True}, id="504-after-saleor-took-it"),
    ],
)
async def test_a_lost_answer_keeps_the_claim_and_the_bump_is_never_doubled(
    db_url: str, emulator: SaleorEmulator, failure: dict[str, Any]
) -> None:
    async with run_app(db_url, saleor_timeout_seconds=0.75) as app:
        checkout = await _checkout_with_rule(app, emulator)
        emulator.fail_graphql(times=1, only=ADD, **failure)
        lines = await _update(app, emulator, checkout)
        assert len(lines) == 1
        # The app still knows the line is its own: its record names the line Saleor holds.
        assert await _claims(app) == [("applied", lines[0]["id"])]
        adds = [call for call in emulator.graphql_calls if ADD in call.query]
        assert len(adds) == 1  # reconciled from the lines, not added again

        # The shopper removes it: recorded as declined, and never added again.
        await emulator.shopper.remove_lines(checkout["id"], [lines[0]["id"]])
        await app.wait_idle(emulator)
        assert offer_lines(await emulator.shopper.checkout(checkout["id"])) == []
        assert await _claims(app) == [("declined", lines[0]["id"])]


async def test_saleor_failing_for_good_parks_the_event_with_its_reason(
    db_url: str, emulator: SaleorEmulator
) -> None:
    async with run_app(db_url, inbox_max_attempts=3) as app:
        checkout = await _checkout_with_rule(app, emulator)
        emulator.fail_graphql(times=None, status=503, body=ERRORS_BODY, only=ADD)
        assert await _update(app, emulator, checkout) == []
        [parked] = await app.data.inbox.rows("parked")
        assert parked.attempts == 3
        assert "SaleorUnavailable" in (parked.last_error or "") and "HTTP 503" in (parked.last_error or "")
        # A 5xx may follow a landed mutation: the claim is kept (no line holds it), for reconcile.
        assert await _claims(app) == [("claimed", None)]

        emulator.clear_failures()
        await app.data.inbox.retry_parked(parked.id, app.data.clock())
        app.data.wake_workers()
        await app.wait_idle(emulator)
        lines = offer_lines(await emulator.shopper.checkout(checkout["id"]))
        assert len(lines) == 1 and await _claims(app) == [("applied", lines[0]["id"])]
