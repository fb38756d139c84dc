"""The LoRA blog's claims on synthetic runs: `claims.lora_predicts_full` and `claims.lora_locus`.

Each test builds runs from `synthetic.fake_run` with chosen per-layer weight-change profiles
and checks the verdict at one boundary of its rule (docs/design.md "Verdict rules").
"""

import numpy as np
import pytest
import scipy.stats
from synthetic import L, edge, fake_run

from depthcore import claims, results
from depthcore.config import RunSpec

RISING = np.arange(1.0, L + 1)
FALLING = RISING[::-1].copy()
PEAKED = np.array([3.0, 6, 1, 5, 2, 4])  # Spearman with depth -0.09: depth cannot predict it
HUMP = np.array([1.0, 3, 5, 6, 4, 2])  # Spearman with depth +0.26, and still so with two neighbours swapped
PROFILES = ("dW_absmean", "A_dW_absmean", "B_dW_absmean", "rel_update", "rep_change_cos")
FULL_ONLY = ("dW_absmean_adapted",)  # full fine-tuning on the matrices LoRA adapts


def run(profile, seed: int, lora: bool = True, domain: str = "tech", lr: float | None = None, **profiles):
    """A synthetic run whose per-layer weight-change profiles are all `profile`, unless named in `profiles`."""
    ds = fake_run(RunSpec(model="tiny-gpt2-64", lora=lora, domain=domain, lr=lr, seed=seed, delta_rank=not lora))
    for name in PROFILES + (() if lora else FULL_ONLY):
        results.put(ds, name, "layer", profiles.get(name, profile))
    return ds


def jitter(profile, seed: int):
    """`profile` with one pair of neighbouring layers swapped, a different pair per seed."""
    p = np.array(profile, dtype=np.float64)
    i = seed % (L - 1)
    p[[i, i + 1]] = p[[i + 1, i]]
    return p


def arms(lora_profile, full_profile, seeds=(0, 1, 2), full_profiles=None, **lora_profiles):
    lora = [run(jitter(lora_profile, s), s, **lora_profiles) for s in seeds]
    full = [run(jitter(full_profile, s + 1), s, lora=False, **(full_profiles or {})) for s in seeds]
    return lora, full


def test_agreeing_profiles_that_depth_does_not_predict_reproduce():
    v = claims.lora_predicts_full(*arms(HUMP, HUMP, seeds=tuple(range(8))))
    rho, lo, hi = v.numbers["spearman_BA~dW_adapted"]
    assert v.verdict == "reproduced" and v.reproduced and lo > 0
    assert v.numbers["BA~dW_adapted_minus_depth"][1] > 0 and v.numbers["depth~dW_adapted"] < 0.5
    assert v.strict == "reproduced"
    assert v.numbers["seeds"] == 8 and v.numbers["top_half_overlap"] == 1.0
    assert len([k for k in v.numbers if k.startswith("spearman_")]) == 12


@pytest.mark.parametrize("profile", [RISING, FALLING], ids=["rising", "falling"])
def test_agreeing_profiles_that_depth_predicts_better_do_not_reproduce(profile):
    # LoRA agrees with full fine-tuning (rho ~ +0.9), but depth, or reversed depth, agrees more
    v = claims.lora_predicts_full(*arms(profile, profile))
    assert v.numbers["spearman_BA~dW_adapted"][1] > 0
    assert v.numbers["BA~dW_adapted_minus_depth"][2] < 0
    assert v.verdict == "depth predicts better" and not v.reproduced
    assert v.strict == "not reproduced (over depth -)"


def test_beating_depth_on_some_seeds_only_is_inconclusive():
    # LoRA matches full fine-tuning exactly; full fine-tuning follows depth on seed 1 only
    profiles = (PEAKED, RISING, FALLING[[1, 0, 2, 3, 4, 5]])
    lora = [run(p, s) for s, p in enumerate(profiles)]
    full = [run(p, s, lora=False) for s, p in enumerate(profiles)]
    v = claims.lora_predicts_full(lora, full)
    gain = v.numbers["BA~dW_adapted_minus_depth"]
    assert v.numbers["spearman_BA~dW_adapted"][1] > 0 and gain[1] < 0 < gain[2]
    assert v.verdict.startswith("inconclusive (underpowered")


def test_opposed_profiles_are_reversed():
    v = claims.lora_predicts_full(*arms(RISING, FALLING))
    assert v.verdict == "reversed" and v.numbers["spearman_BA~dW_adapted"][2] < 0
    assert v.strict.startswith("not reproduced (BA~dW_adapted -")


def test_ci_straddling_zero_is_inconclusive():
    # seed 0 agrees, seed 1 opposes, seed 2 is unrelated: the CI over seeds spans 0
    lora = [run(PEAKED, s) for s in (0, 1, 2)]
    full = [run(p, s, lora=False) for s, p in zip((0, 1, 2), (PEAKED, 7 - PEAKED, RISING))]
    v = claims.lora_predicts_full(lora, full)
    rho, lo, hi = v.numbers["spearman_BA~dW_adapted"]
    assert lo < 0 < hi and v.verdict.startswith("inconclusive (underpowered")
    assert v.numbers["BA~dW_adapted_per_seed"] == "[+1.000 -1.000 -0.086]"


def test_ceiling_is_the_mean_rho_between_full_fine_tunes_of_two_seeds():
    lora, full = arms(HUMP, HUMP)
    profiles = [r["dW_absmean_adapted"].values for r in full]
    pairs = [scipy.stats.spearmanr(a, b)[0] for i, a in enumerate(profiles) for j, b in enumerate(profiles) if i != j]
    assert claims.lora_predicts_full(lora, full).numbers["full~full"] == pytest.approx(np.mean(pairs))


def test_strict_reading_needs_the_raw_deltas_to_agree():
    v = claims.lora_predicts_full(*arms(HUMP, HUMP, seeds=tuple(range(8)), B_dW_absmean=7 - HUMP))
    assert v.verdict == "reproduced"
    assert v.strict == "not reproduced (B~dW_adapted -)"


def test_like_with_like_judges_the_matrices_lora_adapts():
    # full fine-tuning changes LoRA's matrices as LoRA does, and the rest of the layer the other way
    v = claims.lora_predicts_full(*arms(HUMP, HUMP, seeds=tuple(range(8)), full_profiles={"dW_absmean": 7 - HUMP}))
    assert v.verdict == "reproduced" and v.numbers["spearman_BA~dW_adapted"][1] > 0
    assert v.numbers["spearman_BA~dW"][2] < 0 and v.strict == "not reproduced (BA~dW -)"
    assert v.numbers["top_half_full"] == v.numbers["top_half_lora"] == "3-4-5"
    opposed = claims.lora_predicts_full(*arms(HUMP, HUMP, seeds=tuple(range(8)),
                                              full_profiles={"dW_absmean_adapted": 7 - HUMP}))
    assert opposed.verdict == "reversed" and opposed.numbers["spearman_BA~dW"][1] > 0


def test_full_runs_without_the_adapted_profile_are_refused():
    lora, full = arms(HUMP, HUMP)
    with pytest.raises(ValueError, match=r"dW_absmean_adapted.*RunSpec\(delta_rank=True\)"):
        claims.lora_predicts_full(lora, [ds.drop_vars("dW_absmean_adapted") for ds in full])


def test_arms_must_adapt_the_same_matrices():
    lora, full = arms(HUMP, HUMP)
    other = [ds.assign_attrs(spec=RunSpec.from_json(ds.attrs["spec"]).replace(lora_targets=("q_proj", "v_proj")).to_json())
             for ds in lora]
    with pytest.raises(ValueError, match="compare the same matrices; lora_targets differs"):
        claims.lora_predicts_full(other, full)


def test_seeds_mismatched_between_the_arms():
    lora, _ = arms(RISING, RISING, seeds=(0, 1, 2))
    _, full = arms(RISING, RISING, seeds=(0, 1, 3))
    with pytest.raises(ValueError, match=r"pair by training seed.*LoRA seeds \[0, 1, 2\], full fine-tuning seeds \[0, 1, 3\]"):
        claims.lora_predicts_full(lora, full)


def test_arms_must_share_data_and_order():
    lora, full = arms(RISING, RISING)
    with pytest.raises(ValueError, match="LoRA runs first"):
        claims.lora_predicts_full(full, lora)
    other = [run(RISING, s, domain="entertainment", lora=False) for s in (0, 1, 2)]
    with pytest.raises(ValueError, match="domain differs"):
        claims.lora_predicts_full(lora, other)
    with pytest.raises(ValueError, match="at least 2 seeds"):
        claims.lora_predicts_full(lora[:1], full[:1])


def test_arms_pair_by_seed_whatever_their_order():
    lora, full = arms(RISING, RISING)
    assert claims.lora_predicts_full(lora, full[::-1]).numbers == claims.lora_predicts_full(lora, full).numbers


def locus_runs(profiles):
    """One run per domain x learning rate, each with its own seed, as the bench grid makes them."""
    cases = [(d, lr) for d in ("entertainment", "tech") for lr in (2e-4, 1e-3)]
    return [run(p, seed, domain=d, lr=lr) for seed, ((d, lr), p) in enumerate(zip(cases, profiles))]


def test_locus_with_a_seed_per_run_agrees():
    v = claims.lora_locus(locus_runs([jitter(RISING, s) for s in range(4)]))
    assert v.verdict == "shape agrees" and v.reproduced
    assert v.numbers["seeds"] == 4 and v.numbers["runs"] == 4
    assert v.numbers["argmax_depth"] == 1.0 and v.numbers["rel_slope_absmean"] > 0


def test_locus_decides_on_the_fisher_z_of_the_pairwise_correlations():
    profiles = [jitter(RISING, s) for s in range(4)]
    v = claims.lora_locus(locus_runs(profiles))
    rho = [scipy.stats.spearmanr(a, b)[0] for i, a in enumerate(profiles) for b in profiles[i + 1:]]
    bound = 1 - 6 / (L * (L * L - 1))  # a rank correlation of 1 counts as half a swap below it
    z = np.arctanh(np.clip(rho, -bound, bound))
    assert v.numbers["agreement_z"][0] == pytest.approx(z.mean())
    assert v.numbers["mean_pairwise_spearman"] == pytest.approx(np.mean(rho))
    mixed = claims.lora_locus(locus_runs([RISING, RISING, FALLING, jitter(RISING, 7)]))
    assert mixed.numbers["agreement_z"][1] < 0 < mixed.numbers["agreement_z"][2]
    assert mixed.verdict.startswith("inconclusive")


def test_locus_shapes_that_differ():
    v = claims.lora_locus(locus_runs([RISING, FALLING, RISING, FALLING]))
    assert v.verdict == "shape differs" and v.numbers["min_pairwise_spearman"] == -1.0


def test_dispatch_pairs_a_lora_cell_with_full_fine_tuning_of_the_same_data():
    lora, full = arms(RISING, RISING, seeds=(0, 1, 2))
    lora = [ds.assign_attrs(spec=RunSpec.from_json(ds.attrs["spec"]).replace(lr=1e-3).to_json()) for ds in lora]
    elsewhere = [run(RISING, s, lora=False, domain="entertainment") for s in (0, 1)]
    got = [v for v in claims.verdicts(lora + full + elsewhere) if v.claim == "lora_predicts_full"]
    assert len(got) == 1 and got[0].numbers["seeds"] == 3 and got[0].numbers["spearman_BA~dW_adapted"][0] > 0.8
    assert not [v for v in claims.verdicts(lora[:1] + full) if v.claim == "lora_predicts_full"], "needs two seeds"
    unstored = [ds.drop_vars("dW_absmean_adapted") for ds in full]
    assert not [v for v in claims.verdicts(lora + unstored) if v.claim == "lora_predicts_full"], "needs delta_rank"


def test_locus_of_two_runs_says_it_needs_a_third():
    v = claims.lora_locus([run(RISING, 0), run(RISING, 1)])
    assert v.verdict == "inconclusive (underpowered: >= 3 runs)" and v.numbers["mean_pairwise_spearman"] == 1.0


def rank_runs(ratios, lost=(0.05,), seeds=None, gauss=40.0, **spec):
    """Full fine-tuning runs storing the rank of their weight change: run s has erank(ΔW) / erank(Gaussian)
    = ratios[s] in every layer, and its worst matrix loses lost[s] of its energy at rank r."""
    lost = np.broadcast_to(lost, len(ratios))
    out = []
    for s, (ratio, loss) in enumerate(zip(ratios, lost)):
        ds = fake_run(RunSpec(model="tiny-gpt2-64", domain="tech", seed=s if seeds is None else seeds[s], **spec))
        for name, value in (("dW_erank", ratio * gauss), ("dW_erank_gauss", gauss), ("dW_erank_ratio_max", ratio),
                            ("dW_rank90", 12.0), ("dW_rank90_gauss", 45.0), ("dW_lost_r", loss * np.linspace(0.5, 1, L))):
            results.put(ds, name, "layer", np.broadcast_to(value, L))
        out.append(ds)
    return out


def test_delta_rank_decides_on_the_ratio_margin():
    from depthcore.criteria import LOW_RANK_RATIO

    spread = np.array([-0.01, 0.0, 0.01])
    assert claims.delta_rank(rank_runs(0.2 + spread)).verdict == "reproduced"
    assert claims.delta_rank(rank_runs(0.8 + spread)).verdict == "not low rank"
    assert claims.delta_rank(rank_runs(LOW_RANK_RATIO + spread)).verdict.startswith("inconclusive (underpowered")

    runs = rank_runs(LOW_RANK_RATIO + spread)

    def verdict_at(center):  # the same runs, their ratios moved to center + spread
        for ds, x in zip(runs, center + spread):
            results.put(ds, "dW_erank", "layer", x * ds["dW_erank_gauss"].values)
        return claims.delta_rank(runs).verdict

    below, above = edge(lambda c: verdict_at(c) == "reproduced", LOW_RANK_RATIO + 0.1, 0.0)
    half = scipy.stats.t.ppf(0.975, 2) * 0.01 / np.sqrt(3)  # t(2) x the seeds' standard error
    assert below == pytest.approx(LOW_RANK_RATIO - half, abs=1e-9) == above
    low, high = edge(lambda c: verdict_at(c) == "not low rank", LOW_RANK_RATIO - 0.1, 1.0)
    assert low == pytest.approx(LOW_RANK_RATIO + half, abs=1e-9) == high  # lower bound exactly on the margin


def test_delta_rank_strict_reading_needs_rank_r_to_hold_ninety_percent():
    v = claims.delta_rank(rank_runs([0.19, 0.2, 0.21], lost=[0.04, 0.05, 0.06]))
    assert (v.verdict, v.strict) == ("reproduced", "reproduced")
    assert v.numbers["lost_at_r"][0] == pytest.approx(0.05) and v.numbers["lora_r"] == 16
    v = claims.delta_rank(rank_runs([0.19, 0.2, 0.21], lost=[0.3, 0.32, 0.34]))
    assert (v.verdict, v.strict) == ("reproduced", "not reproduced (rank 16 -)")
    v = claims.delta_rank(rank_runs([0.79, 0.8, 0.81], lost=[0.09, 0.1, 0.11]))
    assert (v.verdict, v.strict) == ("not low rank", "not reproduced (ratio -, rank 16 ?)")
    v = claims.delta_rank(rank_runs([0.19, 0.2, 0.21], lost=[0.04, 0.05, 0.06], lora_r=8))
    assert v.numbers["lora_r"] == 8  # the rank read from the runs' own RunSpec.lora_r


def test_delta_rank_refuses_runs_it_cannot_judge():
    with pytest.raises(ValueError, match="delta_rank=True"):
        claims.delta_rank([fake_run(RunSpec(model="tiny-gpt2-64", seed=s)) for s in range(3)])
    with pytest.raises(ValueError, match="at least 2 distinct"):
        claims.delta_rank(rank_runs([0.2, 0.3], seeds=[1, 1]))
    with pytest.raises(ValueError, match="not LoRA"):
        claims.delta_rank(rank_runs([0.2, 0.3], lora=True))
    frozen = rank_runs([0.2, 0.3], gauss=0.0)
    with pytest.raises(ValueError, match="no layer's weights changed"):
        claims.delta_rank(frozen)


def test_dispatch_judges_the_rank_where_the_runs_store_it():
    names = [v.claim for v in claims.verdicts(rank_runs([0.2, 0.3, 0.25]))]
    assert names == ["output_proximal", "local_vs_propagated", "delta_rank"]
    assert "delta_rank" not in [v.claim for v in claims.verdicts(rank_runs([0.2]))]
