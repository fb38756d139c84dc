"""How wall time grows: with the number of runs, and the profile's with the probe-set size.

Two curves, each checked for linearity with an OLS line (depthcore.perf.linear_fit):

- runs: `engine.run` of 1, 2 and 4 short tiny runs in sequence (tiny-gpt2-64, clm, 5 steps,
  16 probe sequences; seeds 0..k-1), after one untimed warm-up run (first-use costs:
  corpus, tokenizer, imports). Nothing is shared between runs but those caches, so total
  time should be k times one run. The sweep takes minutes, during which the load of a shared
  machine drifts (a first version measured 1, 2, 4 once and read a 1.7x "superlinear" growth
  that was the load falling: single runs timed in a row took 6.5 s, then 4 s). So the
  counts are measured in the order 1, 2, 4, 4, 2, 1 and each count's two totals are
  summed, which cancels a linear drift.
- probe size: `profile.capture(pre, post, probe, null=null)` over the first 16, 32 and 64
  probe sequences (1, 2 and 4 batches of 16), sizes interleaved within each round, median
  over rounds.

Asserted: R² of the line ≥ 0.95 and the cost per unit (per run, per probe sequence) at the
largest size at most MAX_UNIT_RATIO times that at the smallest (no superlinear growth: fixed
costs only make the larger sizes cheaper per unit); 1.25 for the probe (seconds, interleaved
rounds), 1.5 for runs (minutes, one drift-cancelling round). One thread (shared CPU, few cores).
"""

from __future__ import annotations

import statistics
import time

import pytest

from depthcore import engine, profile
from depthcore.config import RunSpec
from depthcore.perf import linear_fit

from test_perf_profile import states  # bench/ is on sys.path, as for grid.py

pytestmark = [pytest.mark.perf]

MIN_R2 = 0.95
MAX_UNIT_RATIO = {"run": 1.5, "sequence": 1.25}  # per-unit cost at the largest size / at the smallest
RUN_COUNTS = (1, 2, 4)
PROBE_SIZES = (16, 32, 64)
PROBE_ROUNDS = 4


def check_linear(benchmark, what: str, unit: str, sizes, seconds) -> None:
    __tracebackhide__ = True
    slope, intercept, r2 = linear_fit(sizes, seconds)
    per_unit = [t / s for s, t in zip(sizes, seconds)]
    unit_ratio = per_unit[-1] / per_unit[0]
    benchmark.extra_info.update({"sizes": list(sizes), "seconds": list(seconds), "slope_s": slope,
                                 "intercept_s": intercept, "r2": r2, "unit_ratio": unit_ratio})
    curve = ", ".join(f"{s}: {t:.2f} s" for s, t in zip(sizes, seconds))
    print(f"\n{what}: {curve}; line {slope:.3f} s/{unit} + {intercept:.2f} s, R² {r2:.4f}; "
          f"per-{unit} time at {sizes[-1]} / at {sizes[0]}: {unit_ratio:.3f}")
    assert r2 >= MIN_R2, f"{what} is not linear: R² {r2:.4f} < {MIN_R2} ({curve})"
    assert unit_ratio <= MAX_UNIT_RATIO[unit], (f"{what} grows faster than linearly: time per {unit} at {sizes[-1]} "
                                                f"is {unit_ratio:.3f}x that at {sizes[0]} (budget "
                                                f"{MAX_UNIT_RATIO[unit]}x; {curve})")


def test_wall_time_is_linear_in_number_of_runs(benchmark, one_thread):
    if benchmark.disabled:
        pytest.skip("timings are off (--benchmark-disable); this test only measures")
    base = RunSpec(model="tiny-gpt2-64", steps=5, probe_size=16)
    engine.run(base.replace(seed=99))  # warm-up: corpus, tokenizer, imports
    totals = {k: 0.0 for k in RUN_COUNTS}

    def sweep():
        for k in (*RUN_COUNTS, *reversed(RUN_COUNTS)):  # ABBA order: a linear load drift cancels
            t0 = time.perf_counter()
            for seed in range(k):
                engine.run(base.replace(seed=seed))
            totals[k] += (time.perf_counter() - t0) / 2

    benchmark.pedantic(sweep, rounds=1, iterations=1)
    seconds = [totals[k] for k in RUN_COUNTS]
    check_linear(benchmark, "engine.run, runs in sequence", "run", RUN_COUNTS, seconds)


def test_profile_time_is_linear_in_probe_size(benchmark, one_thread):
    if benchmark.disabled:
        pytest.skip("timings are off (--benchmark-disable); this test only measures")
    pre, post, null, probe = states("tiny-gpt2-64", n=max(PROBE_SIZES))
    parts = {n: {k: v[:n] for k, v in probe.items()} for n in PROBE_SIZES}
    times: dict[int, list[float]] = {n: [] for n in PROBE_SIZES}
    profile.capture(pre, post, parts[PROBE_SIZES[0]], null=null)  # warm-up

    def one_round():
        for n in PROBE_SIZES:
            t0 = time.perf_counter()
            profile.capture(pre, post, parts[n], null=null)
            times[n].append(time.perf_counter() - t0)

    benchmark.pedantic(one_round, rounds=PROBE_ROUNDS, iterations=1)
    seconds = [statistics.median(times[n]) for n in PROBE_SIZES]
    check_linear(benchmark, "profile.capture vs probe sequences", "sequence", PROBE_SIZES, seconds)
