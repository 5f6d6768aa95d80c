"""A channel priced in an EU/EEA currency starts in offer mode until the merchant chooses: nothing is
added to its checkouts without the shopper's consent (Consumer Rights Directive, Art. 22)."""

from __future__ import annotations

from typing import Any

import pytest

from saleor_upsell_app.engine.consent import default_channel_settings
from saleor_upsell_app.engine.holdout import in_holdout
from saleor_upsell_app.rules.service import create_rule
from testing.sample_data import TEE_S, bump_rule
from tests.api.client import Api
from tests.bumps.helpers import offer_lines, set_channel

OFFERS = """query($saleorApiUrl: String!, $checkoutId: ID!) { checkoutOffers(saleorApiUrl: $saleorApiUrl,
  checkoutId: $checkoutId) { mode channel offers { ruleId } } }"""


async def treated_checkout(api: Api, channel: str) -> dict[str, Any]:
    """A checkout outside the default holdout (the channel's settings are not saved, so it applies)."""
    holdout = default_channel_settings("PLN").holdout_percent
    while True:
        checkout = await api.emulator.shopper.create_checkout([(TEE_S, 1)], channel=channel)
        if not in_holdout(checkout["id"], holdout):
            return checkout


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_pln_channel_offers_instead_of_adding_until_the_merchant_chooses(api: Api) -> None:
    app, emulator = api.app, api.emulator
    await set_channel(app, "default-channel")  # USD: saved (inject, no holdout); PLN: nothing saved
    installation_id = await api.installation_id()
    async with app.data.db.transaction() as session:
        rule = await create_rule(session, installation_id, bump_rule(), app.data.clock())

    usd = await emulator.shopper.create_checkout([(TEE_S, 1)])
    pln = await treated_checkout(api, "channel-pln")
    await app.wait_idle(emulator)
    assert len(offer_lines(await emulator.shopper.checkout(usd["id"]))) == 1  # USD: inject, as before
    assert offer_lines(await emulator.shopper.checkout(pln["id"])) == []  # PLN: nothing added unasked
    listed = (await api.storefront(OFFERS, {"checkoutId": pln["id"]}))["data"]["checkoutOffers"]
    assert listed == {"mode": "OFFER", "channel": "channel-pln", "offers": [{"ruleId": str(rule.id)}]}

    # The merchant chooses inject for that channel knowingly: from then on the line is added.
    await set_channel(app, "channel-pln", mode="inject")
    app.parts.rules_cache.forget()
    chosen = await emulator.shopper.create_checkout([(TEE_S, 1)], channel="channel-pln")
    await app.wait_idle(emulator)
    assert len(offer_lines(await emulator.shopper.checkout(chosen["id"]))) == 1
