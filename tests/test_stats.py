"""Tests for depthcore/stats.py: slopes, bootstrap CIs, width, correlation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depthcore.stats import (
    bootstrap_slope,
    bootstrap_stat,
    depth,
    first_nonfinite,
    fit_slope,
    relative_slope,
    spearman,
    width,
    width_frac,
)

PROPS = settings(max_examples=50, deadline=None)


def _noisy(rng: np.random.Generator, N: int, L: int, slope: float, intercept: float = 1.0, sd: float = 0.5):
    return intercept + slope * depth(L) + rng.normal(scale=sd, size=(N, L))


# --------------------------------------------------------------------------- depth, slope


def test_depth_is_normalised():
    np.testing.assert_array_equal(depth(5), [0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_array_equal(depth(2), [0.0, 1.0])


def test_one_layer_has_no_slope():
    with pytest.raises(ValueError, match="L >= 2"):
        depth(1)
    with pytest.raises(ValueError, match="L >= 2"):
        fit_slope([0.3], [0.0])


@PROPS
@given(L=st.integers(2, 64), slope=st.floats(-1e3, 1e3), intercept=st.floats(-1e3, 1e3))
def test_fit_slope_is_exact_on_a_linear_profile(L, slope, intercept):
    x = depth(L)
    assert fit_slope(intercept + slope * x, x) == pytest.approx(slope, rel=1e-9, abs=1e-9)


def test_fit_slope_is_vectorised_over_leading_dims():
    x = depth(7)
    slopes = np.array([[1.0, -2.0], [0.5, 3.0]])
    profiles = 0.3 + slopes[..., None] * x
    got = fit_slope(profiles, x)
    assert got.shape == (2, 2)
    np.testing.assert_allclose(got, slopes, rtol=1e-12)
    np.testing.assert_allclose(fit_slope(profiles + np.sin(np.arange(7)), x),
                               [[np.polyfit(x, p, 1)[0] for p in row] for row in profiles + np.sin(np.arange(7))])


def test_fit_slope_rejects_bad_input():
    with pytest.raises(ValueError, match="share L"):
        fit_slope(np.ones(4), depth(5))
    with pytest.raises(ValueError, match=r"non-finite value nan at index \(2,\)"):
        fit_slope([0.1, 0.2, np.nan], depth(3))
    with pytest.raises(ValueError, match="depths are equal"):
        fit_slope([0.1, 0.2], [1.0, 1.0])
    assert first_nonfinite([1.0, np.inf, np.nan]) == 1
    assert first_nonfinite(np.ones((2, 2))) is None


def test_relative_slope():
    x = depth(5)
    assert relative_slope(2.0 + 2.0 * x, x) == pytest.approx(2.0 / 3.0)
    np.testing.assert_allclose(relative_slope(np.stack([x, 2 * x]), x), [2.0, 2.0])
    with pytest.raises(ValueError, match="mean 0"):
        relative_slope(np.zeros(5), x)


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_ci_covers_the_true_slope():
    # 100 synthetic runs, N=40 sequences, L=6, iid noise: a 95% CI should cover the truth
    # ~95 times; >= 90 leaves room for the percentile interval's small-sample undercoverage.
    true_slope, covered = 0.4, 0
    x = depth(6)
    for run in range(100):
        per_seq = _noisy(np.random.default_rng(1000 + run), 40, 6, true_slope)
        slope, lo, hi = bootstrap_slope(per_seq, x, n_boot=300, seed=run)
        assert lo <= slope <= hi
        covered += lo <= true_slope <= hi
    assert covered >= 90


def test_bootstrap_point_estimate_is_the_slope_of_the_mean_profile_and_deterministic():
    per_seq = _noisy(np.random.default_rng(0), 25, 8, 1.0)
    x = depth(8)
    out = bootstrap_slope(per_seq, x, n_boot=200, seed=3)
    assert out[0] == fit_slope(per_seq.mean(axis=0), x)
    assert out == bootstrap_slope(per_seq, x, n_boot=200, seed=3)
    assert out != bootstrap_slope(per_seq, x, n_boot=200, seed=4)


def test_two_level_with_one_seed_equals_one_level_exactly():
    per_seq = _noisy(np.random.default_rng(1), 30, 6, 0.2)
    x = depth(6)
    one = bootstrap_slope(per_seq, x, n_boot=400, seed=11)
    assert bootstrap_stat(per_seq[None], x, n_boot=400, seed=11) == one
    assert bootstrap_stat([per_seq], x, n_boot=400, seed=11) == one


def test_bootstrap_stat_takes_any_vectorised_statistic():
    per_seq = _noisy(np.random.default_rng(3), 20, 5, 0.5, intercept=2.0)
    x = depth(5)
    rel, lo, hi = bootstrap_stat(per_seq, x, stat=relative_slope, n_boot=200)
    assert rel == pytest.approx(relative_slope(per_seq.mean(0), x))
    assert lo < rel < hi
    with pytest.raises(ValueError, match="vectorised"):
        bootstrap_stat(per_seq, x, stat=lambda p, d: 0.0, n_boot=10)


def test_bootstrap_refuses_a_single_sequence_and_bad_input():
    x = depth(4)
    with pytest.raises(ValueError, match="N=1"):
        bootstrap_slope(np.ones((1, 4)), x)
    with pytest.raises(ValueError, match="for several seeds use bootstrap_stat"):
        bootstrap_slope(np.ones((2, 3, 4)), x)
    bad = np.ones((5, 4))
    bad[3, 2] = np.inf
    with pytest.raises(ValueError, match=r"index \(3, 2\)"):
        bootstrap_slope(bad, x)
    with pytest.raises(ValueError, match="ci must be"):
        bootstrap_slope(np.ones((5, 4)), x, ci=95)


# --------------------------------------------------------------------------- width


def test_width_hand_examples():
    profile = [0.01, 0.05, 0.2, 0.4, 0.1]
    assert width(profile, 0.1) == 3  # >= is inclusive
    assert width(profile, 1.0) == 0
    assert width_frac(profile) == pytest.approx(2 / 5)  # 0.2 and 0.4 reach half of 0.4
    assert width_frac([1.0, 1.0, 1.0, 1.0]) == 1.0
    assert width_frac([0.0, 0.0, 0.0]) == 0.0  # nothing changed: width 0 by definition
    np.testing.assert_array_equal(width(np.array([profile, profile]), 0.1), [3, 3])
    np.testing.assert_allclose(width_frac(np.array([profile, np.zeros(5)])), [0.4, 0.0])


# --------------------------------------------------------------------------- spearman


def test_spearman_monotone_and_reversed():
    x = np.array([0.1, 0.5, 0.7, 2.0, 3.0, 10.0, 11.0, 12.5])
    rho, lo, hi = spearman(x, np.exp(x), n_boot=300)
    assert (rho, hi) == (1.0, 1.0) and lo >= 0.0
    rho, lo, hi = spearman(x, -x**3, n_boot=300)
    assert (rho, lo) == (-1.0, -1.0) and hi <= 0.0


def test_spearman_matches_scipy_and_degenerate_cases():
    import scipy.stats

    rng = np.random.default_rng(6)
    x, y = rng.normal(size=12), rng.normal(size=12)
    y[3] = y[5]  # a tie
    assert spearman(x, y, n_boot=50)[0] == pytest.approx(scipy.stats.spearmanr(x, y).statistic)
    assert spearman(np.ones(5), np.arange(5.0), n_boot=50) == (0.0, 0.0, 0.0)  # constant: defined as 0
    with pytest.raises(ValueError, match="n >= 3"):
        spearman([1.0, 2.0], [2.0, 1.0])
    with pytest.raises(ValueError, match="same length"):
        spearman([1.0, 2.0, 3.0], [1.0, 2.0])
