"""depthcore.stats verdict intervals: seed_ci, profile_ci, p_value, mde, seeds_needed, within, bh_adjust.

The calibration tests simulate cells with known truth at a fixed seed (deterministic) and
count how often a 95% interval decides (excludes 0) when the truth is 0: at most 0.07 at
2,000 cells, the 5% the label promises within Monte-Carlo error (docs/design.md "Intervals").
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from depthcore import stats

CELLS = 2000
L, N = 6, 48
DEPTH = stats.depth(L)


def decides(iv) -> bool:
    return iv[1] > 0 or iv[2] < 0


@pytest.mark.slow  # calibrates: many simulated cells
@pytest.mark.parametrize("seeds", [3, 5, 8])
@pytest.mark.parametrize("paired", [False, True])
def test_seed_ci_decides_a_null_cell_at_most_7_percent(seeds, paired):
    rng = np.random.default_rng(seeds)
    rate = np.mean([decides(stats.seed_ci(rng.normal(size=seeds), rng.normal(size=seeds) if paired else None))
                    for _ in range(CELLS)])
    assert rate <= 0.07
    assert rate >= 0.03  # and it is a 95% interval, not a wider one


@pytest.mark.slow  # calibrates: many simulated cells
def test_seed_ci_detects_a_paired_effect_of_2_5_seed_sds_at_8_seeds():
    rng = np.random.default_rng(0)
    shared = lambda: rng.normal(size=8)  # noqa: E731  (a seed's effect common to both arms)
    hits = []
    for _ in range(CELLS):
        base = shared()
        a, b = base + 2.5 + rng.normal(size=8) / np.sqrt(2), base + rng.normal(size=8) / np.sqrt(2)
        hits.append(stats.seed_ci(a, b)[1] > 0)  # the difference has seed sd 1
    assert np.mean(hits) >= 0.8


def test_seed_ci_is_the_t_interval_with_s_minus_1_degrees_of_freedom():
    x = np.array([0.3, 1.1, 0.7])
    est, lo, hi = stats.seed_ci(x)
    half = scipy.stats.t.ppf(0.975, 2) * x.std(ddof=1) / np.sqrt(3)
    assert est == pytest.approx(x.mean()) and lo == pytest.approx(x.mean() - half)
    assert hi == pytest.approx(x.mean() + half)
    assert half > (x.max() - x.min()) / 2  # wider than the seeds' [min, max]
    assert stats.p_value(stats.seed_ci(x)) == pytest.approx(scipy.stats.ttest_1samp(x, 0).pvalue)


def test_seed_ci_pairs_by_seed():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([0.9, 1.9, 2.9])
    est, lo, hi = stats.seed_ci(a, b)
    assert est == pytest.approx(0.1) and lo == pytest.approx(0.1) and hi == pytest.approx(0.1)


@pytest.mark.parametrize("a,b,match", [([1.0], None, "at least 2 seeds"), ([1.0, 2.0], [1.0], "paired arms"),
                                       ([1.0, np.nan], None, "non-finite")])
def test_seed_ci_rejects_bad_input_naming_it(a, b, match):
    with pytest.raises(ValueError, match=match):
        stats.seed_ci(a, b)


def _cell(rng, seeds, seed_sd, probe_sd, resid_sd, slope=0.0):
    """[S, N, L]: a true profile 1 + slope·x, a per-seed effect per layer, a per-probe effect shared by
    the seeds, and their interaction."""
    return (1 + slope * DEPTH + rng.normal(0, seed_sd, (seeds, 1, L)) + rng.normal(0, probe_sd, (1, N, L))
            + rng.normal(0, resid_sd, (seeds, N, L)))


REGIMES = {"seed level dominates": (0.3, 0.05, 0.05), "probe level dominates": (0.01, 0.3, 0.05),
           "both": (0.1, 0.3, 0.2)}


@pytest.mark.slow  # calibrates: many simulated cells
@pytest.mark.parametrize("seeds", [2, 3, 5])
@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize("stat", [stats.fit_slope, stats.relative_slope])
def test_profile_ci_decides_a_flat_profile_at_most_7_percent(seeds, regime, stat):
    rng = np.random.default_rng(seeds)
    rate = np.mean([decides(stats.profile_ci(_cell(rng, seeds, *REGIMES[regime]), DEPTH, stat=stat))
                    for _ in range(CELLS)])
    assert rate <= 0.07


@pytest.mark.slow  # calibrates: many simulated cells
@pytest.mark.parametrize("regime", REGIMES)
def test_profile_ci_covers_a_true_slope(regime):
    rng = np.random.default_rng(1)
    covered = [lo <= 0.2 <= hi for _, lo, hi in
               (stats.profile_ci(_cell(rng, 3, *REGIMES[regime], slope=0.2), DEPTH) for _ in range(CELLS))]
    assert np.mean(covered) >= 0.93


def test_profile_ci_paired_difference_cancels_what_the_arms_share():
    rng = np.random.default_rng(2)
    a = _cell(rng, 3, 0.3, 0.3, 0.0, slope=0.5)
    b = a - 0.1 * DEPTH  # the same seeds and probes, a slope 0.1 lower
    est, lo, hi = stats.profile_ci(a, DEPTH, minus=b)
    assert est == pytest.approx(0.1) and hi - lo == pytest.approx(0.0, abs=1e-12)


def test_profile_ci_with_one_seed_counts_only_the_probe_level():
    rng = np.random.default_rng(3)
    x = _cell(rng, 1, 0.0, 0.2, 0.0)
    iv = stats.profile_ci(x[0], DEPTH)
    slopes = stats.fit_slope(x[0], DEPTH)  # the slope is linear: its jackknife variance is var/N
    assert iv.seed_var == 0 and iv.probe_var == pytest.approx(slopes.var(ddof=1) / N)


def test_profile_ci_rejects_one_probe_sequence_and_mismatched_arms():
    with pytest.raises(ValueError, match="N >= 2 probe"):
        stats.profile_ci(np.ones((3, 1, L)), DEPTH)
    with pytest.raises(ValueError, match="same seeds and sequences"):
        stats.profile_ci(np.ones((3, 4, L)), DEPTH, minus=np.ones((2, 4, L)))


@pytest.mark.slow  # calibrates: many simulated cells
def test_mde_is_detected_with_about_80_percent_power():
    seeds = 5
    effect = stats.mde(stats.Interval(0.0, 1.0, 0.0, seeds))  # at a seed sd of 1
    rng = np.random.default_rng(5)
    hits = np.mean([stats.seed_ci(rng.normal(effect, 1.0, seeds))[1] > 0 for _ in range(CELLS)])
    assert hits == pytest.approx(0.8, abs=0.04)  # the t approximation to the noncentral t's power


def test_seeds_needed_is_the_first_count_whose_mde_reaches_the_effect():
    iv = stats.seed_ci([0.2, 1.4, 0.5])
    n = stats.seeds_needed(iv)
    assert n > 3
    assert stats.mde(iv, n) <= abs(iv[0]) < stats.mde(iv, n - 1)


def test_seeds_needed_is_none_when_seeds_cannot_decide():
    assert stats.seeds_needed(stats.Interval(0.0, 1.0, 0.0, 3)) is None  # no effect
    probe_bound = stats.Interval(0.01, 1e-6, 1.0, 3, 10)  # the probe level alone is wider than the effect
    assert stats.seeds_needed(probe_bound) is None


def test_within_is_two_one_sided_tests_on_the_interval():
    iv = stats.Interval(0.0, 0.0, 0.01, 1, 100)
    lo, hi = iv[1], iv[2]
    assert stats.within(iv, hi + 1e-9) and not stats.within(iv, hi)
    assert -lo == pytest.approx(hi)


def test_interval_pickles_with_its_components():
    iv = stats.profile_ci(_cell(np.random.default_rng(6), 3, 0.1, 0.1, 0.1), DEPTH)
    back = pickle.loads(pickle.dumps(iv))
    assert tuple(back) == tuple(iv) and (back.seed_var, back.probe_var, back.seeds, back.probes) == \
        (iv.seed_var, iv.probe_var, iv.seeds, iv.probes)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_bh_adjust_is_monotone_bounded_and_at_least_the_raw_p(p):
    adj = stats.bh_adjust(p)
    order = np.argsort(p)
    assert np.all(adj >= np.asarray(p) - 1e-15) and np.all(adj <= 1)
    assert np.all(np.diff(adj[order]) >= -1e-15)


def test_bh_adjust_matches_the_step_up_rule():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    assert stats.bh_adjust(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        stats.bh_adjust([1.5])


# --------------------------------------------------------------------------- permutation over units


def test_permutation_spearman_over_four_units_cannot_reach_5_percent():
    x = np.tile(np.arange(4.0), (3, 1))
    out = stats.permutation_spearman(x, x)
    assert out["rho"] == 1.0 and out["p"] == pytest.approx(2 / 24) and out["p_min"] == pytest.approx(2 / 24)


@pytest.mark.slow  # calibrates: many simulated cells
@pytest.mark.parametrize("units", [5, 6])
def test_permutation_spearman_decides_a_null_cell_at_most_7_percent(units):
    """Seeds' values drawn independently of the units' x: the two-sided test at 5% on 2,000 cells."""
    rng = np.random.default_rng(units)
    x = np.tile(np.arange(float(units)), (3, 1))
    decided = sum(stats.permutation_spearman(x, rng.standard_normal((3, units)))["p"] < 0.05 for _ in range(2000))
    assert decided / 2000 <= 0.07


def test_permutation_spearman_beyond_eight_units_is_seeded():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2, 3, 10))
    assert stats.permutation_spearman(x, y, seed=1) == stats.permutation_spearman(x, y, seed=1)
    with pytest.raises(ValueError, match="K >= 3 units"):
        stats.permutation_spearman(x[:, :2], y[:, :2])


def test_placement_test_is_the_hypergeometric_of_every_k_subset():
    import itertools

    L, part, k = 7, 3, 3
    counts = [sum(i < part for i in subset) for subset in itertools.combinations(range(L), k)]
    for c in range(part + 1):
        test = stats.placement_test(c, k, part, L)
        assert test["p_fewer"] == pytest.approx(np.mean([n <= c for n in counts]))
        assert test["p_more"] == pytest.approx(np.mean([n >= c for n in counts]))
    assert test["expected"] == pytest.approx(np.mean(counts)) and test["p_min"] == pytest.approx(np.mean([n == 0 for n in counts]))


def test_placement_test_detectable_shortfall_and_its_boundary():
    assert stats.placement_test(2, 15, 10, 30)["p_fewer"] < 0.05 < stats.placement_test(3, 15, 10, 30)["p_fewer"]
    assert stats.placement_test(2, 15, 10, 30)["detectable"] == 3.0  # 5 expected, 2 the largest count that decides
    assert stats.placement_test(0, 3, 2, 6)["detectable"] is None  # p_min 0.2: no placement decides


def test_placement_test_smallest_p_is_at_the_smallest_possible_count():
    # 5 of 6 units chosen, 3 in the part: at least 2 of the 5 must fall in it
    test = stats.placement_test(2, 5, 3, 6)
    assert test["p_min"] == pytest.approx(0.5) == pytest.approx(test["p_fewer"])  # 3 of the 6 subsets miss one part unit


@pytest.mark.parametrize("count,k,part,L", [(-1, 3, 2, 6), (3, 3, 2, 6), (0, 7, 2, 6), (0, 3, 7, 6), (1, 5, 3, 6)])
def test_placement_test_rejects_impossible_counts(count, k, part, L):
    with pytest.raises(ValueError, match="placement_test"):
        stats.placement_test(count, k, part, L)
