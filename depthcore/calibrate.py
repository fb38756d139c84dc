"""`depthcore calibrate`: how often each verdict rule decides what the truth does not say.

For every claim that decides from an interval, synthetic cells are drawn around a known truth
with the variance components of the cells stored in `baselines/`, and the claim's own function
judges them (`depthcore.claims`; no second copy of a rule). Per rule and tier: the false-decision
rate where the truth has no effect (or sits on an equivalence margin), the coverage of the
deciding interval and the power at the effect the baselines measured (docs/statistics.md,
"Every verdict rule on the suite's own variances").

The draw. The simulated variables of a cell, side by side (all arms, all variables with the
same probe sequences, so that arms paired by seed stay paired), form x[s, i, k]: seed s, probe
sequence i, column k. A synthetic cell is

    center[k] + (Z_N B)[i, k] / sqrt(N - 1) + sum_t Z_S[s, t] D[t, i, k] / sqrt(S - 1)

with B the measured sequence effects (the seed-mean of each sequence minus their mean), D the
measured seeds' deviations from the seed-mean, Z standard normal: Gaussian, with the stored
cell's covariance over seeds and over probe sequences, around a center the scenario sets. A
per-seed scalar is the same with N = 1 (no sequence term).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from depthcore import claims, stats
from depthcore.criteria import (COLLAPSE_DELTA_FRAC, CONTROL_LOSS_MARGIN_FRAC, LOCAL_SHARE_MIN, LOW_RANK_KEEP,
                                LORA_PRIMARY, LOW_RANK_RATIO, RANDOM_SPREAD_STRICT, SEMANTIC_MARGIN_FRAC,
                                TP_ONSET_DEEP)
from depthcore.results import spec_of

SIMS = 2000  # cells per rule and scenario: a 5% rate is measured to +-0.01 (one standard error)
NOT_DECIDED = ("inconclusive", "control inert", "reference did not improve")

Centers = dict  # (arm index, variable) -> its center: [L] for a profile, [1] for a scalar


@dataclass(frozen=True)
class Rule:
    """One verdict rule as calibrated: where its cells are stored, what is drawn, and its truth.

    `files` is a glob under `baselines/<tier>/cpu` with `{tier}` filled in; `arms(path)` gives the
    stored runs as the claim takes them (lists of runs, one per arm); `draw` names the simulated
    variables of each arm; `judge(arms)` is the claim; `reading(v)` the part of its Verdict
    judged; `null(centers, depth)` moves the measured centers to the scenario whose truth has no
    effect (or lies on the margin); `false(reading)` says whether a reading there is a false
    decision (default: any decision); `interval` the numbers key of the deciding interval. A rule
    that correlates one arm's profile with another's draws them independently (`paired` False):
    its null is "no association", which noise shared through the seed would break.
    """

    name: str
    files: str
    arms: Callable[[Path], list[list[xr.Dataset]]]
    draw: tuple[tuple[str, ...], ...]
    judge: Callable[[list[list[xr.Dataset]]], claims.Verdict]
    null: Callable[[Centers, np.ndarray], Centers]
    interval: str
    reading: Callable[[claims.Verdict], str] = lambda v: v.verdict
    false: Callable[[str], bool] | None = None
    paired: bool = True  # arms drawn together (paired by seed); False: each arm on its own draws
    # What the interval estimates, against which its coverage is counted: "centers", the statistic
    # of the noise-free cell; "draws", the mean of the statistic over the cell's draws. A mean of
    # per-seed rank correlations estimates the expected correlation of noisy profiles, which the
    # noise pulls toward 0 from the noise-free profiles' (which are identical in lora_locus: 1);
    # the worst layer of each seed (delta_rank's strict reading) lies above the worst noise-free layer.
    # "stored", the stored cell's own estimate: a ratio of variances, which draws with the stored
    # variances have as their truth and a noise-free cell does not have.
    estimand: str = "centers"
    # A rule about spread rather than centers moves the noise, not the centers, to its null:
    # `null_noise(factors)` gives the factors (`Cell.factors`, by draw group) the null draws with.
    null_noise: Callable[[dict], dict] | None = None


def decided(reading: str) -> bool:
    return not reading.startswith(NOT_DECIDED)


# --------------------------------------------------------------------------- cells of the baselines


def _runs(path: Path) -> list[xr.Dataset]:
    from depthcore.report import split_runs

    return [r.copy(deep=True) for r in split_runs(xr.load_dataset(path))]


def one_arm(path: Path) -> list[list[xr.Dataset]]:
    return [_runs(path)]


def by_seed_chunks(path: Path) -> list[list[xr.Dataset]]:
    """A file that stores its arms one after another, each over the same training seeds in order."""
    runs = _runs(path)
    seeds = [spec_of(r)["seed"] for r in runs]
    S = seeds.index(seeds[0], 1) if seeds.count(seeds[0]) > 1 else len(runs)
    arms = [runs[i:i + S] for i in range(0, len(runs), S)]
    if any([spec_of(r)["seed"] for r in arm] != seeds[:S] for arm in arms):
        raise ValueError(f"{path}: expected arms stored one after another over the seeds {seeds[:S]}; got seeds {seeds}")
    return arms


def control_arms(path: Path) -> list[list[xr.Dataset]]:
    """The standard runs and the equal-step runs of one cell: the controlled ones from `path`, the
    standard ones from their own baseline (test_output_proximal's under AdamW, test_standard_sgd_arm's
    under SGD)."""
    cell, optimizer = path.stem.removeprefix("test_equal_step-").rsplit("-", 1)
    standard = (path.parent.parent / "test_output_proximal" / f"test_output_proximal-{cell}.nc" if optimizer == "adamw"
                else path.parent / f"test_standard_sgd_arm-{cell}.nc")
    if not standard.exists():
        raise FileNotFoundError(f"{path}: its standard arm {standard} is not stored")
    return [_runs(standard), _runs(path)]


def lora_arms(path: Path) -> list[list[xr.Dataset]]:
    """The LoRA runs and the full fine-tuning runs they pair with (stored beside them by
    `test_delta_rank`)."""
    full = path.with_name(path.name.replace("test_lora_predicts_full-", "test_delta_rank-"))
    if not full.exists():
        raise FileNotFoundError(f"{path}: its full fine-tuning arm {full} is not stored")
    return [_runs(path), _runs(full)]


# --------------------------------------------------------------------------- truth


def flat_slope(centers: Centers, depth: np.ndarray, *keys) -> Centers:
    """The named profiles with their slope removed (mean kept)."""
    out = dict(centers)
    xc = depth - depth.mean()
    for key in keys:
        out[key] = centers[key] - stats.fit_slope(centers[key], depth) * xc
    return out


def flat(centers: Centers, depth: np.ndarray, *keys) -> Centers:
    """The named profiles made constant at their mean: no shape, so no correlation with anything."""
    return {**centers, **{k: np.full_like(centers[k], centers[k].mean()) for k in keys}}


def follows_depth(centers: Centers, depth: np.ndarray) -> Centers:
    """LoRA's profiles (arm 0) a line in depth, rising where full fine-tuning's weight change (arm 1)
    rises with depth and falling where it falls: LoRA predicts full fine-tuning exactly as well as
    depth alone (the boundary of lora_predicts_full's "reproduced"). Each keeps its mean and spread."""
    full = claims.FULL_PROFILES[LORA_PRIMARY.split("~")[1]]
    sign = 1.0 if stats._rowwise_spearman(depth, centers[(1, full)]) >= 0 else -1.0
    ramp = sign * (depth - depth.mean()) / depth.std()
    return {**centers, **{(0, v): centers[(0, v)].mean() + centers[(0, v)].std() * ramp for v in LORA}}


def equal_arms(centers: Centers, var: str, arms: tuple[int, ...]) -> Centers:
    """The arms' per-seed scalar `var` at one common center: no arm better than another."""
    common = np.mean([centers[(a, var)] for a in arms], axis=0)
    return {**centers, **{(a, var): common.copy() for a in arms}}


def collapse_margin(centers: Centers, depth: np.ndarray) -> Centers:
    """The controlled slope exactly on the collapse margin, δ = COLLAPSE_DELTA_FRAC x |standard slope|."""
    out = flat_slope(centers, depth, (1, "rep_change_cos_seq"))
    delta = COLLAPSE_DELTA_FRAC * abs(stats.fit_slope(centers[(0, "rep_change_cos_seq")], depth))
    out[(1, "rep_change_cos_seq")] = out[(1, "rep_change_cos_seq")] + delta * (depth - depth.mean())
    return out


def control_loss_margin(centers: Centers, depth: np.ndarray) -> Centers:
    """The controlled arm loses exactly CONTROL_LOSS_MARGIN_FRAC of the standard arm's held-out gain."""
    before, std = centers[(0, "heldout_loss_before")], centers[(0, "heldout_loss")]
    return {**centers, (1, "heldout_loss"): std + CONTROL_LOSS_MARGIN_FRAC * (before - std)}


def steepness_margin(centers: Centers, depth: np.ndarray) -> Centers:
    """Comparable losses (the controlled arm's held-out loss the standard one's), equal widths, and
    the controlled slope exactly δ = COLLAPSE_DELTA_FRAC x |standard slope| above the standard one."""
    std = centers[(0, SEQ)]
    delta = COLLAPSE_DELTA_FRAC * abs(stats.fit_slope(std, depth))
    return {**centers, (1, "heldout_loss"): centers[(0, "heldout_loss")].copy(), (1, "width"): centers[(0, "width")].copy(),
            (1, SEQ): std + delta * (depth - depth.mean())}


def local_share_margin(centers: Centers, depth: np.ndarray) -> Centers:
    """The last block's local change exactly LOCAL_SHARE_MIN of its propagated change."""
    local = centers[(0, "rep_change_local_seq")].copy()
    local[-1] = LOCAL_SHARE_MIN * centers[(0, SEQ)][-1]
    return {**centers, (0, "rep_change_local_seq"): local}


def selection_margin(centers: Centers, depth: np.ndarray) -> Centers:
    """The selected arm loses exactly SEMANTIC_MARGIN_FRAC of the all-blocks arm's gain; the random
    arm stays as far from the selected one as measured, on the worse side."""
    out = dict(centers)
    before, full = centers[(0, "heldout_loss_before")], centers[(0, "heldout_loss")]
    out[(1, "heldout_loss")] = full + SEMANTIC_MARGIN_FRAC * (before - full)
    out[(2, "heldout_loss")] = out[(1, "heldout_loss")] + abs(centers[(2, "heldout_loss")] - centers[(1, "heldout_loss")])
    return out


def low_rank_margin(centers: Centers, depth: np.ndarray) -> Centers:
    """Full fine-tuning's ΔW at exactly LOW_RANK_RATIO of a Gaussian matrix's effective rank in every layer."""
    return {**centers, (0, "dW_erank"): LOW_RANK_RATIO * centers[(0, "dW_erank_gauss")]}


def lost_at_r_margin(centers: Centers, depth: np.ndarray) -> Centers:
    """A ΔW of low rank by the paper's reading (half LOW_RANK_RATIO) whose worst layer's best
    rank-r approximation loses exactly 1 - LOW_RANK_KEEP of a matrix's energy, the other layers
    keeping their measured distance below it."""
    lost = centers[(0, "dW_lost_r")]
    return {**centers, (0, "dW_erank"): LOW_RANK_RATIO / 2 * centers[(0, "dW_erank_gauss")],
            (0, "dW_lost_r"): lost - lost.max() + (1 - LOW_RANK_KEEP)}


def spread_null(ratio: float) -> Callable[[dict], dict]:
    """The noise of a two-arm scalar cell drawn together (one group, arms as columns 0 and 1) with
    the second arm's seed deviations rescaled to `ratio` times the first arm's variance: their
    correlation kept, the variance ratio exactly `ratio`."""
    def null(factors: dict) -> dict:
        (group, (B, D)), = factors.items()
        D = D.copy()
        D[..., 1] *= np.sqrt(ratio * (D[..., 0] ** 2).sum() / (D[..., 1] ** 2).sum())
        return {group: (B, D)}

    return null


def _ls_reading(v: claims.Verdict) -> str:
    """Layer sensitivity's part of paper B's diagnostics: "shallow", "not shallow" or inconclusive."""
    return "shallow" if v.verdict == "reproduced" else v.verdict.split(", TP ")[0].removeprefix("LS ")


def _pair_reading(pair: str) -> Callable[[claims.Verdict], str]:
    def reading(v: claims.Verdict) -> str:
        sign = dict(p.rsplit(" ", 1) for p in v.verdict.split(", "))[pair]
        return {"+": "agrees", "-": "opposes"}.get(sign, "inconclusive")

    return reading


SEQ = "rep_change_cos_seq"
LOSS = ("heldout_loss",)
LOSS_BEFORE = ("heldout_loss", "heldout_loss_before")
LORA = tuple(claims.LORA_PROFILES.values())
FULL = tuple(claims.FULL_PROFILES.values())
CROSS = ("rep_change_local_seq", "sensitivity_seq", "semantic_deviation_seq")
RANKS = ("dW_erank", "dW_erank_gauss", "dW_lost_r")  # the Gaussian's rank has no seed variance: drawn, it stays

RULES = (
    Rule("output_proximal", "test_output_proximal/test_output_proximal-{tier}-*.nc", one_arm, ((SEQ,),),
         lambda a: claims.output_proximal(a[0]), lambda c, d: flat_slope(c, d, (0, SEQ)), "slope"),
    Rule("output_proximal (strict: against null)", "test_output_proximal/test_output_proximal-{tier}-*.nc", one_arm,
         ((SEQ, "null_rep_change_cos_seq"),), lambda a: claims.output_proximal(a[0]),
         lambda c, d: {**c, (0, SEQ): c[(0, "null_rep_change_cos_seq")].copy()}, "excess_slope",
         reading=lambda v: v.strict),
    Rule("local_vs_propagated", "test_output_proximal/test_output_proximal-{tier}-*.nc", one_arm,
         (("rep_change_local_seq", SEQ),), lambda a: claims.local_vs_propagated(a[0]),
         lambda c, d: flat_slope(c, d, (0, "rep_change_local_seq")), "local_slope"),
    Rule("local_vs_propagated (strict: last block's share)", "test_output_proximal/test_output_proximal-{tier}-*.nc",
         one_arm, (("rep_change_local_seq", SEQ),), lambda a: claims.local_vs_propagated(a[0]), local_share_margin,
         "last_local_share", reading=lambda v: v.strict, false=lambda r: r in ("learned near the output", "mostly propagated")),
    Rule("equal_step: retained", "test_equal_step/test_equal_step-{tier}-*.nc", control_arms,
         ((SEQ, "null_rep_change_cos_seq"), (SEQ, "null_rep_change_cos_seq")),
         lambda a: claims.equal_step(a[0], a[1], ""), lambda c, d: flat_slope(c, d, (1, SEQ)), "controlled_slope",
         false=lambda r: r == "retained"),
    Rule("equal_step: collapsed (within ±δ)", "test_equal_step/test_equal_step-{tier}-*.nc", control_arms,
         ((SEQ, "null_rep_change_cos_seq"), (SEQ, "null_rep_change_cos_seq")),
         lambda a: claims.equal_step(a[0], a[1], ""), collapse_margin, "controlled_slope",
         false=lambda r: r == "collapsed"),
    Rule("control_comparable: comparable (within margin)", "test_equal_step/test_equal_step-{tier}-*.nc", control_arms,
         (LOSS_BEFORE + ("width", SEQ), ("heldout_loss", "width", SEQ)), lambda a: claims.control_comparable(*a),
         control_loss_margin, "lost_share", false=lambda r: r == "comparable"),
    Rule("control_comparable (strict: axes stable)", "test_equal_step/test_equal_step-{tier}-*.nc", control_arms,
         (LOSS_BEFORE + ("width", SEQ), ("heldout_loss", "width", SEQ)), lambda a: claims.control_comparable(*a),
         steepness_margin, "steepness_change", reading=lambda v: v.strict, false=lambda r: r == "axes stable"),
    Rule("layer_diagnostics: LS shallow", "test_freeze_allocation/test_layer_diagnostics-{tier}-*.nc", one_arm,
         (("sensitivity_seq",),), lambda a: claims.layer_diagnostics(a[0], TP_ONSET_DEEP),
         lambda c, d: flat(c, d, (0, "sensitivity_seq")), "ls_first_minus_second_half", reading=_ls_reading),
    Rule("freeze_allocation", "test_freeze_allocation/test_train_shallow_freeze_deep-{tier}-*.nc", by_seed_chunks,
         (LOSS, LOSS, LOSS), lambda a: claims.freeze_allocation(*a),
         lambda c, d: equal_arms(c, "heldout_loss", (0, 1, 2)), "first_minus_all_blocks"),
    Rule("knowledge_retention", "test_freeze_allocation/test_knowledge_retention-{tier}-*.nc", by_seed_chunks,
         (("old_heldout_loss",),) * 3, lambda a: claims.knowledge_retention(*a),
         lambda c, d: equal_arms(c, "old_heldout_loss", (0, 1, 2)), "old_first_minus_all_blocks"),
    Rule("semantic_selection: within margin", "test_semantic_freezing/test_semantic_freezing-{tier}-*.nc",
         by_seed_chunks, (LOSS_BEFORE, LOSS, LOSS), lambda a: claims.semantic_selection(*a, SEMANTIC_MARGIN_FRAC),
         selection_margin, "excess_frac_of_all_blocks_gain", false=lambda r: r == "reproduced"),
    Rule("random_spread", "test_semantic_freezing/test_random_freezing_spread-{tier}-*.nc", by_seed_chunks,
         (LOSS, LOSS), lambda a: claims.random_spread(*a), lambda c, d: c, "var_ratio",
         null_noise=spread_null(1.0), estimand="stored"),
    Rule("random_spread (strict: draw over seed)", "test_semantic_freezing/test_random_freezing_spread-{tier}-*.nc",
         by_seed_chunks, (LOSS, LOSS), lambda a: claims.random_spread(*a), lambda c, d: c, "var_ratio",
         reading=lambda v: v.strict, false=lambda r: r == "reproduced", null_noise=spread_null(RANDOM_SPREAD_STRICT),
         estimand="stored"),
    Rule("deviation_ablation", "test_semantic_freezing/test_deviation_ablation-{tier}-*.nc", by_seed_chunks,
         (LOSS_BEFORE, LOSS, LOSS), lambda a: claims.deviation_ablation(*a),
         lambda c, d: equal_arms(c, "heldout_loss", (1, 2)), "low_minus_high"),
    Rule("first_n_frozen", "test_semantic_freezing/test_first_n_frozen-{tier}-*.nc", by_seed_chunks,
         (LOSS, LOSS, LOSS), lambda a: claims.first_n_comparison(*a),
         lambda c, d: equal_arms(c, "heldout_loss", (1, 2)), "selected_minus_first_n"),
    Rule("deviation_location", "test_semantic_freezing/test_deviation_location-{tier}-*.nc", one_arm,
         (("semantic_deviation_seq",),), lambda a: claims.deviation_location(a[0]),
         lambda c, d: flat(c, d, (0, "semantic_deviation_seq")), "top_k_in_first_part"),
    Rule("lora_predicts_full: no association", "test_lora_locus/test_lora_predicts_full-{tier}-*.nc", lora_arms,
         (LORA, FULL), lambda a: claims.lora_predicts_full(*a), lambda c, d: flat(c, d, *((0, v) for v in LORA)),
         f"spearman_{LORA_PRIMARY}", false=lambda r: r in ("reproduced", "reversed"), paired=False, estimand="draws"),
    Rule("lora_predicts_full: beats depth", "test_lora_locus/test_lora_predicts_full-{tier}-*.nc", lora_arms,
         (LORA, FULL), lambda a: claims.lora_predicts_full(*a), follows_depth, f"{LORA_PRIMARY}_minus_depth",
         false=lambda r: r == "reproduced", paired=False, estimand="draws"),
    Rule("delta_rank: low rank", "test_lora_locus/test_delta_rank-{tier}-*.nc", one_arm, (RANKS,),
         lambda a: claims.delta_rank(a[0]), low_rank_margin, "erank_ratio", false=lambda r: r == "reproduced"),
    Rule("delta_rank (strict: rank r)", "test_lora_locus/test_delta_rank-{tier}-*.nc", one_arm, (RANKS,),
         lambda a: claims.delta_rank(a[0]), lost_at_r_margin, "lost_at_r", reading=lambda v: v.strict,
         false=lambda r: r == "reproduced", estimand="draws"),
    Rule("lora_locus", "test_lora_locus/test_lora_locus-{tier}-*.nc", one_arm, (("dW_absmean",),),
         lambda a: claims.lora_locus(a[0]), lambda c, d: flat(c, d, (0, "dW_absmean")), "agreement_z",
         estimand="draws"),
    Rule("steepness_vs_distance", "test_profile_axes/test_steepness_tracks_distance-{tier}-*.nc", by_seed_chunks,
         (("slope",),) * 4, lambda a: claims.steepness_tracks_distance(a),
         lambda c, d: equal_arms(c, "slope", (0, 1, 2, 3)), "spearman"),
    *(Rule(f"cross_agreement: {pair}", "test_cross_claims/test_cross_claims-{tier}-*.nc", one_arm, (CROSS,),
           lambda a: claims.cross_agreement(a[0], ""), lambda c, d: flat(c, d, *((0, v) for v in CROSS)),
           f"spearman_{pair}", reading=_pair_reading(pair)) for pair in ("A~B", "A~C", "B~C")),
)


# --------------------------------------------------------------------------- simulation


class Cell:
    """One stored cell of a rule, ready to be redrawn in place: its runs, the measured centers of the
    simulated variables, grouped into what is drawn together (the same probe sequences; the same arm
    unless the rule pairs its arms)."""

    def __init__(self, rule: Rule, path: Path):
        self.rule, self.path = rule, path
        # the rule's statistic is calibrated on every stored cell: without `accuracy`, so that the
        # regime gate (claims.verdict.in_regime, a fixed threshold tested on its own) does not
        # answer for it where a stored classifier stayed below the floor
        self.arms = [[r.drop_vars("accuracy", errors="ignore") for r in arm] for arm in rule.arms(path)]
        self.depth = self.arms[0][0]["depth"].values.astype(np.float64)
        self.groups: dict[tuple[int, int], list[tuple[int, str]]] = {}
        self.data: dict[tuple[int, str], np.ndarray] = {}
        for a, names in enumerate(rule.draw):
            for var in names:
                x = np.stack([np.asarray(r[var].values, dtype=np.float64).reshape(-1) if r[var].ndim < 2
                              else r[var].values.astype(np.float64) for r in self.arms[a]])
                x = x[:, None, :] if x.ndim == 2 else x  # [S, N, K]
                self.data[(a, var)] = x
                self.groups.setdefault((x.shape[1], 0 if rule.paired else a), []).append((a, var))
        self.factors = {group: self._factors(keys) for group, keys in self.groups.items()}
        self.centers = {k: x.mean((0, 1)) for k, x in self.data.items()}
        self.seeds = len(self.arms[0])
        self.stored = rule.judge(self.arms).numbers.get(rule.interval)  # the interval the stored cell measured

    def _factors(self, keys):
        x = np.concatenate([self.data[k] for k in keys], axis=-1)
        seed_mean = x.mean(0)
        return seed_mean - seed_mean.mean(0), x - seed_mean  # B [N, K], D [S, N, K]

    def fill(self, centers: Centers, rng: np.random.Generator | None, factors: dict | None = None) -> None:
        """Write a draw around `centers` (None rng: the centers themselves, noise-free) into the runs,
        with the measured noise or the given `factors`."""
        factors = self.factors if factors is None else factors
        for group, keys in self.groups.items():
            center = np.concatenate([centers[k] for k in keys])
            S, N = self.data[keys[0]].shape[:2]
            x = np.broadcast_to(center, (S, N, center.size)).copy()
            if rng is not None:
                B, D = factors[group]
                if N > 1:
                    x += rng.standard_normal((N, N)) @ B / np.sqrt(N - 1)
                x += np.einsum("st,tnk->snk", rng.standard_normal((S, S)), D) / np.sqrt(max(S - 1, 1))
            start = 0
            for a, var in keys:
                width = self.data[(a, var)].shape[-1]
                for s, run in enumerate(self.arms[a]):
                    values = run.variables[var].values
                    values[...] = x[s, :, start:start + width].reshape(values.shape)
                start += width


def _cell(rule: Rule, path: Path) -> Cell | None:
    """The stored cell, or None when an arm it pairs with is not stored (e.g. LoRA without its full fine-tune)."""
    try:
        return Cell(rule, path)
    except FileNotFoundError:
        return None


def _judged(cell: Cell, centers: Centers, rng, factors: dict | None = None) -> claims.Verdict:
    cell.fill(centers, rng, factors)
    return cell.rule.judge(cell.arms)


def calibrate_rule(rule: Rule, tier: str, cells: list[Cell], sims: int, seed: int = 0) -> dict:
    """The rule's false-decision rate at its null, coverage and power at the measured effect, over
    `sims` synthetic cells per scenario spread evenly over the tier's stored `cells`; with the median
    `mde` of those intervals and the median over the stored cells of the seeds that would decide
    the effect each measured (`stats.seeds_needed`; cells that more seeds would not decide left out)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, sum(map(ord, rule.name + tier))]))
    false = rule.false or decided
    truths = []
    for cell in cells:  # the noise-free cell: what the rule says, and the value its interval estimates
        truth = _judged(cell, cell.centers, None)
        truths.append((rule.reading(truth), truth.numbers.get(rule.interval, (np.nan,))[0]))
    n_false = n_hit = n_power = 0
    mdes, intervals = [], [[] for _ in cells]
    for i in range(sims):
        cell, (expected, value) = cells[i % len(cells)], truths[i % len(cells)]
        noise = rule.null_noise(cell.factors) if rule.null_noise else None
        n_false += bool(false(rule.reading(_judged(cell, rule.null(cell.centers, cell.depth), rng, noise))))
        v = _judged(cell, cell.centers, rng)
        if rule.interval in v.numbers:  # absent where the cell has nothing to measure (a reference that did not improve)
            intervals[i % len(cells)].append(tuple(v.numbers[rule.interval])[:3])
        if "mde" in v.numbers:  # the verdict's own: its deciding intervals' (or permutation test's)
            mdes.append(v.numbers["mde"])
        if decided(expected):
            n_power += 1
            n_hit += rule.reading(v) == expected
    n_cover = n_intervals = 0
    for cell, (_, value), ivs in zip(cells, truths, intervals):
        ivs = np.array(ivs).reshape(-1, 3)
        target = {"draws": ivs[:, 0].mean() if len(ivs) else np.nan,
                  "stored": tuple(cell.stored)[0] if cell.stored is not None else np.nan}.get(rule.estimand, value)
        if len(ivs) and np.isfinite(target):
            n_cover += int(((ivs[:, 1] <= target) & (target <= ivs[:, 2])).sum())
            n_intervals += len(ivs)
    needed = [stats.seeds_needed(c.stored) for c in cells if isinstance(c.stored, stats.Interval)]
    needed = [n for n in needed if n is not None]
    return {"rule": rule.name, "tier": tier, "seeds": cells[0].seeds, "cells": len(cells), "sims": sims,
            "false_decision": n_false / sims, "coverage": n_cover / n_intervals if n_intervals else None,
            "power": n_hit / n_power if n_power else None, "mde": float(np.median(mdes)) if mdes else None,
            "seeds_needed": int(np.median(needed)) if needed else None}


def _calibrated(root: Path, tier: str, index: int, sims: int, seed: int) -> dict | None:
    """`calibrate_rule` of RULES[index] on the tier's stored cells (None when none is stored): one task."""
    rule = RULES[index]
    paths = sorted((root / tier / "cpu").glob(rule.files.format(tier=tier)))
    cells = [c for c in (_cell(rule, p) for p in paths) if c is not None]
    return calibrate_rule(rule, tier, cells, sims, seed) if cells else None


def calibrate(baselines: str | Path, sims: int = SIMS, tiers: tuple[str, ...] | None = None, seed: int = 0,
              workers: int | None = None, rules: tuple[str, ...] | None = None) -> list[dict]:
    """Every rule (or those named in `rules`) at every tier whose stored baselines hold its cells, one
    row each (`calibrate_rule`), spread over `workers` processes (default: one per CPU core)."""
    root = Path(baselines)
    if not root.is_dir():
        raise FileNotFoundError(f"calibrate: no baselines directory {root}; run from the repository root or pass "
                                "--baselines DIR")
    if sims < 1:
        raise ValueError(f"calibrate: --sims must be >= 1, got {sims}")
    tiers = tiers or tuple(sorted(p.name for p in root.iterdir() if (p / "cpu").is_dir()))
    names = [r.name for r in RULES]
    unknown = sorted(set(rules or ()) - set(names))
    if unknown:
        raise ValueError(f"calibrate: no rule named {unknown}; the rules are {names}")
    tasks = [(root, tier, i, sims, seed) for tier in tiers for i, name in enumerate(names) if not rules or name in rules]
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        rows = [_calibrated(*t) for t in tasks]
    else:
        with concurrent.futures.ProcessPoolExecutor(workers) as pool:
            rows = list(pool.map(_calibrated, *zip(*tasks)))
    rows = [r for r in rows if r is not None]
    if not rows:
        raise FileNotFoundError(f"calibrate: no stored cell of any rule under {root} (tiers {list(tiers)})")
    return rows


def table(rows: list[dict]) -> str:
    """The rows as an aligned text table."""
    head = ("rule", "tier", "seeds", "cells", "false_decision", "coverage", "power", "mde", "seeds_needed")

    def fmt(v):
        return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)

    cols = [[h] + [fmt(r[h]) for r in rows] for h in head]
    widths = [max(map(len, c)) for c in cols]
    return "\n".join("  ".join(c[i].ljust(w) if j < 2 else c[i].rjust(w) for j, (c, w) in enumerate(zip(cols, widths)))
                     for i in range(len(rows) + 1))


def write_json(rows: list[dict], path: str | Path) -> None:
    from depthcore.cache import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(rows, indent=1) + "\n")
