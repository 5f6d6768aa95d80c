"""Honest social-proof figures: only from real counts, only from a large enough sample, never rounded up."""

from __future__ import annotations

from dataclasses import dataclass

PLACEHOLDER = "{social_proof}"


@dataclass(frozen=True, slots=True)
class SocialProof:
    percent: int
    antecedent_orders: int
    together_orders: int

    def sentence(self, bought: str, added: str) -> str:
        return f"{self.percent}% of customers who bought {bought} also added {added}"


def social_proof_figure(together_orders: int, antecedent_orders: int, min_sample: int) -> SocialProof | None:
    """The share of X's orders that also had Y, floored to a whole percent; None when it can't be claimed.

    No figure below the merchant's minimum sample of X orders, and none at 0% (nothing to prove).
    """
    if together_orders < 0 or antecedent_orders < 0:
        raise ValueError("order counts cannot be negative")
    if together_orders > antecedent_orders:
        raise ValueError("orders with both items cannot exceed orders with the first item")
    if antecedent_orders == 0 or antecedent_orders < min_sample:
        return None
    # Integer floor division: 61.9% must read 61%, and floats could round 0.29 * 100 to 28.999….
    percent = together_orders * 100 // antecedent_orders
    if percent == 0:
        return None
    return SocialProof(percent=percent, antecedent_orders=antecedent_orders, together_orders=together_orders)


def fill_social_proof(copy: str, figure: SocialProof | None, *, bought: str, added: str) -> str:
    """Put the figure's sentence where the merchant's copy says ``{social_proof}``; nothing when no figure.

    Plain replacement, not ``str.format``: merchant copy may contain other braces.
    """
    text = figure.sentence(bought, added) if figure is not None else ""
    return copy.replace(PLACEHOLDER, text)
