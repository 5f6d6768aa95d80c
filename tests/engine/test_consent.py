"""Defaults of a channel nothing was saved for: offer mode in EU/EEA currencies, inject elsewhere."""

from __future__ import annotations

import pytest

from saleor_upsell_app.engine.consent import default_channel_settings, default_mode_reason
from saleor_upsell_app.engine.spec import ChannelMode, ChannelSettingsSpec


@pytest.mark.parametrize("currency", ["EUR", "PLN", "SEK", "NOK", "ISK", "CHF", "eur"])
def test_eu_eea_currencies_start_in_offer_mode(currency: str) -> None:
    settings = default_channel_settings(currency)
    assert settings.mode == ChannelMode.OFFER
    assert settings.model_dump(exclude={"mode"}) == ChannelSettingsSpec().model_dump(exclude={"mode"})
    reason = default_mode_reason(currency)
    assert reason is not None and "Art. 22" in reason and currency.upper() in reason


@pytest.mark.parametrize("currency", ["USD", "JPY", "GBP", None, ""])
def test_other_currencies_keep_inject(currency: str | None) -> None:
    assert default_channel_settings(currency) == ChannelSettingsSpec()
    assert default_mode_reason(currency) is None
