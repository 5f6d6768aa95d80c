"""Per-currency rounding for money amounts.

Every amount the engine produces goes through :func:`quantize`, so a price is never finer than the
currency allows (JPY has no cents, KWD has fils). The number of decimals per currency is babel's
(CLDR's currency fractions), the table Saleor itself quantizes prices with (``saleor/core/prices.py``),
so the app rounds exactly as the shop does.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision

DEFAULT_LOCALE = "en"


@cache
def minor_units(currency: str) -> int:
    """Number of decimal places the currency uses (2 for a code babel does not know)."""
    return int(get_currency_precision(currency.upper()))


@cache
def smallest_unit(currency: str) -> Decimal:
    """The smallest positive amount in the currency (0.01 USD, 1 JPY, 0.001 KWD)."""
    return Decimal(1).scaleb(-minor_units(currency))


def quantize(amount: Decimal, currency: str, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round ``amount`` to the currency's minor unit (half up unless told otherwise)."""
    return amount.quantize(smallest_unit(currency), rounding=rounding)


def has_valid_precision(amount: Decimal, currency: str) -> bool:
    """True when ``amount`` needs no rounding in ``currency`` (e.g. 1.5 JPY is invalid)."""
    return amount == quantize(amount, currency)


@cache
def _locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


def format_money(amount: Decimal, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """The amount as a shopper reads it in `locale`, rounded per currency: '$1.19' (en), '1,19 €' (de),
    '4,76 zł' (pl), '¥150' (en). An unknown locale falls back to English."""
    code = currency.upper()
    return str(format_currency(quantize(amount, code), code, locale=_locale(locale)))
