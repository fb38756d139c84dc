"""Ours, across papers: do paper A's profile, paper B's rule and paper C's selection agree on which
layers matter? (docs/design.md "Verdict rules")"""

from __future__ import annotations

import numpy as np
import xarray as xr

from depthcore import stats
from depthcore.claims.lora import top_k_layers
from depthcore.claims.verdict import Verdict, cell_of, decidability, seq_array

PAIRS = (("A", "B"), ("A", "C"), ("B", "C"))


def cross_agreement(runs: list[xr.Dataset], expected: str) -> Verdict:
    """On one cell of full fine-tuning runs (training seeds), three per-layer "importance" profiles
    on the same probe sequences (the first `ls_size`, where all three exist): A = local change
    Δ_l^local; B = layer sensitivity LS_l; C = semantic deviation d_l. Agreement: the Spearman
    correlation of each pair of mean profiles, with a `stats.profile_ci` interval over the three
    profiles side by side (seeds and probe sequences shared); a pair "agrees" (+) above 0,
    "opposes" (-) below, else "?". Reported beside: the overlap of the layer sets each paper
    would train — A's top half by local change, B's first half, C's top-k d_l (k = L/2). The
    verdict is the three signs, e.g. "A~B -, A~C +, B~C -"; `expected` is the hypothesis under
    test (bench/grid.py).
    """
    n = runs[0].sizes["ls_seq"]
    parts = [seq_array(runs, "rep_change_local_seq")[:, :n], seq_array(runs, "sensitivity_seq"),
             seq_array(runs, "semantic_deviation_seq")[:, :n]]
    L = parts[0].shape[-1]
    joint = np.concatenate(parts, axis=-1)
    idx = {"A": 0, "B": 1, "C": 2}

    def rho(x, y):
        def stat(profiles, depth):
            p = profiles[..., idx[x] * L:(idx[x] + 1) * L]
            q = profiles[..., idx[y] * L:(idx[y] + 1) * L]
            return stats._rowwise_spearman(p, q)
        return stats.profile_ci(joint, np.zeros(3 * L), stat=stat)

    rhos = {f"{x}~{y}": rho(x, y) for x, y in PAIRS}
    sign = {k: "+" if v[1] > 0 else "-" if v[2] < 0 else "?" for k, v in rhos.items()}
    k = L // 2
    mean = joint.mean((0, 1))
    sets = {"A": set(top_k_layers(mean[:L], k)), "B": set(range(1, k + 1)), "C": set(top_k_layers(mean[2 * L:], k))}
    numbers = {**{f"spearman_{p}": v for p, v in rhos.items()},
               **{f"overlap_{x}{y}": len(sets[x] & sets[y]) / k for x, y in PAIRS},
               **{f"set_{x}": "-".join(map(str, sorted(s))) for x, s in sets.items()},
               **decidability(*rhos.values()), "seeds": len(runs)}
    verdict = ", ".join(f"{p} {s}" for p, s in sign.items())
    return Verdict("cross_agreement", verdict=verdict, expected=expected, numbers=numbers, **cell_of(runs))
