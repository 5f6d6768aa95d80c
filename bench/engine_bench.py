"""Offer-engine benchmark: one 10-line checkout evaluated against 100, 10k and 100k rules.

    .venv/bin/python bench/engine_bench.py            # full run (about a minute, mostly building rules)
    .venv/bin/python bench/engine_bench.py --quick    # smaller sample, for a smoke test

Everything runs in one process on one synthetic catalogue (20k variants in 5k products, 200 categories,
50 collections; offers come from a pool of cheaper accessory variants, as merchants set them up). Rules
mix trigger kinds (variant 35%, product 25%, category 15%, collection 10%, subtotal-only 5%, upgrades
10%), priorities 0..10, some restricted to another channel and some outside their window. Each size
evaluates the same checkouts in the same order; only ``evaluate_checkout`` is timed (snapshot, index and
pricing are built beforehand). Two situations are timed: a fresh checkout (nothing added yet, the
engine searches for the best offer) and a repeat event on a checkout that already holds its bump (the
common case: every later CHECKOUT_UPDATED of that checkout).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from saleor_upsell_app.offers.engine import evaluate_checkout
from saleor_upsell_app.offers.ids import encode_global_id
from saleor_upsell_app.offers.index import RuleIndex
from saleor_upsell_app.offers.models import (
    AddBump,
    CheckoutHistory,
    CheckoutLine,
    CheckoutSnapshot,
    Rule,
    VariantPricing,
)
from saleor_upsell_app.offers.simulate import apply_decisions, history_after
from saleor_upsell_app.offers.spec import ChannelSettingsSpec, parse_rule_spec

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
CHANNEL = "default-channel"
VARIANTS = 20_000
VARIANTS_PER_PRODUCT = 4
CATEGORIES = 200
COLLECTIONS = 50
ACCESSORIES = 2_000  # the last variants: cheap add-ons merchants offer as bumps
LINES = 10


def gid(kind: str, n: int) -> str:
    return encode_global_id(kind, n)


class Catalogue:
    def __init__(self, rng: random.Random) -> None:
        self.product_of = [v // VARIANTS_PER_PRODUCT for v in range(VARIANTS)]
        products = VARIANTS // VARIANTS_PER_PRODUCT
        self.category_of = [rng.randrange(CATEGORIES) for _ in range(products)]
        self.collections_of = [
            frozenset(rng.sample(range(COLLECTIONS), rng.choice((0, 1, 1, 2)))) for _ in range(products)
        ]
        self.pricing: dict[str, VariantPricing] = {}
        for v in range(VARIANTS):
            accessory = v >= VARIANTS - ACCESSORIES
            regular = Decimal(rng.randrange(300, 1_500) if accessory else rng.randrange(2_000, 20_000)) / 100
            promoted = rng.random() < 0.2
            current = (regular * Decimal("0.8")).quantize(Decimal("0.01")) if promoted else regular
            product = self.product_of[v]
            self.pricing[gid("ProductVariant", v)] = VariantPricing(
                variant_id=gid("ProductVariant", v),
                channel=CHANNEL,
                currency="USD",
                regular_price=regular,
                current_price=current,
                available=rng.random() > 0.02,
                name=f"variant {v}",
                product_id=gid("Product", product),
                category_id=gid("Category", self.category_of[product]),
                collection_ids=frozenset(gid("Collection", c) for c in self.collections_of[product]),
            )

    def line(self, n: int, variant: int) -> CheckoutLine:
        pricing = self.pricing[gid("ProductVariant", variant)]
        return CheckoutLine(
            id=gid("CheckoutLine", f"bench-{n}"),
            variant_id=pricing.variant_id,
            product_id=pricing.product_id,
            category_id=pricing.category_id,
            collection_ids=pricing.collection_ids,
            quantity=1,
            unit_price=pricing.current_price,
            undiscounted_unit_price=pricing.regular_price,
            metadata={},
        )


def make_rule(rng: random.Random, n: int, catalogue: Catalogue) -> Rule:
    products = VARIANTS // VARIANTS_PER_PRODUCT
    main_variants = VARIANTS - ACCESSORIES
    kind = rng.random()
    common: dict[str, Any] = {"name": f"rule {n}", "priority": rng.randrange(11)}
    if rng.random() < 0.05:
        common["ends_at"] = (NOW - timedelta(days=1)).isoformat()  # expired campaign still stored
    channels = ["other-channel"] if rng.random() < 0.1 else []
    price = rng.choice(
        [
            {"type": "percent_off", "percent": str(rng.choice((10, 15, 20, 30)))},
            {"type": "amount_off", "amounts": {"USD": "1.00", "EUR": "1.00"}},
            {"type": "fixed", "amounts": {"USD": "2.99"}},
        ]
    )
    copy = {"headline": "Add this", "reason": "Goes well with your order"}
    if kind < 0.10:
        source = rng.randrange(main_variants)
        target = source + 1 if (source + 1) % VARIANTS_PER_PRODUCT else source - 1
        data = {
            "kind": "upgrade",
            **common,
            "from_variant_ids": [gid("ProductVariant", source)],
            "to_variant_id": gid("ProductVariant", target),
            "price": {"type": "percent_off", "percent": "10"},
            "copy": copy,
            "channels": channels,
        }
        return Rule(f"r{n}", parse_rule_spec(data), NOW - timedelta(seconds=n))
    if kind < 0.45:
        trigger: dict[str, Any] = {"variant_ids": [gid("ProductVariant", rng.randrange(main_variants))]}
    elif kind < 0.70:
        trigger = {"product_ids": [gid("Product", rng.randrange(products))]}
    elif kind < 0.85:
        trigger = {"category_ids": [gid("Category", rng.randrange(CATEGORIES))]}
    elif kind < 0.95:
        trigger = {"collection_ids": [gid("Collection", rng.randrange(COLLECTIONS))]}
    else:
        trigger = {"min_subtotal": {"USD": str(rng.choice((50, 100, 150, 250)))}}
    trigger["channels"] = channels
    data = {
        "kind": "bump",
        **common,
        "trigger": trigger,
        "offer_variant_id": gid("ProductVariant", rng.randrange(VARIANTS - ACCESSORIES, VARIANTS)),
        "price": price,
        "copy": copy,
    }
    return Rule(f"r{n}", parse_rule_spec(data), NOW - timedelta(seconds=n))


def make_checkouts(rng: random.Random, catalogue: Catalogue, count: int) -> list[CheckoutSnapshot]:
    checkouts = []
    for c in range(count):
        variants = rng.sample(range(VARIANTS - ACCESSORIES), LINES)
        lines = tuple(catalogue.line(c * LINES + i, v) for i, v in enumerate(variants))
        checkouts.append(
            CheckoutSnapshot(
                id=gid("Checkout", f"bench-{c}"),
                channel_slug=CHANNEL,
                currency="USD",
                lines=lines,
                subtotal=sum((line.unit_price for line in lines), Decimal(0)),
            )
        )
    return checkouts


def time_evaluations(
    cases: list[tuple[CheckoutSnapshot, CheckoutHistory]],
    index: RuleIndex,
    settings: ChannelSettingsSpec,
    pricing: dict[str, VariantPricing],
    repeats: int,
) -> list[float]:
    samples: list[float] = []
    clock = time.perf_counter_ns
    gc.collect()
    for _ in range(repeats):
        for checkout, history in cases:
            start = clock()
            evaluate_checkout(checkout, index, settings, history, pricing, NOW)
            samples.append((clock() - start) / 1_000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def cpu_model() -> str:
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                return row.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer checkouts and repeats")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    checkouts_count, repeats = (50, 4) if args.quick else (200, 10)

    rng = random.Random(args.seed)
    catalogue = Catalogue(rng)
    checkouts = make_checkouts(rng, catalogue, checkouts_count)
    settings = ChannelSettingsSpec()
    print(f"python {platform.python_version()} | cpu {cpu_model()} | {os.cpu_count()} logical cpus")
    print(
        f"{checkouts_count} checkouts x {LINES} lines, {repeats} rounds each, settings: defaults (cap 1, 25%)"
    )

    all_rules = [make_rule(rng, n, catalogue) for n in range(100_000)]
    rows = []
    for size in (100, 10_000, 100_000):
        build_start = time.perf_counter()
        index = RuleIndex.build(all_rules[:size])
        build_seconds = time.perf_counter() - build_start
        fresh_cases = [(checkout, CheckoutHistory()) for checkout in checkouts]
        repeat_cases = []
        added = 0
        for checkout in checkouts:
            first = evaluate_checkout(checkout, index, settings, CheckoutHistory(), catalogue.pricing, NOW)
            added += any(isinstance(d, AddBump) for d in first.decisions)
            repeat_cases.append(
                (
                    apply_decisions(checkout, first.decisions),
                    history_after(CheckoutHistory(), first.decisions),
                )
            )
        time_evaluations(fresh_cases[:20], index, settings, catalogue.pricing, 1)  # warm-up
        fresh = time_evaluations(fresh_cases, index, settings, catalogue.pricing, repeats)
        again = time_evaluations(repeat_cases, index, settings, catalogue.pricing, repeats)
        rows.append((size, build_seconds, added, fresh, again))

    print()
    print(
        "| rules | index build | checkouts given an offer | fresh median | fresh p95 | repeat median | repeat p95 |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size, build_seconds, added, fresh, again in rows:
        print(
            f"| {size:,} | {build_seconds * 1000:,.0f} ms | {added}/{checkouts_count} "
            f"| {statistics.median(fresh):.1f} µs | {percentile(fresh, 0.95):.1f} µs "
            f"| {statistics.median(again):.1f} µs | {percentile(again, 0.95):.1f} µs |"
        )
    small, large = rows[0], rows[-1]
    fresh_ratio = statistics.median(large[3]) / statistics.median(small[3])
    repeat_ratio = statistics.median(large[4]) / statistics.median(small[4])
    print()
    print(f"median ratio 100k/100: fresh {fresh_ratio:.2f}x, repeat {repeat_ratio:.2f}x")
    ten_k = statistics.median(rows[1][3])
    print(f"target median <= 50 µs at 10k rules: {'met' if ten_k <= 50 else 'NOT met'} ({ten_k:.1f} µs)")
    print(
        f"target 100k within 2x of 100: {'met' if fresh_ratio <= 2 else 'NOT met'} (fresh {fresh_ratio:.2f}x)"
    )


if __name__ == "__main__":
    main()
