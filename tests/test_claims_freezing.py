"""Papers B and C's verdicts (depthcore.claims) at their boundaries, on synthetic runs.

Each rule is an interval against a threshold (`stats.seed_ci`, a t-interval over seeds): seeds
that differ by nearly the same +d (or -d) put the whole interval on one side, seeds at -d, 0, +d
make it straddle, and an exact tie decides nothing.
"""

import functools

import numpy as np
import pytest
import xarray as xr
from scipy import stats as sps
from synthetic import fake_run

from depthcore import claims, results, stats
from depthcore.config import RunSpec
from depthcore.criteria import LEVELLED_OFF

L = 6
SEEDS = (0, 1, 2)


def run(trained, seed=0, heldout=3.5, before=4.0, old=3.2, old_before=3.0, lr=1e-3, backward=1.0, deviation=None,
        steps=40):
    """A synthetic run that trained the blocks `trained` (embeddings, norm, head frozen), with its scalars set."""
    spec = RunSpec("tiny-gpt2-64", domain="tech", freeze=tuple(l for l in range(1, L + 1) if l not in trained),
                   train_only_layers=True, lr=lr, seed=seed, steps=steps)
    ds = fake_run(spec)
    for name, value in (("heldout_loss", heldout), ("heldout_loss_before", before), ("old_heldout_loss", old),
                        ("old_heldout_loss_before", old_before), ("trainable_params", 100 * len(trained)),
                        ("backward_seconds", backward)):
        results.put(ds, name, (), value)
    if deviation is not None:
        seq = np.broadcast_to(np.asarray(deviation, dtype=np.float64), (ds.sizes["seq"], L))
        results.put(ds, "semantic_deviation_seq", ("seq", "layer"), seq)
        results.put(ds, "semantic_deviation", "layer", seq.mean(0))
    return ds


def arm(trained, losses, **kw):
    """One arm's runs, seed s ending at held-out loss losses[s]."""
    return [run(trained, seed=s, heldout=loss, **kw) for s, loss in zip(SEEDS, losses)]


ALL, FIRST, SECOND = (1, 2, 3, 4, 5, 6), (1, 2, 3), (4, 5, 6)
HIGH, LOW = (2, 4, 6), (1, 3, 5)
BASE = np.array([3.5, 3.6, 3.4])  # the reference arm's held-out loss per seed
ABOVE, BELOW, STRADDLE = np.array([1e-3, 1.1e-3, 1e-3]), -np.array([1e-3, 1.1e-3, 1e-3]), np.array([-1e-3, 0.0, 1e-3])


def outcomes(above: str, below: str) -> list[tuple[np.ndarray, str]]:
    """Paired differences over 3 seeds on each side of a difference rule's boundaries, with their verdicts."""
    return [(ABOVE, above), (BELOW, below), (np.zeros(3), "inconclusive (no effect measured)"),
            (STRADDLE, "inconclusive (no effect measured)"), (STRADDLE + 5e-4, "inconclusive (underpowered: ~34 seeds)")]


# --------------------------------------------------------------------------- shared pieces


def test_top_k_layers_ties_go_to_the_shallower_layer():
    assert claims.top_k_layers([1, 3, 3, 2, 3, 0], 2) == (2, 3)
    assert claims.top_k_layers([5, 1, 4, 0, 3, 2], 3) == (1, 3, 5)


def test_tp_onset_is_the_first_layer_at_half_the_rise():
    depth = np.linspace(0, 1, 5)
    assert claims.tp_onset(np.array([0.0, 0.25, 0.5, 1.0, 1.0]), depth) == 0.5  # half the rise reached at l=3
    assert claims.tp_onset(np.array([0.0, 0.25, 0.4999, 1.0, 1.0]), depth) == 0.75  # just short of it at l=3
    assert claims.tp_onset(np.array([0.3, 0.2, 0.1, 0.1, 0.0]), depth) == 0.0  # never rises


# --------------------------------------------------------------------------- paper B


def diagnostics_runs(ls_profile, tp):
    out = []
    for s in SEEDS:
        ds = run(ALL, seed=s).assign_coords(ls_seq=np.arange(4))
        rng = np.random.default_rng(s)
        results.put(ds, "sensitivity_seq", ("ls_seq", "layer"), np.asarray(ls_profile) + 1e-4 * rng.random((4, L)))
        results.put(ds, "task_position", "layer", tp)
        results.put(ds, "sensitivity_eps", (), 0.05)
        out.append(ds)
    return out


TP_ONSET_04 = [0.0, 0.0, 0.5, 0.75, 1.0, 1.0]  # half the rise at layer 3 of 6: depth 0.4


@pytest.mark.parametrize("ls,onset_deep,verdict", [
    ([2, 2, 2, 1, 1, 1], 0.4, "reproduced"),  # onset 0.4 >= 0.4
    ([2, 2, 2, 1, 1, 1], 0.4 + 1e-9, "LS shallow, TP not deep"),
    ([1, 1, 1, 2, 2, 2], 0.4, "LS not shallow, TP deep"),
    ([1, 1, 1, 1, 1, 1], 0.5, "LS inconclusive (underpowered: more probe sequences), TP not deep"),  # equal halves up to noise
])
def test_layer_diagnostics(ls, onset_deep, verdict):
    v = claims.layer_diagnostics(diagnostics_runs(ls, TP_ONSET_04), onset_deep=onset_deep)
    assert v.verdict == verdict and v.expected == "reproduced" and v.strict == ""
    assert v.numbers["tp_onset_depth"] == pytest.approx(0.4)


@pytest.mark.parametrize("first_vs_all,first_vs_second,verdict", [
    (BELOW, BELOW, "train first half best"),
    (np.zeros(3), BELOW, "inconclusive (no effect measured)"),  # a tie is not a win
    (BELOW, np.array([-1e-3, 2e-3, 2e-3]), "inconclusive (underpowered: ~26 seeds)"),  # straddles 0
    (BELOW, ABOVE, "ranking second_half < first_half < all_blocks"),
    (ABOVE, ABOVE, "ranking all_blocks < second_half < first_half"),
])
def test_freeze_allocation(first_vs_all, first_vs_second, verdict):
    first = BASE + 0.01
    v = claims.freeze_allocation(arm(ALL, first - first_vs_all, lr=1e-3), arm(FIRST, first, lr=3e-3),
                                 arm(SECOND, first - first_vs_second, old=3.1, lr=1e-3))
    assert v.verdict == verdict and v.expected == "train first half best"
    assert v.numbers["forgetting_second_half"] == pytest.approx(0.1)
    assert v.numbers["lr"] == "all_blocks 0.001, first_half 0.003, second_half 0.001"


@pytest.mark.parametrize("first_vs_all,first_vs_second,verdict", [
    (BELOW, BELOW, "train first half best"),
    (np.zeros(3), BELOW, "inconclusive (no effect measured)"),
    (BELOW, np.array([-1e-3, 2e-3, 2e-3]), "inconclusive (underpowered: ~26 seeds)"),  # straddles 0
    (BELOW, ABOVE, "ranking second_half < first_half < all_blocks"),
    (ABOVE, ABOVE, "ranking all_blocks < second_half < first_half"),
])
def test_knowledge_retention_on_the_old_domains_loss(first_vs_all, first_vs_second, verdict):
    first = np.array([3.30, 3.31, 3.29])  # old-domain loss after, per seed; 3.0 before in every arm

    def old_arm(trained, olds):
        return [run(trained, seed=s, old=o) for s, o in zip(SEEDS, olds)]

    v = claims.knowledge_retention(old_arm(ALL, first - first_vs_all), old_arm(FIRST, first),
                                   old_arm(SECOND, first - first_vs_second))
    assert v.verdict == verdict and v.expected == "train first half best"
    assert v.numbers["old_first_minus_all_blocks"][0] == pytest.approx(np.mean(first_vs_all))
    assert v.numbers["forgetting_first_half"] == pytest.approx(first.mean() - 3.0)
    assert v.numbers["gain_all_blocks"] == pytest.approx(0.5)  # new domain 4.0 -> 3.5


# --------------------------------------------------------------------------- paper C


def test_backward_passes_count_input_and_weight_gradients_above_the_lowest_trained_block():
    assert claims.backward_passes((1, 2, 3, 4, 5, 6), 6) == 11  # 5 input gradients + 6 weight gradients
    assert claims.backward_passes((4, 5, 6), 6) == 5  # blocks 1-3 do nothing
    assert claims.backward_passes((1, 5, 6), 6) == 8  # block 1 trained: the gradient passes every block
    assert claims.backward_passes((), 6) == 0


@pytest.mark.parametrize("selected,verdict,saved", [
    (SECOND, "reproduced", 6 / 11),  # the last 3 of 6: 1 - 5/11
    ((2, 5, 6), "saves less", 4 / 11),  # 1 - 7/11 = 0.36: below 0.40
    ((1, 5, 6), "saves less", 3 / 11),
    ((5, 6), "saves more", 8 / 11)])
def test_compute_saved_against_the_papers_range(selected, verdict, saved):
    v = claims.compute_saved(arm(ALL, BASE), arm(selected, BASE), arm(SECOND, BASE))
    assert v.numbers["backward_saved_selected"] == pytest.approx(saved)
    assert v.numbers["backward_saved_first_n"] == pytest.approx(6 / 11) and v.numbers["mde"] == 0.0
    assert v.verdict == verdict


def test_semantic_selection_margin_is_strict():
    all_blocks, random_k = arm(ALL, BASE), arm(HIGH, BASE + 0.1)
    selected = arm(HIGH, BASE + 0.03)  # loses 0.03 / 0.5 etc. of the all-blocks gain
    hi = claims.semantic_selection(all_blocks, selected, random_k, 1.0).numbers["excess_frac_of_all_blocks_gain"][2]
    assert claims.semantic_selection(all_blocks, selected, random_k, np.nextafter(hi, 1)).verdict == "reproduced"
    assert claims.semantic_selection(all_blocks, selected, random_k, hi).verdict.startswith("inconclusive")
    lo = claims.semantic_selection(all_blocks, selected, random_k, 1.0).numbers["excess_frac_of_all_blocks_gain"][1]
    assert claims.semantic_selection(all_blocks, selected, random_k, np.nextafter(lo, 1)).verdict.startswith(
        "inconclusive")
    assert claims.semantic_selection(all_blocks, selected, random_k, lo).verdict == "not within margin"


@pytest.mark.parametrize("vs_random,verdict", [
    (BELOW, "reproduced"), (ABOVE, "not better than random"), (np.zeros(3), "not better than random"),
    (STRADDLE, "inconclusive (no effect measured)"), (STRADDLE - 5e-4, "inconclusive (underpowered: ~34 seeds)")])
def test_semantic_selection_against_random(vs_random, verdict):
    selected = BASE + 0.01
    v = claims.semantic_selection(arm(ALL, BASE), arm(HIGH, selected), arm(LOW, selected - vs_random), 0.1)
    assert v.verdict == verdict and v.expected == "reproduced"


def test_semantic_selection_both_fail_and_compute_is_reported():
    v = claims.semantic_selection(arm(ALL, BASE, backward=2.0), arm(HIGH, BASE + 0.4, backward=0.5),
                                  arm(LOW, BASE + 0.3), 0.1)
    assert v.verdict == "not within margin, not better than random"
    assert v.numbers["selected"] == "2-4-6" and v.numbers["selected_trainable_frac"] == 0.5
    assert v.numbers["selected_backward_frac"] == 0.25


def test_semantic_selection_needs_a_reference_that_improved():
    before = np.array([4.0, 3.6, 4.0])  # seed 1: all blocks ends where it started
    all_blocks = [run(ALL, seed=s, heldout=h, before=b) for s, h, b in zip(SEEDS, BASE, before)]
    v = claims.semantic_selection(all_blocks, arm(HIGH, BASE), arm(LOW, BASE + 0.1), 0.1)
    assert v.verdict == "reference did not improve"


DEEP = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
SIX_LAYERS = "inconclusive (underpowered: >= 11 layers)"  # top 3 of 6, 2 shallow: none shallow has p = 0.2


def test_deviation_location_counts_the_top_k_in_the_first_part():
    deep = claims.deviation_location([run(ALL, deviation=DEEP)], 3, 1 / 3)
    assert (deep.verdict, deep.strict) == (SIX_LAYERS, "reproduced")
    assert deep.numbers["p"] == deep.numbers["p_min"] == pytest.approx(0.2) and deep.numbers["mde"] == np.inf
    shallow = [run(ALL, deviation=[9.0, 1.0, 2.0, 3.0, 8.0, 7.0])]
    v = claims.deviation_location(shallow, 3, 1 / 3)
    assert (v.verdict, v.strict) == (SIX_LAYERS, "not reproduced") and v.numbers["top_k"] == "1-5-6"
    assert v.numbers["top_k_in_first_part"] == (1.0, 1.0, 1.0) and v.numbers["expected_in_first_part"] == 1.0


def test_deviation_location_boundary_depth_is_not_shallow():
    ds = run(ALL, deviation=[1.0, 9.0, 2.0, 3.0, 8.0, 7.0])  # top 3: layers 2, 5, 6
    x2 = float(ds["depth"].values[1])
    assert claims.deviation_location([ds], 3, x2).strict == "reproduced"  # layer 2 at exactly the bound
    assert claims.deviation_location([ds], 3, np.nextafter(x2, 1)).strict == "not reproduced"


def test_deviation_location_strict_inconclusive_when_resamples_disagree():
    ds = run(ALL)
    n = ds.sizes["seq"]
    seq = np.tile(np.array(DEEP), (n, 1))
    seq[: n // 2, 1], seq[n // 2:, 1] = 9.0, 0.0  # layer 2 (shallow) tops half the sequences, is lowest in the rest
    results.put(ds, "semantic_deviation_seq", ("seq", "layer"), seq)
    results.put(ds, "semantic_deviation", "layer", seq.mean(0))
    v = claims.deviation_location([ds], 3, 1 / 3)
    assert v.strict == "inconclusive (underpowered: more probe sequences)"
    assert v.numbers["top_k_in_first_part"][1:] == (0.0, 1.0)


def deep_stack(shallow_in_top: int, L: int = 30, k: int = 15):
    """A 30-layer pretrained model whose top 15 d_l hold `shallow_in_top` of the 10 layers at depth < 1/3."""
    d = np.arange(L, dtype=np.float64)  # the deepest 15 on top
    d[:shallow_in_top] += 100.0  # lift shallow layers into the top k ...
    d[L - k:L - k + shallow_in_top] -= 100.0  # ... and drop as many deep ones out of it
    seq = np.broadcast_to(d, (8, L))
    return xr.Dataset({"depth": ("layer", stats.depth(L)), "semantic_deviation": ("layer", d),
                       "semantic_deviation_seq": (("seq", "layer"), seq)},
                      attrs=dict(model="deep", objective="clm", optimizer="adamw", tier="tiny"))


@pytest.mark.parametrize("shallow_in_top,verdict", [
    (2, "reproduced"),  # P(C <= 2) = 0.025 against 5 expected
    (3, "inconclusive (as random placement)"),  # P(C <= 3) = 0.12
    (5, "inconclusive (as random placement)"),
    (7, "inconclusive (as random placement)"),  # P(C >= 7) = 0.12
    (8, "reversed")])  # P(C >= 8) = 0.025
def test_deviation_location_against_random_placement(shallow_in_top, verdict):
    v = claims.deviation_location([deep_stack(shallow_in_top)], 15, 1 / 3)
    test = stats.placement_test(shallow_in_top, 15, 10, 30)
    assert v.numbers["top_k_in_first_part"][0] == shallow_in_top and v.numbers["expected_in_first_part"] == 5.0
    assert v.verdict == verdict and v.numbers["p"] == test["p_fewer"] and v.numbers["mde"] == 3.0
    assert v.strict == ("reproduced" if shallow_in_top == 0 else "not reproduced")


def test_deviation_location_needs_the_count_to_hold_across_probe_sequences():
    ds = deep_stack(2)
    seq = ds["semantic_deviation_seq"].values.copy()
    d = seq.mean(0)
    swing = d[2] - np.sort(d)[-15] + 1.0  # how far layer 3 (shallow) is from entering the top 15
    seq[::2, 2] += 0.99 * 2 * swing  # in half the probe sequences it would enter, on average it stays out
    seq[1::2, 2] -= 0.99 * 2 * swing
    ds["semantic_deviation_seq"] = (("seq", "layer"), seq)
    v = claims.deviation_location([ds], 15, 1 / 3)
    assert v.numbers["top_k_in_first_part"][0] == 2 and v.numbers["top_k_in_first_part"][2] >= 3
    assert v.numbers["p_at_count"] < 0.05 <= v.numbers["p"]
    assert v.verdict == "inconclusive (underpowered: more probe sequences)"


@pytest.mark.parametrize("low_minus_high,verdict", outcomes("reproduced", "reversed"))
def test_deviation_ablation(low_minus_high, verdict):
    high = BASE + 0.01
    v = claims.deviation_ablation(arm(ALL, BASE, backward=2.0), arm(HIGH, high, backward=1.0),
                                  arm(LOW, high + low_minus_high, backward=0.5))
    assert v.verdict == verdict and v.expected == "reproduced"
    assert (v.numbers["high_dev"], v.numbers["low_dev"]) == ("2-4-6", "1-3-5")
    assert v.numbers["high_minus_all_blocks"][0] == pytest.approx(0.01)
    assert (v.numbers["high_dev_backward_frac"], v.numbers["low_dev_backward_frac"]) == (0.5, 0.25)
    assert v.numbers["low_dev_trainable_frac"] == 0.5


@pytest.mark.parametrize("selected_minus_first,verdict", outcomes("first N better", "selected better"))
def test_first_n_comparison(selected_minus_first, verdict):
    first = BASE + 0.02
    v = claims.first_n_comparison(arm(ALL, BASE), arm(HIGH, first + selected_minus_first), arm(SECOND, first))
    assert v.verdict == verdict and v.expected == "selected better"
    assert v.numbers["n_frozen"] == 3 and v.numbers["first_n_trainable_frac"] == 0.5


def test_random_k_blocks_per_seed_are_reported_as_such():
    random_k = [run(layers, seed=s, heldout=3.6) for s, layers in zip(SEEDS, ((1, 2, 3), (2, 3, 4), (1, 5, 6)))]
    v = claims.semantic_selection(arm(ALL, BASE), arm(HIGH, BASE), random_k, 0.1)
    assert v.numbers["lr"].endswith("random 0.001") and v.numbers["random_trainable_frac"] == 0.5
    assert claims.freezing._blocks(random_k) == "per seed"


# --------------------------------------------------------------------------- paper C: random freezing is unstable

SPREAD, RHO = 8, 0.5
UNIT = np.array([-1.5, -1.0, -0.5, 0.0, 0.25, 0.5, 1.0, 1.25])  # the selected arm's losses, to scale
OTHER = np.array([0.3, -1.2, 0.8, 0.1, -0.4, 1.1, -0.9, 0.2])  # made orthogonal to UNIT below


def orthogonal_pair():
    """Two centred, uncorrelated samples of equal sum of squares."""
    x = UNIT - UNIT.mean()
    w = OTHER - OTHER.mean()
    w = w - (w @ x) / (x @ x) * x
    return x, w * np.linalg.norm(x) / np.linalg.norm(w)


def unit_pair(rho=RHO):
    """Two centred samples of equal sum of squares whose correlation is exactly `rho`."""
    x, w = orthogonal_pair()
    return x, rho * x + np.sqrt(1 - rho ** 2) * w


@functools.cache
def spread_runs():
    """The selected arm's runs (layers HIGH in every seed) and a random arm's (a different draw per
    seed), built once: `spread_arms` sets their held-out losses."""
    draws = [tuple(sorted(np.random.default_rng(s).choice(np.arange(1, L + 1), 3, replace=False).tolist()))
             for s in range(SPREAD)]
    return [run(HIGH, seed=s) for s in range(SPREAD)], [run(d, seed=s) for s, d in enumerate(draws)]


def spread_arms(var_ratio, rho=RHO):
    """The two arms, paired by seed at correlation `rho`, their held-out losses' sample variances in
    the ratio `var_ratio` (random / selected)."""
    selected, random_k = spread_runs()
    x, y = unit_pair(rho)
    for runs, values in ((selected, x), (random_k, np.sqrt(var_ratio) * y)):
        for r, value in zip(runs, 3.5 + 0.01 * values):
            results.put(r, "heldout_loss", (), value)
    return selected, random_k


K = 1 + 2 * (1 - RHO ** 2) * sps.t.ppf(0.975, SPREAD - 2) ** 2 / (SPREAD - 2)
UP, DOWN = K + np.sqrt(K ** 2 - 1), K - np.sqrt(K ** 2 - 1)  # the ratios whose interval ends exactly at 1


@pytest.mark.parametrize("threshold,reading,below", [(1.0, "verdict", "not reproduced"),
                                                     (2.0, "strict", "not reproduced (the draw adds less than the seed)")])
def test_random_spread_at_each_bound_of_its_interval(threshold, reading, below):
    """Lower bound just above the threshold: decided above; just below: undecided. The same for the
    upper bound; the paper's reading at 1, the stricter at 2."""
    for ratio, words in ((UP * (1 + 1e-6), "reproduced"), (UP * (1 - 1e-6), "inconclusive"),
                         (DOWN * (1 + 1e-6), "inconclusive"), (DOWN * (1 - 1e-6), below)):
        v = claims.random_spread(*spread_arms(threshold * ratio))
        assert getattr(v, reading).startswith(words), (ratio, getattr(v, reading))
        assert v.numbers["var_ratio"][0] == pytest.approx(threshold * ratio)
        assert v.numbers["correlation"] == pytest.approx(RHO)


def pitman_morgan_t(x, y, ratio):
    """The t statistic of the correlation of X + sqrt(ratio) Y and X - sqrt(ratio) Y."""
    r = np.corrcoef(x + np.sqrt(ratio) * y, x - np.sqrt(ratio) * y)[0, 1]
    return r * np.sqrt((len(x) - 2) / (1 - r ** 2))


def test_random_spread_interval_is_where_the_pitman_morgan_test_keeps_the_ratio():
    sel, rand = spread_arms(3.0)
    v = claims.random_spread(sel, rand)
    r, lo, hi = v.numbers["var_ratio"]
    x, y = (np.array([float(run["heldout_loss"]) for run in arm]) for arm in (rand, sel))
    critical = sps.t.ppf(0.975, SPREAD - 2)
    assert r == pytest.approx(3.0) and lo < 1 < 3.0 < hi
    assert abs(pitman_morgan_t(x, y, lo)) == pytest.approx(critical)  # each bound where the test just rejects
    assert abs(pitman_morgan_t(x, y, hi)) == pytest.approx(critical)
    assert v.numbers["p"] == pytest.approx(2 * sps.t.sf(abs(pitman_morgan_t(x, y, 1.0)), SPREAD - 2))
    assert v.numbers["sd_random"] / v.numbers["sd_selected"] == pytest.approx(np.sqrt(3.0))
    assert (v.numbers["seeds"], v.numbers["selected"]) == (8, "2-4-6")
    assert v.numbers["draws"] == len({claims.freezing._trained(run) for run in rand})


def test_random_spread_uses_the_pairing():
    """The same variances at correlation 0 give a wider interval than at RHO."""
    paired = claims.random_spread(*spread_arms(3.0)).numbers["var_ratio"]
    independent = claims.random_spread(*spread_arms(3.0, rho=0.0)).numbers["var_ratio"]
    assert independent[0] == pytest.approx(paired[0])
    assert independent[2] / independent[1] > paired[2] / paired[1]


def test_random_spread_names_the_seeds_that_would_decide_and_its_mde():
    """The count a ratio of 3 at correlation RHO names is where Fisher's z of the Pitman-Morgan
    correlation reaches 80% power (one seed fewer does not); the mde is the ratio at which 8 seeds do."""
    v = claims.random_spread(*spread_arms(3.0))
    n = int(v.verdict.split("~")[1].split()[0])
    z = np.arctanh((3.0 - 1) / np.sqrt((3.0 + 1) ** 2 - 4 * RHO ** 2 * 3.0))
    power = lambda m: sps.norm.cdf(z * np.sqrt(m - 3) - sps.norm.ppf(0.975))  # noqa: E731
    assert n > SPREAD and power(n) >= 0.8 > power(n - 1)
    mde = v.numbers["mde"]
    z_mde = np.arctanh((mde - 1) / np.sqrt((mde + 1) ** 2 - 4 * RHO ** 2 * mde))
    assert sps.norm.cdf(z_mde * np.sqrt(SPREAD - 3) - sps.norm.ppf(0.975)) == pytest.approx(0.8)


def test_random_spread_no_effect_and_counts_beyond_the_search():
    assert claims.random_spread(*spread_arms(1.0, rho=1.0)).verdict == "inconclusive (no effect measured)"
    assert claims.random_spread(*spread_arms(1.0 + 1e-9)).verdict.startswith("inconclusive (underpowered: >")


def test_random_spread_refuses_what_has_no_spread():
    sel, rand = spread_arms(3.0)
    with pytest.raises(ValueError, match=">= 3 seeds"):
        claims.random_spread(sel[:2], rand[:2])
    with pytest.raises(ValueError, match="paired by training seed"):
        claims.random_spread(sel, rand[::-1])
    with pytest.raises(ValueError, match="one random draw per training seed"):
        claims.random_spread(sel[:3], [run(HIGH, seed=s, heldout=3.5 + s) for s in range(3)])
    with pytest.raises(ValueError, match="one selection"):
        claims.random_spread(rand, rand)


# --------------------------------------------------------------------------- levelled off


def doubled(further, drop=0.5, **kw):
    """The all-blocks arm at twice the steps, its drop `further` beyond `drop` (before 4.0 in every seed)."""
    return arm(ALL, 4.0 - drop - further + np.array([0.01, -0.02, 0.01]), steps=80, **kw)


R = 3.5 + np.array([0.01, -0.02, 0.01])  # the all-blocks arm's held-out loss per seed: drop 0.5 (mean)
J = np.array([0.0, 1e-3, 0.0])  # so that paired differences vary over seeds
REFERENCE = arm(ALL, R)


@pytest.mark.parametrize("further,verdict", [(0.05 - 1e-6, "levelled off"), (0.05 + 1e-6, "not levelled off (train longer)"),
                                             (-0.1, "levelled off")])
def test_levelled_off_at_its_boundary(further, verdict):
    v = claims.levelled_off(REFERENCE, doubled(further))
    assert LEVELLED_OFF == 0.1 and v.verdict == verdict and v.expected == ""
    assert v.numbers["drop"] == pytest.approx(0.5) and v.numbers["drop_doubled"] == pytest.approx(0.5 + further)
    assert v.numbers["further_from_doubling"] == pytest.approx(further / 0.5) and v.numbers["steps"] == 40


def test_levelled_off_when_the_arm_did_not_improve():
    flat = arm(ALL, [4.0] * 3)  # drop 0
    assert claims.levelled_off(flat, arm(ALL, [4.0] * 3, steps=80)).verdict == "not levelled off (train longer)"
    v = claims.levelled_off(flat, arm(ALL, [4.1] * 3, steps=80))  # twice the steps only worse
    assert v.verdict == "levelled off" and np.isnan(v.numbers["further_from_doubling"])


def old_arm(trained, olds):
    """An arm ending at R on the new domain and at `olds` on the old one, per seed."""
    return [run(trained, seed=s, heldout=h, old=o) for s, h, o in zip(SEEDS, R, olds)]


QUALITY = {  # each claim about final quality on arms that decide it, and whether it has a stricter reading
    "freeze_allocation": (lambda d: claims.freeze_allocation(REFERENCE, arm(FIRST, R - 0.1 + J), arm(SECOND, R - J), d),
                          False),
    "knowledge_retention": (lambda d: claims.knowledge_retention(REFERENCE, old_arm(FIRST, 3.0 + J), old_arm(SECOND, 3.3 - J),
                                                                 d), False),
    "semantic_selection": (lambda d: claims.semantic_selection(REFERENCE, arm(HIGH, R + J), arm(LOW, R + 0.1 - J), 0.5, d),
                           False),
    "deviation_ablation": (lambda d: claims.deviation_ablation(REFERENCE, arm(HIGH, R + J), arm(LOW, R + 0.1 - J), d),
                           True),
    "first_n_frozen": (lambda d: claims.first_n_comparison(REFERENCE, arm(HIGH, R - 0.1 + J), arm(SECOND, R - J), d),
                       False),
}


@pytest.mark.parametrize("claim", sorted(QUALITY))
def test_claims_about_final_quality_need_fine_tunes_that_levelled_off(claim):
    judge, has_strict = QUALITY[claim]
    decided = judge(doubled(0.05 - 1e-6))
    assert not decided.verdict.startswith(("inconclusive", "not levelled"))
    assert decided.numbers["further_from_doubling"] == pytest.approx(0.1, abs=1e-5)
    gated = judge(doubled(0.05 + 1e-6))
    why = "not levelled off (twice the steps still lower the held-out loss: train longer)"
    assert gated.verdict == why and gated.strict == (why if has_strict else "")
    assert {k: v for k, v in gated.numbers.items() if k != "further_from_doubling"} == {
        k: v for k, v in decided.numbers.items() if k != "further_from_doubling"}  # the statistic's numbers stay
    unchecked = judge(None)
    assert unchecked.verdict == decided.verdict and unchecked.numbers["levelled_off"] == "not checked"


def test_random_spread_needs_fine_tunes_that_levelled_off():
    selected, random_k = spread_arms(4.0)
    decided = claims.random_spread(selected, random_k)
    assert decided.numbers["levelled_off"] == "not checked"
    reference = [run(ALL, seed=s, heldout=3.5) for s in range(len(selected))]
    gated = claims.random_spread(selected, random_k, reference,
                                 [run(ALL, seed=s, heldout=3.4, steps=80) for s in range(len(selected))])
    assert gated.verdict == gated.strict == "not levelled off (twice the steps still lower the held-out loss: train longer)"
    assert gated.numbers["var_ratio"] == decided.numbers["var_ratio"]


@pytest.mark.parametrize("wrong,why", [
    (lambda: arm(ALL, [3.4] * 3, steps=40), "twice the steps"),
    (lambda: arm(ALL, [3.4] * 3, steps=80, lr=3e-3), "twice the steps"),  # another rate: another arm
    (lambda: list(reversed(arm(ALL, [3.4] * 3, steps=80))), "same seeds"),
    (lambda: arm(ALL, [3.4] * 3, steps=80)[:2], "same seeds"),
])
def test_levelled_off_refuses_a_doubled_arm_that_is_not_the_reference_at_twice_the_steps(wrong, why):
    with pytest.raises(ValueError, match=why):
        claims.levelled_off(REFERENCE, wrong())
