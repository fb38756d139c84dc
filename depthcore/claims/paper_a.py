"""Paper A ("Decomposing the Depth Profile of Fine-Tuning"): where fine-tuning changes a network,
whether an equal-step control removes it, and what sets the profile's steepness and width; with
our question of whether the change near the output is learned there (docs/design.md "Verdict rules").

Every interval is `stats.profile_ci` (training seeds and probe sequences, docs/design.md
"Intervals") or `stats.seed_ci`; thresholds come from `depthcore.criteria`.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from depthcore import stats
from depthcore.claims.verdict import (Verdict, cell_of, decidability, in_regime, lost_share, scalars, seq_array, signed,
                                     undecided)
from depthcore.criteria import (CI, COLLAPSE_DELTA_FRAC, CONTROL_INERT_BELOW, CONTROL_LOSS_MARGIN_FRAC, LOCAL_SHARE_MIN,
                                MIN_OBJECTIVES, WIDTH_STABLE_LAYERS)
from depthcore.results import spec_of


def concentration(runs: list[xr.Dataset]) -> dict:
    """Output-proximal concentration of change, judged against the matched null.

    - slope of Δ_l;
    - excess slope = slope(real) - slope(null), paired (same seeds, same probe sequences);
    - shape = relative slope (slope / mean Δ) of real minus null: is the real profile
      steeper in shape than a random perturbation of the same per-layer size, not only larger?

    Each an `stats.Interval`; "concentrated" when the excess slope and the shape excess both lie above 0.
    """
    real, null = seq_array(runs, "rep_change_cos_seq"), seq_array(runs, "null_rep_change_cos_seq")
    depth = runs[0]["depth"].values
    out = {
        "slope": stats.profile_ci(real, depth),
        "excess_slope": stats.profile_ci(real, depth, minus=null),
        "rel_slope": stats.profile_ci(real, depth, stat=stats.relative_slope),
        "null_rel_slope": stats.profile_ci(null, depth, stat=stats.relative_slope),
        "shape_excess": stats.profile_ci(real, depth, stat=stats.relative_slope, minus=null),
    }
    out["concentrated"] = out["excess_slope"][1] > 0 and out["shape_excess"][1] > 0
    return out


def _null_reading(c: dict) -> str:
    """The stricter reading of a profile against its matched null (`concentration`'s intervals)."""
    if c["concentrated"]:
        return "steeper than null"
    if c["excess_slope"][1] > 0:
        return "larger than null, not steeper"
    return "not above null" if c["excess_slope"][2] < 0 else undecided(c["excess_slope"])


def output_proximal(runs: list[xr.Dataset]) -> Verdict:
    """Paper A: under standard fine-tuning, change concentrates in output-proximal layers.

    - verdict, the paper's criterion (criteria.py: "bootstrap confidence intervals on the
      fitted slopes"): "reproduced" when the slope of Δ_l lies above 0, "not reproduced" when
      below, else "inconclusive (underpowered: …)".
    - strict, ours, against the matched random null: "steeper than null" when the excess slope
      and the shape excess both lie above 0; "larger than null, not steeper" when only the
      excess slope does; "not above null" when the excess slope lies below 0; else inconclusive.

    The numbers also give the fine-tuning domain's held-out loss before and after (means over
    seeds), so that a profile of a fine-tune that did not learn is visible as such, and the
    slope's decidability (`mde`, `p`).

    Args:
        runs: The training seeds of one standard full-fine-tuning cell.
    """
    c = concentration(runs)
    verdict = signed(c["slope"], "reproduced", "not reproduced")
    numbers = {k: c[k] for k in ("slope", "excess_slope", "rel_slope", "null_rel_slope", "shape_excess")}
    numbers["heldout_before"] = float(scalars(runs, "heldout_loss_before").mean())
    numbers["heldout_after"] = float(scalars(runs, "heldout_loss").mean())
    numbers.update(decidability(c["slope"]), seeds=len(runs))
    return in_regime(Verdict("output_proximal", verdict=verdict, expected="reproduced", numbers=numbers,
                             strict=_null_reading(c), **cell_of(runs)), runs)


def local_vs_propagated(runs: list[xr.Dataset]) -> Verdict:
    """Ours: is the output-proximal change learned by the blocks near the output, or accumulated?

    No paper asks this (`expected` is ""). Δ_l (`rep_change_cos`) compares h_l before and after
    fine-tuning, so it includes everything that changed below layer l and flowed up the residual
    stream; the local change Δ_l^local (`rep_change_local`) feeds the same pre-fine-tuning input
    into block l before and after, so it shows what block l itself learned (docs/design.md
    "Local change").

    - "learned near the output": the local slope lies above 0;
    - "accumulated, not learned near the output": the local slope lies at or below 0 (upper
      bound <= 0) while the propagated slope lies above 0;
    - else inconclusive, with what would decide the local slope.

    Strict (ours): how much of the last block's change is its own. The last block's local
    share Δ_L^local / Δ_L (`profile_ci`, a ratio of the pooled means): "learned near the output"
    when the verdict says so and the share's lower bound reaches `criteria.LOCAL_SHARE_MIN`;
    "mostly propagated" when its upper bound lies below it; the verdict's "accumulated" stands;
    else inconclusive.

    Reported: local slope and relative slope, the propagated slope, the last block's local share,
    and the last block's propagated change over the sum of all blocks' local changes (mean over
    seeds of each).

    Args:
        runs: The training seeds of one standard full-fine-tuning cell.
    """
    local, prop = seq_array(runs, "rep_change_local_seq"), seq_array(runs, "rep_change_cos_seq")
    depth = runs[0]["depth"].values
    L = len(depth)
    local_slope, prop_slope = stats.profile_ci(local, depth), stats.profile_ci(prop, depth)
    if local_slope[1] > 0:
        verdict = "learned near the output"
    elif local_slope[2] <= 0 and prop_slope[1] > 0:
        verdict = "accumulated, not learned near the output"
    else:
        verdict = undecided(local_slope)
    share = stats.profile_ci(np.concatenate([local, prop], -1), np.concatenate([depth, depth]),
                             stat=lambda p, _: p[..., L - 1] / p[..., 2 * L - 1])
    if verdict.startswith("accumulated") or (verdict == "learned near the output" and share[1] >= LOCAL_SHARE_MIN):
        strict = verdict
    elif share[2] < LOCAL_SHARE_MIN:
        strict = "mostly propagated"
    else:
        strict = undecided(share, share[0] - LOCAL_SHARE_MIN)
    last = np.mean([float(r["rep_change_cos"][-1]) for r in runs])
    local_sum = np.mean([float(r["rep_change_local"].sum()) for r in runs])
    numbers = {"local_slope": local_slope,
               "local_rel_slope": stats.profile_ci(local, depth, stat=stats.relative_slope),
               "propagated_slope": prop_slope, "last_local_share": share, "last_over_local_sum": float(last / local_sum),
               **decidability(local_slope), "seeds": len(runs)}
    return in_regime(Verdict("local_vs_propagated", verdict=verdict, expected="", numbers=numbers, strict=strict,
                             **cell_of(runs)), runs)


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


def _collapsed(iv: stats.Interval, delta: float) -> bool:
    """Evidence of absence: the interval lies at or below 0, or inside ±delta."""
    return iv[2] <= 0 or stats.within(iv, delta)


def equal_step(standard: list[xr.Dataset], controlled: list[xr.Dataset], expected: str) -> Verdict:
    """Paper A: under the equal-step control the profile is "retained" or "collapses".

    `standard` and `controlled` are paired (same seeds, same data order). Both readings are
    "control inert" when the controlled runs' mean control strength is below
    CONTROL_INERT_BELOW (the control hardly acted; nothing to judge). Otherwise, with
    δ = COLLAPSE_DELTA_FRAC × |the standard runs' slope|:

    - verdict, the paper's criterion (the slope of Δ_l under the control): "retained" when it
      lies above 0; "collapsed" when it lies at or below 0 or inside ±δ (two one-sided
      tests: evidence that the slope is gone, not absence of evidence that it is there); else
      inconclusive, with the seeds that would decide it.
    - strict, ours (`concentration` of the controlled runs): "steeper than null" when the excess
      slope over the matched null and the shape excess both lie above 0; "no slope" when the
      paper's reading is "collapsed"; "explained by accumulation" when the excess slope lies at
      or below 0 or inside ±δ (the profile is as steep as a random perturbation of the same
      per-layer size); "larger than null, not steeper" when the excess slope lies above 0 but
      the shape excess does not; else inconclusive.

    Reported beside: control strength, r_l spread of the standard runs, the standard and
    controlled slopes, the controlled excess slope and shape excess, the paired difference
    control - standard of the excess slope, final losses, δ, `mde` and `p` of the slope.

    Args:
        standard: The standard runs of the cell, one per training seed.
        controlled: The equal-step runs over the same seeds, in the same order.
        expected: The paper's verdict for this block type and objective
            (`criteria.expected_under_control`).
    """
    strength = float(scalars(controlled, "control_strength").mean())
    c = concentration(controlled)
    depth = standard[0]["depth"].values
    excess = lambda runs: seq_array(runs, "rep_change_cos_seq") - seq_array(runs, "null_rep_change_cos_seq")  # noqa: E731
    paired = stats.profile_ci(excess(controlled), depth, minus=excess(standard))
    standard_slope = stats.profile_ci(seq_array(standard, "rep_change_cos_seq"), depth)
    delta = COLLAPSE_DELTA_FRAC * abs(standard_slope[0])
    slope, excess_slope = c["slope"], c["excess_slope"]
    if strength < CONTROL_INERT_BELOW:
        verdict = strict = "control inert"
    else:
        if slope[1] > 0:
            verdict = "retained"
        elif _collapsed(slope, delta):
            verdict = "collapsed"
        else:
            # the nearer decision: a sign, or equivalence when the estimate sits inside ±δ
            verdict = undecided(slope, delta - abs(slope[0]) if abs(slope[0]) < delta else None)
        if c["concentrated"]:
            strict = "steeper than null"
        elif verdict == "collapsed":
            strict = "no slope"
        elif _collapsed(excess_slope, delta):
            strict = "explained by accumulation"
        elif excess_slope[1] > 0:
            strict = "larger than null, not steeper"
        else:
            strict = undecided(excess_slope, delta - abs(excess_slope[0]) if abs(excess_slope[0]) < delta else None)
    numbers = {
        "control_strength": strength,
        "r_spread": float(scalars(standard, "r_spread").mean()),
        "standard_slope": standard_slope,
        "controlled_slope": slope,
        "controlled_excess": excess_slope,
        "controlled_shape_excess": c["shape_excess"],
        "control_minus_standard": paired,
        "collapse_delta": delta,
        "final_loss_std": float(scalars(standard, "final_loss").mean()),
        "final_loss_ctrl": float(scalars(controlled, "final_loss").mean()),
        **decidability(slope),
        "seeds": len(controlled),
    }
    return in_regime(Verdict("equal_step", verdict=verdict, expected=expected, numbers=numbers, strict=strict,
                             **cell_of(controlled)), standard, controlled)


def _moved(iv: stats.Interval, margin: float) -> bool:
    """The interval lies wholly outside ±margin: the quantity moved by more than the margin."""
    return iv[1] >= margin or iv[2] <= -margin


def control_comparable(standard: list[xr.Dataset], controlled: list[xr.Dataset]) -> Verdict:
    """Paper A (rebuttal): matched standard and controlled runs have "comparable loss geometry",
    and both profile axes "remain stable under the control".

    `standard` and `controlled` are paired by seed (same data order). Both readings are
    "control inert" when the controlled runs' mean control strength is below
    CONTROL_INERT_BELOW (the control hardly changed the run: nothing to compare), and
    "reference did not improve" when a standard run did not lower the held-out loss (no
    improvement to lose a share of).

    - verdict, the paper's criterion (comparable losses; non-inferiority): the share of the
      standard arm's held-out improvement that the control loses,
      (L_ctrl - L_std) / (L_before - L_std), has its interval's upper bound below
      CONTROL_LOSS_MARGIN_FRAC: "comparable"; its lower bound at or above it: "worse under
      control"; else inconclusive, with the seeds that would decide it.
    - strict, ours: "axes stable" when the losses are comparable and the paired changes of
      steepness (slope of Δ_l, controlled - standard; intervals over seeds and probe sequences)
      and width (seeds) both lie inside their margins (δ = COLLAPSE_DELTA_FRAC × |the standard
      slope|; WIDTH_STABLE_LAYERS); "steepness moved" / "width moved" / both when an interval
      lies wholly outside its margin; the paper's reading when it is not "comparable"; else
      inconclusive.

    Reported beside: the final training losses of both arms and their paired difference.
    """
    strength = float(scalars(controlled, "control_strength").mean())
    before = scalars(standard, "heldout_loss_before")
    l_std, l_ctrl = scalars(standard, "heldout_loss"), scalars(controlled, "heldout_loss")
    depth = standard[0]["depth"].values
    cos = lambda runs: seq_array(runs, "rep_change_cos_seq")  # noqa: E731
    standard_slope = stats.profile_ci(cos(standard), depth)
    steepness = stats.profile_ci(cos(controlled), depth, minus=cos(standard))
    width = stats.seed_ci(scalars(controlled, "width"), scalars(standard, "width"))
    delta = COLLAPSE_DELTA_FRAC * abs(standard_slope[0])
    numbers = {"margin_frac": CONTROL_LOSS_MARGIN_FRAC, "control_strength": strength}
    improved = bool(np.all(before > l_std))
    if improved:
        lost = numbers["lost_share"] = lost_share(l_ctrl, l_std, before)
        numbers.update(decidability(lost))
    if strength < CONTROL_INERT_BELOW:
        verdict = strict = "control inert"
    elif not improved:
        verdict = strict = "reference did not improve"
    else:
        if lost[2] < CONTROL_LOSS_MARGIN_FRAC:
            verdict = "comparable"
        elif lost[1] >= CONTROL_LOSS_MARGIN_FRAC:
            verdict = "worse under control"
        else:
            verdict = undecided(lost, CONTROL_LOSS_MARGIN_FRAC - lost[0])
        axes = (("steepness", steepness, delta), ("width", width, WIDTH_STABLE_LAYERS))
        moved = [name for name, iv, margin in axes if _moved(iv, margin)]
        open_ = [(iv, margin) for _, iv, margin in axes if not stats.within(iv, margin) and not _moved(iv, margin)]
        if verdict != "comparable":
            strict = verdict
        elif moved:
            strict = " and ".join(moved) + " moved"
        elif open_:
            iv, margin = open_[0]
            strict = undecided(iv, margin - abs(iv[0]) if abs(iv[0]) < margin else None)
        else:
            strict = "axes stable"
    numbers.update({"heldout_before": float(before.mean()), "heldout_std": float(l_std.mean()),
                    "heldout_ctrl": float(l_ctrl.mean()),
                    "final_loss_ctrl_minus_std": stats.seed_ci(scalars(controlled, "final_loss"),
                                                               scalars(standard, "final_loss")),
                    "standard_slope": standard_slope, "steepness_change": steepness, "steepness_delta": delta,
                    "width_change": width, "seeds": len(controlled)})
    return in_regime(Verdict("control_comparable", verdict=verdict, expected="comparable", numbers=numbers,
                             strict=strict, **cell_of(controlled)), standard, controlled)


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

    docs/design.md "Objective distance". `cells` are one model's standard full-fine-tuning
    cells, one per objective (objective, domain, mask rate), each over the same training seeds.
    Per training seed s: ρ_s = Spearman correlation over the objectives of seed s's objective
    distance (`objective_distance`) with its slope (`slope`). The verdict reads the mean of ρ_s
    over seeds by a permutation test over the objectives (`stats.permutation_spearman`: every
    order of the objectives, the same for all seeds): "reproduced" when p < 1 - CI and ρ > 0,
    "reversed" when p < 1 - CI and ρ < 0; "inconclusive (underpowered: >= K objectives)" when no
    data on this many objectives could reach p < 1 - CI (4 objectives: 24 orders, p >= 2/24);
    "(underpowered: more objectives)" when every seed gives the same ρ; else inconclusive with
    the seeds that would decide the `stats.seed_ci` interval of ρ,
    reported beside (per-seed ρ over few objectives is bounded and discrete: three seeds that
    agree give it zero width, so it does not decide). `mde`: the smallest |ρ| the permutation
    test calls at 5%. Caveat: distances under different heads (a vocabulary, 5 classes) are KL
    divergences over different output spaces; compare objectives that share a head.

    Args:
        cells: At least `criteria.MIN_OBJECTIVES` lists of runs of one model, each list one
            objective's training seeds (the same >= 2 seeds in each).

    Raises:
        ValueError: With fewer than MIN_OBJECTIVES cells, cells over different seeds or fewer than
            2, runs of more than one model, or two cells of the same objective.
    """
    if len(cells) < MIN_OBJECTIVES or not all(cells):
        raise ValueError(f"steepness_tracks_distance: needs >= {MIN_OBJECTIVES} non-empty cells (one per objective; "
                         f"with 3 a Spearman rho takes only the values ±1, ±0.5), got {[len(c) for c in cells]} runs")
    models = {r.attrs["model"] for c in cells for r in c}
    labels = [objective_label(c[0]) for c in cells]
    if len(models) > 1 or len(set(labels)) < len(labels) or any(len({objective_label(r) for r in c}) > 1 for c in cells):
        raise ValueError(f"steepness_tracks_distance: pass one model's cells, one objective each; got models "
                         f"{sorted(models)} and objectives {[sorted({objective_label(r) for r in c}) for c in cells]}")
    seeds = [[spec_of(r)["seed"] for r in c] for c in cells]
    if any(s != seeds[0] for s in seeds) or len(seeds[0]) < 2:
        raise ValueError(f"steepness_tracks_distance: every objective needs the same >= 2 training seeds, in the "
                         f"same order (rho is taken per seed); got {seeds}")
    slopes = np.array([scalars(c, "slope") for c in cells])  # [objective, seed]
    dist = np.array([scalars(c, "objective_distance") for c in cells])
    rho = stats.seed_ci(stats._rowwise_spearman(dist.T, slopes.T))
    test = stats.permutation_spearman(dist.T, slopes.T)
    if test["p"] < 1 - CI:
        verdict = "reproduced" if test["rho"] > 0 else "reversed"
    elif test["p_min"] >= 1 - CI:
        verdict = f"inconclusive (underpowered: >= {_objectives_needed()} objectives)"
    elif rho.seed_var == 0:  # the seeds agree: more of them leave p where it is
        verdict = "inconclusive (underpowered: more objectives)"
    else:
        verdict = undecided(rho)
    numbers = {"spearman": rho, "objectives": ", ".join(f"{lab} D={d.mean():.3g} slope={s.mean():+.3g}"
                                                        for lab, d, s in zip(labels, dist, slopes)),
               "mde": test["detectable"], "p": test["p"], "seeds": len(seeds[0])}
    cell = cell_of(cells[0])
    cell["objective"] = "all"
    return Verdict("steepness_vs_distance", verdict=verdict, expected="reproduced", numbers=numbers, **cell)


def _objectives_needed() -> int:
    """The fewest objectives whose orders can give a two-sided permutation p below 1 - CI: 2 / K! < 1 - CI."""
    k = MIN_OBJECTIVES
    while 2 / math.factorial(k) >= 1 - CI:
        k += 1
    return k


_MAX_FAMILIES = 1000  # `_families_needed` searches up to this many families


def _width_table(runs: list[xr.Dataset]) -> dict:
    """The (family, objective kind) table of width that `width_by_architecture` decides from.

    Seeds are averaged into their (model, objective) cell, then a family's cells of one kind (its
    models, its objectives of that kind) into one (family, kind) cell: the families are the units.
    Returns {"Y": [F, 2] cell means (columns lm, cls), "c": [F] the mean over the family's two
    cells of sum(1 / seeds) / cells^2 (a cell mean's seed variance, in units of one run's),
    "ss", "df": [F] the family's sum of squares of its runs about their (model, objective) cell
    means and its degrees of freedom, "families", "objectives" {kind: labels}, "tau"}.
    """
    taus = {float(r.variables["tau"].values) for r in runs}
    if len(taus) > 1:
        raise ValueError(f"width_by_architecture: widths counted with different thresholds tau {sorted(taus)} "
                         "are not comparable; recompute the runs")
    cells: dict = {}  # (family, kind) -> {(model, objective): [widths]}
    objectives: dict = {"lm": set(), "cls": set()}
    for r in runs:
        kind = "cls" if r.attrs["objective"] == "cls" else "lm"
        label = objective_label(r)
        objectives[kind].add(label)
        cells.setdefault((r.attrs["family"], kind), {}).setdefault((r.attrs["model"], label), []).append(
            float(r.variables["width"].values))
    families = sorted({f for f, _ in cells})
    if len(families) < 3:
        raise ValueError(f"width_by_architecture: needs runs of >= 3 model families, got {families}: a variance "
                         "over 2 families has one degree of freedom, and leaving one out leaves none; add families")
    missing = [f"{f} ({k})" for f in families for k in ("lm", "cls") if (f, k) not in cells]
    if missing:
        raise ValueError(f"width_by_architecture: every family needs runs of both objective kinds (a language-"
                         f"modelling objective and cls), so that family and kind are crossed; missing: "
                         f"{', '.join(missing)}; run those cells or leave the family out")
    Y, (c, ss, df) = np.zeros((len(families), 2)), np.zeros((3, len(families)))
    for i, f in enumerate(families):
        for j, k in enumerate(("lm", "cls")):
            ws = [np.array(w) for w in cells[(f, k)].values()]
            Y[i, j] = np.mean([w.mean() for w in ws])
            c[i] += sum(1 / w.size for w in ws) / len(ws) ** 2 / 2
            ss[i] += sum(((w - w.mean()) ** 2).sum() for w in ws)
            df[i] += sum(w.size - 1 for w in ws)
    if df.sum() == 0:
        raise ValueError("width_by_architecture: no (model, objective) cell has >= 2 training seeds, so nothing "
                         "measures the seeds' share of width; run >= 2 seeds per cell")
    return {"Y": Y, "c": c, "ss": ss, "df": df, "families": families, "tau": taus.pop(),
            "objectives": {k: sorted(v) for k, v in objectives.items()}}


def _width_components(Y, c, ss, df) -> dict:
    """The variance of one run's width split by moments into its family, objective-kind,
    interaction and seed components, over a (family, kind) table (`_width_table`; any leading
    dims of the arguments are resamples).

    With R_f the family's mean over the two kinds and D_f its cls - lm difference, s^2 the
    variance over families, v the seed variance of a cell mean and F the families:
    family = s^2(R) - v/2 (what its families' means spread beyond the seed noise in them),
    objective kind = (mean(D)^2 - s^2(D)/F)/4 (its effect's square beyond what the families'
    spread of D puts into its mean), interaction = s^2(D)/4 - v/2, seed = the runs' pooled
    variance within their (model, objective) cell. Each unbiased under the two-way mixed model
    (families random, the two kinds fixed; Searle, Casella & McCulloch 1992); `*_chance` is the
    term subtracted, the value of the raw spread when the factor has no effect.
    """
    F = Y.shape[-2]
    rows, diff = Y.mean(-1), Y[..., 1] - Y[..., 0]
    seed = ss.sum(-1) / df.sum(-1)
    noise = seed * c.mean(-1)
    spread = diff.var(-1, ddof=1)
    out = {"family_chance": noise / 2, "objective_chance": spread / (4 * F)}
    out["family"] = rows.var(-1, ddof=1) - out["family_chance"]
    out["objective"] = diff.mean(-1) ** 2 / 4 - out["objective_chance"]
    out["interaction"] = spread / 4 - noise / 2
    out["seed"] = seed
    out["total"] = out["family"] + out["objective"] + out["interaction"] + seed
    return out


def _share_difference(Y, c, ss, df) -> np.ndarray:
    """(family - objective kind) / total of `_width_components`; NaN where width does not vary."""
    p = _width_components(Y, c, ss, df)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(p["total"] > 0, (p["family"] - p["objective"]) / p["total"], np.nan)


def _jackknife_se(Y, c, ss, df) -> np.ndarray:
    """Delete-one-family jackknife standard error of `_share_difference` (leading dims kept)."""
    F = Y.shape[-2]
    keep = np.array([np.delete(np.arange(F), i) for i in range(F)])  # [F, F - 1]
    d = _share_difference(Y[..., keep, :], c[..., keep], ss[..., keep], df[..., keep])  # [..., F]
    return np.sqrt((F - 1) / F * ((d - d.mean(-1, keepdims=True)) ** 2).sum(-1))


def _width_pivots(t: dict, families: int, n: int, seed: int = 0) -> np.ndarray:
    """[n] generalized pivotal quantities of the share difference (Weerahandi 1993): the table's
    statistics `t` ({"rows", "diff_spread", "diff_mean", "seed", "c", "df"}) as if measured on
    `families` families. Exact when the families' (R_f, D_f) are normal: (F-1) s^2 / sigma^2 is
    chi-square with F - 1 degrees of freedom for both spreads, the runs' seed variance with its own
    degrees of freedom, and mean(D) is normal about the kind's effect with variance sigma^2(D)/F."""
    # one stream per pivot, so that the draws of one do not move with another's degrees of freedom
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, families]).spawn(4)]
    k = families - 1
    dfe = t["df"] * families / t["families"]
    rows = k * t["rows"] / rng[0].chisquare(k, n)
    spread = k * t["diff_spread"] / rng[1].chisquare(k, n)
    seed_var = dfe * t["seed"] / rng[2].chisquare(dfe, n)
    effect = t["diff_mean"] - rng[3].standard_normal(n) * np.sqrt(spread / families)
    noise = seed_var * t["c"]
    family, objective = rows - noise / 2, effect ** 2 / 4
    return (family - objective) / (family + objective + spread / 4 - noise / 2 + seed_var)


def _pivot_mde(t: dict, families: int) -> float:
    """The pivots' half-width at CI plus at 60% (power 0.8, as `stats.mde`) on `families` families."""
    levels = [(1 - CI) / 2, (1 + CI) / 2, 1 - stats.POWER, stats.POWER]
    q = np.quantile(_width_pivots(t, families, stats.N_BOOT), levels)
    return float((q[1] - q[0]) / 2 + (q[3] - q[2]) / 2)


def _families_needed(t: dict, effect: float) -> int | None:
    """The fewest families at which the pivots' mde reaches |effect| at the measured components
    (the analogue of `stats.seeds_needed`); None when none up to _MAX_FAMILIES does."""
    target = abs(effect)
    lo, hi = t["families"], _MAX_FAMILIES
    if target == 0 or _pivot_mde(t, hi) > target:
        return None
    if _pivot_mde(t, lo) <= target:
        return lo
    while hi - lo > 1:  # the mde falls with families: bisect for the first count that reaches it
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if _pivot_mde(t, mid) <= target else (mid, hi)
    return hi


def _bootstrap_t(Y, c, ss, df, d: float, levels: list[float]) -> tuple[np.ndarray, float]:
    """Bootstrap-t over families of `_share_difference` d: stats.N_BOOT resamples of the
    families (seeded), t* = (d* - d) / se* with se* each resample's jackknife standard error; the
    bounds d - q(t*) se at each of `levels` (as lower/upper pairs) and the two-sided p-value."""
    F = Y.shape[0]
    se = float(_jackknife_se(Y, c, ss, df))
    idx = np.random.default_rng(np.random.SeedSequence(0)).integers(0, F, (stats.N_BOOT, F))
    resampled = Y[idx], c[idx], ss[idx], df[idx]
    d_star, se_star = _share_difference(*resampled), _jackknife_se(*resampled)
    ok = np.isfinite(d_star) & (se_star > 0)  # a resample of one family repeated has no spread to studentize by
    if se == 0 or not ok.any():
        return np.full(len(levels), d), float(d == 0)
    t_star = (d_star[ok] - d) / se_star[ok]
    q = np.quantile(t_star, levels)
    bounds = d - se * q[[i ^ 1 for i in range(len(levels))]]  # the upper quantile of t* gives the lower bound
    return bounds, float(min(1.0, 2 * min(np.mean(t_star >= d / se), np.mean(t_star <= d / se))))


def width_by_architecture(runs: list[xr.Dataset]) -> Verdict:
    """Paper A: profile width is dominated by architecture, not objective.

    docs/design.md "Width". Width is the paper's: the number of layers with Δ_l >= τ (`width`,
    τ = `config.TAU`, ours; every run must carry the same `tau`). The units are the model
    families, not the runs: seeds are averaged into (model, objective) cells and a family's cells
    of one objective kind (language modelling or classification) into one (family, kind) cell
    (`_width_table`); every family needs both kinds. One run's width variance is split into
    family, objective-kind, interaction and seed components (`_width_components`: families
    random, the two kinds fixed, each component less what chance puts into it), and the shares
    compared are the family's and the kind's of their sum; d = family share - kind share.

    d has two 95% intervals over the families: generalized pivots (`_width_pivots`, exact for
    normal families) and a bootstrap-t over families (resampled with replacement, each resample
    studentized by its delete-one-family jackknife; `stats.N_BOOT` of each, seeded). Bounded
    widths make the families' spread and the kind's effect depend on each other, which the
    pivots miss and the bootstrap keeps; the bootstrap-t is unstable where both components are
    small, where the pivots hold. The verdict reads their hull (`share_difference`: estimate,
    the lower of the two lower bounds, the higher of the upper): "reproduced" when it lies above
    0, "not reproduced" (the kind explains as much or more) when below, else "inconclusive
    (underpowered: more families)" with `families_needed`, the families at which the pivots'
    mde reaches |d| at the measured components; "inconclusive (no effect measured)" when d is 0
    and "(every run has the same width)" when nothing varies. `p`: the larger of the two
    intervals' p-values (the level at which each just reaches 0); `mde`: the hull's half-width
    at 95% plus at 60%. The objectives are fixed effects of their kind: the kind's share is
    that of the objectives run, and generalizing to other objectives of a kind would need
    several per kind, run by every family (docs/statistics.md measures the rule's calibration).

    Raises:
        ValueError: Runs measured with different thresholds τ, fewer than 3 families, a family
            without runs of both kinds, or no (model, objective) cell with 2 seeds.
    """
    tab = _width_table(runs)
    Y, c, ss, df = tab["Y"], tab["c"], tab["ss"], tab["df"]
    F = len(tab["families"])
    parts = _width_components(Y, c, ss, df)
    total = float(parts["total"])
    shares = {k: float(parts[k]) / total if total > 0 else 0.0
              for k in ("family", "objective", "family_chance", "objective_chance")}
    d = shares["family"] - shares["objective"]
    levels = [(1 - CI) / 2, (1 + CI) / 2, 1 - stats.POWER, stats.POWER]  # the interval, and the mde's
    t = {"rows": Y.mean(1).var(ddof=1), "diff_spread": (Y[:, 1] - Y[:, 0]).var(ddof=1),
         "diff_mean": (Y[:, 1] - Y[:, 0]).mean(), "seed": ss.sum() / df.sum(), "c": c.mean(), "df": df.sum(),
         "families": F}
    if total > 0:
        pivots = _width_pivots(t, F, stats.N_BOOT)
        piv_q = np.quantile(pivots, levels)
        piv_p = min(1.0, 2 * min(np.mean(pivots <= 0), np.mean(pivots >= 0)))
        boot_q, boot_p = _bootstrap_t(Y, c, ss, df, d, levels)
        # The hull, within [-1, 1] where every share difference lies
        lo, lo60 = (float(np.clip(min(a, b), -1, 1)) for a, b in zip(piv_q[::2], boot_q[::2]))
        hi, hi60 = (float(np.clip(max(a, b), -1, 1)) for a, b in zip(piv_q[1::2], boot_q[1::2]))
        needed = _families_needed(t, d)
    else:
        lo = hi = lo60 = hi60 = d
        piv_p = boot_p = 1.0
        needed = None
    if total == 0:
        verdict = "inconclusive (every run has the same width)"
    elif lo > 0:
        verdict = "reproduced"
    elif hi < 0:
        verdict = "not reproduced"
    elif d == 0:
        verdict = "inconclusive (no effect measured)"
    else:
        verdict = "inconclusive (underpowered: more families)"
    objectives = " | ".join(f"{k}: {', '.join(v)}" for k, v in tab["objectives"].items())
    numbers = {"share_difference": (d, float(lo), float(hi)),
               "family_share": shares["family"], "objective_share": shares["objective"],
               "family_chance": shares["family_chance"], "objective_chance": shares["objective_chance"],
               "mde": float((hi - lo) / 2 + (hi60 - lo60) / 2), "p": float(max(piv_p, boot_p)),
               "families_needed": needed if needed is not None else f"> {_MAX_FAMILIES}",
               "tau": tab["tau"], "runs": len(runs), "families": F, "objectives": objectives}
    return in_regime(Verdict("width_by_architecture", verdict=verdict, expected="reproduced", numbers=numbers,
                             **{**cell_of(runs), "model": "all", "objective": "all"}), runs)


def scale_narrowing(small_seq: list[xr.Dataset], small_par: list[xr.Dataset], large_seq: list[xr.Dataset],
                    large_par: list[xr.Dataset]) -> Verdict:
    """Paper A: the sequential-vs-parallel distinction narrows with scale, "where both block types
    show positive equal-step slopes for CausalLM".

    All four cells are equal-step "clm" runs over the same training seeds and probe set. The
    paper's criterion (`verdict`): "reproduced" when each large model's controlled slope lies
    above 0, "not reproduced" when one lies below, else inconclusive. The stricter reading
    (`strict`) measures the narrowing itself: gap = relative slope (slope / mean Δ, scale-free)
    of the sequential model minus that of the parallel one, per size; "gap narrows" when
    |gap_large| - |gap_small| lies below 0, "gap does not narrow" when above, else inconclusive;
    one `stats.profile_ci` of the four models' profiles side by side (seed s and probe sequence
    i shared by all four). Both read "control inert" when the controlled runs' mean control
    strength is below CONTROL_INERT_BELOW.
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

    narrowing = stats.profile_ci(joint, np.zeros(joint.shape[-1]), stat=gaps)
    point = joint.mean((0, 1))
    slopes = [stats.profile_ci(a, d) for a, d in zip(arrays[2:], depths[2:])]
    strength = float(np.mean([float(r["control_strength"]) for c in cells for r in c]))
    if strength < CONTROL_INERT_BELOW:
        verdict = strict = "control inert"
    else:
        if all(s[1] > 0 for s in slopes):
            verdict = "reproduced"
        elif any(s[2] < 0 for s in slopes):
            verdict = "not reproduced"
        else:
            verdict = undecided(min((s for s in slopes if not s[1] > 0), key=lambda s: s[0]))
        strict = signed(narrowing, "gap does not narrow", "gap narrows")
    names = [c[0].attrs["model"] for c in cells]
    numbers = {"gap_small": float(rel(point, 0) - rel(point, 1)), "gap_large": float(rel(point, 2) - rel(point, 3)),
               "abs_gap_change": narrowing, f"slope_{names[2]}": slopes[0], f"slope_{names[3]}": slopes[1],
               "control_strength": strength, **decidability(*slopes), "seeds": len(small_seq)}
    cell = cell_of(large_seq)
    cell["model"] = f"{names[0]},{names[1]} -> {names[2]},{names[3]}"
    return Verdict("scale_narrowing", verdict=verdict, expected="reproduced", numbers=numbers, strict=strict, **cell)
