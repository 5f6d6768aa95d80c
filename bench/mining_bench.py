"""Pair-mining benchmark: ours vs PyFIM, the bare Xᵀ·X product, mlxtend and efficient-apriori.

    .venv/bin/python bench/mining_bench.py --orders 1000000 --products 50000

Each contender runs in its own subprocess on the same saved data, so one's memory cannot hide in
another's. Timing covers the mining call only (data loading and generation excluded). Memory: the
child resets its peak-RSS counter (/proc/self/clear_refs) right before mining and reads VmHWM after,
so "mining peak" is the whole process's resident peak *during* mining (loaded data included);
"process peak" is ru_maxrss over the child's whole life.
"""

from __future__ import annotations

import argparse
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
from mining_data import generate_orders

from saleor_upsell_app.mining.baskets import Baskets, baskets_from_codes
from saleor_upsell_app.mining.pairs import PairThresholds

CONTENDERS = ("ours", "ours-1-thread", "pyfim", "xtx-floor", "mlxtend", "efficient-apriori")


def main() -> None:
    args = parse_args()
    thresholds = PairThresholds(
        min_support_count=args.min_support,
        min_confidence=args.min_confidence,
        min_lift=args.min_lift,
        max_basket_items=args.max_basket_items,
    )
    if args.worker:
        run_worker(args, thresholds)
    else:
        orchestrate(args, thresholds)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--zipf-s", type=float, default=1.0)
    parser.add_argument("--zipf-offset", type=float, default=10.0)
    parser.add_argument("--max-lines", type=int, default=20)
    parser.add_argument("--min-support", type=int, default=20)
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
    rules: Rules | None
    if args.worker == "ours":
        measurement, rules = run_ours(baskets, thresholds, args.repeats, workers=2)
    elif args.worker == "ours-1-thread":
        measurement, rules = run_ours(baskets, thresholds, args.repeats, workers=1)
    elif args.worker == "pyfim":
        measurement, rules = run_pyfim(baskets, thresholds, args.repeats)
    elif args.worker == "xtx-floor":
        measurement, rules = run_cooccurrence_floor(baskets, args.repeats)
    elif args.worker == "mlxtend":
        measurement, rules = run_mlxtend(baskets, thresholds, args.repeats)
    else:
        measurement, rules = run_efficient_apriori(baskets, thresholds, args.repeats)
    args.out.with_suffix(".json").write_text(json.dumps(asdict(measurement)))
    if rules is not None:
        np.savez(args.out.with_suffix(".npz"), **asdict(rules))


# --- parent process ------------------------------------------------------------------------------------


def orchestrate(args: argparse.Namespace, thresholds: PairThresholds) -> None:
    load_at_start = os.getloadavg()
    started = time.perf_counter()
    orders = generate_orders(
        args.orders,
        args.products,
        seed=args.seed,
        zipf_s=args.zipf_s,
        zipf_offset=args.zipf_offset,
        max_lines=args.max_lines,
    )
    generated = time.perf_counter()
    item_ids = [str(i) for i in range(args.products)]
    full = baskets_from_codes(orders.codes, orders.offsets, item_ids)
    canonical = time.perf_counter()
    subset_n = min(args.subset_orders, full.n_baskets)
    subset = Baskets(full.item_ids, full.codes[: full.offsets[subset_n]], full.offsets[: subset_n + 1])
    sizes = full.sizes()
    print(
        f"data: {full.n_baskets} orders, {orders.codes.size} lines, {full.codes.size} distinct order-product "
        f"entries, {int((sizes * (sizes - 1) // 2).sum())} pair instances; generated in "
        f"{generated - started:.1f} s, de-duplicated in {canonical - generated:.2f} s"
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
            results[key] = run_child(args, directory, contender, dataset)
            print(f"  {key}: {summarise(results[key])}", flush=True)
        checks = {
            "full": cross_check(directory, "full", ["ours", "pyfim"]),
            "subset": cross_check(directory, "subset", ["ours", "pyfim", "mlxtend", "efficient-apriori"]),
        }
    distinct = len(np.unique(full.codes))
    results["mlxtend@full"] = {
        "skipped": f"dense one-hot would need {full.n_baskets} × {distinct} bool = "
        f"{full.n_baskets * distinct / 1e9:.1f} GB before fpgrowth starts"
    }
    results["efficient-apriori@full"] = {
        "skipped": f"pure Python; run on the {subset_n}-order subset instead"
    }
    print_table(args, results, checks, subset_n)
    # Other work on the machine inflates every time above; the load average says how much there was.
    print(f"load average at start {load_at_start}, at end {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "checks": checks}, indent=2))


def run_child(args: argparse.Namespace, directory: Path, contender: str, dataset: str) -> dict[str, object]:
    out = directory / f"{contender}-{dataset}"
    command = [sys.executable, __file__, "--worker", contender, "--data", str(directory / f"{dataset}.npz")]
    command += ["--out", str(out), "--repeats", str(args.repeats if dataset == "full" else 1)]
    command += ["--min-support", str(args.min_support), "--min-confidence", str(args.min_confidence)]
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
    return (
        f"best {min(seconds):.3f} s, runs {[round(s, 3) for s in seconds]}, "
        f"mining peak {result['mining_peak_mb']:.0f} MB (RSS before {result['rss_before_mb']:.0f} MB), "
        f"rules {result['n_rules']}"
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
    for pair, (count, confidence, lift) in ours.items():
        their_count, their_confidence, their_lift = other[pair]
        if count != their_count:
            return f"DIFFERENT support count for {pair}: {count} vs {their_count}"
        worst = max(worst, abs(confidence - their_confidence) / confidence, abs(lift - their_lift) / lift)
    return f"same {len(ours)} pairs and support counts; max relative diff of confidence/lift {worst:.1e}"


def print_table(
    args: argparse.Namespace,
    results: dict[str, dict[str, object]],
    checks: dict[str, dict[str, str]],
    subset_n: int,
) -> None:
    floor = best(results.get("xtx-floor@full", {}))
    pyfim = best(results.get("pyfim@full", {}))
    print()
    print(f"command: .venv/bin/python bench/mining_bench.py {' '.join(sys.argv[1:])}")
    print(
        f"thresholds: min support count {args.min_support}, min confidence {args.min_confidence}, "
        f"min lift {args.min_lift}, max basket items {args.max_basket_items}; "
        f"subset = first {subset_n} orders"
    )
    print()
    columns = ["contender", "data", "best s", "runs s", "mining peak MB", "RSS before MB", "process peak MB"]
    columns += ["rules", "vs Xᵀ·X", "vs PyFIM", "note"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for key, result in results.items():
        contender, dataset = key.split("@")
        if "seconds" not in result:
            reason = result.get("skipped") or result.get("failed")
            print(f"| {contender} | {dataset} | " + "– | " * 8 + f"{reason} |")
            continue
        seconds = best(result) or 0.0
        ratio_floor = f"{seconds / floor:.2f}×" if dataset == "full" and floor else ""
        ratio_pyfim = f"{seconds / pyfim:.2f}×" if dataset == "full" and pyfim else ""
        runs = ", ".join(f"{s:.3f}" for s in result["seconds"])  # type: ignore[attr-defined]
        print(
            f"| {contender} | {dataset} | {seconds:.3f} | {runs} | {result['mining_peak_mb']:.0f} | "
            f"{result['rss_before_mb']:.0f} | {result['process_peak_mb']:.0f} | {result['n_rules']} | "
            f"{ratio_floor} | {ratio_pyfim} | {result.get('note', '')} |"
        )
    print()
    for dataset, verdicts in checks.items():
        for contender, verdict in verdicts.items():
            print(f"- ours vs {contender} ({dataset}): {verdict}")


def best(result: dict[str, object]) -> float | None:
    seconds = result.get("seconds")
    return min(seconds) if isinstance(seconds, list) and seconds else None


if __name__ == "__main__":
    main()
