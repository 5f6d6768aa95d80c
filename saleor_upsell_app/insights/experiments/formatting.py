"""Numbers for people: money per currency and locale (babel), completion in points and percent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal, format_percent

from ...engine.money import format_money  # the one way to write money: '$0.42', '1.234,50 €'

DEFAULT_LOCALE = "en_US"
_TENTH = Decimal("0.1")


def money_range(low: Decimal, high: Decimal, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """'$0.10–$0.74', or '−$0.10 to $0.74' when a bound is negative (a dash would read as a minus)."""
    separator = " to " if low < 0 or high < 0 else "–"
    return f"{format_money(low, currency, locale)}{separator}{format_money(high, currency, locale)}"


def points(fraction: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    """A difference of rates in percentage points, one decimal: Decimal('-0.0483') → '-4.8'."""
    value = (fraction * 100).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return format_decimal(value, format="#,##0.0", locale=locale)


def signed_points(fraction: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    """Like ``points`` with an explicit '+' on positive values (for interval bounds)."""
    text = points(fraction, locale)
    rounded = (fraction * 100).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return f"+{text}" if rounded > 0 else text


def points_range(low: Decimal, high: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    return f"{signed_points(low, locale)} to {signed_points(high, locale)} points"


def percent(fraction: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    """A rate, one decimal: Decimal('0.612') → '61.2%'."""
    value = fraction.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return format_percent(value, format="#,##0.0%", locale=locale)


def count(n: int, locale: str = DEFAULT_LOCALE) -> str:
    """'9,812' (en), '9.812' (de)."""
    return format_decimal(n, format="#,##0", locale=locale)


def confidence_label(confidence: float) -> str:
    """0.95 → '95%'; 0.9875 → '98.75%'."""
    value = Decimal(repr(confidence * 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{value:f}%"
