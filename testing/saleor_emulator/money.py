"""Money as Saleor serialises it: Decimal inside, JSON floats outside (surprise 4)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# Currencies without minor units (the JPY channel exercises this).
_ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK", "HUF"}


def quantize(amount: Decimal, currency: str) -> Decimal:
    exp = Decimal("1") if currency in _ZERO_DECIMAL else Decimal("0.01")
    return amount.quantize(exp, rounding=ROUND_HALF_UP)


def money(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"amount": float(quantize(amount, currency)), "currency": currency}


def taxed(amount: Decimal, currency: str) -> dict[str, Any]:
    """TaxedMoney without taxes: net == gross, tax 0 (the captures' sample data has no tax)."""
    value = money(amount, currency)
    return {"gross": value, "net": dict(value), "tax": money(Decimal(0), currency), "currency": currency}


def percent_off(base: Decimal, percentage: Decimal, currency: str) -> Decimal:
    """Discount amount of a percentage promotion, rounded like Saleor (11.99 * 30% -> 3.60)."""
    return quantize(base * percentage / Decimal(100), currency)
