"""Statistics of depth profiles: slope, bootstrap CIs, width, rank correlation.

docs/design.md, "Definitions". A depth profile is a per-layer quantity Delta_l, l = 1..L, at
normalised depth x_l = (l-1)/(L-1). Its *slope* (paper A's "locality gradient") is the
OLS slope of Delta_l on x_l, with a percentile bootstrap CI over probe sequences, and over
training seeds then sequences when there are several seeds. Pure numpy/scipy; profiles
arrive as arrays (`metrics.py` produced them).

Resampling convention, shared by every bootstrap here so that results line up: one
`numpy.random.SeedSequence(seed)` spawns two independent streams, one for drawing seeds
and one for drawing sequences; sequence indices are floor(u * N) from uniforms u of shape
[n_boot, N_max] drawn once per seed slot. Hence a two-level bootstrap over a single seed
makes exactly the draws of the one-level bootstrap, and two arms resampled with the same
draws are paired.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np
import scipy.optimize
import scipy.special
import scipy.stats

__all__ = [
    "depth",
    "fit_slope",
    "relative_slope",
    "bootstrap_stat",
    "bootstrap_slope",
    "width",
    "width_frac",
    "spearman",
    "permutation_spearman",
    "placement_test",
    "first_nonfinite",
    "Interval",
    "seed_ci",
    "profile_ci",
    "p_value",
    "mde",
    "seeds_needed",
    "within",
    "bh_adjust",
]

Stat = Callable[[np.ndarray, np.ndarray], "np.ndarray | float"]
N_BOOT = 1000  # bootstrap resamples of every CI (docs/design.md "Seeds"), each seeded


def first_nonfinite(x) -> int | None:
    """Flat index of the first NaN or inf in `x`, or None if all values are finite.

    Args:
        x: Array-like.

    Returns:
        Index into `np.ravel(x)`, or None.
    """
    bad = np.flatnonzero(~np.isfinite(np.asarray(x, dtype=np.float64)))
    return int(bad[0]) if bad.size else None


def _check_finite(x: np.ndarray, what: str) -> None:
    i = first_nonfinite(x)
    if i is not None:
        where = np.unravel_index(i, np.shape(x))
        raise ValueError(f"{what}: non-finite value {np.ravel(x)[i]} at index {tuple(int(j) for j in where)}; "
                         "a profile with NaN/inf has no slope — find the layer that produced it")


def depth(L: int) -> np.ndarray:
    """Normalised depth x_l = (l-1)/(L-1) of layers l = 1..L.

    docs/design.md "Layer": the l-th block of the block stack, at normalised depth
    x_l = (l-1)/(L-1), so the first layer is at 0 and the last at 1 whatever L is.

    Args:
        L: Number of layers.

    Returns:
        float64 array [L].

    Raises:
        ValueError: If L < 2 (a slope needs at least two layers).
    """
    if int(L) != L or L < 2:
        raise ValueError(f"depth: normalised depth (l-1)/(L-1) needs L >= 2 layers, got L={L}; "
                         "a depth profile of one layer has no slope")
    return np.arange(int(L), dtype=np.float64) / (int(L) - 1)


def fit_slope(values, depth) -> float | np.ndarray:
    """OLS slope of a depth profile on normalised depth.

    Paper A's locality gradient; docs/design.md "Slope": the OLS slope of Delta_l on x_l,
    sum_l (x_l - x_bar)(Delta_l - Delta_bar) / sum_l (x_l - x_bar)^2.

    Args:
        values: Profile [L], or [..., L] for many profiles at once (e.g. bootstrap
            replicates); the slope is taken along the last axis.
        depth: Depths [L], usually `depth(L)`.

    Returns:
        A float for a 1-D profile, else an array of shape values.shape[:-1].

    Raises:
        ValueError: If L < 2, the lengths differ, depth is constant, or a value is
            non-finite.
    """
    y = np.asarray(values, dtype=np.float64)
    x = np.asarray(depth, dtype=np.float64)
    if x.ndim != 1 or y.ndim < 1 or y.shape[-1] != x.shape[0]:
        raise ValueError(f"fit_slope: values [..., L] and depth [L] must share L; got shapes {y.shape} and {x.shape}")
    if x.shape[0] < 2:
        raise ValueError(f"fit_slope: a slope needs L >= 2 layers, got L={x.shape[0]}")
    _check_finite(y, "fit_slope")
    _check_finite(x, "fit_slope (depth)")
    xc = x - x.mean()
    sxx = float(xc @ xc)
    if sxx == 0.0:
        raise ValueError("fit_slope: all depths are equal; pass depth(L)")
    slope = (y - y.mean(axis=-1, keepdims=True)) @ xc / sxx
    return float(slope) if np.ndim(slope) == 0 else slope


def relative_slope(profile, depth) -> float | np.ndarray:
    """Slope of a profile divided by its mean over layers, slope / mean_l Delta_l.

    docs/design.md "Null profile and excess slope": a random direction moves representations
    far less than a learned one of the same norm, so real and null profiles are compared
    on shape, the relative slope, not only on the absolute excess slope.

    Args:
        profile: [L] or [..., L].
        depth: [L].

    Returns:
        Float or array like `fit_slope`.

    Raises:
        ValueError: If a profile's mean is 0 (relative slope undefined), or as `fit_slope`.
    """
    p = np.asarray(profile, dtype=np.float64)
    slope = fit_slope(p, depth)
    mean = p.mean(axis=-1)
    if np.any(mean == 0.0):
        raise ValueError("relative_slope: a profile has mean 0 over layers, so slope/mean is undefined "
                         "(nothing changed); report the absolute slope instead")
    out = slope / mean
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- bootstrap


def _as_seeds(per_seq, what: str) -> list[np.ndarray]:
    """Normalise [N, L] (one seed), [S, N, L] or a list of [N_s, L] to a list of arrays."""
    if isinstance(per_seq, np.ndarray) or not isinstance(per_seq, Sequence):
        arr = np.asarray(per_seq, dtype=np.float64)
        if arr.ndim == 2:
            seeds = [arr]
        elif arr.ndim == 3:
            seeds = list(arr)
        else:
            raise ValueError(f"{what}: expected per-sequence values [N, L], [S, N, L] or a list of [N_s, L]; "
                             f"got shape {arr.shape}")
    else:
        seeds = [np.asarray(s, dtype=np.float64) for s in per_seq]
    if not seeds:
        raise ValueError(f"{what}: no seeds given")
    L = seeds[0].shape[-1] if seeds[0].ndim == 2 else None
    for i, s in enumerate(seeds):
        if s.ndim != 2 or s.shape[1] != L:
            raise ValueError(f"{what}: seed {i} has shape {s.shape}; every seed must be [N_s, L] with the same L")
        if s.shape[0] < 2:
            raise ValueError(f"{what}: seed {i} has N={s.shape[0]} probe sequence(s); a bootstrap over one "
                             "sequence would collapse the CI to a point and claim certainty it does not have — "
                             "profile at least 2 (better >= 20) probe sequences")
        _check_finite(s, what)
    return seeds


def _draws(sizes: list[int], n_boot: int | None, seed: int, independent_of: int | None = None):
    """Seed-slot draws [n_boot, S] and per-slot uniforms [n_boot, N_max] (module docstring); n_boot None: N_BOOT."""
    n_boot = N_BOOT if n_boot is None else n_boot
    if n_boot < 1:
        raise ValueError(f"bootstrap: n_boot must be >= 1, got {n_boot}")
    ss = np.random.SeedSequence(seed) if independent_of is None else np.random.SeedSequence([seed, independent_of])
    seed_stream, seq_stream = (np.random.default_rng(s) for s in ss.spawn(2))
    S, n_max = len(sizes), max(sizes)
    seed_idx = seed_stream.integers(0, S, size=(n_boot, S)) if S > 1 else np.zeros((n_boot, 1), dtype=np.int64)
    uniforms = [seq_stream.random((n_boot, n_max)) for _ in range(S)]
    return seed_idx, uniforms


def _boot_profiles(seeds: list[np.ndarray], seed_idx: np.ndarray, uniforms: list[np.ndarray]) -> np.ndarray:
    """Mean profile of every bootstrap replicate, [n_boot, L]: mean over drawn seeds of the
    mean over each drawn seed's resampled sequences."""
    n_boot, S = seed_idx.shape
    out = np.zeros((n_boot, seeds[0].shape[1]))
    for j in range(S):
        for s, data in enumerate(seeds):
            rows = np.flatnonzero(seed_idx[:, j] == s)
            if rows.size == 0:
                continue
            n = data.shape[0]
            idx = np.minimum((uniforms[j][rows, :n] * n).astype(np.int64), n - 1)
            # Counts of each sequence per replicate, then one matmul: memory n_boot x N,
            # not n_boot x N x L as fancy indexing would take.
            flat = (np.arange(rows.size)[:, None] * n + idx).ravel()
            counts = np.bincount(flat, minlength=rows.size * n).reshape(rows.size, n)
            out[rows] += counts @ data / n
    return out / S


def _point_profile(seeds: list[np.ndarray]) -> np.ndarray:
    return np.mean([s.mean(axis=0) for s in seeds], axis=0)


def _apply_stat(stat: Stat, profiles: np.ndarray, depth: np.ndarray, what: str) -> np.ndarray:
    values = np.asarray(stat(profiles, depth), dtype=np.float64)
    if values.shape != profiles.shape[:-1]:
        raise ValueError(f"{what}: stat returned shape {values.shape} for profiles {profiles.shape}; it must be "
                         "vectorised over leading dims like fit_slope (profile [..., L] -> [...])")
    _check_finite(values, f"{what}: stat")
    return values


def _ci(estimate: float, replicates: np.ndarray, ci: float) -> tuple[float, float, float]:
    if not 0.0 < ci < 1.0:
        raise ValueError(f"bootstrap: ci must be in (0, 1), got {ci}")
    lo, hi = np.quantile(replicates, [(1.0 - ci) / 2.0, (1.0 + ci) / 2.0])
    return float(estimate), float(lo), float(hi)


def bootstrap_stat(per_seq, depth, stat: Stat = fit_slope, n_boot: int | None = None, seed: int = 0,
                   ci: float = 0.95) -> tuple[float, float, float]:
    """Percentile bootstrap CI of any statistic of the mean depth profile.

    docs/design.md "Slope" (95% CI by percentile bootstrap over probe sequences, 1,000 seeded
    resamples) and "Seeds" (several training seeds per cell: two-level bootstrap, seeds
    then probe sequences). Efron & Tibshirani 1993, percentile interval.

    Given [N, L] (one seed), each replicate resamples N sequences with replacement. Given
    seeds ([S, N, L] or a list of [N_s, L]), each replicate draws S seeds with replacement,
    then resamples the sequences of each drawn seed; its profile is the mean over drawn
    seeds of their resampled mean profiles (seeds weigh equally). The estimate is `stat`
    of the observed mean profile (mean over seeds of the per-seed means), not the
    replicates' mean. With one seed the two-level scheme is exactly the one-level one
    (module docstring).

    Args:
        per_seq: [N, L], [S, N, L] or a list of [N_s, L] per-sequence per-layer values.
        depth: [L], usually `depth(L)`.
        stat: Statistic of profiles, vectorised: [..., L], depth -> [...]; e.g.
            `fit_slope` or `relative_slope`.
        n_boot: Number of bootstrap replicates (default N_BOOT).
        seed: Seed of the resampling.
        ci: Coverage of the central percentile interval.

    Returns:
        (estimate, lo, hi).

    Raises:
        ValueError: If a seed has fewer than 2 sequences (a CI from one sequence would
            collapse to the point), on non-finite input or a non-finite statistic.
    """
    seeds = _as_seeds(per_seq, "bootstrap_stat")
    x = np.asarray(depth, dtype=np.float64)
    estimate = float(_apply_stat(stat, _point_profile(seeds), x, "bootstrap_stat"))
    seed_idx, uniforms = _draws([s.shape[0] for s in seeds], n_boot, seed)
    replicates = _apply_stat(stat, _boot_profiles(seeds, seed_idx, uniforms), x, "bootstrap_stat")
    return _ci(estimate, replicates, ci)


def bootstrap_slope(per_seq: np.ndarray, depth, n_boot: int | None = None, seed: int = 0,
                    ci: float = 0.95) -> tuple[float, float, float]:
    """Slope of the mean profile with a percentile bootstrap CI over probe sequences.

    docs/design.md "Slope": OLS slope of Delta_l on x_l, 95% CI by bootstrap over probe
    sequences (percentile, 1,000 resamples, seeded). *Output-proximal*: lo > 0;
    *collapsed*: lo <= 0. `bootstrap_stat` with `stat=fit_slope` on one seed.

    Args:
        per_seq: [N, L] per-sequence per-layer change, N >= 2.
        depth: [L].
        n_boot: Replicates (default N_BOOT).
        seed: Resampling seed.
        ci: Coverage.

    Returns:
        (slope, lo, hi).

    Raises:
        ValueError: If per_seq is not 2-D or N < 2 (an N = 1 CI would collapse to the
            point and look certain).
    """
    arr = np.asarray(per_seq, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"bootstrap_slope: per_seq must be [N, L], got shape {arr.shape}; "
                         "for several seeds use bootstrap_stat")
    return bootstrap_stat(arr, depth, fit_slope, n_boot=n_boot, seed=seed, ci=ci)


# --------------------------------------------------------------------------- width


def width(profile, tau: float) -> int | np.ndarray:
    """Number of layers whose change reaches a fixed threshold, #{l : Delta_l >= tau}.

    docs/design.md "Width": the number of layers with Delta_l >= tau, for a fixed tau recorded
    in the dataset (paper A: profile width is dominated by architecture).

    Args:
        profile: [L] or [..., L].
        tau: Threshold, in the units of the profile.

    Returns:
        int for a 1-D profile, else an int array over the leading dims.
    """
    p = np.asarray(profile, dtype=np.float64)
    _check_finite(p, "width")
    out = (p >= tau).sum(axis=-1)
    return int(out) if np.ndim(out) == 0 else out


def width_frac(profile) -> float | np.ndarray:
    """Scale-free width: fraction of layers with Delta_l >= max_l Delta_l / 2.

    docs/design.md "Width": the fraction of layers with Delta_l >= 1/2 max Delta. Defined as 0.0
    when no layer changed (max_l Delta_l <= 0, e.g. an all-zero profile), where the
    half-max threshold would otherwise count every layer of a profile that has no shape.

    Args:
        profile: [L] or [..., L].

    Returns:
        Float in [0, 1] (array over leading dims for [..., L]).
    """
    p = np.asarray(profile, dtype=np.float64)
    _check_finite(p, "width_frac")
    peak = p.max(axis=-1, keepdims=True)
    frac = (p >= 0.5 * peak).mean(axis=-1)
    frac = np.where(peak[..., 0] > 0.0, frac, 0.0)
    return float(frac) if np.ndim(frac) == 0 else frac


# --------------------------------------------------------------------------- correlation


def _rowwise_spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    rx = scipy.stats.rankdata(x, axis=-1)
    ry = scipy.stats.rankdata(y, axis=-1)
    rx = rx - rx.mean(axis=-1, keepdims=True)
    ry = ry - ry.mean(axis=-1, keepdims=True)
    sxy = (rx * ry).sum(axis=-1)
    sxx = (rx * rx).sum(axis=-1)
    syy = (ry * ry).sum(axis=-1)
    ok = (sxx > 0) & (syy > 0)
    # Constant ranks (all-equal input, or a resample that drew one point n times) carry no
    # ordering: rho := 0 rather than NaN.
    return np.where(ok, sxy / np.sqrt(np.where(ok, sxx * syy, 1.0)), 0.0)


def spearman(x, y, n_boot: int | None = None, seed: int = 0, ci: float = 0.95) -> tuple[float, float, float]:
    """Spearman rank correlation with a paired percentile bootstrap CI.

    docs/design.md "Objective distance": the steepness-vs-distance claim is the Spearman
    correlation of slope with objective distance across objectives, per model (paper A:
    steepness tracks a training-free objective distance). Spearman 1904; ties get average
    ranks, so rho is the Pearson correlation of the ranks.

    Pairs (x_i, y_i) are resampled together. Convention: when x or y is constant (in the
    data or in a bootstrap resample, which happens often for the few objectives per model)
    rho is defined as 0.0 — no ordering, no evidence of association — instead of NaN;
    this pulls the CI towards 0, i.e. it is conservative for a "rho > 0" claim.

    Args:
        x: [n] values, n >= 3.
        y: [n] values paired with x.
        n_boot: Bootstrap replicates of the pairs (default N_BOOT); seed: their seed; ci: coverage.

    Returns:
        (rho, lo, hi).

    Raises:
        ValueError: If the lengths differ, n < 3 or a value is non-finite.
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if xa.ndim != 1 or xa.shape != ya.shape:
        raise ValueError(f"spearman: x and y must be 1-D of the same length, got {xa.shape} and {ya.shape}")
    if xa.size < 3:
        raise ValueError(f"spearman: needs n >= 3 pairs (with 2 any rho is +-1), got n={xa.size}")
    _check_finite(xa, "spearman (x)")
    _check_finite(ya, "spearman (y)")
    rho = float(_rowwise_spearman(xa, ya))
    n_boot = N_BOOT if n_boot is None else n_boot
    if n_boot < 1:
        raise ValueError(f"spearman: n_boot must be >= 1, got {n_boot}")
    idx = np.random.default_rng(seed).integers(0, xa.size, size=(n_boot, xa.size))
    return _ci(rho, _rowwise_spearman(xa[idx], ya[idx]), ci)


def permutation_spearman(x, y, n_perm: int | None = None, seed: int = 0) -> dict:
    """Mean over seeds of Spearman's ρ between x and y across K units, tested by permuting the units.

    For one claim across few units (objectives) measured per training seed: ρ_s = Spearman(x_s, y_s)
    per seed, the statistic their mean. Under no association the units' order in x is exchangeable:
    every permutation of the K units (all K! up to 8 units, else `n_perm` random ones), applied to
    x of every seed at once, gives a null value. With 4 units the 24 orders cannot reach a two-sided
    p below 2/24, whatever the data: few units are few units.

    Args:
        x, y: [S, K] per-seed values of the K units (the same units in the same order in both).
        n_perm: random permutations when K > 8 (default N_BOOT); seed: their seed.

    Returns:
        {"rho": mean ρ_s, "p": two-sided permutation p-value, "p_min": the smallest p any data could
        give with these units, "detectable": the smallest |ρ| the test calls at 5% (its permutation
        distribution's 95th percentile of |ρ|)}.

    Raises:
        ValueError: shapes differ, fewer than 3 units, or non-finite values.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 2 or x.shape[1] < 3:
        raise ValueError(f"permutation_spearman: x and y must be [S, K] with K >= 3 units, got {x.shape} and {y.shape}")
    _check_finite(x, "permutation_spearman (x)")
    _check_finite(y, "permutation_spearman (y)")
    K = x.shape[1]
    if K <= 8:
        perms = np.array(list(itertools.permutations(range(K))))
    else:
        rng = np.random.default_rng(seed)
        perms = np.argsort(rng.random((N_BOOT if n_perm is None else n_perm, K)), axis=1)
    rho = float(_rowwise_spearman(x, y).mean())
    null = np.abs(_rowwise_spearman(x[:, perms].transpose(1, 0, 2), y[None]).mean(1))  # [P]
    return {"rho": rho, "p": float(np.mean(null >= abs(rho) - 1e-12)),
            "p_min": float(np.mean(null >= null.max() - 1e-12)), "detectable": float(np.quantile(null, 0.95))}


def placement_test(count: int, k: int, part: int, L: int, level: float = 0.05) -> dict:
    """Are k chosen units of L placed in a part of `part` units less often than at random?

    Under random placement (every k-subset of the L units equally likely) the number in the part
    is hypergeometric: expected k * part / L. One-sided p-values both ways, and what the test can
    decide with these sizes at all.

    Returns:
        {"expected": k * part / L, "p_fewer": P(C <= count), "p_more": P(C >= count), "p_min":
        P(C = c_min), the smallest "fewer" p any placement could give (c_min = max(0, k + part - L):
        fewer cannot fall outside the part), and "detectable": the shortfall
        expected - c* of the largest count c* with P(C <= c*) < level (None when no count reaches it)}.

    Raises:
        ValueError: counts outside 0 <= count <= min(k, part), k, part <= L.
    """
    if not (0 < L and 0 <= k <= L and 0 <= part <= L and max(0, k + part - L) <= count <= min(k, part)):
        raise ValueError(f"placement_test: need max(0, k + part - L) <= count <= min(k, part) and k, part <= L; "
                         f"got count={count}, k={k}, part={part}, L={L}")
    dist = scipy.stats.hypergeom(L, part, k)
    expected = k * part / L
    deciding = [c for c in range(min(k, part) + 1) if dist.cdf(c) < level]
    return {"expected": expected, "p_fewer": float(dist.cdf(count)), "p_more": float(dist.sf(count - 1)),
            "p_min": float(dist.cdf(max(0, k + part - L))), "detectable": expected - max(deciding) if deciding else None}


# --------------------------------------------------------------------------- verdict intervals
#
# Every verdict that compares seeds decides from an `Interval`: the estimate with an interval
# whose half-width adds two levels, each with its own t quantile: the seed level (the
# statistic's variance across training seeds, S - 1 degrees of freedom) and the probe level
# (its jackknife variance over probe sequences, N - 1), half = sqrt(t_S^2 u + t_N^2 v)
# (docs/design.md "Intervals"). The same object gives the decision's p-value, its minimum
# detectable effect and the seeds that would decide it.

POWER = 0.8  # the power of `mde` and `seeds_needed`
MAX_SEEDS = 1000  # `seeds_needed` searches up to this many seeds


def _t(q: float, df: float) -> float:
    return float(scipy.special.stdtrit(df, q))  # the t quantile, as scipy.stats.t.ppf, without its overhead


class Interval(tuple):
    """(estimate, lo, hi) of one statistic, with the variance components that set its width.

    A tuple, so that it prints and unpacks as (estimate, lo, hi). `seed_var` is the variance of
    the statistic across training seeds (of one seed's value, not of their mean), `probe_var`
    the variance of the estimate from its probe sequences, `seeds` and `probes` their counts.
    """

    def __new__(cls, estimate, seed_var=0.0, probe_var=0.0, seeds=1, probes=0, ci=0.95):
        if not 0.0 < ci < 1.0:
            raise ValueError(f"interval: ci must be in (0, 1), got {ci}")
        est = float(estimate)
        parts = (float(seed_var), float(probe_var), int(seeds), int(probes), float(ci))
        half = cls._half(parts, (1 + ci) / 2, int(seeds))
        self = super().__new__(cls, (est, est - half, est + half))
        self.seed_var, self.probe_var, self.seeds, self.probes, self.ci = parts
        return self

    def __getnewargs__(self):
        return (self[0], self.seed_var, self.probe_var, self.seeds, self.probes, self.ci)

    @staticmethod
    def _half(parts, q: float, seeds: int) -> float:
        seed_var, probe_var, _, probes, _ = parts
        out = 0.0
        if seed_var > 0 and seeds > 1:
            out += _t(q, seeds - 1) ** 2 * seed_var / seeds
        if probe_var > 0 and probes > 1:
            out += _t(q, probes - 1) ** 2 * probe_var
        return float(np.sqrt(out))

    def half(self, q: float, seeds: int | None = None) -> float:
        """Half-width of the central interval of level 2q - 1, at `seeds` seeds (default its own)."""
        parts = (self.seed_var, self.probe_var, self.seeds, self.probes, self.ci)
        return self._half(parts, q, self.seeds if seeds is None else seeds)

    @property
    def se(self) -> float:
        return float(np.sqrt(self.seed_var / self.seeds + self.probe_var))


def seed_ci(a, b=None, ci: float = 0.95) -> Interval:
    """Mean of per-seed values (or of paired differences a - b) with a t-interval over seeds.

    The seeds are the units: S values give S - 1 degrees of freedom, so 3 seeds give
    t = 4.30 standard errors at 95%, not the seeds' [min, max] that a percentile bootstrap
    over 3 values returns (docs/design.md "Intervals"). Exact when the per-seed values are
    normal; `depthcore calibrate` measures it on the suite's own variances.

    Args:
        a: [S] one value per training seed, S >= 2.
        b: None, or [S] the paired arm's values (seed s of a and of b share the seed).
        ci: Coverage.

    Returns:
        Interval(mean, lo, hi) with `seed_var` the seeds' sample variance.

    Raises:
        ValueError: fewer than 2 seeds, arms of different lengths, or a non-finite value.
    """
    x = np.asarray(a, dtype=np.float64)
    if b is not None:
        y = np.asarray(b, dtype=np.float64)
        if y.shape != x.shape:
            raise ValueError(f"seed_ci: paired arms need one value per seed each; got {x.shape} and {y.shape}")
        x = x - y
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"seed_ci: needs one value per training seed for at least 2 seeds, got shape {x.shape}; "
                         "with one seed nothing measures how much a seed moves the result")
    _check_finite(x, "seed_ci")
    return Interval(float(x.mean()), float(x.var(ddof=1)), 0.0, x.size, 0, ci)


def _per_seq(arr, what: str) -> np.ndarray:
    x = np.asarray(arr, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or x.shape[1] < 2:
        raise ValueError(f"{what}: expected per-sequence profiles [S, N, L] or [N, L] with N >= 2 probe "
                         f"sequences, got shape {x.shape}")
    _check_finite(x, what)
    return x


def profile_ci(per_seq, depth, stat: Stat = fit_slope, minus=None, ci: float = 0.95) -> Interval:
    """A statistic of the mean depth profile, minus the paired arm's, with seed and probe variance.

    The estimate is stat(mean profile of a) - stat(mean profile of `minus`), the means taken over
    seeds and probe sequences. Its variance adds two levels (docs/design.md "Intervals"):

    - seeds: the sample variance over seeds of the per-seed statistic (each seed's mean
      profile), divided by S;
    - probe sequences: the jackknife variance over probe sequences, each left out of every
      seed and arm at once (the probe set is shared by a cell's seeds and arms).

    The half-width adds each level with its own t quantile, sqrt(t_{S-1}^2 u + t_{N-1}^2 v)
    (`Interval`); with one seed only the probe level counts.

    Args:
        per_seq: [S, N, L] (or [N, L], one seed) per-sequence per-layer values.
        depth: [L], passed to `stat`.
        stat: statistic of profiles, vectorised over leading dims ([..., L] -> [...]).
        minus: None, or the paired arm, same shape (same seeds, same probe sequences).
        ci: Coverage.

    Returns:
        The Interval.

    Raises:
        ValueError: fewer than 2 probe sequences, arms of different shapes, non-finite input.
    """
    a = _per_seq(per_seq, "profile_ci")
    b = None if minus is None else _per_seq(minus, "profile_ci (minus)")
    if b is not None and b.shape != a.shape:
        raise ValueError(f"profile_ci: paired arms need the same seeds and sequences; shapes {a.shape} vs {b.shape}")
    x = np.asarray(depth, dtype=np.float64)
    S, N = a.shape[:2]

    def value(profiles_a, profiles_b):
        out = _apply_stat(stat, profiles_a, x, "profile_ci")
        return out if b is None else out - _apply_stat(stat, profiles_b, x, "profile_ci")

    pooled = lambda arr: None if arr is None else arr.mean((0, 1))  # noqa: E731
    estimate = float(value(pooled(a), pooled(b)))
    per_seed = value(a.mean(1), None if b is None else b.mean(1))
    seed_var = float(per_seed.var(ddof=1)) if S > 1 else 0.0

    def left_out(arr):  # [N, L]: the pooled profile without probe sequence i, for each i
        return None if arr is None else (N * arr.mean((0, 1)) - arr.mean(0)) / (N - 1)

    jack = value(left_out(a), left_out(b))
    probe_var = float((N - 1) / N * ((jack - jack.mean()) ** 2).sum())
    return Interval(estimate, seed_var, probe_var, S, N, ci)


def p_value(iv: Interval) -> float:
    """Two-sided p-value of the interval's estimate against 0: 1 - the level whose interval just reaches 0."""
    target = abs(iv[0])
    if iv.half(0.75) == 0:
        return 1.0 if target == 0 else 0.0
    if iv.half(1 - 1e-15) <= target:
        return 0.0
    q = scipy.optimize.brentq(lambda q: iv.half(q) - target, 0.5, 1 - 1e-15)
    return float(2 * (1 - q))


def mde(iv: Interval, seeds: int | None = None, power: float = POWER) -> float:
    """Minimum detectable effect: the true effect the interval excludes 0 for with probability `power`,
    at `seeds` seeds (default the interval's own) and the measured variances: its half-width plus
    the half-width at the power quantile."""
    return iv.half((1 + iv.ci) / 2, seeds) + iv.half(power, seeds)


def seeds_needed(iv: Interval, effect: float | None = None, power: float = POWER) -> int | None:
    """The fewest training seeds at which `effect` (default the estimate) is decided with `power`.

    At the measured seed and probe variances. None when no number of seeds up to MAX_SEEDS
    does: the effect is 0, or the probe level alone keeps the interval wider (more probe
    sequences, not more seeds, would decide it).
    """
    target = abs(iv[0] if effect is None else effect)
    if target == 0 or iv.seed_var == 0 or mde(iv, MAX_SEEDS, power) > target:
        return None
    lo, hi = max(iv.seeds, 2), MAX_SEEDS
    if mde(iv, lo, power) <= target:
        return lo
    while hi - lo > 1:  # mde falls with seeds: bisect for the first count that reaches the target
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if mde(iv, mid, power) <= target else (mid, hi)
    return hi


def within(iv: Interval, margin: float) -> bool:
    """Equivalence: the interval lies inside (-margin, margin) (two one-sided tests at (1 - ci)/2 each)."""
    return -margin < iv[1] and iv[2] < margin


def bh_adjust(p) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (step-up, monotone, capped at 1), in the input order."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError(f"bh_adjust: expected a 1-D array of p-values, got shape {p.shape}")
    if p.size == 0:
        return p
    if np.any((p < 0) | (p > 1) | ~np.isfinite(p)):
        raise ValueError("bh_adjust: p-values must lie in [0, 1]")
    order = np.argsort(p)
    ranked = p[order] * p.size / np.arange(1, p.size + 1)
    adjusted = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    out = np.empty_like(p)
    out[order] = adjusted
    return out
