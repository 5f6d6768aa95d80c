"""Units and tallies: validation of hostile input, exact sums, and merging."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saleor_upsell_app.insights.experiments import HOLDOUT, ArmTally, Unit, pooled, tally


def test_a_unit_rejects_impossible_values() -> None:
    with pytest.raises(ValueError, match="abandoned"):
        Unit("A", completed=False, revenue=Decimal("1.00"))
    with pytest.raises(ValueError, match="≥ 0"):
        Unit("A", completed=True, revenue=Decimal("-1"))
    with pytest.raises(ValueError, match="≥ 0"):
        Unit("A", completed=True, revenue=Decimal("NaN"))
    with pytest.raises(ValueError, match="arm"):
        Unit("", completed=True, revenue=Decimal(1))


def test_a_tally_rejects_sums_no_real_orders_can_give() -> None:
    with pytest.raises(ValueError, match="completions"):
        ArmTally(units=3, completions=4)
    with pytest.raises(ValueError, match="without a completed"):
        ArmTally(units=3, completions=0, revenue=Decimal(5), revenue_squared=Decimal(25))
    # Two orders totalling 10 cannot have Σ y² below 10² / 2 = 50, nor Σ y³ below 50² / 10 = 250.
    with pytest.raises(ValueError, match="Σ revenue²"):
        ArmTally(2, 2, Decimal(10), Decimal(49), Decimal(1000))
    with pytest.raises(ValueError, match="Σ revenue³"):
        ArmTally(2, 2, Decimal(10), Decimal(50), Decimal(249))
    with pytest.raises(ValueError, match="Σ revenue³"):  # the cube left out
        ArmTally(2, 2, Decimal(10), Decimal(50))
    ArmTally(2, 2, Decimal(10), Decimal(50), Decimal(250))  # 5 + 5: fine, at equality
    big = Decimal("123456789.01")
    ArmTally(3, 3, big * 3, big**2 * 3, big**3 * 3)  # equality with 27-digit cubes: exact, not rounded


def test_abandoned_checkouts_count_as_units_with_no_revenue() -> None:
    units = [
        Unit(HOLDOUT, True, Decimal("10.00")),
        Unit(HOLDOUT, False),
        Unit("A", True, Decimal("12.50")),
        Unit("A", True, Decimal("7.50")),
        Unit("A", False),
    ]
    tallies = tally(units)
    assert tallies[HOLDOUT] == ArmTally(2, 1, Decimal("10.00"), Decimal("100.0000"), Decimal(1000))
    assert tallies["A"] == ArmTally(3, 2, Decimal("20.00"), Decimal("212.5000"), Decimal("2375.000"))
    assert pooled(tallies, ["A", HOLDOUT]) == ArmTally(
        5, 3, Decimal("30.00"), Decimal("312.5000"), Decimal("3375.000")
    )
    assert pooled(tallies, ["missing"]) == ArmTally()


def test_tally_adds_to_earlier_tallies_without_changing_them() -> None:
    before = tally([Unit("A", True, Decimal(3))])
    after = tally([Unit("A", False)], before)
    assert before["A"].units == 1
    assert after["A"] == ArmTally(2, 1, Decimal(3), Decimal(9), Decimal(27))


_units = st.lists(
    st.builds(
        lambda arm, done, cents: Unit(arm, done, Decimal(cents) / 100 if done else Decimal(0)),
        st.sampled_from([HOLDOUT, "A", "B"]),
        st.booleans(),
        st.integers(min_value=0, max_value=10**7),
    ),
    max_size=60,
)


@given(_units, _units)
def test_tallies_of_two_batches_add_up_to_the_tally_of_both(first: list[Unit], second: list[Unit]) -> None:
    together = tally(first + second)
    a, b = tally(first), tally(second)
    for arm in set(together):
        assert a.get(arm, ArmTally()) + b.get(arm, ArmTally()) == together[arm]
