"""The papers' claims as functions of runs, each returning a `Verdict`.

One implementation serves `bench/` (which asserts the verdict and checks baselines) and
`depthcore report` (which prints the same table). Statistics follow DESIGN.md and issue 10:
several training seeds per cell, two-level bootstrap (seeds, then probe sequences), the
matched random null, paired comparisons. Thresholds are module constants citing their source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from depthcore import stats

# Issue 12 / DESIGN "Control strength": a control whose mean |log(r*/r_l)| over steps and
# layers is below this rescaled updates by less than ~10% on average; its verdict is
# "control inert" (the claim cannot be judged there), never "retained" or "collapsed".
CONTROL_INERT_BELOW = 0.1
N_BOOT = 1000


class ClaimNotReproduced(AssertionError):
    """Raised by bench tests when a claim's verdict differs from the paper's; recorded as strict xfail."""


@dataclass
class Verdict:
    claim: str
    model: str
    verdict: str  # e.g. "reproduced", "not reproduced", "retained", "collapsed", "control inert"
    expected: str  # what the paper says
    numbers: dict = field(default_factory=dict)
    tier: str = "tiny"
    objective: str = ""
    optimizer: str = ""

    @property
    def reproduced(self) -> bool:
        return self.verdict == self.expected

    def numbers_text(self) -> str:
        def fmt(v):
            if isinstance(v, tuple):
                return f"{v[0]:+.4f} [{v[1]:+.4f}, {v[2]:+.4f}]"
            return f"{v:.4g}" if isinstance(v, float) else str(v)

        return "; ".join(f"{k} {fmt(v)}" for k, v in self.numbers.items())

    def row(self) -> dict:
        row = dict(claim=self.claim, tier=self.tier, model=self.model, objective=self.objective,
                   optimizer=self.optimizer, verdict=self.verdict if self.reproduced else f"{self.verdict} "
                   f"(paper: {self.expected})", numbers=self.numbers_text())
        if "control_strength" in self.numbers:
            row["control_strength"] = self.numbers["control_strength"]
        return row

    def check(self) -> None:
        """Raise ClaimNotReproduced (with the numbers) unless the paper's verdict holds."""
        __tracebackhide__ = True
        if not self.reproduced:
            raise ClaimNotReproduced(f"{self.claim} [{self.model} {self.objective} {self.optimizer}]: "
                                     f"{self.verdict}, paper says {self.expected}: {self.numbers_text()}")


def seq_array(runs: list[xr.Dataset], var: str) -> np.ndarray:
    """[S, N, L]: one per-sequence profile per run (runs = training seeds of one cell)."""
    return np.stack([r[var].values for r in runs])


def concentration(runs: list[xr.Dataset]) -> dict:
    """Output-proximal concentration of change, judged against the matched null (issue 10, 12).

    - slope of Δ_l with a seed-and-probe CI;
    - excess slope = slope(real) - slope(null), paired (same seeds, same probe sequences);
    - shape = relative slope (slope / mean Δ) of real minus null: is the real profile
      steeper in shape than a random perturbation of the same per-layer size, not only larger?
    """
    real, null = seq_array(runs, "rep_change_cos_seq"), seq_array(runs, "null_rep_change_cos_seq")
    depth = runs[0]["depth"].values
    out = {
        "slope": stats.bootstrap_stat(real, depth, n_boot=N_BOOT),
        "excess_slope": stats.bootstrap_diff(real, null, depth, n_boot=N_BOOT),
        "rel_slope": stats.bootstrap_stat(real, depth, stat=stats.relative_slope, n_boot=N_BOOT),
        "null_rel_slope": stats.bootstrap_stat(null, depth, stat=stats.relative_slope, n_boot=N_BOOT),
        "shape_excess": stats.bootstrap_diff(real, null, depth, stat=stats.relative_slope, n_boot=N_BOOT),
    }
    out["concentrated"] = out["excess_slope"][1] > 0 and out["shape_excess"][1] > 0
    return out


def _cell(runs: list[xr.Dataset]) -> dict:
    a = runs[0].attrs
    return dict(model=a["model"], objective=a["objective"], optimizer=a["optimizer"], tier=a["tier"])


def output_proximal(runs: list[xr.Dataset]) -> Verdict:
    """Paper A: under standard fine-tuning, change concentrates in output-proximal layers.

    Judged on the excess slope over the matched null and on shape (relative slope steeper
    than the null's), both with 95% two-level bootstrap CIs whose lower bound must be > 0.
    """
    c = concentration(runs)
    if c["concentrated"]:
        verdict = "reproduced"
    elif c["excess_slope"][1] > 0:
        verdict = "larger than null, not steeper"
    else:
        verdict = "not reproduced"
    numbers = {k: c[k] for k in ("slope", "excess_slope", "rel_slope", "null_rel_slope")}
    numbers["seeds"] = len(runs)
    return Verdict("output_proximal", verdict=verdict, expected="reproduced", numbers=numbers, **_cell(runs))


def control_is_equal(run: xr.Dataset, rtol: float = 1e-3) -> float:
    """Largest relative deviation of logged r_after from the per-step mean over updated layers."""
    r = run["r_after"].values
    worst = 0.0
    for row in r:
        upd = row[row > 0]
        if upd.size:
            worst = max(worst, float(np.max(np.abs(upd / upd.mean() - 1))))
    return worst


def equal_step(standard: list[xr.Dataset], controlled: list[xr.Dataset], expected: str) -> Verdict:
    """Paper A: under the equal-step control the profile is "retained" or "collapses".

    `standard` and `controlled` are paired (same seeds, same data order). The verdict is
    "control inert" when the controlled runs' control strength is below
    CONTROL_INERT_BELOW; else "retained" when the controlled runs still show output-proximal
    concentration (excess slope and shape CIs above 0, as in `output_proximal`), else
    "collapsed". Reported beside it: the paired difference control - standard of the
    excess slope, control strength, r_l spread, and final losses under both conditions.
    """
    strength = float(np.mean([float(r["control_strength"]) for r in controlled]))
    c = concentration(controlled)
    depth = standard[0]["depth"].values
    excess = lambda runs: seq_array(runs, "rep_change_cos_seq") - seq_array(runs, "null_rep_change_cos_seq")  # noqa: E731
    paired = stats.bootstrap_diff(excess(controlled), excess(standard), depth, n_boot=N_BOOT)
    if strength < CONTROL_INERT_BELOW:
        verdict = "control inert"
    else:
        verdict = "retained" if c["concentrated"] else "collapsed"
    numbers = {
        "control_strength": strength,
        "r_spread": float(np.mean([float(r["r_spread"]) for r in standard])),
        "controlled_slope": c["slope"],
        "controlled_excess": c["excess_slope"],
        "control_minus_standard": paired,
        "final_loss_std": float(np.mean([float(r["final_loss"]) for r in standard])),
        "final_loss_ctrl": float(np.mean([float(r["final_loss"]) for r in controlled])),
        "seeds": len(controlled),
    }
    return Verdict("equal_step", verdict=verdict, expected=expected, numbers=numbers, **_cell(controlled))


def cell_dataset(runs: list[xr.Dataset]) -> xr.Dataset:
    """Concatenate a cell's runs along `run`, spec fields as coords (the baseline of a case)."""
    from depthcore.results import concat

    return concat(runs)
