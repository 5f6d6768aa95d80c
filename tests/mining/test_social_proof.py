from __future__ import annotations

import pytest

from saleor_upsell_app.mining.social_proof import SocialProof, fill_social_proof, social_proof_figure


def test_figure_is_floored_not_rounded() -> None:
    # 619 of 1000 = 61.9% → 61, never 62.
    figure = social_proof_figure(together_orders=619, antecedent_orders=1000, min_sample=100)
    assert figure == SocialProof(percent=61, antecedent_orders=1000, together_orders=619)


def test_floor_survives_float_trouble() -> None:
    # 29/100 is 28.999… in binary floating point; the figure must still be 29.
    assert social_proof_figure(29, 100, min_sample=1) == SocialProof(29, 100, 29)


def test_hidden_below_merchant_minimum_sample() -> None:
    assert social_proof_figure(40, 49, min_sample=50) is None
    assert social_proof_figure(40, 50, min_sample=50) == SocialProof(80, 50, 40)


def test_no_figure_for_zero_percent_or_no_orders() -> None:
    assert social_proof_figure(0, 500, min_sample=10) is None
    assert social_proof_figure(0, 0, min_sample=0) is None


def test_impossible_counts_are_rejected() -> None:
    with pytest.raises(ValueError):
        social_proof_figure(11, 10, min_sample=1)


def test_template_filled_or_left_empty() -> None:
    copy = "Complete the look! {social_proof}"
    figure = social_proof_figure(62, 100, min_sample=50)
    assert fill_social_proof(copy, figure, bought="Boots", added="Socks") == (
        "Complete the look! 62% of customers who bought Boots also added Socks"
    )
    assert fill_social_proof(copy, None, bought="Boots", added="Socks") == "Complete the look! "
    assert fill_social_proof("{price} {social_proof}", None, bought="x", added="y") == "{price} "
