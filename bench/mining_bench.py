"""Pair-mining benchmark: ours vs PyFIM, the bare Xᵀ·X product, mlxtend and efficient-apriori.

    .venv/bin/python bench/mining_bench.py --orders 1000000 --products 50000 --shape standard heavy

Every contender answers the same question — all rules A→B between two products with their support
count, confidence and lift at the thresholds — and the bench checks that they give the same answer.
PyFIM runs FP-growth for the frequent itemsets of size ≤ 2 and the floor is Xᵀ·X plus triangle and
threshold; both derive confidence and lift from the counts in the timed call. The basket shapes are in
mining_data.py ("standard": Zipf popularity, geometric size mean 3.2, min support 0.02%; "heavy").

Each contender runs in its own subprocess on the same saved data, so one's memory cannot hide in
another's. Timing covers the mining call only (data loading and generation excluded). Memory: the
child resets its peak-RSS counter (/proc/self/clear_refs) right before mining and reads VmHWM after,
so "mining peak" is the whole process's resident peak *during* mining (loaded data included);
"process peak" is ru_maxrss over the child's whole life.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mining_contenders import (
    Rules,
    run_cooccurrence_floor,
    run_efficient_apriori,
    run_mlxtend,
    run_ours,
    run_pyfim,
)
from mining_data import SHAPES, BasketShape, generate_orders

from saleor_upsell_app.mining.baskets import Baskets, baskets_from_codes
from saleor_upsell_app.mining.pairs import PairThresholds

CONTENDERS = ("ours", "ours-1-thread", "pyfim", "xtx-floor", "mlxtend", "efficient-apriori")


def main() -> None:
    args = parse_args()
    if args.worker:
        run_worker(args, thresholds_for(args, args.min_support))
    else:
        started = time.perf_counter()
        load_at_start = os.getloadavg()
        report: dict[str, object] = {}
        for name in args.shape:
            report[name] = orchestrate(args, SHAPES[name])
        # Other work on the machine inflates every time above; the load average says how much there was.
        print(f"load average at start {load_at_start}, at end {os.getloadavg()}")
        print(f"whole command: {time.perf_counter() - started:.0f} s")
        if args.json:
            args.json.write_text(json.dumps(report, indent=2))


def thresholds_for(args: argparse.Namespace, min_support_count: int) -> PairThresholds:
    return PairThresholds(
        min_support_count=min_support_count,
        min_confidence=args.min_confidence,
        min_lift=args.min_lift,
        max_basket_items=args.max_basket_items,
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument(
        "--shape", nargs="+", choices=sorted(SHAPES), default=["standard", "heavy"], help="basket shapes"
    )
    parser.add_argument(
        "--min-support", type=int, help="absolute min support count (default: the shape's own rule)"
    )
    parser.add_argument("--min-confidence", type=float, default=0.05)
    parser.add_argument("--min-lift", type=float, default=1.0)
    parser.add_argument("--max-basket-items", type=int, default=50)
    parser.add_argument("--subset-orders", type=int, default=20_000, help="for mlxtend / efficient-apriori")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=300, help="seconds per contender")
    parser.add_argument("--json", type=Path, help="also write all measurements here")
    parser.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


# --- child process -------------------------------------------------------------------------------------


def run_worker(args: argparse.Namespace, thresholds: PairThresholds) -> None:
    saved = np.load(args.data)
    n_products = int(saved["n_products"])
    baskets = Baskets(tuple(map(str, range(n_products))), saved["codes"], saved["offsets"])
    if args.worker == "ours":
        measurement, rules = run_ours(baskets, thresholds, args.repeats, workers=2)
    elif args.worker == "ours-1-thread":
        measurement, rules = run_ours(baskets, thresholds, args.repeats, workers=1)
    elif args.worker == "pyfim":
        measurement, rules = run_pyfim(baskets, thresholds, args.repeats)
    elif args.worker == "xtx-floor":
        measurement, rules = run_cooccurrence_floor(baskets, thresholds, args.repeats)
    elif args.worker == "mlxtend":
        measurement, rules = run_mlxtend(baskets, thresholds, args.repeats)
    else:
        measurement, rules = run_efficient_apriori(baskets, thresholds, args.repeats)
    args.out.with_suffix(".json").write_text(json.dumps(asdict(measurement)))
    np.savez(args.out.with_suffix(".npz"), **asdict(rules))


# --- parent process ------------------------------------------------------------------------------------


def orchestrate(args: argparse.Namespace, shape: BasketShape) -> dict[str, object]:
    started = time.perf_counter()
    orders = generate_orders(args.orders, args.products, shape, seed=args.seed)
    generated = time.perf_counter()
    item_ids = [str(i) for i in range(args.products)]
    canonical = baskets_from_codes(orders.codes, orders.offsets, item_ids)
    # Baskets over the cap are left out by ours (from counts and N); the libraries would count them, so
    # they are removed from everyone's input and every contender answers the same question.
    full, n_over_cap = without_baskets_over(canonical, args.max_basket_items)
    deduplicated = time.perf_counter()
    subset_n = min(args.subset_orders, full.n_baskets)
    subset = Baskets(full.item_ids, full.codes[: full.offsets[subset_n]], full.offsets[: subset_n + 1])
    min_support = {
        name: args.min_support or shape.min_support(data.n_baskets)
        for name, data in (("full", full), ("subset", subset))
    }
    sizes = full.sizes()
    data = {
        "shape": shape.describe(),
        "orders": full.n_baskets,
        "products": args.products,
        "lines": int(orders.codes.size),
        "distinct_order_product_entries": int(full.codes.size),
        "mean_distinct_items_per_order": round(float(sizes.mean()), 3),
        "largest_order": int(sizes.max()),
        "orders_over_cap_removed": n_over_cap,
        "pair_instances": int((sizes * (sizes - 1) // 2).sum()),
        "min_support_count": min_support,
        "seed": args.seed,
    }
    print(
        f"\n## {shape.describe()}\ndata: {json.dumps(data)}; generated in {generated - started:.1f} s, "
        f"de-duplicated in {deduplicated - generated:.2f} s",
        flush=True,
    )
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="mining-bench-") as tmp:
        directory = Path(tmp)
        for name, baskets in (("full", full), ("subset", subset)):
            np.savez(
                directory / f"{name}.npz",
                codes=baskets.codes,
                offsets=baskets.offsets,
                n_products=args.products,
            )
        plan = [(c, "full") for c in ("ours", "ours-1-thread", "pyfim", "xtx-floor")]
        plan += [(c, "subset") for c in ("ours", "pyfim", "xtx-floor", "mlxtend", "efficient-apriori")]
        for contender, dataset in plan:
            key = f"{contender}@{dataset}"
            results[key] = run_child(args, directory, contender, dataset, min_support[dataset])
            print(f"  {key}: {summarise(results[key])}", flush=True)
        checks = {
            "full": cross_check(directory, "full", ["ours", "ours-1-thread", "pyfim", "xtx-floor"]),
            "subset": cross_check(
                directory, "subset", ["ours", "pyfim", "xtx-floor", "mlxtend", "efficient-apriori"]
            ),
        }
    distinct = len(np.unique(full.codes))
    results["mlxtend@full"] = {
        "skipped": f"dense one-hot would need {full.n_baskets} × {distinct} bool = "
        f"{full.n_baskets * distinct / 1e9:.1f} GB before fpgrowth starts"
    }
    results["efficient-apriori@full"] = {
        "skipped": f"pure Python; run on the {subset_n}-order subset instead"
    }
    print_table(args, shape, results, checks, subset_n, min_support)
    return {"data": data, "results": results, "checks": checks}


def without_baskets_over(baskets: Baskets, cap: int) -> tuple[Baskets, int]:
    sizes = baskets.sizes()
    keep = sizes <= cap
    if keep.all():
        return baskets, 0
    offsets = np.zeros(int(keep.sum()) + 1, dtype=np.int64)
    np.cumsum(sizes[keep], out=offsets[1:])
    codes = baskets.codes[np.repeat(keep, sizes)]
    return Baskets(baskets.item_ids, codes, offsets), int((~keep).sum())


def run_child(
    args: argparse.Namespace, directory: Path, contender: str, dataset: str, min_support: int
) -> dict[str, object]:
    out = directory / f"{contender}-{dataset}"
    command = [sys.executable, __file__, "--worker", contender, "--data", str(directory / f"{dataset}.npz")]
    command += ["--out", str(out), "--repeats", str(args.repeats if dataset == "full" else 1)]
    command += ["--min-support", str(min_support), "--min-confidence", str(args.min_confidence)]
    command += ["--min-lift", str(args.min_lift), "--max-basket-items", str(args.max_basket_items)]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"failed": f"timed out after {args.timeout} s"}
    if finished.returncode != 0:
        return {"failed": f"exit {finished.returncode}: {finished.stderr.strip()[-300:]}"}
    return dict(json.loads(out.with_suffix(".json").read_text()))


def summarise(result: dict[str, object]) -> str:
    if "seconds" not in result:
        return str(result)
    seconds = result["seconds"]
    assert isinstance(seconds, list)
    cpu = result["cpu_seconds"]
    assert isinstance(cpu, list)
    return (
        f"best {min(seconds):.3f} s, runs {[round(s, 3) for s in seconds]}, "
        f"CPU {[round(s, 3) for s in cpu]} s, mining peak {result['mining_peak_mb']:.0f} MB "
        f"(RSS before {result['rss_before_mb']:.0f} MB), rules {result['n_rules']}"
    )


def cross_check(directory: Path, dataset: str, contenders: list[str]) -> dict[str, str]:
    if not (directory / f"ours-{dataset}.npz").exists():
        return {c: "ours missing" for c in contenders[1:]}
    reference = load_rules(directory / f"ours-{dataset}.npz")
    verdicts = {}
    for contender in contenders[1:]:
        path = directory / f"{contender}-{dataset}.npz"
        verdicts[contender] = "missing" if not path.exists() else compare(reference, load_rules(path))
        print(f"  check ours == {contender} on {dataset}: {verdicts[contender]}")
    return verdicts


def load_rules(path: Path) -> dict[tuple[int, int], tuple[int, float, float]]:
    saved = np.load(path)
    return {
        (int(a), int(c)): (int(n), float(conf), float(lift))
        for a, c, n, conf, lift in zip(*(saved[f] for f in Rules.__dataclass_fields__), strict=True)
    }


def compare(
    ours: dict[tuple[int, int], tuple[int, float, float]],
    other: dict[tuple[int, int], tuple[int, float, float]],
) -> str:
    if ours.keys() != other.keys():
        only_ours, only_theirs = len(ours.keys() - other.keys()), len(other.keys() - ours.keys())
        return f"DIFFERENT pairs: {only_ours} only ours, {only_theirs} only theirs"
    worst = 0.0
    for pair, (count, confidence, lift) in sorted(ours.items()):
        their_count, their_confidence, their_lift = other[pair]
        if count != their_count:
            return f"DIFFERENT support count for {pair}: {count} vs {their_count}"
        worst = max(worst, abs(confidence - their_confidence) / confidence, abs(lift - their_lift) / lift)
    return (
        f"same {len(ours)} pairs and support counts (checksum {checksum(other)}); "
        f"max relative diff of confidence/lift {worst:.1e}"
    )


def checksum(rules: dict[tuple[int, int], tuple[int, float, float]]) -> str:
    """A short digest of the sorted (antecedent, consequent, support count) triples."""
    triples = np.array([(a, c, n) for (a, c), (n, _, _) in sorted(rules.items())], dtype=np.int64)
    return hashlib.sha256(triples.tobytes()).hexdigest()[:12]


def print_table(
    args: argparse.Namespace,
    shape: BasketShape,
    results: dict[str, dict[str, object]],
    checks: dict[str, dict[str, str]],
    subset_n: int,
    min_support: dict[str, int],
) -> None:
    print()
    print(f"command: .venv/bin/python bench/mining_bench.py {' '.join(sys.argv[1:])}")
    print(
        f"shape {shape.name}; thresholds: min support count {min_support['full']} (subset: "
        f"{min_support['subset']}), min confidence {args.min_confidence}, min lift {args.min_lift}, "
        f"max basket items {args.max_basket_items}; subset = first {subset_n} orders"
    )
    print()
    print("Ratios: best wall time over the baseline's best on the same data (in brackets: the same for CPU).")
    columns = ["contender", "data", "best s", "runs s", "best CPU s", "mining peak MB", "RSS before MB"]
    columns += ["process peak MB", "rules", "vs Xᵀ·X", "vs PyFIM", "note"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for key, result in results.items():
        contender, dataset = key.split("@")
        if "seconds" not in result:
            reason = result.get("skipped") or result.get("failed")
            print(f"| {contender} | {dataset} | " + "– | " * 9 + f"{reason} |")
            continue
        runs = ", ".join(f"{s:.3f}" for s in result["seconds"])  # type: ignore[attr-defined]
        vs_floor, vs_pyfim = ratio(results, key, "xtx-floor"), ratio(results, key, "pyfim")
        print(
            f"| {contender} | {dataset} | {best(result):.3f} | {runs} | {best(result, 'cpu_seconds'):.3f} | "
            f"{result['mining_peak_mb']:.0f} | {result['rss_before_mb']:.0f} | "
            f"{result['process_peak_mb']:.0f} | {result['n_rules']} | {vs_floor} | {vs_pyfim} | "
            f"{result.get('note', '')} |"
        )
    print()
    for dataset, verdicts in checks.items():
        for contender, verdict in verdicts.items():
            print(f"- ours vs {contender} ({dataset}): {verdict}")


def ratio(results: dict[str, dict[str, object]], key: str, baseline: str) -> str:
    """`key`'s best time over `baseline`'s on the same data set: "wall× (CPU×)"."""
    other = results.get(f"{baseline}@{key.split('@')[1]}", {})
    ratios = []
    for field in ("seconds", "cpu_seconds"):
        value, base = best(results[key], field), best(other, field)
        if value is None or not base:
            return ""
        ratios.append(value / base)
    return f"{ratios[0]:.2f}× ({ratios[1]:.2f}×)"


def best(result: dict[str, object], field: str = "seconds") -> float | None:
    seconds = result.get(field)
    return min(seconds) if isinstance(seconds, list) and seconds else None


if __name__ == "__main__":
    main()
