"""The unit of an experiment and the four sums every figure is computed from.

A unit is one eligible checkout, counted from the moment it is assigned to an arm (the holdout or one of
a rule's variants), whether or not it becomes an order: an abandoned checkout is a unit with revenue 0.
Counting only completed checkouts would hide an offer that makes shoppers leave.

Per arm, five sums are enough for every metric and interval: units, completions, and the sums of revenue,
revenue² and revenue³ (abandoned units add 0 to each; the cube serves the skewness correction of the
fixed-horizon interval). They are exact (``int`` and ``Decimal``), add up across days, channels or
variants, and the database computes them in one aggregate query
(``count(*), count(order), sum(total), sum(total * total), sum(total * total * total)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Final

HOLDOUT: Final = "holdout"
"""The arm name of the random holdout (checkouts that were shown no offer)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One eligible checkout: its arm, whether it became an order, and the order's total (0 if not)."""

    arm: str
    completed: bool
    revenue: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if not self.arm:
            raise ValueError("a unit needs an arm")
        if not self.revenue.is_finite() or self.revenue < 0:
            raise ValueError(f"revenue must be a finite amount ≥ 0, not {self.revenue}")
        if not self.completed and self.revenue != 0:
            raise ValueError("an abandoned checkout has no revenue")


@dataclass(frozen=True, slots=True)
class ArmTally:
    """One arm's sufficient statistics (one currency): units, completions, Σ revenue, revenue², revenue³."""

    units: int = 0
    completions: int = 0
    revenue: Decimal = Decimal(0)
    revenue_squared: Decimal = Decimal(0)
    revenue_cubed: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if not 0 <= self.completions <= self.units:
            raise ValueError(f"need 0 ≤ completions ≤ units, got {self.completions} of {self.units}")
        if self.revenue < 0 or self.revenue_squared < 0 or self.revenue_cubed < 0:
            raise ValueError("revenue sums cannot be negative")
        if self.completions == 0 and self.revenue != 0:
            raise ValueError("revenue without a completed checkout")
        # Cauchy–Schwarz, (Σ y)² ≤ c·Σ y² and (Σ y²)² ≤ Σ y·Σ y³: a violation means the sums do not come
        # from real orders (or a sum was left out). Exact products: equality (all orders alike) must pass.
        with localcontext() as exact:
            exact.prec = 200
            if self.revenue * self.revenue > self.completions * self.revenue_squared:
                raise ValueError("Σ revenue² is smaller than (Σ revenue)² / completions")
            if self.revenue_squared * self.revenue_squared > self.revenue * self.revenue_cubed:
                raise ValueError("Σ revenue³ is smaller than (Σ revenue²)² / Σ revenue")

    def add(self, unit: Unit) -> ArmTally:
        """This tally with one more unit (the arm of ``unit`` is the caller's business)."""
        return ArmTally(
            self.units + 1,
            self.completions + unit.completed,
            self.revenue + unit.revenue,
            self.revenue_squared + unit.revenue * unit.revenue,
            self.revenue_cubed + unit.revenue * unit.revenue * unit.revenue,
        )

    def __add__(self, other: ArmTally) -> ArmTally:
        return ArmTally(
            self.units + other.units,
            self.completions + other.completions,
            self.revenue + other.revenue,
            self.revenue_squared + other.revenue_squared,
            self.revenue_cubed + other.revenue_cubed,
        )


def tally(units: Iterable[Unit], tallies: Mapping[str, ArmTally] | None = None) -> dict[str, ArmTally]:
    """Per-arm tallies of ``units``, added to ``tallies`` when given (which is left unchanged)."""
    result = dict(tallies or {})
    for unit in units:
        result[unit.arm] = result.get(unit.arm, ArmTally()).add(unit)
    return result


def pooled(tallies: Mapping[str, ArmTally], arms: Iterable[str]) -> ArmTally:
    """The tallies of ``arms`` added together (e.g. every variant of a rule, against the holdout)."""
    total = ArmTally()
    for arm in arms:
        total += tallies.get(arm, ArmTally())
    return total
