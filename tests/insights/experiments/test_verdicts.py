"""Plain-language verdicts: what they claim must follow from the always-valid intervals."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np
import pytest

from saleor_upsell_app.engine.money import quantize as round_money
from saleor_upsell_app.insights.experiments import (
    HOLDOUT,
    ArmTally,
    Comparison,
    VerdictKind,
    VerdictSettings,
    experiment_results,
    verdict,
)


def synthetic(rng: np.random.Generator, units: int, completion: float, mean: float) -> ArmTally:
    """An arm of ``units`` checkouts with lognormal order values, rounded to cents; exact sums."""
    completions = int(rng.binomial(units, completion))
    cents = np.round(rng.lognormal(math.log(mean) - 0.245, 0.7, size=completions) * 100).astype(np.int64)
    whole = [int(c) for c in cents.tolist()]
    return ArmTally(
        units,
        completions,
        Decimal(sum(whole)) / 100,
        Decimal(sum(c**2 for c in whole)) / 10**4,
        Decimal(sum(c**3 for c in whole)) / 10**6,
    )


def comparison(holdout: ArmTally, treated: ArmTally) -> Comparison:
    result = experiment_results({HOLDOUT: holdout, "A": treated})
    assert result.overall is not None
    return result.overall


def scaled(tally: ArmTally, k: int) -> ArmTally:
    """The same arm observed k times over: same means and (nearly) the same spread."""
    sums = (tally.revenue, tally.revenue_squared, tally.revenue_cubed)
    return ArmTally(tally.units * k, tally.completions * k, *(x * k for x in sums))


MONEY = r"(-?\$[\d,]+\.\d\d)"


def _dollars(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", ""))


def test_a_proven_lift_is_stated_with_its_interval_and_completion_unchanged() -> None:
    rng = np.random.default_rng(11)
    c = comparison(synthetic(rng, 10_000, 0.65, 80), synthetic(rng, 90_000, 0.65, 88))
    v = verdict(c, "USD")
    pattern = (
        rf"raises revenue per checkout by {MONEY} \(95% interval {MONEY}–{MONEY}\); completion unchanged"
    )
    match = re.fullmatch(pattern, v.text)
    assert match, v.text
    rpc = c.revenue_per_checkout
    assert rpc.estimate is not None and rpc.always_valid is not None
    assert _dollars(match[1]) == round_money(rpc.estimate, "USD")
    assert (_dollars(match[2]), _dollars(match[3])) == (
        round_money(rpc.always_valid.low, "USD"), round_money(rpc.always_valid.high, "USD"),
    )  # fmt: skip
    assert rpc.always_valid.low > 0
    assert (v.revenue, v.completion, v.checkouts, v.more_checkouts_needed) == (
        VerdictKind.RAISES, VerdictKind.NO_DETECTABLE_EFFECT, 100_000, None,
    )  # fmt: skip


def test_a_loss_of_orders_is_stated_as_lower_revenue_and_lower_completion() -> None:
    rng = np.random.default_rng(12)
    v = verdict(comparison(synthetic(rng, 5_000, 0.66, 80), synthetic(rng, 45_000, 0.58, 82)), "USD")
    assert v.revenue is VerdictKind.LOWERS and v.completion is VerdictKind.LOWERS
    assert re.fullmatch(
        rf"lowers revenue per checkout by {MONEY} \(95% interval {MONEY} to {MONEY}\); "
        r"completion down \d+\.\d points \(95% interval -\d+\.\d to -\d+\.\d points\)",
        v.text,
    ), v.text


def test_a_narrow_interval_around_zero_is_no_detectable_change() -> None:
    rng = np.random.default_rng(13)
    c = comparison(synthetic(rng, 20_000, 0.65, 80), synthetic(rng, 180_000, 0.65, 80))
    v = verdict(c, "USD")
    assert v.revenue is VerdictKind.NO_DETECTABLE_EFFECT, v.text
    assert v.text.startswith("no detectable change in revenue per checkout (95% interval -$")
    assert v.text.endswith("; completion unchanged")
    interval = c.revenue_per_checkout.always_valid
    assert interval is not None and interval.contains(Decimal(0))


def test_an_undecided_interval_says_how_many_more_checkouts_it_needs_and_is_about_right() -> None:
    rng = np.random.default_rng(14)
    holdout, treated = synthetic(rng, 300, 0.65, 80), synthetic(rng, 2_700, 0.65, 80)
    v = verdict(comparison(holdout, treated), "USD")
    assert v.revenue is VerdictKind.NOT_ENOUGH_DATA
    assert v.more_checkouts_needed is not None
    assert re.fullmatch(r"not enough data yet \(3,000 checkouts; about [\d,]+ more needed\)", v.text), v.text
    # The same data seen often enough to reach the projection is decided; 20% short of it is not.
    total = 3_000 + v.more_checkouts_needed
    enough = math.ceil(total / 3_000)
    short = math.floor(0.8 * total / 3_000)
    assert short >= 1
    assert verdict(comparison(scaled(holdout, enough), scaled(treated, enough)), "USD").revenue is not (
        VerdictKind.NOT_ENOUGH_DATA
    )
    assert verdict(comparison(scaled(holdout, short), scaled(treated, short)), "USD").revenue is (
        VerdictKind.NOT_ENOUGH_DATA
    )


def test_a_tiny_holdout_waits_for_its_minimum_and_the_projection_counts_it() -> None:
    rng = np.random.default_rng(15)
    v = verdict(comparison(synthetic(rng, 20, 0.65, 80), synthetic(rng, 1_980, 0.5, 80)), "USD")
    assert v.revenue is VerdictKind.NOT_ENOUGH_DATA
    assert v.more_checkouts_needed is not None and v.more_checkouts_needed >= 100 / (20 / 2_000) - 2_000
    assert verdict(comparison(ArmTally(), ArmTally()), "USD").text == "not enough data yet (0 checkouts)"


def test_money_is_rounded_per_currency_and_written_per_locale() -> None:
    rng = np.random.default_rng(11)
    c = comparison(synthetic(rng, 10_000, 0.65, 8_000), synthetic(rng, 90_000, 0.65, 8_800))
    yen = verdict(c, "JPY", locale="ja_JP").text
    yen_pattern = r"raises revenue per checkout by ￥[\d,]+ \(95% interval ￥[\d,]+–￥[\d,]+\); .*"
    assert re.fullmatch(yen_pattern, yen), yen
    euro = verdict(c, "EUR", locale="de_DE").text
    assert re.fullmatch(r"raises revenue per checkout by [\d.]+,\d\d\xa0€ \(95% interval .*", euro), euro


def test_verdict_settings_change_what_counts_as_precise_enough() -> None:
    rng = np.random.default_rng(13)
    c = comparison(synthetic(rng, 20_000, 0.65, 80), synthetic(rng, 180_000, 0.65, 80))
    strict = VerdictSettings(revenue_precision=Decimal("0.001"), completion_precision_points=Decimal("0.1"))
    assert verdict(c, "USD", settings=strict).revenue is VerdictKind.NOT_ENOUGH_DATA
    with pytest.raises(ValueError):
        VerdictSettings(revenue_precision=Decimal(0))
