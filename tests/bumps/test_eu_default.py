"""A channel priced in an EU/EEA currency starts in offer mode until the merchant chooses: nothing is
added to its checkouts without the shopper's consent (Consumer Rights Directive, Art. 22)."""

from __future__ import annotations

import pytest

from testing.sample_data import TEE_S
from tests.api.client import Api
from tests.bumps.helpers import add_rule, offer_lines, set_channel

OFFERS = """query($saleorApiUrl: String!, $checkoutId: ID!) { checkoutOffers(saleorApiUrl: $saleorApiUrl,
  checkoutId: $checkoutId) { mode channel offers { ruleId } } }"""


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_pln_channel_offers_instead_of_adding_until_the_merchant_chooses(api: Api) -> None:
    app, emulator = api.app, api.emulator
    rule_id = await add_rule(app)  # the tee triggers a juice, in every channel

    usd = await emulator.shopper.create_checkout([(TEE_S, 1)])
    pln = await emulator.shopper.create_checkout([(TEE_S, 1)], channel="channel-pln")
    await app.wait_idle(emulator)
    assert len(offer_lines(await emulator.shopper.checkout(usd["id"]))) == 1  # USD: inject, as before
    assert offer_lines(await emulator.shopper.checkout(pln["id"])) == []  # PLN: nothing added unasked
    listed = (await api.storefront(OFFERS, {"checkoutId": pln["id"]}))["data"]["checkoutOffers"]
    assert listed == {"mode": "OFFER", "channel": "channel-pln", "offers": [{"ruleId": str(rule_id)}]}

    # The merchant chooses inject for that channel knowingly: from then on the line is added.
    await set_channel(app, "channel-pln", mode="inject")
    app.parts.rules_cache.forget()
    chosen = await emulator.shopper.create_checkout([(TEE_S, 1)], channel="channel-pln")
    await app.wait_idle(emulator)
    assert len(offer_lines(await emulator.shopper.checkout(chosen["id"]))) == 1
