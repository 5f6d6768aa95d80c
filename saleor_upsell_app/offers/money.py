"""Per-currency rounding for money amounts (ISO 4217 minor units).

Every amount the engine produces goes through :func:`quantize`, so a price is never finer than the
currency allows (JPY has no cents, KWD has fils).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Currencies whose minor unit is not 2 (ISO 4217); every other code uses 2.
_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
_DEFAULT_MINOR_UNITS = 2
# Precomputed quantums; the engine quantizes on every offer, so avoid rebuilding them.
_QUANTUMS: dict[int, Decimal] = {n: Decimal(1).scaleb(-n) for n in range(5)}


def minor_units(currency: str) -> int:
    """Number of decimal places the currency uses."""
    return _MINOR_UNITS.get(currency.upper(), _DEFAULT_MINOR_UNITS)


def smallest_unit(currency: str) -> Decimal:
    """The smallest positive amount in the currency (0.01 USD, 1 JPY, 0.001 KWD)."""
    return _QUANTUMS[minor_units(currency)]


def quantize(amount: Decimal, currency: str, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round ``amount`` to the currency's minor unit (half up unless told otherwise)."""
    return amount.quantize(_QUANTUMS[minor_units(currency)], rounding=rounding)


def has_valid_precision(amount: Decimal, currency: str) -> bool:
    """True when ``amount`` needs no rounding in ``currency`` (e.g. 1.5 JPY is invalid)."""
    return amount == quantize(amount, currency)
