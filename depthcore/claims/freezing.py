"""Papers B ("Freeze Deep, Train Shallow") and C (semantic-aware layer freezing): which blocks to
train, judged on held-out loss between arms paired by training seed (docs/design.md "Verdict rules").

Per-seed losses are compared by `stats.seed_ci` (a t-interval over seeds), profiles of the
pretrained model by `stats.profile_ci`; margins come from `depthcore.criteria`.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import xarray as xr
from scipy import stats as sps

from depthcore import stats
from depthcore.claims.lora import top_k_layers
from depthcore.claims.verdict import (Verdict, cell_of, decidability, further_drop, levelled, lost_share, scalars, seq_array,
                                      signed, undecided)
from depthcore.criteria import (ABLATION_MARGIN_FRAC, CI, COMPUTE_SAVED_RANGE, DEVIATION_SHALLOW_BELOW,
                                FIRST_N_EXPECTED, FREEZE_ALLOCATION_EXPECTED, LEVELLED_OFF, RANDOM_SPREAD_STRICT,
                                SEMANTIC_K_FRAC)
from depthcore.results import spec_of


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

    Both are measured on the pretrained model (docs/design.md "Layer sensitivity", "Task
    position"); `runs` are one cell's training seeds, whose seeded weight noise gives
    independent LS draws. LS: first-half mean LS minus second-half mean LS (`stats.profile_ci`):
    "shallow" above 0, "not shallow" below, else inconclusive; the slope of LS on depth is
    reported beside it. TP deep: `tp_onset` of the seed-mean TP profile >= `onset_deep`.
    """
    ls = seq_array(runs, "sensitivity_seq")
    depth = runs[0]["depth"].values
    half = stats.profile_ci(ls, depth, stat=_half_diff)
    tp = np.mean([r["task_position"].values for r in runs], axis=0)
    onset = tp_onset(tp, depth)
    shallow, deep = signed(half, "shallow", "not shallow"), onset >= onset_deep
    verdict = "reproduced" if shallow == "shallow" and deep else f"LS {shallow}, TP {'deep' if deep else 'not deep'}"
    numbers = {"ls_first_minus_second_half": half, "ls_slope": stats.profile_ci(ls, depth),
               "ls": "[" + " ".join(f"{v:.3g}" for v in ls.mean((0, 1))) + "]",
               "tp": "[" + " ".join(f"{v:.3f}" for v in tp) + "]", "tp_onset_depth": onset,
               "eps": float(runs[0]["sensitivity_eps"]), **decidability(half), "seeds": len(runs)}
    return Verdict("layer_diagnostics", verdict=verdict, expected="reproduced", numbers=numbers, **cell_of(runs))


def _forgetting(runs: list[xr.Dataset]) -> float:
    """Mean over seeds of old-domain held-out loss after minus before fine-tuning."""
    return float((scalars(runs, "old_heldout_loss") - scalars(runs, "old_heldout_loss_before")).mean())


def _rates(arms: dict[str, list[xr.Dataset]]) -> str:
    """The learning rate each arm ran at, e.g. "all_blocks 0.001, first_half 0.003"."""
    def rate(run):  # a result read back from a concatenated file names a model-default rate "null"
        lr = run.attrs.get("lr")
        return "model default" if lr in (None, "null") else f"{float(lr):g}"

    return ", ".join(f"{name} {rate(runs[0])}" for name, runs in arms.items())


def _all_below(intervals: list[stats.Interval], passed: str, failed: str) -> str:
    """`passed` when every interval lies below 0, `failed` when one lies above, else what would decide
    the least decided of them."""
    if all(iv[2] < 0 for iv in intervals):
        return passed
    if any(iv[1] > 0 for iv in intervals):
        return failed
    return undecided(max((iv for iv in intervals if not iv[2] < 0), key=lambda iv: iv[0]))


def freeze_allocation(all_blocks: list[xr.Dataset], first_half: list[xr.Dataset],
                      second_half: list[xr.Dataset], doubled: list[xr.Dataset] | None = None) -> Verdict:
    """Paper B: after continued pretraining on a new domain with a fixed step budget, training the
    first half of the blocks (second half frozen) beats training all blocks and the opposite
    allocation (`depthcore.criteria`, paper B).

    The arms differ only in which blocks train, each at its own learning rate chosen by the same
    rule, and are paired by training seed. Judged on the new domain's held-out loss: the paired
    differences first half - all blocks and first half - second half (`stats.seed_ci`); "train
    first half best" when both lie below 0, the ranking of the arms' mean losses (lowest first)
    when one lies above 0, else inconclusive with the seeds that would decide it. Forgetting
    (old-domain held-out loss after minus before) is reported per arm.

    Args:
        all_blocks, first_half, second_half: each arm's runs, one per training seed, in the same seed order.
        doubled: the all-blocks runs at twice the steps, or None: whether the fine-tunes had
            levelled off (`claims.verdict.levelled`).
    """
    arms = {"all_blocks": all_blocks, "first_half": first_half, "second_half": second_half}
    loss = {k: scalars(v, "heldout_loss") for k, v in arms.items()}
    vs_all = stats.seed_ci(loss["first_half"], loss["all_blocks"])
    vs_second = stats.seed_ci(loss["first_half"], loss["second_half"])
    ranking = "ranking " + " < ".join(sorted(loss, key=lambda k: loss[k].mean()))
    numbers = {"first_minus_all_blocks": vs_all, "first_minus_second": vs_second,
               **{f"heldout_{k}": float(v.mean()) for k, v in loss.items()},
               "heldout_before": float(scalars(all_blocks, "heldout_loss_before").mean()),
               **{f"forgetting_{k}": _forgetting(v) for k, v in arms.items()},
               "lr": _rates(arms), **decidability(vs_all, vs_second), "seeds": len(all_blocks)}
    v = Verdict("freeze_allocation", verdict=_all_below([vs_all, vs_second], FREEZE_ALLOCATION_EXPECTED, ranking),
                expected=FREEZE_ALLOCATION_EXPECTED, numbers=numbers, **cell_of(all_blocks))
    return levelled(v, all_blocks, doubled)


def knowledge_retention(all_blocks: list[xr.Dataset], first_half: list[xr.Dataset],
                        second_half: list[xr.Dataset], doubled: list[xr.Dataset] | None = None) -> Verdict:
    """Paper B judges the allocation on knowledge benchmarks (C-Eval, CMMLU): what the model knew
    before continued pretraining. Here: the held-out loss on the old domains (the pretraining
    categories) after fine-tuning on the new one, the arms of `freeze_allocation`.

    The paired differences of old-domain held-out loss, first half - all blocks and first half -
    second half (`stats.seed_ci`; the old-domain loss before is the same in every arm of a seed):
    "train first half best" when both lie below 0 (training the first half forgets least), the
    ranking of the arms' mean old-domain losses (lowest first) when one lies above 0, else
    inconclusive with the seeds that would decide it. Reported beside: each arm's forgetting
    (after - before) and its new-domain gain (before - after), so retention and learning are read
    together. `doubled`: as `freeze_allocation`.
    """
    arms = {"all_blocks": all_blocks, "first_half": first_half, "second_half": second_half}
    old = {k: scalars(v, "old_heldout_loss") for k, v in arms.items()}
    vs_all = stats.seed_ci(old["first_half"], old["all_blocks"])
    vs_second = stats.seed_ci(old["first_half"], old["second_half"])
    ranking = "ranking " + " < ".join(sorted(old, key=lambda k: old[k].mean()))
    gain = {k: float((scalars(v, "heldout_loss_before") - scalars(v, "heldout_loss")).mean()) for k, v in arms.items()}
    numbers = {"old_first_minus_all_blocks": vs_all, "old_first_minus_second": vs_second,
               **{f"forgetting_{k}": _forgetting(v) for k, v in arms.items()},
               **{f"gain_{k}": g for k, g in gain.items()},
               "old_before": float(scalars(all_blocks, "old_heldout_loss_before").mean()),
               **decidability(vs_all, vs_second), "seeds": len(all_blocks)}
    v = Verdict("knowledge_retention", verdict=_all_below([vs_all, vs_second], FREEZE_ALLOCATION_EXPECTED, ranking),
                expected=FREEZE_ALLOCATION_EXPECTED, numbers=numbers, **cell_of(all_blocks))
    return levelled(v, all_blocks, doubled)


def levelled_off(all_blocks: list[xr.Dataset], doubled: list[xr.Dataset]) -> Verdict:
    """Ours: whether a tier's fine-tunes of the freezing claims had levelled off, the regime that
    papers B and C's comparisons of final quality need (`criteria.LEVELLED_OFF`).

    `doubled` is the all-blocks arm at twice the steps (same rate, seeds and schedule). "levelled
    off" when it lowers the held-out loss further by less than LEVELLED_OFF of the drop the
    all-blocks runs made (means over seeds; `claims.verdict.further_drop`), else "not levelled
    off (train longer)". The claims about final quality read "not levelled off (...)" then.
    Reported: both drops, the further drop's share, and the loss before. A regime check of a
    fixed threshold, not a test of a paper's sentence: no interval.
    """
    drop, further = further_drop(all_blocks, doubled)
    numbers = {"drop": drop, "drop_doubled": drop + further, "further_from_doubling": further / drop if drop > 0
               else float("nan"), "heldout_before": float(scalars(all_blocks, "heldout_loss_before").mean()),
               "steps": spec_of(all_blocks[0])["steps"], "seeds": len(all_blocks)}
    verdict = "levelled off" if further < LEVELLED_OFF * drop else "not levelled off (train longer)"
    return Verdict("levelled_off", verdict=verdict, expected="", numbers=numbers, **cell_of(all_blocks))


def _compute(name: str, arm: list[xr.Dataset], all_blocks: list[xr.Dataset]) -> dict:
    """The compute an arm saves against all blocks: its trainable parameters and its measured backward
    time (summed over seeds) as fractions of the all-blocks arm's. Times are reported, never judged."""
    def frac(var):
        return float(scalars(arm, var).sum() / scalars(all_blocks, var).sum())

    return {f"{name}_trainable_frac": frac("trainable_params"), f"{name}_backward_frac": frac("backward_seconds")}


def backward_passes(trained: tuple[int, ...], L: int) -> int:
    """The blocks' backward computation of one step that trains the blocks `trained` (1-based) of L,
    embeddings frozen, in passes of one block: every block above the lowest trained one passes the
    gradient down to its input (one pass each), and every trained block computes its weights'
    gradient (one more). Blocks below the lowest trained one do nothing. The head's backward, the
    same in every arm, is left out. All blocks: (L - 1) + L."""
    return (L - min(trained)) + len(trained) if trained else 0


def compute_saved(all_blocks: list[xr.Dataset], selected: list[xr.Dataset],
                  first_n_frozen: list[xr.Dataset]) -> Verdict:
    """Paper C: the selected layers save 40-60% of the backpropagation computation
    (`criteria.COMPUTE_SAVED_RANGE`).

    The saving of an arm: 1 - backward_passes(its trained blocks) / backward_passes(all blocks), a
    count, exact (no seeds: the selected layers are the same in every seed). Verdict: within the
    range "reproduced", below it "saves less", above it "saves more". Reported beside: the same
    for paper C's "freeze first N" arm, the trainable parameters, and the measured backward time
    as fractions of the all-blocks arm's (times from a shared machine: reported, never judged).
    `mde` 0: a count has no noise.
    """
    L = all_blocks[0].sizes["layer"]
    full = backward_passes(tuple(range(1, L + 1)), L)
    saved = {name: 1 - backward_passes(_trained(runs[0]), L) / full for name, runs in
             (("selected", selected), ("first_n", first_n_frozen))}
    if _blocks(selected) == "per seed":
        raise ValueError("compute_saved: the selected arm trains other blocks in other seeds; pass one selection")
    lo, hi = COMPUTE_SAVED_RANGE
    s = saved["selected"]
    verdict = "reproduced" if lo <= s <= hi else "saves less" if s < lo else "saves more"
    numbers = {"selected": _blocks(selected), "first_n": _blocks(first_n_frozen),
               **{f"backward_saved_{k}": v for k, v in saved.items()},
               **_compute("selected", selected, all_blocks), **_compute("first_n", first_n_frozen, all_blocks),
               "mde": 0.0}
    return Verdict("compute_saved", verdict=verdict, expected="reproduced", numbers=numbers, **cell_of(all_blocks))


def _trained(run: xr.Dataset) -> tuple[int, ...]:
    """The blocks a run trained (1-based): every layer not in its spec's `freeze`."""
    return _trained_of(run.attrs["spec"], tuple(int(l) for l in run.variables["layer"].values))


@functools.lru_cache(maxsize=4096)
def _trained_of(spec: str, layers: tuple[int, ...]) -> tuple[int, ...]:
    frozen = set(json.loads(spec)["freeze"])
    return tuple(l for l in layers if l not in frozen)


def _blocks(runs: list[xr.Dataset]) -> str:
    """The blocks an arm trains, e.g. "1-2-4"; "per seed" when its seeds train different blocks."""
    trained = {_trained(r) for r in runs}
    return "-".join(map(str, trained.pop())) if len(trained) == 1 else "per seed"


def semantic_selection(all_blocks: list[xr.Dataset], selected: list[xr.Dataset], random_k: list[xr.Dataset],
                       margin_frac: float, doubled: list[xr.Dataset] | None = None) -> Verdict:
    """Paper C: fine-tuning only the k layers of largest semantic deviation d_l keeps held-out loss
    close to training all blocks, and beats a random k (`depthcore.criteria`, paper C).

    Arms paired by training seed, each at its own rate chosen by the same rule. "Within the
    margin" (non-inferiority): the share of the all-blocks arm's improvement the selection loses,
    (L_sel - L_all) / (L_before - L_all), has its interval's upper bound below `margin_frac`;
    "not within margin" when its lower bound is at or above it. "Better than random":
    L_sel - L_random (a different fixed draw of k layers per seed) lies below 0; "not better than
    random" above. "reproduced" when both hold, "not …" naming each that fails, else
    inconclusive with the seeds that would decide the undecided one. "reference did not
    improve" when the all-blocks arm did not lower the loss in every seed. Reported beside: the
    compute saved (`_compute`).

    Args:
        all_blocks, selected, random_k: each arm's runs, one per training seed, in the same seed order.
        margin_frac: the largest share of the all-blocks improvement the selection may lose.
        doubled: the all-blocks runs at twice the steps, or None: whether the fine-tunes had
            levelled off (`claims.verdict.levelled`).
    """
    before = scalars(all_blocks, "heldout_loss_before")
    l_all, l_sel = scalars(all_blocks, "heldout_loss"), scalars(selected, "heldout_loss")
    vs_random = stats.seed_ci(l_sel, scalars(random_k, "heldout_loss"))
    numbers = {"selected": _blocks(selected), "margin_frac": margin_frac}
    if np.all(before > l_all):
        lost = lost_share(l_sel, l_all, before)
        numbers["excess_frac_of_all_blocks_gain"] = lost
        failed = [name for name, bad in (("within margin", lost[1] >= margin_frac),
                                         ("better than random", vs_random[1] >= 0)) if bad]
        open_ = [(iv, effect) for iv, effect, ok in ((lost, margin_frac - lost[0], lost[2] < margin_frac),
                                                     (vs_random, None, vs_random[2] < 0)) if not ok]
        if failed:
            verdict = "not " + ", not ".join(failed)
        elif open_:
            iv, effect = open_[0]
            verdict = undecided(iv, effect)
        else:
            verdict = "reproduced"
        numbers.update(decidability(lost, vs_random))
    else:
        verdict = "reference did not improve"
        numbers.update(decidability(vs_random))
    numbers.update({"selected_minus_random": vs_random, "heldout_before": float(before.mean()),
                    "heldout_all_blocks": float(l_all.mean()), "heldout_selected": float(l_sel.mean()),
                    **_compute("selected", selected, all_blocks), **_compute("random", random_k, all_blocks),
                    "lr": _rates({"all_blocks": all_blocks, "selected": selected, "random": random_k}),
                    "seeds": len(all_blocks)})
    return levelled(Verdict("semantic_selection", verdict=verdict, expected="reproduced", numbers=numbers,
                            **cell_of(all_blocks)), all_blocks, doubled)


def variance_ratio(x: np.ndarray, y: np.ndarray, ci: float = CI) -> tuple[float, float, float]:
    """var(x) / var(y) of two samples paired by training seed, with the Pitman-Morgan interval of
    the ratio of their variances (Pitman 1939; Morgan 1939): for a candidate ratio λ,
    X + √λ Y and X - √λ Y are uncorrelated exactly when σ_x² / σ_y² = λ, and the interval is
    every λ that the t test of that correlation (n - 2 degrees of freedom) keeps:
    F (K ∓ √(K² - 1)), K = 1 + 2 (1 - r²) t² / (n - 2), with F = s_x² / s_y² and r the samples'
    correlation. Exact for bivariate normal pairs, whatever their correlation."""
    n, r = len(x), _correlation(x, y)
    ratio = float(np.var(x, ddof=1) / np.var(y, ddof=1)) if np.var(y) > 0 else np.inf
    q = float(sps.t.ppf(1 - (1 - ci) / 2, n - 2))
    K = 1 + 2 * (1 - r ** 2) * q ** 2 / (n - 2)
    return ratio, ratio * (K - np.sqrt(K ** 2 - 1)), ratio * (K + np.sqrt(K ** 2 - 1))


def _correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r of two samples; 0 when either does not vary."""
    return float(np.corrcoef(x, y)[0, 1]) if np.var(x) > 0 and np.var(y) > 0 else 0.0


def _uv_correlation(ratio: float, rho: float, threshold: float) -> float:
    """The correlation of X + √λ0 Y and X - √λ0 Y (λ0 = `threshold`) when var(X) / var(Y) is
    `ratio` and corr(X, Y) is `rho`: what the Pitman-Morgan test of λ0 detects."""
    if ratio == threshold:
        return 0.0
    return (ratio - threshold) / np.sqrt((ratio + threshold) ** 2 - 4 * threshold * rho ** 2 * ratio)


def _z_sum(power: float, ci: float) -> float:
    """z_{1-α/2} + z_power: how far Fisher's z must lie from 0, in standard errors, to be decided."""
    return float(sps.norm.ppf(1 - (1 - ci) / 2) + sps.norm.ppf(power))


def _units_to_decide(ratio: float, rho: float, threshold: float, power: float = stats.POWER,
                     ci: float = CI) -> int | None:
    """The seeds (pairs) at which a true variance ratio `ratio` at correlation `rho` is told from
    `threshold` with probability `power` (Fisher's z of the Pitman-Morgan correlation); None
    beyond stats.MAX_SEEDS."""
    z = abs(np.arctanh(min(abs(_uv_correlation(ratio, rho, threshold)), 1 - 1e-12)))
    n = int(np.ceil((_z_sum(power, ci) / z) ** 2 + 3)) if z > 0 else None
    return n if n is not None and n <= stats.MAX_SEEDS else None


def _ratio_mde(n: int, rho: float, power: float = stats.POWER, ci: float = CI) -> float:
    """The smallest variance ratio above 1 told from 1 with probability `power` over n pairs at
    correlation `rho` (Fisher's z, as `_units_to_decide`): the root above 1 of
    (λ - 1)² = a² ((λ + 1)² - 4 ρ² λ), a = tanh((z_{1-α/2} + z_power) / √(n - 3))."""
    if n <= 3:
        return np.inf
    a = np.tanh(_z_sum(power, ci) / np.sqrt(n - 3))
    b = 2 + 2 * a ** 2 - 4 * a ** 2 * rho ** 2
    return float((b + np.sqrt(b ** 2 - 4 * (1 - a ** 2) ** 2)) / (2 * (1 - a ** 2)))


def _spread_reading(iv: tuple[float, float, float], rho: float, threshold: float, above: str, below: str) -> str:
    """`above` when the ratio's interval lies above `threshold`, `below` when below it, else the
    seeds that would decide the measured ratio."""
    if iv[1] > threshold:
        return above
    if iv[2] < threshold:
        return below
    if iv[0] == threshold:
        return "inconclusive (no effect measured)"
    n = _units_to_decide(iv[0], rho, threshold)
    return f"inconclusive (underpowered: ~{n} seeds)" if n else f"inconclusive (underpowered: > {stats.MAX_SEEDS} seeds)"


def random_spread(selected: list[xr.Dataset], random_k: list[xr.Dataset], all_blocks: list[xr.Dataset] | None = None,
                  doubled: list[xr.Dataset] | None = None) -> Verdict:
    """Paper C's ablation: "Randomly freeze the same number of layers: Unstable".

    `random_k` trains a different random draw of k blocks in each run (one draw per training
    seed), `selected` the same k layers of largest d_l in each; the arms are paired by training
    seed (the same batches in the same order). Instability is the spread of held-out loss: its
    variance over the random arm's runs (draw and seed) against its variance over the selected
    arm's seeds, by the Pitman-Morgan interval of the ratio for paired samples
    (`variance_ratio`; exact for normal pairs, whatever the correlation the shared data order
    gives them). Verdict: above 1 "reproduced", below 1 "not reproduced", else inconclusive
    with the seeds that would decide the measured ratio at 80% power. Stricter reading
    (`criteria.RANDOM_SPREAD_STRICT`): the draw's own variance exceeds the seed's (ratio above
    2, taking the seed's variance as the same in both arms): "reproduced", below 2 "not
    reproduced (the draw adds less than the seed)", else inconclusive. Reported beside: the
    arms' standard deviations, their correlation and mean losses (the paper's "average drop" is
    `semantic_selection`'s "better than random"). `mde`: the smallest variance ratio told from 1
    with 80% power at these seeds and the measured correlation; `p`: the two-sided
    Pitman-Morgan test of equal variances. `all_blocks` and `doubled` (the all-blocks runs at
    twice the steps): whether the fine-tunes had levelled off (`claims.verdict.levelled`).

    Raises:
        ValueError: With fewer than 3 runs in an arm, arms over different training seeds, a
            selected arm that trains other blocks in other seeds, or fewer than 2 distinct draws
            in the random arm.
    """
    seeds = [[spec_of(r)["seed"] for r in arm] for arm in (selected, random_k)]
    if seeds[0] != seeds[1] or len(seeds[0]) < 3:
        raise ValueError(f"random_spread: the arms are paired by training seed and a paired variance ratio needs "
                         f">= 3 seeds; got seeds {seeds[0]} (selected) and {seeds[1]} (random); run the same >= 3 "
                         "seeds in both, in the same order")
    if _blocks(selected) == "per seed":
        raise ValueError("random_spread: the selected arm trains other blocks in other seeds; pass one selection")
    draws = {_trained(r) for r in random_k}
    if len(draws) < 2:
        raise ValueError(f"random_spread: the random arm trains the same blocks in all {len(random_k)} runs "
                         f"({_blocks(random_k)}); it needs one random draw per training seed")
    l_sel, l_rand = scalars(selected, "heldout_loss"), scalars(random_k, "heldout_loss")
    ratio = variance_ratio(l_rand, l_sel)
    rho = _correlation(l_rand, l_sel)
    verdict = _spread_reading(ratio, rho, 1.0, "reproduced", "not reproduced")
    strict = _spread_reading(ratio, rho, RANDOM_SPREAD_STRICT, "reproduced",
                             "not reproduced (the draw adds less than the seed)")
    n = len(selected)
    r_uv = _uv_correlation(ratio[0], rho, 1.0) if np.isfinite(ratio[0]) else 1.0
    t_uv = r_uv * np.sqrt((n - 2) / max(1 - r_uv ** 2, 1e-300))
    numbers = {"var_ratio": ratio, "sd_selected": float(np.std(l_sel, ddof=1)), "sd_random": float(np.std(l_rand, ddof=1)),
               "correlation": rho, "heldout_selected": float(l_sel.mean()), "heldout_random": float(l_rand.mean()),
               "selected": _blocks(selected), "draws": len(draws), "mde": _ratio_mde(n, rho),
               "p": float(min(1.0, 2 * sps.t.sf(abs(t_uv), n - 2))), "seeds": n}
    return levelled(Verdict("random_spread", verdict=verdict, expected="reproduced", numbers=numbers, strict=strict,
                            **cell_of(selected)), all_blocks, doubled)


def _in_first_part(k: int, shallow: np.ndarray):
    """Statistic for `stats.bootstrap_stat`: how many of a profile's k largest layers are `shallow`."""
    def stat(profiles: np.ndarray, depth: np.ndarray) -> np.ndarray:
        top = np.argsort(-profiles, axis=-1, kind="stable")[..., :k]
        return shallow[top].sum(-1).astype(np.float64)

    return stat


def semantic_k(L: int) -> int:
    """Paper C's number of trained layers: round(SEMANTIC_K_FRAC * L), at least 1."""
    return max(1, round(SEMANTIC_K_FRAC * L))


def deviation_location(runs: list[xr.Dataset], k: int | None = None,
                       shallow_below: float = DEVIATION_SHALLOW_BELOW) -> Verdict:
    """Paper C, "Key Findings": high-deviation layers are concentrated in middle and latter layers.

    d_l is the pretrained model's (identical in every run; the first run's is used). The count:
    how many of the k layers of largest d_l lie at normalised depth < `shallow_below` (the first
    part of the stack).

    The count has a 95% percentile bootstrap interval over probe sequences (which layers top the
    ranking moves with the probe set). Verdict (the paper's sentence, about a distribution): the
    count against random placement (`stats.placement_test`, hypergeometric), at the end of the
    count's interval least favourable to the decision: fewer in the first part than random
    placement puts there at one-sided p < 0.05 even at the upper bound "reproduced"; more at
    p < 0.05 even at the lower bound "reversed". Else inconclusive: "(underpowered: >= N
    layers)" where no placement could decide (none of the k in the first part has p >= 0.05; N
    the depth at which it would not), "(underpowered: more probe sequences)" where the point
    count would decide but its interval does not, else "(as random placement)". `mde`: the
    shortfall below the expected count the test detects (inf where no count decides); `p` the
    decision's p-value (at the upper bound), `p_at_count` at the point count.

    Strict (ours, `criteria.DEVIATION_SHALLOW_BELOW`): none of the k in the first part: the
    count's upper bound < 1 "reproduced", lower bound >= 1 "not reproduced", else "inconclusive
    (underpowered: more probe sequences)".

    Args:
        runs: runs of one model, the first of which supplies d_l (e.g. the all-blocks arm).
        k: how many layers of largest d_l are judged (default `semantic_k`: paper C's k).
        shallow_below: the normalised depth below which a layer counts as shallow.
    """
    depth = runs[0]["depth"].values
    k = semantic_k(len(depth)) if k is None else k
    shallow = depth < shallow_below
    per_seq = runs[0]["semantic_deviation_seq"].values
    d = per_seq.mean(0)  # semantic_deviation, from the values the bootstrap resamples
    L, part = len(depth), int(shallow.sum())
    count = stats.bootstrap_stat(per_seq, depth, stat=_in_first_part(k, shallow))
    at_most, at_least = (stats.placement_test(int(c), k, part, L, 1 - CI) for c in (np.ceil(count[2]), np.floor(count[1])))
    test = stats.placement_test(int(_in_first_part(k, shallow)(d, depth)), k, part, L, 1 - CI)
    if at_most["p_fewer"] < 1 - CI:
        verdict = "reproduced"
    elif at_least["p_more"] < 1 - CI:
        verdict = "reversed"
    elif test["p_min"] >= 1 - CI:
        verdict = f"inconclusive (underpowered: >= {_layers_to_decide(k / L, shallow_below)} layers)"
    elif min(test["p_fewer"], test["p_more"]) < 1 - CI:
        verdict = "inconclusive (underpowered: more probe sequences)"
    else:
        verdict = "inconclusive (as random placement)"
    strict = ("reproduced" if count[2] < 1 else "not reproduced" if count[1] >= 1 else
              "inconclusive (underpowered: more probe sequences)")
    detectable = test["detectable"]
    numbers = {"top_k": "-".join(map(str, top_k_layers(d, k))), "top_k_in_first_part": count,
               "expected_in_first_part": test["expected"], "first_part_below_depth": shallow_below,
               "d": "[" + " ".join(f"{v:.3g}" for v in d) + "]", "k": k, "probe_seqs": int(runs[0].sizes["seq"]),
               "mde": float("inf") if detectable is None else detectable, "p": at_most["p_fewer"],
               "p_at_count": test["p_fewer"], "p_min": test["p_min"]}
    return Verdict("deviation_location", verdict=verdict, expected="reproduced", numbers=numbers, strict=strict,
                   **cell_of(runs))


def _layers_to_decide(k_frac: float, shallow_below: float, most: int = 1000) -> int:
    """The fewest layers at which none of the top k_frac * L in the first part would be decided by
    `stats.placement_test` (the same fractions of the stack)."""
    for L in range(2, most + 1):
        k = max(1, round(k_frac * L))
        part = int((stats.depth(L) < shallow_below).sum())
        if part and k <= L - part and stats.placement_test(0, k, part, L)["p_min"] < 1 - CI:
            return L
    return most


def deviation_ablation(all_blocks: list[xr.Dataset], high_dev: list[xr.Dataset], low_dev: list[xr.Dataset],
                       doubled: list[xr.Dataset] | None = None) -> Verdict:
    """Paper C, ablation: freezing the high-deviation layers costs more than freezing as many
    low-deviation ones, and freezing the low-deviation ones costs "almost no loss"
    (`depthcore.criteria`, paper C).

    `high_dev` trains the k layers of largest d_l (low-deviation layers frozen), `low_dev` the k
    of smallest (high-deviation layers frozen); paired by training seed, each at its own rate.
    Verdict: the paired held-out loss difference low_dev - high_dev (`stats.seed_ci`): above 0
    "reproduced", below 0 "reversed", else inconclusive. Strict (ours): the verdict, and
    "almost no loss" as non-inferiority: the share of the all-blocks improvement that
    `high_dev` loses has its upper bound below ABLATION_MARGIN_FRAC ("reproduced"); "not
    reproduced (loses more than the margin)" when its lower bound is at or above it; else
    inconclusive. Reported beside: each arm against all blocks and the compute it saves.
    `doubled`: as `freeze_allocation`.
    """
    loss = {name: scalars(runs, "heldout_loss") for name, runs in
            (("all_blocks", all_blocks), ("high_dev", high_dev), ("low_dev", low_dev))}
    before = scalars(all_blocks, "heldout_loss_before")
    diff = stats.seed_ci(loss["low_dev"], loss["high_dev"])
    verdict = signed(diff, "reproduced", "reversed")
    numbers = {"high_dev": _blocks(high_dev), "low_dev": _blocks(low_dev), "low_minus_high": diff,
               "high_minus_all_blocks": stats.seed_ci(loss["high_dev"], loss["all_blocks"]),
               "low_minus_all_blocks": stats.seed_ci(loss["low_dev"], loss["all_blocks"])}
    if verdict != "reproduced":
        strict = verdict
    elif not np.all(before > loss["all_blocks"]):
        strict = "reference did not improve"
    else:
        lost = lost_share(loss["high_dev"], loss["all_blocks"], before)
        numbers["high_dev_lost_share"] = lost
        strict = ("reproduced" if lost[2] < ABLATION_MARGIN_FRAC else
                  "not reproduced (loses more than the margin)" if lost[1] >= ABLATION_MARGIN_FRAC else
                  undecided(lost, ABLATION_MARGIN_FRAC - lost[0]))
    numbers.update({**{f"heldout_{k}": float(v.mean()) for k, v in loss.items()},
                    **_compute("high_dev", high_dev, all_blocks), **_compute("low_dev", low_dev, all_blocks),
                    "lr": _rates({"all_blocks": all_blocks, "high_dev": high_dev, "low_dev": low_dev}),
                    **decidability(diff), "seeds": len(all_blocks)})
    return levelled(Verdict("deviation_ablation", verdict=verdict, expected="reproduced", numbers=numbers,
                            strict=strict, **cell_of(all_blocks)), all_blocks, doubled)


def first_n_comparison(all_blocks: list[xr.Dataset], selected: list[xr.Dataset],
                       first_n_frozen: list[xr.Dataset], doubled: list[xr.Dataset] | None = None) -> Verdict:
    """Paper C, against its heuristic baseline "freeze first N layers" (`depthcore.criteria`, paper C).

    `selected` trains the k layers of largest d_l, `first_n_frozen` the last k (the first
    N = L - k frozen); paired by training seed, each at its own rate. The paired held-out loss
    difference selected - first N frozen (`stats.seed_ci`): below 0 "selected better", above 0
    "first N better", else inconclusive with the seeds that would decide it. `doubled`: as
    `freeze_allocation`.
    """
    l_all, l_sel, l_first = (scalars(r, "heldout_loss") for r in (all_blocks, selected, first_n_frozen))
    diff = stats.seed_ci(l_sel, l_first)
    numbers = {"selected": _blocks(selected),
               "n_frozen": first_n_frozen[0].sizes["layer"] - len(_trained(first_n_frozen[0])),
               "selected_minus_first_n": diff, "selected_minus_all_blocks": stats.seed_ci(l_sel, l_all),
               "first_n_minus_all_blocks": stats.seed_ci(l_first, l_all),
               "heldout_all_blocks": float(l_all.mean()), "heldout_selected": float(l_sel.mean()),
               "heldout_first_n": float(l_first.mean()),
               **_compute("selected", selected, all_blocks), **_compute("first_n", first_n_frozen, all_blocks),
               "lr": _rates({"all_blocks": all_blocks, "selected": selected, "first_n": first_n_frozen}),
               **decidability(diff), "seeds": len(all_blocks)}
    return levelled(Verdict("first_n_frozen", verdict=signed(diff, "first N better", "selected better"),
                            expected=FIRST_N_EXPECTED, numbers=numbers, **cell_of(all_blocks)), all_blocks, doubled)
