"""Money as Saleor serialises it: Decimal inside, JSON floats outside (surprise 4), rounded per
currency with ROUND_HALF_UP (the `prices` library's default, used by Saleor's `quantize_price`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# Currencies without minor units (the JPY channel exercises this).
_ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK", "HUF"}
ZERO = Decimal(0)


def quantize(amount: Decimal, currency: str) -> Decimal:
    exp = Decimal("1") if currency in _ZERO_DECIMAL else Decimal("0.01")
    return amount.quantize(exp, rounding=ROUND_HALF_UP)


def money(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"amount": float(quantize(amount, currency)), "currency": currency}


def taxed_money(net: Decimal, gross: Decimal, currency: str) -> dict[str, Any]:
    return {
        "gross": money(gross, currency),
        "net": money(net, currency),
        "tax": money(quantize(gross, currency) - quantize(net, currency), currency),
        "currency": currency,
    }


def taxed(amount: Decimal, currency: str) -> dict[str, Any]:
    """TaxedMoney without taxes: net == gross, tax 0."""
    return taxed_money(amount, amount, currency)


def percent_off(base: Decimal, percentage: Decimal, currency: str) -> Decimal:
    """Discount amount of a percentage promotion or voucher, rounded like Saleor (11.99 * 30% -> 3.60;
    `prices.percentage_discount` with ROUND_HALF_UP)."""
    return quantize(base * percentage / Decimal(100), currency)


@dataclass(frozen=True)
class TaxMode:
    """How a base (entered) price becomes net and gross under flat rates (Saleor's
    `calculate_flat_rate_tax`, then `_remove_tax` when taxes are not charged)."""

    rate: Decimal = ZERO  # percent
    entered_with_tax: bool = False
    charge: bool = True

    def apply(self, base: Decimal, currency: str) -> tuple[Decimal, Decimal]:
        """(net, gross) of a base amount, each rounded per currency."""
        if self.rate == 0:
            amount = quantize(base, currency)
            return amount, amount
        factor = 1 + self.rate / Decimal(100)
        if self.entered_with_tax:
            net, gross = base / factor, base
        else:
            net, gross = base, base * factor
        net, gross = quantize(net, currency), quantize(gross, currency)
        # Not charging taxes: Saleor still computes the flat rates, then sets gross to net.
        return (net, net) if not self.charge else (net, gross)


NO_TAX = TaxMode()
