from decimal import ROUND_DOWN, Decimal

import pytest

from saleor_upsell_app.engine.money import has_valid_precision, minor_units, quantize, smallest_unit


@pytest.mark.parametrize(
    ("currency", "units"),
    [("USD", 2), ("EUR", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3), ("jod", 3)],
)
def test_minor_units_follow_iso_4217(currency: str, units: int) -> None:
    assert minor_units(currency) == units


def test_quantize_rounds_half_up_to_the_currency() -> None:
    assert quantize(Decimal("8.385"), "USD") == Decimal("8.39")
    assert quantize(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert quantize(Decimal("1.2345"), "KWD") == Decimal("1.235")
    assert quantize(Decimal("8.389"), "USD", rounding=ROUND_DOWN) == Decimal("8.38")


def test_smallest_unit_and_precision() -> None:
    assert smallest_unit("JPY") == Decimal(1)
    assert smallest_unit("OMR") == Decimal("0.001")
    assert has_valid_precision(Decimal("1.50"), "USD")
    assert not has_valid_precision(Decimal("1.5"), "JPY")


@pytest.mark.parametrize(("currency", "units"), [("IQD", 0), ("HUF", 0), ("CLF", 4), ("XXX", 2), ("ZZZ", 2)])
def test_minor_units_are_the_ones_saleor_rounds_to(currency: str, units: int) -> None:
    # babel's currency fractions (CLDR), which Saleor's own quantize_price uses; unknown codes get 2.
    assert minor_units(currency) == units
