"""Put first on PYTHONPATH of an app process (bench/placements_bench.py does): with BENCH_GC_THRESHOLDS
("gen0,gen1,gen2") the app's own `gc.set_threshold(...)` at start-up sets those values instead, so a bench
compares collector settings in one command without changing the app (gc.freeze() is left as it is); with
BENCH_GC_LOG (a file) every collection of 5 ms or more is appended to it as "pid generation ms epoch"."""

import gc
import os
import time

_wanted = os.environ.get("BENCH_GC_THRESHOLDS")
if _wanted:
    _set_threshold = gc.set_threshold
    _values = [int(value) for value in _wanted.split(",")]

    def _bench_thresholds(*_ignored: int) -> None:
        _set_threshold(*_values)

    gc.set_threshold = _bench_thresholds

_log = os.environ.get("BENCH_GC_LOG")
if _log:
    _started = [0.0]

    def _pause(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            _started[0] = time.perf_counter()
            return
        ms = (time.perf_counter() - _started[0]) * 1000
        if ms >= 5:
            with open(_log, "a") as out:  # one short line per pause: rare enough to write at once
                out.write(f"{os.getpid()} {info['generation']} {ms:.1f} {time.time():.3f}\n")

    gc.callbacks.append(_pause)
