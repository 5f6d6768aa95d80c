"""One function per contender: load the shared data, then time only the mining call."""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from saleor_upsell_app.mining.baskets import Baskets
from saleor_upsell_app.mining.pairs import PairThresholds, mine_pairs


@dataclass(frozen=True, slots=True)
class Rules:
    """Ordered pairs in code space, for cross-checking contenders."""

    antecedent: NDArray[np.int64]
    consequent: NDArray[np.int64]
    support_count: NDArray[np.int64]
    confidence: NDArray[np.float64]
    lift: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Measurement:
    seconds: list[float]
    rss_before_mb: float
    mining_peak_mb: float
    process_peak_mb: float
    n_rules: int
    note: str = ""


def rss_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak_rss() -> None:
    # Linux ≥ 4.0: writing 5 resets VmHWM, so the peak seen afterwards belongs to the mining call.
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def measure(run: Callable[[], Rules | int], repeats: int, note: str = "") -> tuple[Measurement, Rules | None]:
    gc.collect()
    rss_before = rss_mb("VmRSS")
    reset_peak_rss()
    seconds: list[float] = []
    result: Rules | int = 0
    for _ in range(repeats):
        result = 0  # free the previous result before the next run
        gc.collect()
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    rules = result if isinstance(result, Rules) else None
    return (
        Measurement(
            seconds=seconds,
            rss_before_mb=rss_before,
            mining_peak_mb=rss_mb("VmHWM"),
            process_peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            n_rules=len(rules.antecedent) if rules is not None else int(result),  # type: ignore[arg-type]
            note=note,
        ),
        rules,
    )


def keep_lift(rules: Rules, min_lift: float) -> Rules:
    keep = rules.lift >= min_lift
    return Rules(*(getattr(rules, f)[keep] for f in Rules.__dataclass_fields__))


def run_ours(
    baskets: Baskets, thresholds: PairThresholds, repeats: int, workers: int
) -> tuple[Measurement, Rules]:
    few = min(10, baskets.n_baskets)
    tiny = Baskets(baskets.item_ids, baskets.codes[: baskets.offsets[few]], baskets.offsets[: few + 1])
    started = time.perf_counter()
    mine_pairs(tiny, thresholds, workers=workers)  # JIT load/compile, excluded from the timed runs
    warmup = time.perf_counter() - started

    def once() -> Rules:
        table = mine_pairs(baskets, thresholds, workers=workers)
        return Rules(
            table.antecedent.astype(np.int64),
            table.consequent.astype(np.int64),
            table.support_count,
            table.confidence,
            table.lift,
        )

    measurement, rules = measure(
        once, repeats, note=f"{workers} thread(s); JIT warm-up {warmup:.2f} s excluded"
    )
    assert rules is not None
    return measurement, rules


def run_pyfim(baskets: Baskets, thresholds: PairThresholds, repeats: int) -> tuple[Measurement, Rules]:
    import fim

    codes = baskets.codes.tolist()
    offsets = baskets.offsets.tolist()
    transactions = [codes[offsets[b] : offsets[b + 1]] for b in range(len(offsets) - 1)]
    del codes

    def once() -> Rules:
        found = fim.arules(
            transactions,
            supp=-thresholds.min_support_count,
            conf=thresholds.min_confidence * 100,
            zmin=2,
            zmax=2,
            report="acl",
            mode="o",  # rule support = support of body ∪ head, as ours
        )
        columns = list(zip(*found, strict=True)) if found else [(), (), (), (), ()]
        heads, bodies, counts, confidences, lifts = columns
        return Rules(
            np.fromiter((b[0] for b in bodies), np.int64, len(bodies)),
            np.asarray(heads, np.int64),
            np.asarray(counts, np.int64),
            np.asarray(confidences, np.float64),
            np.asarray(lifts, np.float64),
        )

    measurement, rules = measure(once, repeats, note="fim.arules zmin=zmax=2, mode='o'; lift filter after")
    assert rules is not None
    return measurement, keep_lift(rules, thresholds.min_lift)


def run_cooccurrence_floor(baskets: Baskets, repeats: int) -> tuple[Measurement, None]:
    import scipy.sparse as sp

    ones = np.ones(baskets.codes.size, dtype=np.int32)
    matrix = sp.csr_matrix((ones, baskets.codes, baskets.offsets), shape=(baskets.n_baskets, baskets.n_items))
    transposed = matrix.T.tocsr()
    measurement, _ = measure(lambda: int((transposed @ matrix).nnz), repeats, note="Xᵀ(CSR) @ X(CSR), nnz")
    return measurement, None


def run_mlxtend(baskets: Baskets, thresholds: PairThresholds, repeats: int) -> tuple[Measurement, Rules]:
    import pandas as pd
    import scipy.sparse as sp
    from mlxtend.frequent_patterns import association_rules, fpgrowth

    ones = np.ones(baskets.codes.size, dtype=bool)
    matrix = sp.csr_matrix((ones, baskets.codes, baskets.offsets), shape=(baskets.n_baskets, baskets.n_items))
    present = np.flatnonzero(np.asarray(matrix.sum(axis=0)).ravel())
    onehot = pd.DataFrame(matrix[:, present].toarray(), columns=present)
    n = baskets.n_baskets

    def once() -> Rules:
        itemsets = fpgrowth(
            onehot, min_support=(thresholds.min_support_count - 0.5) / n, use_colnames=True, max_len=2
        )
        rules = association_rules(
            itemsets, num_itemsets=n, metric="confidence", min_threshold=thresholds.min_confidence
        )
        single = rules[(rules["antecedents"].map(len) == 1) & (rules["consequents"].map(len) == 1)]
        return Rules(
            np.asarray([next(iter(a)) for a in single["antecedents"]], np.int64),
            np.asarray([next(iter(c)) for c in single["consequents"]], np.int64),
            np.rint(single["support"].to_numpy() * n).astype(np.int64),
            single["confidence"].to_numpy(np.float64),
            single["lift"].to_numpy(np.float64),
        )

    measurement, rules = measure(
        once, repeats, note=f"dense one-hot {onehot.shape[0]}×{onehot.shape[1]} bool"
    )
    assert rules is not None
    return measurement, keep_lift(rules, thresholds.min_lift)


def run_efficient_apriori(
    baskets: Baskets, thresholds: PairThresholds, repeats: int
) -> tuple[Measurement, Rules]:
    from efficient_apriori import apriori

    codes = baskets.codes.tolist()
    offsets = baskets.offsets.tolist()
    transactions = [tuple(codes[offsets[b] : offsets[b + 1]]) for b in range(len(offsets) - 1)]
    n = len(transactions)

    def once() -> Rules:
        _, rules = apriori(
            transactions,
            min_support=(thresholds.min_support_count - 0.5) / n,
            min_confidence=thresholds.min_confidence,
            max_length=2,
        )
        pairs = [r for r in rules if len(r.lhs) == 1 and len(r.rhs) == 1]
        return Rules(
            np.asarray([r.lhs[0] for r in pairs], np.int64),
            np.asarray([r.rhs[0] for r in pairs], np.int64),
            np.asarray([r.count_full for r in pairs], np.int64),
            np.asarray([r.confidence for r in pairs], np.float64),
            np.asarray([r.lift for r in pairs], np.float64),
        )

    measurement, rules = measure(once, repeats)
    assert rules is not None
    return measurement, keep_lift(rules, thresholds.min_lift)
