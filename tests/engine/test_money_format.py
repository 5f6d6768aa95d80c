"""Money as a shopper reads it: per locale and currency (babel), rounded per currency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_upsell_app.engine.money import format_money


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "shown"),
    [
        ("1.19", "USD", "en", "$1.19"),
        ("1.19", "EUR", "de_DE", "1,19\xa0€"),
        ("4.755", "PLN", "pl-PL", "4,76\xa0zł"),  # rounded half up to the grosz, then written the Polish way
        ("150.4", "JPY", "en", "¥150"),  # no minor unit
        ("1234.5", "usd", "en", "$1,234.50"),
        ("1.5", "KWD", "en", "KWD1.500"),  # three decimals
        ("1.19", "USD", "xx-nowhere", "$1.19"),  # unknown locale: English
    ],
)
def test_format_money(amount: str, currency: str, locale: str, shown: str) -> None:
    assert format_money(Decimal(amount), currency, locale) == shown
