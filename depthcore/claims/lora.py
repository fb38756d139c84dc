"""LoRA blog ("Fine Tuning"): full fine-tuning's weight change has a very low intrinsic rank; LoRA's
per-layer weight change shows where full fine-tuning changes the weights; and, secondary, the shape
of LoRA's profile agrees across domains and learning rates (docs/design.md "Verdict rules")."""

from __future__ import annotations

import numpy as np
import xarray as xr

from depthcore import stats
from depthcore.claims.verdict import Verdict, cell_of, decidability, seq_array, signed, undecided
from depthcore.criteria import LORA_PRIMARY, LORA_STRICT, LOW_RANK_KEEP, LOW_RANK_RATIO
from depthcore.results import spec_of

# Profiles compared by lora_predicts_full, by the names of its pairs ("BA~dW_adapted": LoRA's
# effective update against full fine-tuning's weight change on the matrices LoRA adapts; "BA~dW":
# against its change on all of the layer's matrices).
LORA_PROFILES = {"BA": "dW_absmean", "A": "A_dW_absmean", "B": "B_dW_absmean"}
FULL_PROFILES = {"dW_adapted": "dW_absmean_adapted", "dW": "dW_absmean", "rel_update": "rel_update",
                 "delta": "rep_change_cos"}


def top_k_layers(values, k: int) -> tuple[int, ...]:
    """1-based indices of the k largest values (ties: the shallower layer first), sorted."""
    order = np.argsort(-np.asarray(values, dtype=np.float64), kind="stable")
    return tuple(sorted(int(i) + 1 for i in order[:k]))


def lora_locus(runs: list[xr.Dataset]) -> Verdict:
    """LoRA blog, secondary: does the shape of LoRA's depth profile agree across domains and
    learning rates, as the blog's figures show?

    Shape agreement: the pairwise Spearman correlations of the runs' per-layer mean |ΔW| profiles
    (of (α/r)·B·A), runs over domains x learning rates, each with its own training seed. Decided on
    their Fisher z (arctanh ρ), whose mean over pairs is near normal where ρ itself is skewed
    against its bound of 1; a ρ of ±1 (one ordering of L layers) counts as ±(1 - 6 / (L (L² - 1))),
    half of one adjacent swap inside the bound, where z is finite: the jackknife over R >= 3 runs (each left out of
    every pair it is in) with R - 1 degrees of freedom, as `stats.Interval` over R units
    (`agreement_z`). "shape agrees" above 0, "shape differs" below, else inconclusive. Reported:
    the mean and minimum pairwise ρ, the number of distinct seeds, and where the mean profile sits
    (relative slope; depth of its maximum).

    Two runs make one pair, whose agreement nothing measures the spread of: "inconclusive
    (underpowered: >= 3 runs)".

    Args:
        runs: LoRA runs of one model and objective, at least two.

    Raises:
        ValueError: with fewer than two runs.
    """
    R = len(runs)
    if R < 2:
        raise ValueError(f"lora_locus: shape agreement compares runs: needs at least 2, got {R}")
    profiles = np.stack([r["dW_absmean"].values for r in runs])
    depth = runs[0]["depth"].values
    L = len(depth)
    rho = stats._rowwise_spearman(profiles[:, None], profiles[None, :])  # [R, R]
    pairs = ~np.eye(R, dtype=bool)

    def mean_rho(keep):
        mask = pairs & keep[:, None] & keep[None, :]
        return rho[mask].mean()

    everyone = np.ones(R, dtype=bool)
    mean = profiles.mean(0)
    numbers = {"min_pairwise_spearman": float(rho[pairs].min()),
               "rel_slope_absmean": float(stats.relative_slope(mean, depth)),
               "argmax_depth": float(depth[int(np.argmax(mean))]), "runs": R,
               "seeds": len({spec_of(r)["seed"] for r in runs}), "mean_pairwise_spearman": float(mean_rho(everyone))}
    if R < 3:  # one pair: nothing measures how much the agreement varies
        return Verdict("lora_locus", verdict="inconclusive (underpowered: >= 3 runs)", expected="shape agrees",
                       numbers=numbers, **cell_of(runs))
    bound = 1 - 6 / (L * (L * L - 1))  # half a swap of two adjacent layers inside ±1, where z is finite
    rho = np.arctanh(np.clip(rho, -bound, bound))
    jack = np.array([mean_rho(everyone & (np.arange(R) != i)) for i in range(R)])
    jack_var = (R - 1) / R * ((jack - jack.mean()) ** 2).sum()
    agreement = stats.Interval(mean_rho(everyone), jack_var * R, 0.0, R)
    numbers.update(agreement_z=agreement, **decidability(agreement))
    return Verdict("lora_locus", verdict=signed(agreement, "shape agrees", "shape differs"), expected="shape agrees",
                   numbers=numbers, **cell_of(runs))


def _by_seed(lora: list[xr.Dataset], full: list[xr.Dataset]) -> tuple[list[xr.Dataset], list[xr.Dataset]]:
    """Both arms sorted by training seed, after checking that they pair."""
    seeds = [sorted(spec_of(r)["seed"] for r in arm) for arm in (lora, full)]
    if seeds[0] != seeds[1] or len(set(seeds[0])) != len(seeds[0]):
        raise ValueError(f"lora_predicts_full: the arms pair by training seed, each seed once in each arm; "
                         f"got LoRA seeds {seeds[0]}, full fine-tuning seeds {seeds[1]}")
    if len(seeds[0]) < 2:
        raise ValueError(f"lora_predicts_full: an interval over seeds needs at least 2 seeds, got {seeds[0]}")
    if not all(spec_of(r)["lora"] for r in lora) or any(spec_of(r)["lora"] for r in full):
        raise ValueError("lora_predicts_full: pass the LoRA runs first, the full fine-tuning runs second")
    for key in ("model", "objective", "domain", "lora_targets"):
        values = {str(spec_of(r)[key]) for r in lora + full}
        if len(values) > 1:
            raise ValueError(f"lora_predicts_full: the arms must fine-tune the same model on the same data and "
                             f"compare the same matrices; {key} differs: {sorted(values)}")
    if any("dW_absmean_adapted" not in r.variables for r in full):
        raise ValueError("lora_predicts_full: the full fine-tuning runs do not store their change on the matrices "
                         "LoRA adapts (dW_absmean_adapted); run them with RunSpec(delta_rank=True)")
    return [sorted(arm, key=lambda r: spec_of(r)["seed"]) for arm in (lora, full)]


def lora_predicts_full(lora: list[xr.Dataset], full: list[xr.Dataset]) -> Verdict:
    """LoRA blog: the layers where LoRA changes the weights most are those full fine-tuning
    would change most.

    The arms fine-tune the same model on the same data (objective, domain), paired by training
    seed. Per seed, the Spearman correlation over layers of a LoRA profile with a full
    fine-tuning profile; each pair is summarised by the mean ρ over seeds with its
    `stats.seed_ci` t-interval.

    LoRA profiles: mean |ΔW| of the effective update (α/r)·B·A ("BA", `dW_absmean`) and of the
    raw adapter deltas ("A", "B"). Full fine-tuning profiles: mean |ΔW| on the matrices LoRA
    adapts ("dW_adapted", `dW_absmean_adapted`: like with like) and on all of the layer's
    weight matrices ("dW"), the relative update ‖ΔW‖/‖W‖ ("rel_update") and the
    representational change Δ_l ("delta", `rep_change_cos`).

    A proxy is worth its cost only if it tells more than depth does (full fine-tuning's change
    is often monotone in depth, paper A), so the pair `criteria.LORA_PRIMARY` (BA~dW_adapted) is judged
    against the trivial predictor: per seed, its ρ minus |ρ| of depth with the same full
    fine-tune (depth or reversed depth, whichever fits that seed better: the predictor is given
    every advantage), with its t-interval over seeds (`BA~dW_minus_depth`). Verdict: "reversed"
    when BA~dW lies below 0; "reproduced" when BA~dW lies above 0 and beats depth; "depth
    predicts better" when it falls short of depth; else inconclusive with the seeds that would
    decide the undecided interval. Reported beside it: the ceiling, the mean ρ between the full
    fine-tunes of two different seeds (`full~full`: how well another full fine-tune predicts
    one), and the top half of the layers by each arm's primary profile. Strict (`criteria.LORA_STRICT`): every pair listed there lies above 0 and so does the
    gain over depth, "reproduced"; else "not reproduced (…)" with the sign of each that fails
    (- below 0, ? undecided).

    Raises:
        ValueError: If the arms do not pair by seed (or have fewer than 2 seeds), are not LoRA and
            full fine-tuning in that order, differ in model, objective, domain or LoRA's target
            modules, or the full fine-tunes lack `dW_absmean_adapted` (RunSpec.delta_rank).
    """
    lora, full = _by_seed(lora, full)
    per_seed, rhos = {}, {}
    for x, lora_var in LORA_PROFILES.items():
        for y, full_var in FULL_PROFILES.items():
            rho = stats._rowwise_spearman(seq_array(lora, lora_var), seq_array(full, full_var))
            per_seed[f"{x}~{y}"] = rho
            rhos[f"{x}~{y}"] = stats.seed_ci(rho)
    primary = rhos[LORA_PRIMARY]
    lora_name, full_name = LORA_PRIMARY.split("~")
    full_dW = seq_array(full, FULL_PROFILES[full_name])
    depth_rho = np.abs(stats._rowwise_spearman(np.broadcast_to(lora[0]["depth"].values, full_dW.shape), full_dW))
    gain = stats.seed_ci(per_seed[LORA_PRIMARY] - depth_rho)
    S = len(full)
    ceiling = stats._rowwise_spearman(full_dW[:, None], full_dW[None, :])[~np.eye(S, dtype=bool)].mean()
    if primary[2] < 0:
        verdict = "reversed"
    elif gain[2] < 0:
        verdict = "depth predicts better"
    elif primary[1] > 0 and gain[1] > 0:
        verdict = "reproduced"
    else:
        verdict = undecided(primary if gain[1] > 0 else gain)
    strict_ivs = {**{k: rhos[k] for k in LORA_STRICT}, "over depth": gain}
    failed = [f"{k} {'-' if iv[2] < 0 else '?'}" for k, iv in strict_ivs.items() if not iv[1] > 0]
    strict = "reproduced" if not failed else f"not reproduced ({', '.join(failed)})"
    k = lora[0].sizes["layer"] // 2
    top = {arm: set(top_k_layers(seq_array(runs, var).mean(0), k)) for arm, runs, var in
           (("lora", lora, LORA_PROFILES[lora_name]), ("full", full, FULL_PROFILES[full_name]))}
    numbers = {**{f"spearman_{p}": v for p, v in rhos.items()},
               f"{LORA_PRIMARY}_per_seed": "[" + " ".join(f"{v:+.3f}" for v in per_seed[LORA_PRIMARY]) + "]",
               f"depth~{full_name}": float(depth_rho.mean()), f"{LORA_PRIMARY}_minus_depth": gain,
               "full~full": float(ceiling),
               **{f"top_half_{arm}": "-".join(map(str, sorted(s))) for arm, s in top.items()},
               "top_half_overlap": len(top["lora"] & top["full"]) / k, **decidability(primary, gain), "seeds": S}
    return Verdict("lora_predicts_full", verdict=verdict, expected="reproduced",
                   numbers=numbers, strict=strict, **cell_of(lora))


def delta_rank(runs: list[xr.Dataset]) -> Verdict:
    """LoRA blog: full fine-tuning's weight change ΔW "tends to have a very low intrinsic rank", so
    that a low-rank update "can effectively approximate" it (docs/design.md "Intrinsic rank of the
    weight change").

    Per training seed, the mean over the layers that changed of erank(ΔW) / erank(Gaussian),
    the entropy effective rank of each layer's weight changes against that of Gaussian matrices of
    the same shapes (`dW_erank`, `dW_erank_gauss`; both scale-free, so the Gaussian's norm is
    any), with its t-interval over seeds (`erank_ratio`). "reproduced" when the interval lies below
    `criteria.LOW_RANK_RATIO`, "not low rank" when it lies at or above it, else inconclusive with
    the seeds that would decide its distance to the ratio.

    Strict (ours; the blog's "without losing significant information" at its own LoRA rank r =
    RunSpec.lora_r): per seed, the largest share of one matrix's energy that its best rank-r
    approximation loses (`dW_lost_r`, its largest over layers), t-interval over seeds
    (`lost_at_r`): "reproduced" when the paper's reading is and that interval lies below
    1 - criteria.LOW_RANK_KEEP (10%); "not reproduced (…)" naming what fails (-) or is undecided
    (?): the ratio, rank r. Reported beside: the most directions one matrix needs for 90% of its
    energy (`rank90_worst`) and a Gaussian matrix's (`rank90_gauss`).

    Raises:
        ValueError: the runs do not store the rank (RunSpec.delta_rank), are LoRA runs, have fewer
            than 2 training seeds, or no layer changed.
    """
    seeds = sorted(spec_of(r)["seed"] for r in runs)
    if any("dW_erank" not in r.variables for r in runs):
        raise ValueError("delta_rank: the runs do not store the rank of their weight change; run them with "
                         "RunSpec(delta_rank=True)")
    if any(spec_of(r)["lora"] for r in runs):
        raise ValueError("delta_rank: judges full fine-tuning's weight change; pass full fine-tuning runs, not LoRA")
    if len(set(seeds)) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"delta_rank: an interval over seeds needs at least 2 distinct training seeds, got {seeds}")
    erank, gauss = seq_array(runs, "dW_erank"), seq_array(runs, "dW_erank_gauss")
    changed = (gauss > 0).all(0)  # a layer no run changed (frozen) has no ΔW to rank
    if not changed.any():
        raise ValueError("delta_rank: no layer's weights changed in these runs")
    ratio = (erank[:, changed] / gauss[:, changed]).mean(1)
    r = spec_of(runs[0])["lora_r"]
    excess = stats.seed_ci(ratio - LOW_RANK_RATIO)
    worst = seq_array(runs, "dW_lost_r").max(1)  # per seed, the matrix rank r holds least of
    lost, over = stats.seed_ci(worst), stats.seed_ci(worst - (1 - LOW_RANK_KEEP))
    if excess[2] < 0:
        verdict = "reproduced"
    elif excess[1] >= 0:
        verdict = "not low rank"
    else:
        verdict = undecided(excess)
    failed = [f"{name} {'-' if iv[1] >= 0 else '?'}" for name, iv in (("ratio", excess), (f"rank {r}", over))
              if not iv[2] < 0]
    strict = "reproduced" if not failed else f"not reproduced ({', '.join(failed)})"
    numbers = {"erank_ratio": stats.seed_ci(ratio), "ratio_margin": LOW_RANK_RATIO,
               "erank_ratio_max": float(seq_array(runs, "dW_erank_ratio_max").max()),
               "lost_at_r": lost, "lora_r": r, "rank90_worst": float(seq_array(runs, "dW_rank90").max()),
               "rank90_gauss": float(seq_array(runs, "dW_rank90_gauss").max()),
               **decidability(excess), "seeds": len(runs)}
    return Verdict("delta_rank", verdict=verdict, expected="reproduced", numbers=numbers, strict=strict,
                   **cell_of(runs))
