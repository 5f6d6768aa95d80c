"""Stable variant assignment: which of a rule's variants a checkout sees.

The holdout is decided first and elsewhere (the engine's holdout split: one hash of the checkout id for
every rule, so a held-out checkout sees no offer at all). Among the checkouts that are not held out, a
rule's variant comes from sha256 over a salt naming the rule and the checkout id:
- stable: the same checkout, rule and weights always give the same variant, in any process;
- independent of the holdout split and of every other rule's split (a different salt per rule), so each
  variant's checkouts are a random sample of the rule's non-held-out checkouts;
- uniform: a 64-bit hash cut at integer weight boundaries (exact integer arithmetic, no float rounding).
Changing the weights moves some checkouts to another variant; the arm a checkout was first assigned is the
one its exposure event records, and that record, not a fresh hash, is what the analysis uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from .units import HOLDOUT

# Versioned: changing it reshuffles every running experiment.
_SALT = b"saleor-upsell/variant/v1:"
_SPACE = 1 << 64


@dataclass(frozen=True, slots=True)
class VariantWeight:
    variant: str
    weight: int  # relative (e.g. 50/50 or 1/1/2); 0 switches a variant off

    def __post_init__(self) -> None:
        if not self.variant or self.variant == HOLDOUT:
            raise ValueError(f"a variant needs a name other than {HOLDOUT!r}")
        if self.weight < 0:
            raise ValueError("a weight cannot be negative")


def variant_hash(checkout_id: str, rule_id: int) -> int:
    """Uniform in [0, 2⁶⁴), from the rule and the checkout id."""
    key = _SALT + str(rule_id).encode() + b":" + checkout_id.encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def assign_variant(checkout_id: str, rule_id: int, weights: Sequence[VariantWeight]) -> str:
    """The variant of a rule that a (not held-out) checkout sees, in proportion to the weights."""
    names = [w.variant for w in weights]
    if len(set(names)) != len(names):
        raise ValueError("variant names must be unique")
    total = sum(w.weight for w in weights)
    if total <= 0:
        raise ValueError("at least one variant needs a positive weight")
    # h·total < cumulative·2⁶⁴  ⇔  h/2⁶⁴ < cumulative/total, in integers.
    scaled = variant_hash(checkout_id, rule_id) * total
    cumulative = 0
    for w in weights:
        cumulative += w.weight
        if scaled < cumulative * _SPACE:
            return w.variant
    raise AssertionError("unreachable: the hash is below 2⁶⁴")


def assign_arm(checkout_id: str, rule_id: int, weights: Sequence[VariantWeight], *, held_out: bool) -> str:
    """``HOLDOUT`` for a held-out checkout (the engine's holdout split decides), else its variant."""
    return HOLDOUT if held_out else assign_variant(checkout_id, rule_id, weights)
