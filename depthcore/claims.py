"""The papers' claims as functions of runs, each returning a `Verdict`.

One implementation serves `bench/` (which asserts the verdict and checks baselines) and
`depthcore report` (which prints the same table). Statistics follow docs/design.md:
several training seeds per cell, two-level bootstrap (seeds, then probe sequences), the
matched random null, paired comparisons. Thresholds are module constants citing their source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from depthcore import stats
from depthcore.criteria import CI, CONTROL_INERT_BELOW, MIN_OBJECTIVES, expected_under_control
from depthcore.criteria import LORA_PRIMARY, LORA_STRICT
from depthcore.criteria import FIRST_N_EXPECTED, FREEZE_ALLOCATION_EXPECTED
from depthcore.config import RunSpec
from depthcore.noise import Noise
from depthcore.results import spec_of



class ClaimNotReproduced(AssertionError):
    """Raised by bench tests when a claim's verdict differs from the paper's; recorded as strict xfail."""


class VerdictChanged(AssertionError):
    """Raised when a verdict or its stricter reading differs from the one recorded in bench/known.py."""


@dataclass
class Verdict:
    """One claim judged on one cell (docs/design.md "Verdict rules").

    `verdict` is always the paper's own criterion; `strict` is the project's stricter reading
    beside it ("" when the claim has none). `expected` is what the paper says, or "" for a
    question of ours that no paper answers.
    """

    claim: str
    model: str
    verdict: str  # by the paper's criterion, e.g. "reproduced", "retained", "inconclusive", "control inert"
    expected: str  # what the paper says; "" when no paper asks
    numbers: dict = field(default_factory=dict)
    tier: str = "tiny"
    objective: str = ""
    optimizer: str = ""
    strict: str = ""  # the project's stricter reading, e.g. "steeper than null"; "" when none
    numerics: str = ""  # "sensitive: recorded ..." when other numerics moved the verdict within noise (check)

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
        """The verdict table's row (`report.VERDICT_COLUMNS`); verdicts.json and bench/known.py keep it."""
        row = dict(claim=self.claim, tier=self.tier, model=self.model, objective=self.objective,
                   optimizer=self.optimizer, verdict=self.verdict, strict=self.strict, expected=self.expected,
                   numbers=self.numbers_text())
        if "control_strength" in self.numbers:
            row["control_strength"] = self.numbers["control_strength"]
        if self.numerics:
            row["numerics"] = self.numerics
        return row

    def check(self, recorded: dict | None = None, noise: Noise | None = None, moved: str = "") -> None:
        """Assert the verdict against the paper and, when given, against the recorded finding.

        Args:
            recorded: None, or the measured finding of bench/known.py,
                {"verdict": str, "strict": str, "numbers": str}.
            noise: None when the run was computed with the recorded finding's own numerics;
                else the tier's measured numerics noise (noise.py), within which a changed verdict
                is numerics-sensitive rather than changed.
            moved: with `noise`, the spec fields derived from data that moved (e.g. paper C's
                selected layers, from a near-tie): the verdict then compares other runs than the
                recorded one, so its numbers are not comparable and a change is numerics-sensitive.

        Raises:
            VerdictChanged: `recorded` is given and the verdict or the stricter reading differs
                from it (the message gives both, with their numbers); with `noise`, only when some
                number moved beyond it. A change within it sets `numerics` (recorded and obtained)
                and the test keeps the recorded outcome.
            ClaimNotReproduced: otherwise, when the paper expects a verdict (`expected` not "")
                and this is not it (or, when numerics-sensitive, the recorded one was not); a
                recorded non-reproduction is a strict xfail in the bench.
        """
        __tracebackhide__ = True
        where = f"{self.claim} [{self.model} {self.objective} {self.optimizer}]"
        verdict = self.verdict
        if recorded is not None and (self.verdict, self.strict) != (recorded["verdict"], recorded["strict"]):
            if noise is None:
                beyond = None
            elif moved:
                beyond = []  # other runs than the recorded ones: their numbers cannot be held to the recorded
            else:
                beyond = noise.beyond_numbers(recorded.get("numbers", ""), self.numbers_text())
            change = (f"verdict changed from the recorded {recorded['verdict']!r} (stricter reading "
                      f"{recorded['strict']!r}; {recorded.get('numbers', '')}) to {self.verdict!r} (stricter reading "
                      f"{self.strict!r}; {self.numbers_text()})")
            if beyond is None or beyond:
                why = "" if beyond is None else "; beyond numerics noise: " + "; ".join(beyond)
                raise VerdictChanged(f"{where}: {change}{why}")
            via = f" (derived from data: {moved})" if moved else ""
            self.numerics = (f"sensitive{via}: recorded {recorded['verdict']} / {recorded['strict'] or '-'} "
                             f"({recorded.get('numbers', '')})")
            verdict = recorded["verdict"]
        if self.expected and verdict != self.expected:
            raise ClaimNotReproduced(f"{where}: {verdict}, paper says {self.expected}: {self.numbers_text()}")


def seq_array(runs: list[xr.Dataset], var: str) -> np.ndarray:
    """[S, N, L]: one per-sequence profile per run (runs = training seeds of one cell)."""
    return np.stack([r[var].values for r in runs])


def concentration(runs: list[xr.Dataset]) -> dict:
    """Output-proximal concentration of change, judged against the matched null.

    - slope of Δ_l with a seed-and-probe CI;
    - excess slope = slope(real) - slope(null), paired (same seeds, same probe sequences);
    - shape = relative slope (slope / mean Δ) of real minus null: is the real profile
      steeper in shape than a random perturbation of the same per-layer size, not only larger?
    """
    real, null = seq_array(runs, "rep_change_cos_seq"), seq_array(runs, "null_rep_change_cos_seq")
    depth = runs[0]["depth"].values
    out = {
        "slope": stats.bootstrap_stat(real, depth),
        "excess_slope": stats.bootstrap_diff(real, null, depth),
        "rel_slope": stats.bootstrap_stat(real, depth, stat=stats.relative_slope),
        "null_rel_slope": stats.bootstrap_stat(null, depth, stat=stats.relative_slope),
        "shape_excess": stats.bootstrap_diff(real, null, depth, stat=stats.relative_slope),
    }
    out["concentrated"] = out["excess_slope"][1] > 0 and out["shape_excess"][1] > 0
    return out


def _cell(runs: list[xr.Dataset]) -> dict:
    a = runs[0].attrs
    return dict(model=a["model"], objective=a["objective"], optimizer=a["optimizer"], tier=a["tier"])


def _null_reading(c: dict) -> str:
    """The stricter reading of a profile against its matched null (`concentration`'s CIs)."""
    if c["concentrated"]:
        return "steeper than null"
    return "larger than null, not steeper" if c["excess_slope"][1] > 0 else "not above null"


def output_proximal(runs: list[xr.Dataset]) -> Verdict:
    """Paper A: under standard fine-tuning, change concentrates in output-proximal layers.

    docs/design.md "Verdict rules". All CIs are 95% two-level bootstrap CIs (training seeds,
    then probe sequences).

    - verdict, the paper's criterion (criteria.py: "bootstrap confidence intervals on the
      fitted slopes"): "reproduced" when the CI of the slope of Δ_l has lower bound > 0,
      else "not reproduced".
    - strict, ours, against the matched random null: "steeper than null" when the excess
      slope and the shape excess (relative slope minus the null's) both have CI lower bound
      > 0; "larger than null, not steeper" when only the excess slope's is; else "not above
      null".

    The numbers also give the fine-tuning domain's held-out loss before and after (means
    over seeds), so that a profile of a fine-tune that did not learn is visible as such.

    Args:
        runs: The training seeds of one standard full-fine-tuning cell.

    Returns:
        The Verdict, with `strict` set.
    """
    c = concentration(runs)
    verdict = "reproduced" if c["slope"][1] > 0 else "not reproduced"
    numbers = {k: c[k] for k in ("slope", "excess_slope", "rel_slope", "null_rel_slope", "shape_excess")}
    numbers["heldout_before"] = float(np.mean([float(r["heldout_loss_before"]) for r in runs]))
    numbers["heldout_after"] = float(np.mean([float(r["heldout_loss"]) for r in runs]))
    numbers["seeds"] = len(runs)
    return Verdict("output_proximal", verdict=verdict, expected="reproduced", numbers=numbers,
                   strict=_null_reading(c), **_cell(runs))


def local_vs_propagated(runs: list[xr.Dataset]) -> Verdict:
    """Ours: is the output-proximal change learned by the blocks near the output, or accumulated?

    No paper asks this (`expected` is ""). Δ_l (`rep_change_cos`) compares h_l before and after
    fine-tuning, so it includes everything that changed below layer l and flowed up the residual
    stream; the local change Δ_l^local (`rep_change_local`) feeds the same pre-fine-tuning input
    into block l before and after, so it shows what block l itself learned (docs/design.md
    "Local change"). CIs: 95% two-level bootstrap (training seeds, then probe sequences).

    - "learned near the output": the local slope's CI has lower bound > 0;
    - "accumulated, not learned near the output": the local slope's CI has upper bound <= 0
      while the propagated slope's has lower bound > 0 (Δ_l rises with depth, the blocks' own
      change does not);
    - "inconclusive": otherwise (the local CI straddles 0, or neither profile rises).

    Reported: local slope and relative slope, the propagated slope, and the last block's
    propagated change over the sum of all blocks' local changes (mean over seeds of each):
    near 1 or above when the last layer's change is the blocks' changes added up.

    Args:
        runs: The training seeds of one standard full-fine-tuning cell.

    Returns:
        The Verdict (no stricter reading).
    """
    local, prop = seq_array(runs, "rep_change_local_seq"), seq_array(runs, "rep_change_cos_seq")
    depth = runs[0]["depth"].values
    local_slope, prop_slope = stats.bootstrap_stat(local, depth), stats.bootstrap_stat(prop, depth)
    if local_slope[1] > 0:
        verdict = "learned near the output"
    elif local_slope[2] <= 0 and prop_slope[1] > 0:
        verdict = "accumulated, not learned near the output"
    else:
        verdict = "inconclusive"
    last = np.mean([float(r["rep_change_cos"][-1]) for r in runs])
    local_sum = np.mean([float(r["rep_change_local"].sum()) for r in runs])
    numbers = {"local_slope": local_slope,
               "local_rel_slope": stats.bootstrap_stat(local, depth, stat=stats.relative_slope),
               "propagated_slope": prop_slope, "last_over_local_sum": float(last / local_sum),
               "seeds": len(runs)}
    return Verdict("local_vs_propagated", verdict=verdict, expected="", numbers=numbers, **_cell(runs))


def control_is_equal(run: xr.Dataset) -> float:
    """How far the layers' steps were from equal under the equal-step control, measured from the weights.

    Uses ``r_measured``, r_l taken from each layer's parameters before and after a logged
    step (`depthcore.train`), not the control's own log: a control that failed to rescale
    gives a large value. At each logged step, the layers with r_l > 0 (frozen ones have 0)
    are compared with their mean. Meant for ``control_granularity="layer"``; under "tensor"
    the layers' r_l need not be equal.

    Only what float32 weights can show counts: the control writes W_old + ΔW·r*/r_l into
    float32, and rounding each element moves the realised update by up to half an ulp, so
    ||error|| <= eps/2·||W|| and the realised r_l is off by up to eps/(2·r_l) relative (eps =
    float32 machine epsilon). A deviation within eps/r_l (the rounding of r_l and of the mean
    together) is no evidence against the control. With SGD at the tiny tier's end of the
    linear decay r_l falls to ~1e-6, where that resolution is ~0.1.

    Args:
        run: one run's result.

    Returns:
        The largest ``|r_l / mean - 1| - eps / r_l`` (at least 0) over logged steps and moved
        layers; inf when an r_l is NaN or infinite; 0 when no layer moved.

    Raises:
        ValueError: the result has no ``r_measured`` (written before it was recorded).
    """
    if "r_measured" not in run:
        raise ValueError(f"{run.attrs.get('label', 'this result')} has no r_measured; recompute it with this depthcore")
    eps = float(np.finfo(np.float32).eps)
    worst = 0.0
    for row in run["r_measured"].values.astype(np.float64):
        moved = row[row != 0]  # NaN != 0, so NaN stays in
        if not np.isfinite(moved).all():
            return float("inf")
        if moved.size:
            worst = max(worst, float(np.max(np.abs(moved / moved.mean() - 1) - eps / np.abs(moved))))
    return worst


def equal_step(standard: list[xr.Dataset], controlled: list[xr.Dataset], expected: str) -> Verdict:
    """Paper A: under the equal-step control the profile is "retained" or "collapses".

    docs/design.md "Verdict rules". `standard` and `controlled` are paired (same seeds, same
    data order). All CIs are 95% two-level bootstrap CIs (training seeds, then probe
    sequences). Both readings are "control inert" when the controlled runs' mean control
    strength is below CONTROL_INERT_BELOW (the control hardly acted; nothing to judge).
    Otherwise:

    - verdict, the paper's criterion (the slope of Δ_l under the control): "retained" when
      its CI has lower bound > 0; "collapsed" when its CI has upper bound <= 0 and the paired
      difference control - standard of the excess slope over the null has CI upper bound
      < 0 (evidence that the slope is gone, not only absence of evidence that it is there);
      else "inconclusive".
    - strict, ours (`concentration` of the controlled runs): "steeper than null" when the
      excess slope over the matched null and the shape excess both have CI lower bound > 0;
      "explained by accumulation" when the slope's CI is above 0 but the profile is not
      steeper than the null's (as steep as a random perturbation of the same per-layer size);
      "no slope" when the slope's CI lower bound is <= 0.

    Reported beside: control strength, r_l spread of the standard runs, the controlled slope,
    excess slope and shape excess, the paired difference control - standard, final losses.

    Args:
        standard: The standard runs of the cell, one per training seed.
        controlled: The equal-step runs over the same seeds, in the same order.
        expected: The paper's verdict for this block type and objective
            (`criteria.expected_under_control`).

    Returns:
        The Verdict, with `strict` set.
    """
    strength = float(np.mean([float(r["control_strength"]) for r in controlled]))
    c = concentration(controlled)
    depth = standard[0]["depth"].values
    excess = lambda runs: seq_array(runs, "rep_change_cos_seq") - seq_array(runs, "null_rep_change_cos_seq")  # noqa: E731
    paired = stats.bootstrap_diff(excess(controlled), excess(standard), depth)
    slope = c["slope"]
    if strength < CONTROL_INERT_BELOW:
        verdict = strict = "control inert"
    else:
        if slope[1] > 0:
            verdict = "retained"
        elif slope[2] <= 0 and paired[2] < 0:
            verdict = "collapsed"
        else:
            verdict = "inconclusive"
        strict = "steeper than null" if c["concentrated"] else "explained by accumulation" if slope[1] > 0 \
            else "no slope"
    numbers = {
        "control_strength": strength,
        "r_spread": float(np.mean([float(r["r_spread"]) for r in standard])),
        "controlled_slope": slope,
        "controlled_excess": c["excess_slope"],
        "controlled_shape_excess": c["shape_excess"],
        "control_minus_standard": paired,
        "final_loss_std": float(np.mean([float(r["final_loss"]) for r in standard])),
        "final_loss_ctrl": float(np.mean([float(r["final_loss"]) for r in controlled])),
        "seeds": len(controlled),
    }
    return Verdict("equal_step", verdict=verdict, expected=expected, numbers=numbers, strict=strict,
                   **_cell(controlled))


def objective_label(run: xr.Dataset) -> str:
    """The objective a run was fine-tuned on: 'objective[/domain][@mask_rate]', e.g. 'clm/tech', 'mlm@0.4'.

    The domain is named when the run fine-tunes on one category; the mask rate only for masked LM,
    the one objective it changes.
    """
    s = spec_of(run)
    label = s["objective"] + (f"/{s['domain']}" if s.get("domain") else "")
    rate = s.get("mask_rate")
    return label + (f"@{rate:g}" if s["objective"] == "mlm" and rate is not None else "")


def steepness_tracks_distance(cells: list[list[xr.Dataset]]) -> Verdict:
    """Paper A: profile steepness increases with the training-free objective distance.

    docs/design.md "Objective distance" and "Verdict rules". `cells` are one model's standard
    full-fine-tuning cells, one per objective (objective, domain, mask rate), each over its
    training seeds. Per objective: the mean over seeds of the slope (`slope`) and of the
    objective distance (`objective_distance`). rho = Spearman correlation of the objectives'
    mean distances with their mean slopes (n = the number of objectives), with a 95% CI from
    1,000 seeded resamples of the seeds within each objective (`stats.grouped_spearman`).
    "reproduced" when the CI's lower bound is > 0, "reversed" when its upper bound is < 0,
    else "inconclusive". Caveat: distances under different heads (a vocabulary, 5 classes) are
    KL divergences over different output spaces; compare objectives that share a head.

    Args:
        cells: At least `criteria.MIN_OBJECTIVES` lists of runs of one model, each list one
            objective's training seeds (>= 2).

    Returns:
        The Verdict, objective "all".

    Raises:
        ValueError: With fewer than MIN_OBJECTIVES cells, an empty or single-seed cell, runs of
            more than one model, or two cells of the same objective.
    """
    if len(cells) < MIN_OBJECTIVES or not all(cells):
        raise ValueError(f"steepness_tracks_distance: needs >= {MIN_OBJECTIVES} non-empty cells (one per objective; "
                         f"with 3 a Spearman rho takes only the values ±1, ±0.5), got {[len(c) for c in cells]} runs")
    models = {r.attrs["model"] for c in cells for r in c}
    labels = [objective_label(c[0]) for c in cells]
    if len(models) > 1 or len(set(labels)) < len(labels) or any(len({objective_label(r) for r in c}) > 1 for c in cells):
        raise ValueError(f"steepness_tracks_distance: pass one model's cells, one objective each; got models "
                         f"{sorted(models)} and objectives {[sorted({objective_label(r) for r in c}) for c in cells]}")
    slopes = [[float(r["slope"]) for r in c] for c in cells]
    dist = [[float(r["objective_distance"]) for r in c] for c in cells]
    rho = stats.grouped_spearman(dist, slopes)
    seeds = sorted({len(c) for c in cells})
    numbers = {"spearman": rho,
               "objectives": ", ".join(f"{lab} D={np.mean(d):.3g} slope={np.mean(s):+.3g}"
                                       for lab, d, s in zip(labels, dist, slopes)),
               "seeds": seeds[0] if len(seeds) == 1 else f"{seeds[0]}-{seeds[-1]}"}
    verdict = "reproduced" if rho[1] > 0 else "reversed" if rho[2] < 0 else "inconclusive"
    cell = _cell(cells[0])
    cell["objective"] = "all"
    return Verdict("steepness_vs_distance", verdict=verdict, expected="reproduced", numbers=numbers, **cell)


def width_by_architecture(runs: list[xr.Dataset]) -> Verdict:
    """Paper A: profile width is dominated by architecture, not objective.

    docs/design.md "Width" and "Verdict rules". Width is the paper's: the number of layers with
    Δ_l >= τ (`width`, τ = `criteria.TAU`, ours; every run must carry the same `tau`). Over all
    standard runs of a tier, the share of its variance explained by the model family and by the
    objective kind (language modelling vs classification), each corrected for chance
    (`stats.permutation_share`: eta^2 minus its mean under shuffled labels, which grows with the
    number of levels, 9 families against 2 kinds) with a permutation p-value (1,000 shuffles).
    "reproduced" when the family's p < 1 - CI (0.05) and its chance-corrected share exceeds the
    objective kind's, else "not reproduced".

    Args:
        runs: Standard full-fine-tuning runs of one tier, across families and objectives.

    Returns:
        The Verdict, model and objective "all".

    Raises:
        ValueError: If the runs were measured with different thresholds τ.
    """
    taus = {float(r["tau"]) for r in runs}
    if len(taus) > 1:
        raise ValueError(f"width_by_architecture: widths counted with different thresholds tau {sorted(taus)} "
                         "are not comparable; recompute the runs")
    width = np.array([float(r["width"]) for r in runs])
    family = [r.attrs["family"] for r in runs]
    objective = ["cls" if r.attrs["objective"] == "cls" else "lm" for r in runs]
    share = stats.permutation_share(width, ("family", family), ("objective", objective))
    fam, obj = share["family"], share["objective"]
    numbers = {"family_share": fam["share"], "objective_share": obj["share"],
               "family_chance": fam["chance"], "objective_chance": obj["chance"],
               "family_p": fam["p"], "objective_p": obj["p"],
               "tau": taus.pop(), "runs": len(runs), "families": len(set(family))}
    verdict = "reproduced" if fam["p"] < 1 - CI and fam["share"] > obj["share"] else "not reproduced"
    return Verdict("width_by_architecture", model="all", verdict=verdict, expected="reproduced", numbers=numbers,
                   tier=runs[0].attrs["tier"], objective="all", optimizer=runs[0].attrs["optimizer"])


def lora_locus(runs: list[xr.Dataset]) -> Verdict:
    """LoRA blog, secondary: does the shape of LoRA's depth profile agree across domains and
    learning rates, as the blog's figures show?

    The blog's own claim, that LoRA's profile shows where full fine-tuning changes the weights,
    is `lora_predicts_full`; this is the weaker reading of its per-domain figures. Shape
    agreement: mean pairwise Spearman correlation of the runs' per-layer mean |ΔW| profiles
    (of (α/r)·B·A), one run per domain x learning rate; "shape agrees" when > 0. Each run
    should have its own training seed (A's initialisation and the data order differ): runs
    that share a seed share most of their noise, and their agreement says little.
    Reported: the minimum pairwise ρ, the number of distinct seeds, and where the mean profile
    sits (relative slope, > 0: output-proximal; depth of its maximum).

    Args:
        runs: LoRA runs of one model and objective, at least two.

    Returns:
        The Verdict, "shape agrees" or "shape differs".
    """
    profiles = np.stack([r["dW_absmean"].values for r in runs])
    depth = runs[0]["depth"].values
    rhos = [float(stats._rowwise_spearman(profiles[i], profiles[j]))
            for i in range(len(runs)) for j in range(i + 1, len(runs))]
    mean = profiles.mean(0)
    numbers = {"mean_pairwise_spearman": float(np.mean(rhos)), "min_pairwise_spearman": float(np.min(rhos)),
               "rel_slope_absmean": float(stats.relative_slope(mean, depth)),
               "argmax_depth": float(depth[int(np.argmax(mean))]), "runs": len(runs),
               "seeds": len({spec_of(r)["seed"] for r in runs})}
    verdict = "shape agrees" if np.mean(rhos) > 0 else "shape differs"
    return Verdict("lora_locus", verdict=verdict, expected="shape agrees", numbers=numbers, **_cell(runs))


# Profiles compared by lora_predicts_full, by the names of its pairs ("BA~dW": LoRA's effective
# update against full fine-tuning's weight change).
LORA_PROFILES = {"BA": "dW_absmean", "A": "A_dW_absmean", "B": "B_dW_absmean"}
FULL_PROFILES = {"dW": "dW_absmean", "rel_update": "rel_update", "delta": "rep_change_cos"}


def _by_seed(lora: list[xr.Dataset], full: list[xr.Dataset]) -> tuple[list[xr.Dataset], list[xr.Dataset]]:
    """Both arms sorted by training seed, after checking that they pair."""
    seeds = [sorted(spec_of(r)["seed"] for r in arm) for arm in (lora, full)]
    if seeds[0] != seeds[1] or len(set(seeds[0])) != len(seeds[0]):
        raise ValueError(f"lora_predicts_full: the arms pair by training seed, each seed once in each arm; "
                         f"got LoRA seeds {seeds[0]}, full fine-tuning seeds {seeds[1]}")
    if len(seeds[0]) < 2:
        raise ValueError(f"lora_predicts_full: a CI over seeds needs at least 2 seeds, got {seeds[0]}")
    if not all(spec_of(r)["lora"] for r in lora) or any(spec_of(r)["lora"] for r in full):
        raise ValueError("lora_predicts_full: pass the LoRA runs first, the full fine-tuning runs second")
    for key in ("model", "objective", "domain"):
        values = {spec_of(r)[key] for r in lora + full}
        if len(values) > 1:
            raise ValueError(f"lora_predicts_full: the arms must fine-tune on the same data; {key} differs: "
                             f"{sorted(map(str, values))}")
    return [sorted(arm, key=lambda r: spec_of(r)["seed"]) for arm in (lora, full)]


def lora_predicts_full(lora: list[xr.Dataset], full: list[xr.Dataset]) -> Verdict:
    """LoRA blog: the layers where LoRA changes the weights most are those full fine-tuning
    would change most.

    The arms fine-tune the same model on the same data (objective, domain), paired by training
    seed. Per seed, the Spearman correlation over layers of a LoRA profile with a full
    fine-tuning profile; each pair is summarised by the mean ρ over seeds with a 95% bootstrap
    CI over seeds (`seed_diff` against 0: 1,000 seeded resamples). With 3 seeds the CI's lower
    bound is the lowest seed's ρ: "reproduced" needs every seed to agree.

    LoRA profiles: mean |ΔW| of the effective update (α/r)·B·A ("BA", `dW_absmean`) and of the
    raw adapter deltas, as the blog computed them ("A", "B"). Full fine-tuning profiles: mean
    |ΔW| ("dW", over all of the layer's weight matrices, MLP included, where LoRA adapts only
    the attention projections), the relative update ‖ΔW‖/‖W‖ ("rel_update") and the
    representational change Δ_l ("delta", `rep_change_cos`).

    Verdict on the pair `criteria.LORA_PRIMARY` (BA~dW): "reproduced" when the CI's lower bound
    is > 0, "reversed" when its upper bound is < 0, else "inconclusive". The strict reading
    (`criteria.LORA_STRICT`): every pair listed there has its lower bound > 0, "reproduced",
    else "not reproduced (…)" with the sign of each pair that fails (- below 0, ? straddling).
    Reported beside: all nine pairs, the primary ρ of each seed, and the top half of the
    layers by mean |ΔW| in each arm with their overlap.

    Args:
        lora: LoRA runs, one per training seed.
        full: Full fine-tuning runs of the same model and data, over the same seeds.

    Returns:
        The Verdict, with `strict` set.

    Raises:
        ValueError: If the arms do not pair by seed (or have fewer than 2 seeds), are not LoRA and
            full fine-tuning in that order, or differ in model, objective or domain.
    """
    lora, full = _by_seed(lora, full)
    per_seed, rhos = {}, {}
    for x, lora_var in LORA_PROFILES.items():
        for y, full_var in FULL_PROFILES.items():
            rho = stats._rowwise_spearman(seq_array(lora, lora_var), seq_array(full, full_var))
            per_seed[f"{x}~{y}"] = rho
            rhos[f"{x}~{y}"] = seed_diff(rho, np.zeros(len(rho)))
    primary = rhos[LORA_PRIMARY]
    verdict = "reproduced" if primary[1] > 0 else "reversed" if primary[2] < 0 else "inconclusive"
    failed = [f"{k} {'-' if rhos[k][2] < 0 else '?'}" for k in LORA_STRICT if not rhos[k][1] > 0]
    strict = "reproduced" if not failed else f"not reproduced ({', '.join(failed)})"
    k = lora[0].sizes["layer"] // 2
    top = {arm: set(top_k_layers(seq_array(runs, "dW_absmean").mean(0), k)) for arm, runs in
           (("lora", lora), ("full", full))}
    numbers = {**{f"spearman_{p}": v for p, v in rhos.items()},
               f"{LORA_PRIMARY}_per_seed": "[" + " ".join(f"{v:+.3f}" for v in per_seed[LORA_PRIMARY]) + "]",
               **{f"top_half_{arm}": "-".join(map(str, sorted(s))) for arm, s in top.items()},
               "top_half_overlap": len(top["lora"] & top["full"]) / k, "seeds": len(lora)}
    return Verdict("lora_predicts_full", verdict=verdict, expected="reproduced", numbers=numbers, strict=strict,
                   **_cell(lora))


# --------------------------------------------------------------------------- papers B and C, scale, cross-claims


def _take(profiles: np.ndarray, depth: np.ndarray) -> np.ndarray:
    return profiles[..., 0]


def seed_diff(a, b) -> tuple[float, float, float]:
    """Paired difference mean_s(a_s) - mean_s(b_s) of per-seed scalars, 95% bootstrap CI over seeds.

    `stats.bootstrap_diff` with each seed's value as a one-layer "profile" (two identical
    rows, so only the seed level is resampled): seed s of a and of b are resampled together
    (same training seed, same data order). With 3 seeds there are only 10 distinct
    resamples, so the CI is coarse and honest about it: it spans the seeds' spread.
    """
    a = np.repeat(np.asarray(a, dtype=np.float64)[:, None, None], 2, axis=1)
    b = np.repeat(np.asarray(b, dtype=np.float64)[:, None, None], 2, axis=1)
    return stats.bootstrap_diff(a, b, np.zeros(1), stat=_take)


def _scalars(runs: list[xr.Dataset], var: str) -> np.ndarray:
    return np.array([float(r[var]) for r in runs])


def _half_diff(profiles: np.ndarray, depth: np.ndarray) -> np.ndarray:
    half = profiles.shape[-1] // 2
    return profiles[..., :half].mean(-1) - profiles[..., half:].mean(-1)


def tp_onset(tp: np.ndarray, depth: np.ndarray) -> float:
    """Depth at which task evidence appears: the first x_l with TP_l - TP_1 >= ½ (max TP - TP_1)
    (0 when TP never rises above its first layer)."""
    rise = tp - tp[0]
    if not rise.max() > 0:
        return 0.0
    return float(depth[int(np.argmax(rise >= 0.5 * rise.max()))])


def layer_diagnostics(runs: list[xr.Dataset], onset_deep: float) -> Verdict:
    """Paper B (LayerTracer): shallow layers are more sensitive (LS), task evidence appears deep (TP).

    Both are measured on the pretrained model (docs/design.md "Layer sensitivity LS", "Task position
    TP"); `runs` are one cell's training seeds, whose seeded weight noise gives independent
    LS draws. LS shallow: first-half mean LS minus second-half mean LS, two-level bootstrap
    (seeds, then probe sequences) CI lower bound > 0; the OLS slope of LS on depth is
    reported beside it. TP deep: `tp_onset` of the seed-mean TP profile >= `onset_deep`.
    """
    ls = seq_array(runs, "sensitivity_seq")
    depth = runs[0]["depth"].values
    half = stats.bootstrap_stat(ls, depth, stat=_half_diff)
    slope = stats.bootstrap_stat(ls, depth)
    tp = np.mean([r["task_position"].values for r in runs], axis=0)
    onset = tp_onset(tp, depth)
    shallow, deep = half[1] > 0, onset >= onset_deep
    verdict = "reproduced" if shallow and deep else \
        f"LS {'shallow' if shallow else 'not shallow'}, TP {'deep' if deep else 'not deep'}"
    numbers = {"ls_first_minus_second_half": half, "ls_slope": slope,
               "ls": "[" + " ".join(f"{v:.3g}" for v in ls.mean((0, 1))) + "]",
               "tp": "[" + " ".join(f"{v:.3f}" for v in tp) + "]", "tp_onset_depth": onset,
               "eps": float(runs[0]["sensitivity_eps"]), "seeds": len(runs)}
    return Verdict("layer_diagnostics", verdict=verdict, expected="reproduced", numbers=numbers, **_cell(runs))


def _forgetting(runs: list[xr.Dataset]) -> float:
    """Mean over seeds of old-domain held-out loss after minus before fine-tuning."""
    return float((_scalars(runs, "old_heldout_loss") - _scalars(runs, "old_heldout_loss_before")).mean())


def _rates(arms: dict[str, list[xr.Dataset]]) -> str:
    """The learning rate each arm ran at, e.g. "all_blocks 0.001, first_half 0.003"."""
    return ", ".join(f"{name} {runs[0].attrs['lr']:g}" for name, runs in arms.items())


def freeze_allocation(all_blocks: list[xr.Dataset], first_half: list[xr.Dataset],
                      second_half: list[xr.Dataset]) -> Verdict:
    """Paper B: after continued pretraining on a new domain with a fixed step budget, training the
    first half of the blocks (second half frozen) beats training all blocks and the opposite
    allocation (docs/design.md "Verdict rules"; the rule and the paper's sentence:
    `depthcore.criteria`, paper B).

    The arms differ only in which blocks train (embeddings, final norm and head frozen in all),
    each at its own learning rate chosen by the same rule, and are paired by training seed
    (same data order). Judged on the new domain's held-out loss: the paired differences
    first half - all blocks and first half - second half, 95% bootstrap CIs over seeds
    (`seed_diff`); "train first half best" when both upper bounds are < 0, else the ranking of
    the arms' mean losses, lowest first. Forgetting (old-domain held-out loss after minus
    before) is reported per arm.

    Args:
        all_blocks, first_half, second_half: each arm's runs, one per training seed, in the same seed order.
    """
    arms = {"all_blocks": all_blocks, "first_half": first_half, "second_half": second_half}
    loss = {k: _scalars(v, "heldout_loss") for k, v in arms.items()}
    vs_all = seed_diff(loss["first_half"], loss["all_blocks"])
    vs_second = seed_diff(loss["first_half"], loss["second_half"])
    if vs_all[2] < 0 and vs_second[2] < 0:
        verdict = "train first half best"
    else:
        verdict = "ranking " + " < ".join(sorted(loss, key=lambda k: loss[k].mean()))
    numbers = {"first_minus_all_blocks": vs_all, "first_minus_second": vs_second,
               **{f"heldout_{k}": float(v.mean()) for k, v in loss.items()},
               "heldout_before": float(_scalars(all_blocks, "heldout_loss_before").mean()),
               **{f"forgetting_{k}": _forgetting(v) for k, v in arms.items()},
               "lr": _rates(arms), "seeds": len(all_blocks)}
    return Verdict("freeze_allocation", verdict=verdict, expected=FREEZE_ALLOCATION_EXPECTED, numbers=numbers,
                   **_cell(all_blocks))


def top_k_layers(values, k: int) -> tuple[int, ...]:
    """1-based indices of the k largest values (ties: the shallower layer first), sorted."""
    order = np.argsort(-np.asarray(values, dtype=np.float64), kind="stable")
    return tuple(sorted(int(i) + 1 for i in order[:k]))


def _compute(name: str, arm: list[xr.Dataset], all_blocks: list[xr.Dataset]) -> dict:
    """The compute an arm saves against all blocks: its trainable parameters and its measured backward
    time (summed over seeds) as fractions of the all-blocks arm's. Times are reported, never judged."""
    def frac(var):
        return float(_scalars(arm, var).sum() / _scalars(all_blocks, var).sum())

    return {f"{name}_trainable_frac": frac("trainable_params"), f"{name}_backward_frac": frac("backward_seconds")}


def _blocks(runs: list[xr.Dataset]) -> str:
    """The blocks an arm trains, e.g. "1-2-4"; "per seed" when its seeds train different blocks."""
    trained = {_trained(r) for r in runs}
    return "-".join(map(str, trained.pop())) if len(trained) == 1 else "per seed"


def semantic_selection(all_blocks: list[xr.Dataset], selected: list[xr.Dataset], random_k: list[xr.Dataset],
                       margin_frac: float) -> Verdict:
    """Paper C: fine-tuning only the k layers of largest semantic deviation d_l keeps held-out loss
    close to training all blocks, and beats a random k (`depthcore.criteria`, paper C).

    Arms paired by training seed, each at its own rate chosen by the same rule. "Within the
    margin": the selection's excess held-out loss over all blocks as a fraction of the
    all-blocks arm's improvement, (L_sel - L_all) / (L_before - L_all), has a 95% bootstrap CI
    (over seeds) whose upper bound is < `margin_frac`; it cannot be judged ("reference did not
    improve") when the all-blocks arm did not lower the loss in every seed. "Better than
    random": L_sel - L_random (a different fixed draw of k layers per seed) has CI upper bound
    < 0. Reported beside: the compute saved (`_compute`).

    Args:
        all_blocks, selected, random_k: each arm's runs, one per training seed, in the same seed order.
        margin_frac: the largest share of the all-blocks improvement the selection may lose.
    """
    before = _scalars(all_blocks, "heldout_loss_before")
    l_all, l_sel = _scalars(all_blocks, "heldout_loss"), _scalars(selected, "heldout_loss")
    vs_random = seed_diff(l_sel, _scalars(random_k, "heldout_loss"))
    numbers = {"selected": _blocks(selected), "margin_frac": margin_frac}
    if np.all(before > l_all):
        excess = seed_diff((l_sel - l_all) / (before - l_all), np.zeros(len(all_blocks)))
        numbers["excess_frac_of_all_blocks_gain"] = excess
        failed = [name for name, ok in (("within margin", excess[2] < margin_frac),
                                        ("better than random", vs_random[2] < 0)) if not ok]
        verdict = "reproduced" if not failed else "not " + ", not ".join(failed)
    else:
        verdict = "reference did not improve"
    numbers.update({"selected_minus_random": vs_random, "heldout_before": float(before.mean()),
                    "heldout_all_blocks": float(l_all.mean()), "heldout_selected": float(l_sel.mean()),
                    **_compute("selected", selected, all_blocks), **_compute("random", random_k, all_blocks),
                    "lr": _rates({"all_blocks": all_blocks, "selected": selected, "random": random_k}),
                    "seeds": len(all_blocks)})
    return Verdict("semantic_selection", verdict=verdict, expected="reproduced", numbers=numbers, **_cell(all_blocks))


def _in_first_part(k: int, shallow: np.ndarray):
    """Statistic for `stats.bootstrap_stat`: how many of a profile's k largest layers are `shallow`."""
    def stat(profiles: np.ndarray, depth: np.ndarray) -> np.ndarray:
        top = np.argsort(-profiles, axis=-1, kind="stable")[..., :k]
        return shallow[top].sum(-1).astype(np.float64)

    return stat


def deviation_location(runs: list[xr.Dataset], k: int, shallow_below: float) -> Verdict:
    """Paper C, "Key Findings": high-deviation layers are concentrated in middle and latter layers.

    d_l is the pretrained model's (identical in every run; the first run's is used). The
    statistic: how many of the k layers of largest d_l lie at normalised depth < `shallow_below`
    (the first part of the stack), with a 95% bootstrap CI over probe sequences. "reproduced"
    when the CI's upper bound is < 1 (none of them shallow in at least 97.5% of resamples),
    "not reproduced" when its lower bound is >= 1, else "inconclusive" (`depthcore.criteria`,
    paper C).

    Args:
        runs: runs of one model, the first of which supplies d_l (e.g. the all-blocks arm).
        k: how many layers of largest d_l are judged.
        shallow_below: the normalised depth below which a layer counts as shallow.
    """
    depth = runs[0]["depth"].values
    shallow = depth < shallow_below
    count = stats.bootstrap_stat(runs[0]["semantic_deviation_seq"].values, depth,
                                 stat=_in_first_part(k, shallow))
    verdict = "reproduced" if count[2] < 1 else "not reproduced" if count[1] >= 1 else "inconclusive"
    d = runs[0]["semantic_deviation"].values
    numbers = {"top_k": "-".join(map(str, top_k_layers(d, k))), "top_k_in_first_part": count,
               "first_part_below_depth": shallow_below,
               "d": "[" + " ".join(f"{v:.3g}" for v in d) + "]", "k": k, "probe_seqs": int(runs[0].sizes["seq"])}
    return Verdict("deviation_location", verdict=verdict, expected="reproduced", numbers=numbers, **_cell(runs))


def _signed(diff: tuple[float, float, float], below: str, above: str, neither: str) -> str:
    """`below` when the CI's upper bound is < 0, `above` when its lower bound is > 0, else `neither`."""
    return below if diff[2] < 0 else above if diff[1] > 0 else neither


def deviation_ablation(all_blocks: list[xr.Dataset], high_dev: list[xr.Dataset], low_dev: list[xr.Dataset]) -> Verdict:
    """Paper C, ablation: freezing the high-deviation layers costs more than freezing as many
    low-deviation ones (`depthcore.criteria`, paper C).

    `high_dev` trains the k layers of largest d_l (low-deviation layers frozen), `low_dev` the k
    of smallest (high-deviation layers frozen); paired by training seed, each at its own rate
    chosen by the same rule. The paired held-out loss difference low_dev - high_dev with a 95%
    bootstrap CI over seeds: lower bound > 0 "reproduced", upper bound < 0 "reversed", else
    "inconclusive". Reported beside: each arm against all blocks and the compute it saves.

    Args:
        all_blocks, high_dev, low_dev: each arm's runs, one per training seed, in the same seed order.
    """
    loss = {name: _scalars(runs, "heldout_loss") for name, runs in
            (("all_blocks", all_blocks), ("high_dev", high_dev), ("low_dev", low_dev))}
    diff = seed_diff(loss["low_dev"], loss["high_dev"])
    numbers = {"high_dev": _blocks(high_dev), "low_dev": _blocks(low_dev), "low_minus_high": diff,
               "high_minus_all_blocks": seed_diff(loss["high_dev"], loss["all_blocks"]),
               "low_minus_all_blocks": seed_diff(loss["low_dev"], loss["all_blocks"]),
               **{f"heldout_{k}": float(v.mean()) for k, v in loss.items()},
               **_compute("high_dev", high_dev, all_blocks), **_compute("low_dev", low_dev, all_blocks),
               "lr": _rates({"all_blocks": all_blocks, "high_dev": high_dev, "low_dev": low_dev}),
               "seeds": len(all_blocks)}
    return Verdict("deviation_ablation", verdict=_signed(diff, "reversed", "reproduced", "inconclusive"),
                   expected="reproduced", numbers=numbers, **_cell(all_blocks))


def first_n_comparison(all_blocks: list[xr.Dataset], selected: list[xr.Dataset],
                       first_n_frozen: list[xr.Dataset]) -> Verdict:
    """Paper C, against its heuristic baseline "freeze first N layers" (`depthcore.criteria`, paper C).

    `selected` trains the k layers of largest d_l, `first_n_frozen` the last k (the first
    N = L - k frozen); paired by training seed, each at its own rate chosen by the same rule.
    The paired held-out loss difference selected - first N frozen with a 95% bootstrap CI over
    seeds: upper bound < 0 "selected better", lower bound > 0 "first N better", else
    "no difference". Reported beside: each arm against all blocks and the compute it saves.

    Args:
        all_blocks, selected, first_n_frozen: each arm's runs, one per training seed, in the same seed order.
    """
    l_all, l_sel, l_first = (_scalars(r, "heldout_loss") for r in (all_blocks, selected, first_n_frozen))
    diff = seed_diff(l_sel, l_first)
    numbers = {"selected": _blocks(selected), "n_frozen": first_n_frozen[0].sizes["layer"] - len(_trained(first_n_frozen[0])),
               "selected_minus_first_n": diff,
               "selected_minus_all_blocks": seed_diff(l_sel, l_all), "first_n_minus_all_blocks": seed_diff(l_first, l_all),
               "heldout_all_blocks": float(l_all.mean()), "heldout_selected": float(l_sel.mean()),
               "heldout_first_n": float(l_first.mean()),
               **_compute("selected", selected, all_blocks), **_compute("first_n", first_n_frozen, all_blocks),
               "lr": _rates({"all_blocks": all_blocks, "selected": selected, "first_n": first_n_frozen}),
               "seeds": len(all_blocks)}
    return Verdict("first_n_frozen", verdict=_signed(diff, "selected better", "first N better", "no difference"),
                   expected=FIRST_N_EXPECTED, numbers=numbers, **_cell(all_blocks))


def _trained(run: xr.Dataset) -> tuple[int, ...]:
    """The blocks a run trained (1-based): every layer not in its spec's `freeze`."""
    frozen = set(json.loads(run.attrs["spec"])["freeze"])
    return tuple(int(l) for l in run["layer"].values if int(l) not in frozen)


def scale_narrowing(small_seq: list[xr.Dataset], small_par: list[xr.Dataset], large_seq: list[xr.Dataset],
                    large_par: list[xr.Dataset]) -> Verdict:
    """Paper A: the sequential-vs-parallel distinction narrows with scale, "where both block types
    show positive equal-step slopes for CausalLM".

    All four cells are equal-step "clm" runs over the same training seeds. The paper's criterion
    (`verdict`): "reproduced" when each large model's controlled slope has CI lower bound > 0,
    else "not reproduced". The stricter reading (`strict`) measures the narrowing itself: gap =
    relative slope (slope / mean Δ, scale-free, so that a larger model's overall smaller or
    larger change does not pass for narrowing) of the sequential model minus that of the
    parallel one, per size; "gap narrows" when |gap_large| - |gap_small| has 95% CI upper bound
    < 0, from one joint two-level bootstrap of the four models' per-sequence profiles (seed s
    and probe sequence i drawn together: the tiny zoo shares its probe set), else "gap does not
    narrow". Both read "control inert" when the controlled runs' mean control strength is below
    CONTROL_INERT_BELOW.
    """
    cells = [small_seq, small_par, large_seq, large_par]
    arrays = [seq_array(c, "rep_change_cos_seq") for c in cells]
    depths = [c[0]["depth"].values for c in cells]
    n = min(a.shape[1] for a in arrays)
    joint = np.concatenate([a[:, :n] for a in arrays], axis=-1)
    bounds = np.cumsum([0] + [a.shape[-1] for a in arrays])

    def rel(profiles, i):
        return stats.relative_slope(profiles[..., bounds[i]:bounds[i + 1]], depths[i])

    def gaps(profiles, depth):
        return np.abs(rel(profiles, 2) - rel(profiles, 3)) - np.abs(rel(profiles, 0) - rel(profiles, 1))

    narrowing = stats.bootstrap_stat(joint, np.zeros(joint.shape[-1]), stat=gaps)
    point = joint.mean((0, 1))
    slopes = [stats.bootstrap_stat(a, d) for a, d in zip(arrays[2:], depths[2:])]
    strength = float(np.mean([float(r["control_strength"]) for c in cells for r in c]))
    if strength < CONTROL_INERT_BELOW:
        verdict = strict = "control inert"
    else:
        verdict = "reproduced" if all(s[1] > 0 for s in slopes) else "not reproduced"
        strict = "gap narrows" if narrowing[2] < 0 else "gap does not narrow"
    names = [c[0].attrs["model"] for c in cells]
    numbers = {"gap_small": float(rel(point, 0) - rel(point, 1)), "gap_large": float(rel(point, 2) - rel(point, 3)),
               "abs_gap_change": narrowing, f"slope_{names[2]}": slopes[0], f"slope_{names[3]}": slopes[1],
               "control_strength": strength, "seeds": len(small_seq)}
    cell = _cell(large_seq)
    cell["model"] = f"{names[0]},{names[1]} -> {names[2]},{names[3]}"
    return Verdict("scale_narrowing", verdict=verdict, expected="reproduced", numbers=numbers, strict=strict, **cell)


PAIRS = (("A", "B"), ("A", "C"), ("B", "C"))


def cross_agreement(runs: list[xr.Dataset], expected: str) -> Verdict:
    """Ours: do paper A's profile, paper B's rule and paper C's selection agree on which layers matter?

    On one cell of full fine-tuning runs (training seeds), three per-layer "importance" profiles
    on the same probe sequences (the first `ls_size`, where all three exist):
    A = local change Δ_l^local (what each layer itself learned; paper A: it concentrates near
    the output); B = layer sensitivity LS_l (paper B trains the high-LS, shallow layers);
    C = semantic deviation d_l (paper C trains the top-k d_l layers). Agreement measure:
    Spearman correlation of each pair of mean profiles, with a 95% two-level bootstrap CI
    (seeds, then probe sequences, drawn jointly for the three profiles); a pair "agrees" (+)
    when the CI is above 0, "opposes" (-) when below, else "?". Reported beside: overlap of
    the layer sets each paper would train — A's top half by local change, B's first half,
    C's top-k d_l (k = L/2) — as |X ∩ Y| / (L/2). The verdict is the three signs, e.g.
    "A~B -, A~C +, B~C -"; `expected` is the hypothesis under test (bench/grid.py).
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
        return stats.bootstrap_stat(joint, np.zeros(3 * L), stat=stat)

    rhos = {f"{x}~{y}": rho(x, y) for x, y in PAIRS}
    sign = {k: "+" if v[1] > 0 else "-" if v[2] < 0 else "?" for k, v in rhos.items()}
    k = L // 2
    mean = joint.mean((0, 1))
    sets = {"A": set(top_k_layers(mean[:L], k)), "B": set(range(1, k + 1)), "C": set(top_k_layers(mean[2 * L:], k))}
    numbers = {**{f"spearman_{p}": v for p, v in rhos.items()},
               **{f"overlap_{x}{y}": len(sets[x] & sets[y]) / k for x, y in PAIRS},
               **{f"set_{x}": "-".join(map(str, sorted(s))) for x, s in sets.items()},
               "seeds": len(runs)}
    verdict = ", ".join(f"{p} {s}" for p, s in sign.items())
    return Verdict("cross_agreement", verdict=verdict, expected=expected, numbers=numbers, **_cell(runs))


# --------------------------------------------------------------------------- cells and dispatch


def cell_key(run: xr.Dataset, *drop: str, **override) -> str:
    """The spec as JSON, less the fields in `drop` and with `override` applied: equal keys, one cell."""
    return json.dumps({k: v for k, v in (spec_of(run) | override).items() if k not in drop}, sort_keys=True)


def cells(runs: list[xr.Dataset], *drop: str) -> list[list[xr.Dataset]]:
    """Groups of runs with the same spec apart from `seed` (and the fields in `drop`), in first-seen order,
    each sorted by seed; a cell's runs are the training seeds of one condition."""
    groups: dict[str, list[xr.Dataset]] = {}
    for r in runs:
        groups.setdefault(cell_key(r, "seed", *drop), []).append(r)
    return [sorted(g, key=lambda r: spec_of(r)["seed"]) for g in groups.values()]


def is_plain(run: xr.Dataset) -> bool:
    """Full fine-tuning of the whole model: no LoRA, no frozen layers."""
    s = spec_of(run)
    return not s["lora"] and not s["freeze"] and not s["train_only_layers"]


def cell_label(run: xr.Dataset) -> str:
    """RunSpec.label without the seed: 'tiny-gpt2-64/clm/standard/adamw'."""
    return RunSpec.from_dict(spec_of(run)).label.rsplit("/s", 1)[0]


def _paired(a: list[xr.Dataset], b: list[xr.Dataset]) -> tuple[list[xr.Dataset], list[xr.Dataset]]:
    """The runs of two cells at the training seeds both have, each in seed order."""
    seeds = {spec_of(r)["seed"] for r in a} & {spec_of(r)["seed"] for r in b}
    return [r for r in a if spec_of(r)["seed"] in seeds], [r for r in b if spec_of(r)["seed"] in seeds]


def verdicts(runs: list[xr.Dataset]) -> list[Verdict]:
    """The claims that the runs at hand can judge, each on its cell (same spec apart from seed).

    - output_proximal, then local_vs_propagated: every standard full-fine-tuning cell;
    - equal_step: every equal_step cell with a standard cell that differs only in condition,
      paired by seed (seeds present in both);
    - lora_predicts_full: every LoRA cell with a standard full-fine-tuning cell of the same
      spec apart from LoRA and the learning rate, paired by seed (at least two seeds);
    - lora_locus: LoRA runs of one model x objective x optimizer (across domains, learning
      rates and seeds), when there are at least two.
    """
    out = []
    plain = [r for r in runs if is_plain(r)]
    by_key = {cell_key(c[0], "seed"): c for c in cells(plain)}
    for cell in cells(plain):
        if cell[0].attrs["condition"] == "standard":
            out += [output_proximal(cell), local_vs_propagated(cell)]
            continue
        std, ctrl = _paired(by_key.get(cell_key(cell[0], "seed", condition="standard"), []), cell)
        if ctrl:
            expected = expected_under_control(cell[0].attrs.get("block_type", ""), cell[0].attrs["objective"])
            out.append(equal_step(std, ctrl, expected))
    lora = [r for r in runs if spec_of(r)["lora"]]
    full = {cell_key(c[0], "seed", "lr"): c for c in cells(plain) if c[0].attrs["condition"] == "standard"}
    for cell in cells(lora):
        adapted, reference = _paired(cell, full.get(cell_key(cell[0], "seed", "lr", lora=False), []))
        if len(adapted) >= 2:
            out.append(lora_predicts_full(adapted, reference))
    for cell in cells(lora, "domain", "lr"):
        if len(cell) >= 2:
            out.append(lora_locus(cell))
    return out
