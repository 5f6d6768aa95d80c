"""Where a line added without asking is not allowed: a channel priced in an EU/EEA currency starts in
offer mode (nothing is added; the shopper opts in) until the merchant chooses a mode.

The Consumer Rights Directive (2011/83/EU), Art. 22, requires the consumer's express consent to any
payment beyond the main obligation and rules out consent inferred from a pre-ticked default; an
injected bump is such a default. A channel's currency is what the app knows of it in every checkout
event, so it decides the default here. (A channel priced in USD that sells into the EU is not
recognised: its merchant chooses offer mode in the settings.)
"""

from __future__ import annotations

from .spec import ChannelMode, ChannelSettingsSpec

# The currencies of the EU and EEA states: the euro, the EU's other currencies, and Iceland's,
# Norway's and Liechtenstein's (CHF, which Switzerland shares; offer mode is the careful default there).
EU_EEA_CURRENCIES = frozenset({"EUR", "BGN", "CZK", "DKK", "HUF", "PLN", "RON", "SEK", "ISK", "NOK", "CHF"})

ART_22_REASON = (
    "Offer mode until you choose: {currency} is an EU/EEA currency, and EU consumer law (Consumer Rights "
    "Directive, Art. 22) does not allow an extra payment added by default: the shopper must opt in."
)


def needs_opt_in(currency: str | None) -> bool:
    return bool(currency) and str(currency).upper() in EU_EEA_CURRENCIES


def default_channel_settings(currency: str | None) -> ChannelSettingsSpec:
    """The settings of a channel the merchant has not configured yet."""
    return ChannelSettingsSpec(mode=ChannelMode.OFFER) if needs_opt_in(currency) else ChannelSettingsSpec()


def default_mode_reason(currency: str | None) -> str | None:
    """Why an unconfigured channel starts in offer mode, for the settings page (None: it does not)."""
    return ART_22_REASON.format(currency=str(currency).upper()) if needs_opt_in(currency) else None
