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
    seconds: list[float]  # wall clock per run
    cpu_seconds: list[float]  # the whole process's CPU (all threads) per run: less sensitive to load
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


def measure(run: Callable[[], Rules], repeats: int, note: str = "") -> tuple[Measurement, Rules]:
    gc.collect()
    rss_before = rss_mb("VmRSS")
    reset_peak_rss()
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    rules: Rules | None = None
    for _ in range(repeats):
        rules = None  # free the previous result before the next run
        gc.collect()
        cpu_started = time.process_time()
        started = time.perf_counter()
        rules = run()
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
    assert rules is not None, "repeats must be at least 1"
    return (
        Measurement(
            seconds=seconds,
            cpu_seconds=cpu_seconds,
            rss_before_mb=rss_before,
            mining_peak_mb=rss_mb("VmHWM"),
            process_peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            n_rules=len(rules.antecedent),
            note=note,
        ),
        rules,
    )


def rules_from_pair_counts(
    first: NDArray[np.int64],
    second: NDArray[np.int64],
    together: NDArray[np.int64],
    item_counts: NDArray[np.int64],
    n_baskets: int,
    thresholds: PairThresholds,
) -> Rules:
    """Both rules A→B and B→A of every frequent unordered pair, with confidence and lift from the
    counts and the thresholds applied. The contenders that only count (PyFIM's itemsets, Xᵀ·X) share
    this step, which is what ``mine_pairs`` does after its counting."""
    antecedent = np.concatenate([first, second])
    consequent = np.concatenate([second, first])
    support_count = np.concatenate([together, together])
    confidence, lift = measures(support_count, item_counts[antecedent], item_counts[consequent], n_baskets)
    keep = meets(confidence, lift, thresholds)
    return Rules(antecedent[keep], consequent[keep], support_count[keep], confidence[keep], lift[keep])


def measures(
    together: NDArray[np.int64], antecedent: NDArray[np.int64], consequent: NDArray[np.int64], n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """confidence = n(AB)/n(A), lift = n(AB)·N/(n(A)·n(B)): each one division of integers that
    floats hold exactly, so a rule exactly at a threshold (3/60 = 0.05, lift 1) compares as exactly
    there; measures built from rounded fractions (support/support) can land an ulp below and drop it."""
    confidence = together / antecedent
    lift = (together * n).astype(np.float64) / (antecedent * consequent).astype(np.float64)
    return confidence, lift


def meets(
    confidence: NDArray[np.float64], lift: NDArray[np.float64], thresholds: PairThresholds
) -> NDArray[np.bool_]:
    return (confidence >= thresholds.min_confidence) & (lift >= thresholds.min_lift)


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
    return measurement, rules


def run_pyfim(baskets: Baskets, thresholds: PairThresholds, repeats: int) -> tuple[Measurement, Rules]:
    """PyFIM's FP-growth for the frequent itemsets of size 1 and 2 with their absolute counts (the
    work PyFIM is built for), then rules and measures from those counts as every contender does."""
    import fim

    codes = baskets.codes.tolist()
    offsets = baskets.offsets.tolist()
    transactions = [codes[offsets[b] : offsets[b + 1]] for b in range(len(offsets) - 1)]
    del codes
    n = len(transactions)

    def once() -> Rules:
        found = fim.fpgrowth(
            transactions, target="s", supp=-thresholds.min_support_count, zmin=1, zmax=2, report="a"
        )
        item_counts = np.zeros(baskets.n_items, dtype=np.int64)
        pairs: list[tuple[int, int, int]] = []
        for itemset, count in found:
            if len(itemset) == 1:
                item_counts[itemset[0]] = count
            else:
                pairs.append((itemset[0], itemset[1], count))
        first, second, together = np.array(pairs, dtype=np.int64).reshape(-1, 3).T
        return rules_from_pair_counts(first, second, together, item_counts, n, thresholds)

    measurement, rules = measure(
        once, repeats, note="fim.fpgrowth target='s' zmax=2 (absolute counts); conf/lift from counts"
    )
    return measurement, rules


def run_cooccurrence_floor(
    baskets: Baskets, thresholds: PairThresholds, repeats: int
) -> tuple[Measurement, Rules]:
    """The bare sparse co-occurrence product and the least work that turns it into the same answer:
    item counts from its diagonal, one triangle, the support threshold, then conf/lift as above.
    Building X and Xᵀ in CSR is input conversion (not timed), like every library's input format."""
    import scipy.sparse as sp

    ones = np.ones(baskets.codes.size, dtype=np.int32)
    matrix = sp.csr_matrix((ones, baskets.codes, baskets.offsets), shape=(baskets.n_baskets, baskets.n_items))
    transposed = matrix.T.tocsr()
    n = baskets.n_baskets

    def once() -> Rules:
        product = transposed @ matrix  # CSR, items × items, both triangles and the diagonal
        item_counts = product.diagonal().astype(np.int64)
        frequent = np.flatnonzero(product.data >= thresholds.min_support_count)
        rows = np.searchsorted(product.indptr, frequent, side="right") - 1
        columns = product.indices[frequent]
        upper = columns > rows
        first = rows[upper].astype(np.int64)
        second = columns[upper].astype(np.int64)
        together = product.data[frequent[upper]].astype(np.int64)
        return rules_from_pair_counts(first, second, together, item_counts, n, thresholds)

    measurement, rules = measure(
        once, repeats, note="Xᵀ(CSR) @ X(CSR), diagonal, upper triangle, threshold, conf/lift"
    )
    return measurement, rules


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
        # mlxtend keeps supports as fractions, so a rule exactly at the confidence threshold can come
        # out an ulp below it: ask for a hair less, then apply the thresholds to its counts exactly.
        rules = association_rules(
            itemsets, num_itemsets=n, metric="confidence", min_threshold=thresholds.min_confidence * 0.999
        )
        single = rules[(rules["antecedents"].map(len) == 1) & (rules["consequents"].map(len) == 1)]
        counts = {
            column: np.rint(single[column].to_numpy() * n).astype(np.int64)
            for column in ("support", "antecedent support", "consequent support")
        }
        exact = measures(counts["support"], counts["antecedent support"], counts["consequent support"], n)
        keep = meets(*exact, thresholds)
        return Rules(
            np.asarray([next(iter(a)) for a in single["antecedents"]], np.int64)[keep],
            np.asarray([next(iter(c)) for c in single["consequents"]], np.int64)[keep],
            counts["support"][keep],
            single["confidence"].to_numpy(np.float64)[keep],
            single["lift"].to_numpy(np.float64)[keep],
        )

    note = f"dense one-hot {onehot.shape[0]}×{onehot.shape[1]} bool; thresholds applied to its counts"
    measurement, rules = measure(once, repeats, note=note)
    return measurement, rules


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
        together, lhs, rhs = (
            np.asarray([(r.count_full, r.count_lhs, r.count_rhs) for r in pairs], np.int64).reshape(-1, 3).T
        )
        # Its lift is a quotient of rounded fractions: the lift threshold is applied to its counts.
        keep = meets(*measures(together, lhs, rhs, n), thresholds)
        return Rules(
            np.asarray([r.lhs[0] for r in pairs], np.int64)[keep],
            np.asarray([r.rhs[0] for r in pairs], np.int64)[keep],
            together[keep],
            np.asarray([r.confidence for r in pairs], np.float64)[keep],
            np.asarray([r.lift for r in pairs], np.float64)[keep],
        )

    measurement, rules = measure(once, repeats, note="thresholds applied to its counts")
    return measurement, rules
