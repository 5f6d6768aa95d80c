"""Issue 11 item 8: storefront errors never carry Saleor's internal error text (messages, operation
names, HTTP details); they carry our own words and, for refused changes, Saleor's error codes."""

from __future__ import annotations

import pytest

from testing.saleor_emulator.catalog import Variant
from testing.sample_data import CUBES_M, TEE_S
from tests.api.client import Api, error_codes
from tests.bumps.helpers import offer_lines, set_channel
from tests.bumps.test_storefront import OFFERS, REVERT
from tests.rules.test_rules import upgrade_rule

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
async def test_saleor_down_is_said_in_our_words(api: Api) -> None:
    known = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
    await api.app.wait_idle(api.emulator)
    # A checkout whose webhook has not reached the app: its listing must ask Saleor.
    scheduled = api.emulator.deliverer.schedule
    api.emulator.deliverer.schedule = lambda make_request: None  # type: ignore[method-assign]
    try:
        unknown = await api.emulator.shopper.create_checkout([(TEE_S, 1)])
    finally:
        api.emulator.deliverer.schedule = scheduled  # type: ignore[method-assign]
    api.emulator.fail_graphql(times=None, status=503)
    try:
        body = await api.storefront(OFFERS, {"checkoutId": unknown["id"]})
        from_snapshot = await api.storefront(OFFERS, {"checkoutId": known["id"]})
    finally:
        api.emulator.clear_failures()
    assert error_codes(body) == [("SALEOR_UNAVAILABLE", None)]
    assert body["errors"][0]["message"] == "Saleor did not answer; try again."
    # The other one's fresh webhook snapshot answers without Saleor (bumps/storefront_reads.py).
    assert "errors" not in from_snapshot


@SQLITE_ONLY
async def test_a_change_saleor_refuses_shows_its_code_not_its_message(api: Api) -> None:
    app, emulator = api.app, api.emulator
    await api.data(
        "mutation($spec: JSON!) { ruleCreate(spec: $spec) { rule { id } errors { message } } }",
        {"spec": upgrade_rule(channels=[])},
    )
    await set_channel(app)  # no holdout: with the 10% default one checkout in ten gets no upgrade
    checkout = await emulator.shopper.create_checkout([(TEE_S, 2)])
    await app.wait_idle(emulator)
    [upgrade] = offer_lines(await emulator.shopper.checkout(checkout["id"]))
    assert upgrade["variant"]["id"] == CUBES_M
    tee = emulator.state.node(TEE_S)
    assert isinstance(tee, Variant)
    tee.quantity_available = 0  # the original cannot be added back

    body = await api.storefront(REVERT, {"checkoutId": checkout["id"], "lineId": upgrade["id"]})

    [error] = body["data"]["revertUpgrade"]["errors"]
    assert error["code"] == "SALEOR_ERROR"
    assert error["message"] == "Saleor refused the change (INSUFFICIENT_STOCK)."
