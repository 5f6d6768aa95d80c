"""Stable holdout assignment: the same checkout id always lands in the same bucket.

Analytics uses the same functions to split treated and control checkouts, so lift is measured against a
random group that never saw an offer.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

BUCKETS = 10_000
# Versioned salt: changing it reshuffles every assignment, which would break running experiments.
_SALT = b"saleor-upsell/holdout/v1:"


def holdout_bucket(key: str) -> int:
    """Bucket 0..9999 from sha256 of the checkout id (uniform, stable across processes and versions)."""
    digest = hashlib.sha256(_SALT + key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def in_holdout(key: str, holdout_percent: Decimal) -> bool:
    """True when the key falls in the control group (``holdout_percent`` of all keys, 0 = none)."""
    if holdout_percent <= 0:
        return False
    return holdout_bucket(key) < holdout_percent * BUCKETS / 100
