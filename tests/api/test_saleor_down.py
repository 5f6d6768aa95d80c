"""When Saleor is away: a clear SALEOR_UNAVAILABLE, and saved settings still show."""

from __future__ import annotations

from tests.api.client import Api, error_codes


async def test_saleor_unavailable(api: Api) -> None:
    save = """mutation { channelSettingsUpdate(channel: "default-channel", input: {mode: OFFER}) {
      errors { code } } }"""
    await api.data(save)
    api.emulator.fail_graphql(times=None, status=503)
    try:
        search = await api.dashboard('{ catalogSearch(search: "mug", channel: "default-channel") { id } }')
        assert error_codes(search) == [("SALEOR_UNAVAILABLE", None)]

        assert error_codes(await api.dashboard("{ channels { slug } }")) == [("SALEOR_UNAVAILABLE", None)]

        settings = (await api.data("{ channelSettings { channel mode isDefault } }"))["channelSettings"]
        assert settings == [{"channel": "default-channel", "mode": "OFFER", "isDefault": False}]
    finally:
        api.emulator.clear_failures()
