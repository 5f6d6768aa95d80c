"""Channel settings: defaults, partial updates, validation with GraphQL field names."""

from __future__ import annotations

from tests.api.client import Api

FIELDS = """channel mode maxOffersPerCheckout allowMoreThanTwo priceCeilingPercent holdoutPercent
            allowAfterDeliveryMethod postPurchaseAutoConfirm isDefault"""
UPDATE = f"""mutation($channel: String!, $input: ChannelSettingsInput!) {{
  channelSettingsUpdate(channel: $channel, input: $input) {{
    settings {{ {FIELDS} }} errors {{ field code message }} }}
}}"""
ONE = f"query($channel: String!) {{ channelSetting(channel: $channel) {{ {FIELDS} }} }}"
ONE_REASON = "query($channel: String!) { channelSetting(channel: $channel) { mode defaultModeReason } }"


async def test_defaults_then_partial_updates(api: Api) -> None:
    default = (await api.data(ONE, {"channel": "default-channel"}))["channelSetting"]
    assert default["isDefault"] is True
    assert (default["mode"], default["maxOffersPerCheckout"], default["priceCeilingPercent"]) == (
        "INJECT",
        1,
        "25",
    )

    first = await api.data(
        UPDATE, {"channel": "default-channel", "input": {"mode": "OFFER", "holdoutPercent": "10"}}
    )
    settings = first["channelSettingsUpdate"]["settings"]
    assert (settings["mode"], settings["holdoutPercent"], settings["isDefault"]) == ("OFFER", "10", False)

    # Omitted fields keep their value; null removes the ceiling.
    second = await api.data(
        UPDATE,
        {
            "channel": "default-channel",
            "input": {"priceCeilingPercent": None, "postPurchaseAutoConfirm": True},
        },
    )
    settings = second["channelSettingsUpdate"]["settings"]
    assert (settings["mode"], settings["holdoutPercent"]) == ("OFFER", "10")
    assert settings["priceCeilingPercent"] is None and settings["postPurchaseAutoConfirm"] is True

    stored = await api.app.data.rules.channel_settings(await api.installation_id(), "default-channel")
    assert (
        stored.mode == "offer" and stored.price_ceiling_percent is None and stored.post_purchase_auto_confirm
    )
    jpy = (await api.data(ONE_REASON, {"channel": "channel-jpy"}))["channelSetting"]
    assert jpy == {"mode": "INJECT", "defaultModeReason": None}


async def test_eu_currency_channel_starts_in_offer_mode_and_says_why(api: Api) -> None:
    other = (await api.data(ONE_REASON, {"channel": "channel-pln"}))["channelSetting"]
    assert other["mode"] == "OFFER" and "Art. 22" in other["defaultModeReason"]
    listed = (await api.data("{ channelSettings { channel mode defaultModeReason } }"))["channelSettings"]
    pln = next(s for s in listed if s["channel"] == "channel-pln")
    assert pln["mode"] == "OFFER" and "PLN is an EU/EEA currency" in pln["defaultModeReason"]

    # A first save that does not touch the mode keeps the default it started from.
    saved = await api.data(UPDATE, {"channel": "channel-pln", "input": {"holdoutPercent": "5"}})
    settings = saved["channelSettingsUpdate"]["settings"]
    assert (settings["mode"], settings["isDefault"]) == ("OFFER", False)
    after = (await api.data(ONE_REASON, {"channel": "channel-pln"}))["channelSetting"]
    assert after == {"mode": "OFFER", "defaultModeReason": None}  # chosen now: no reason to explain


async def test_validation_errors(api: Api) -> None:
    result = await api.data(UPDATE, {"channel": "default-channel", "input": {"holdoutPercent": "80"}})
    errors = result["channelSettingsUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("holdoutPercent", "INVALID")]

    result = await api.data(UPDATE, {"channel": "default-channel", "input": {"maxOffersPerCheckout": 3}})
    [error] = result["channelSettingsUpdate"]["errors"]
    assert error["field"] is None and "allow_more_than_two" in error["message"]
    allowed = await api.data(
        UPDATE, {"channel": "default-channel", "input": {"maxOffersPerCheckout": 3, "allowMoreThanTwo": True}}
    )
    assert allowed["channelSettingsUpdate"]["settings"]["maxOffersPerCheckout"] == 3


async def test_list_covers_saved_and_saleor_channels(api: Api) -> None:
    await api.data(UPDATE, {"channel": "channel-jpy", "input": {"mode": "OFFER"}})
    listed = (await api.data(f"{{ channelSettings {{ {FIELDS} }} }}"))["channelSettings"]
    by_channel = {s["channel"]: s for s in listed}
    assert set(by_channel) == {"channel-jpy", "default-channel", "channel-pln"}  # the emulator's channels
    assert by_channel["channel-jpy"]["isDefault"] is False and by_channel["channel-jpy"]["mode"] == "OFFER"
    assert by_channel["channel-pln"]["isDefault"] is True
    channels = (await api.data("{ channels { slug currencyCode } }"))["channels"]
    assert {"slug": "channel-jpy", "currencyCode": "JPY"} in channels
