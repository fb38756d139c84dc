"""Per-layer change metrics: pure math on activations, logits and weights.

docs/design.md, "Definitions". Everything here is a function of tensors already in memory:
no model is loaded and nothing is run forwards (paper B's two probes, which run a model, are
in `depthcore.probes`).
`depthcore/profile.py` runs the models with hooks and calls these functions one probe batch at a time, so every activation
metric is *streaming*: per-sequence values for the batch at hand (the caller keeps the
N x L table the bootstrap in `stats.py` resamples) or, for CKA, a float64 accumulator
that never stores activations across batches.

Contents, with the definition each implements:

- `cosine_change`      representational change Delta_l (paper A, docs/design.md "Representational change")
- `MinibatchCKA`       linear CKA with the unbiased HSIC estimator, accumulated over minibatches
                       (Song et al. 2012; Nguyen, Raghu & Kornblith 2021)
- `weight_delta_stats` weight-delta statistics per layer (LoRA blog; docs/design.md "Weight-delta statistics")
- `lora_delta`, `lora_raw_delta_stats`   the same for LoRA adapters
- `semantic_deviation` d_l = ||h_l - h_{l-1}||_2 (paper C, docs/design.md "Semantic deviation")
- `kl_divergence`      KL(p || q) per sequence (paper B layer sensitivity; docs/design.md "Objective distance");
  `Reference` + `kl_from_reference` prepare p once for many q
- `random_direction_like`  the null perturbation (docs/design.md "Null profile and excess slope")
- `effective_rank`     entropy effective rank of a matrix (Roy & Vetterli 2007; docs/design.md "Diff")
- `energy_rank`, `delta_rank_stats`  the rank holding 90% of a matrix's energy; both ranks of a
  layer's weight change against Gaussian matrices' (docs/design.md "Intrinsic rank of the weight change")

Tensors follow the hooks' layout: hidden states `[B, T, D]`, attention mask `[B, T]` with
1 (or True) for a real token and 0 for padding.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch

__all__ = [
    "cosine_change",
    "hsic_unbiased",
    "MinibatchCKA",
    "weight_delta_stats",
    "lora_delta",
    "lora_raw_delta_stats",
    "semantic_deviation",
    "kl_divergence",
    "Reference",
    "kl_from_reference",
    "random_direction_like",
    "effective_rank",
    "energy_rank",
    "gaussian_ranks",
    "delta_rank_stats",
    "DELTA_STATS",
    "DELTA_RANK_STATS",
]

# The five per-matrix statistics of the LoRA blog (plus the relative norm docs/design.md adds),
# named once so results, baselines and tests agree on the keys.
DELTA_STATS = ("dW_mean", "dW_var", "dW_absmean", "dW_absvar", "dW_relnorm")
# The intrinsic rank of a layer's weight change (`delta_rank_stats`).
DELTA_RANK_STATS = ("dW_erank", "dW_erank_gauss", "dW_erank_ratio_max", "dW_rank90", "dW_rank90_gauss", "dW_lost_r")


# --------------------------------------------------------------------------- helpers


def _as_tensor(x) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(x)
    raise TypeError(f"expected a torch.Tensor or numpy.ndarray, got {type(x).__name__}")


def _compute_dtype(*xs: torch.Tensor) -> torch.dtype:
    # bf16/fp16 activations lose the small per-token differences we measure; float32 is the
    # floor, float64 is kept when the caller already paid for it.
    return torch.float64 if any(x.dtype == torch.float64 for x in xs) else torch.float32


def _real_mask(mask: torch.Tensor, shape: torch.Size, what: str) -> torch.Tensor:
    """Boolean [B, T] mask of real tokens; raises if any sequence has none."""
    mask = _as_tensor(mask)
    if tuple(mask.shape) != tuple(shape):
        raise ValueError(f"{what}: mask has shape {tuple(mask.shape)} but the states are {tuple(shape)} + [D]; "
                         "pass the attention mask of the same probe batch, [B, T]")
    real = mask != 0
    counts = real.sum(dim=-1)
    if bool((counts == 0).any()):
        empty = torch.nonzero(counts == 0).flatten().tolist()
        raise ValueError(f"{what}: sequence(s) {empty} have no real token (mask all 0); a per-sequence mean "
                         "over zero tokens is undefined — drop empty sequences from the probe batch")
    return real


def _hidden_pair(a, b, mask, what: str, names: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Two hidden-state tensors of one shape [B, T, D]: (a, b, real-token mask [B, T], compute dtype)."""
    a, b = _as_tensor(a), _as_tensor(b)
    if a.shape != b.shape or a.dim() != 3:
        raise ValueError(f"{what}: {names} must both be [B, T, D]; got {tuple(a.shape)} and {tuple(b.shape)}")
    return a, b, _real_mask(mask, a.shape[:2], what), _compute_dtype(a, b)


def _masked_seq_mean(per_token: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    # torch.where, not multiplication: padded positions may hold inf/NaN (e.g. a model that
    # never writes them) and 0 * NaN would leak into the mean.
    per_token = torch.where(real, per_token, torch.zeros((), dtype=per_token.dtype, device=per_token.device))
    return per_token.sum(dim=-1) / real.sum(dim=-1).to(per_token.dtype)


# --------------------------------------------------------------------------- cosine change


def cosine_change(h_pre: torch.Tensor, h_post: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Per-sequence representational change, mean over real tokens of 1 - cos(h_pre, h_post).

    Paper A ("Decomposing the Depth Profile of Fine-Tuning"), docs/design.md "Representational
    change": Delta_l = mean over probe tokens (padding excluded) of
    1 - cos(h_l^pre, h_l^post), the same inputs through the model before and after
    fine-tuning. This returns the per-sequence means of one layer for one probe batch; the
    caller stacks them into the N x L table that `stats.bootstrap_slope` resamples.

    Zero-norm states are defined, never NaN: two zero vectors have not changed (distance 0);
    a zero and a non-zero vector are orthogonal by convention (distance 1). The distance is
    computed as ||u - v||^2 / 2 with u, v the unit vectors, which equals 1 - cos exactly in
    real arithmetic but keeps full relative precision for the tiny changes a fine-tune
    makes, where 1 - cos would cancel catastrophically in float32. Each token is first
    divided by its max-abs entry so that neither very large nor very small states overflow
    or underflow the norm.

    Args:
        h_pre: Hidden states before fine-tuning, [B, T, D].
        h_post: Hidden states after fine-tuning, [B, T, D], same probe inputs.
        mask: Attention mask [B, T], nonzero for real tokens. Values of h at padded
            positions never affect the result (they may even be inf or NaN).

    Returns:
        Tensor [B] of per-sequence means in [0, 2], float32 (float64 if an input is
        float64), on the inputs' device.

    Raises:
        ValueError: On shape mismatch, or if a sequence has no real token.
    """
    h_pre, h_post, real, dtype = _hidden_pair(h_pre, h_post, mask, "cosine_change", "h_pre and h_post")
    real = real.to(h_pre.device)
    u, u_zero = _unit(h_pre.to(dtype), real)
    v, v_zero = _unit(h_post.to(dtype), real)
    dist = 0.5 * (u - v).pow(2).sum(dim=-1)
    # Exactly one side zero: cos := 0 (distance 1); both zero: u = v = 0 already gives 0.
    dist = torch.where(u_zero ^ v_zero, torch.ones((), dtype=dtype, device=dist.device), dist)
    dist = dist.clamp(0.0, 2.0)
    return _masked_seq_mean(dist, real)


def _unit(h: torch.Tensor, real: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Unit vectors of the real tokens (0 for zero or padded tokens) and the zero-token mask."""
    zero = torch.zeros((), dtype=h.dtype, device=h.device)
    h = torch.where(real[..., None], h, zero)
    scale = h.abs().amax(dim=-1, keepdim=True)
    is_zero = scale[..., 0] == 0
    h = h / torch.where(scale > 0, scale, torch.ones_like(scale))
    norm = torch.linalg.vector_norm(h, dim=-1, keepdim=True)
    h = h / torch.where(norm > 0, norm, torch.ones_like(norm))
    return h, is_zero


# --------------------------------------------------------------------------- CKA


def _check_gram(K: torch.Tensor, L: torch.Tensor, what: str) -> int:
    if K.dim() != 2 or K.shape[0] != K.shape[1] or K.shape != L.shape:
        raise ValueError(f"{what}: expected two square Gram matrices of the same size, got {tuple(K.shape)} "
                         f"and {tuple(L.shape)}")
    return K.shape[0]


def hsic_unbiased(K: torch.Tensor, L: torch.Tensor) -> torch.Tensor:
    """Unbiased HSIC estimator HSIC_1 of two Gram matrices (float64).

    Song, Smola, Gretton, Bedo & Borgwardt 2012, "Feature selection via dependence
    maximization", JMLR 13, eq. (5); used by Nguyen, Raghu & Kornblith 2021 ("Do wide and
    deep networks learn the same things?", eq. 3) for minibatch CKA:

        HSIC_1(K, L) = [ tr(K~ L~) + (1'K~1)(1'L~1) / ((n-1)(n-2)) - 2/(n-2) 1'K~L~1 ] / (n(n-3))

    where K~, L~ are K, L with their diagonals set to zero. It is a U-statistic, so
    unlike the biased HSIC_0 its expectation is 0 for independent representations.

    Args:
        K: Gram matrix [n, n] (for linear CKA, X X^T).
        L: Gram matrix [n, n].

    Returns:
        0-dim float64 tensor.

    Raises:
        ValueError: If n < 4 (the estimator divides by n - 3).
    """
    K, L = _as_tensor(K).to(torch.float64), _as_tensor(L).to(torch.float64)
    n = _check_gram(K, L, "hsic_unbiased")
    if n < 4:
        raise ValueError(f"hsic_unbiased: the unbiased HSIC estimator needs n >= 4 rows (it divides by n-3), "
                         f"got n={n}; use larger minibatches")
    K = K - torch.diag_embed(torch.diagonal(K))
    L = L - torch.diag_embed(torch.diagonal(L))
    k1, l1 = K.sum(dim=0), L.sum(dim=0)
    value = (K * L).sum() + k1.sum() * l1.sum() / ((n - 1) * (n - 2)) - 2.0 * (k1 @ l1) / (n - 2)
    return value / (n * (n - 3))


def _check_features(X, Y, what: str) -> tuple[torch.Tensor, torch.Tensor]:
    X, Y = _as_tensor(X), _as_tensor(Y)
    if X.dim() != 2 or Y.dim() != 2 or X.shape[0] != Y.shape[0]:
        raise ValueError(f"{what}: expected X [n, d1] and Y [n, d2] with the same n (row i = the same token "
                         f"on both sides), got {tuple(X.shape)} and {tuple(Y.shape)}")
    # Both sides onto one device; float64 because the unbiased estimator is a difference
    # of large terms.
    return X.to(torch.float64), Y.to(X.device, torch.float64)


def _hsic1_linear_triplet(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    """[HSIC_1(K,L), HSIC_1(K,K), HSIC_1(L,L)] for K = X X', L = Y Y' (float64 tensor [3]).

    Same value as `hsic_unbiased` on the Gram matrices, computed without forming them when
    the features are narrower than the minibatch: every term of Song et al.'s eq. (5) is a
    feature-space product, e.g. tr(K~L~) = ||X'Y||_F^2 - sum_i ||x_i||^2 ||y_i||^2 and
    K~1 = X(X'1) - diag(K). Memory is O(d1 d2) instead of O(n^2); that is what lets a
    GPU probe batch of thousands of tokens through.
    """
    n = X.shape[0]
    if n < 4:
        raise ValueError(f"MinibatchCKA: the unbiased HSIC estimator needs n >= 4 token rows per "
                         f"minibatch (it divides by n-3), got n={n}; use larger probe batches")
    # HSIC_1 is invariant to translating the rows (U-centering removes it); centering first
    # makes the terms that cancel below small, which is where float64 precision would go.
    X = X - X.mean(dim=0, keepdim=True)
    Y = Y - Y.mean(dim=0, keepdim=True)
    d1, d2 = X.shape[1], Y.shape[1]
    if n * (d1 + d2) <= d1 * d1 + d2 * d2 + d1 * d2:
        K, L = X @ X.T, Y @ Y.T
        return torch.stack([hsic_unbiased(K, L), hsic_unbiased(K, K), hsic_unbiased(L, L)])
    kd = (X * X).sum(dim=1)  # diag(K)
    ld = (Y * Y).sum(dim=1)
    a = X @ X.sum(dim=0) - kd  # K~ 1
    b = Y @ Y.sum(dim=0) - ld  # L~ 1

    def h1(tr: torch.Tensor, p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
        return (tr + p.sum() * q.sum() / ((n - 1) * (n - 2)) - 2.0 * (p @ q) / (n - 2)) / (n * (n - 3))

    tr_kl = (X.T @ Y).pow(2).sum() - kd @ ld
    tr_kk = (X.T @ X).pow(2).sum() - kd @ kd
    tr_ll = (Y.T @ Y).pow(2).sum() - ld @ ld
    return torch.stack([h1(tr_kl, a, b), h1(tr_kk, a, a), h1(tr_ll, b, b)])


def _cka_ratio(hxy: float, hxx: float, hyy: float, what: str) -> float:
    denom = hxx * hyy
    if not denom > 0.0:
        raise ValueError(f"{what}: CKA is undefined because a representation has zero (estimated) self-HSIC "
                         f"(HSIC(K,K)={hxx:.3g}, HSIC(L,L)={hyy:.3g}): all its token rows are identical, e.g. a "
                         "constant or all-zero layer output")
    return float(hxy / math.sqrt(denom))


class MinibatchCKA:
    """Linear CKA accumulated over minibatches with the unbiased HSIC estimator.

    Nguyen, Raghu & Kornblith 2021, "Do wide and deep networks learn the same things?",
    Sec. 3.1 eq. (3), and the google-research implementation
    (`do_wide_and_deep_networks_learn_the_same_things/efficient_CKA.py`, `MinibatchCKA`):

        CKA_minibatch = (1/k sum_i HSIC_1(K_i, L_i))
                        / sqrt( (1/k sum_i HSIC_1(K_i, K_i)) (1/k sum_i HSIC_1(L_i, L_i)) )

    with K_i = X_i X_i^T, L_i = Y_i Y_i^T of minibatch i. Each `update` adds the three
    HSIC_1 values of one minibatch to float64 running sums and keeps nothing else, so no
    activation outlives its probe batch (docs/design.md "Representational change"). Each
    minibatch counts equally whatever its token count, as in the paper; the 1/k cancels.

    Note this is *not* the full-data CKA of the concatenated activations: HSIC_1 over all
    rows would also use cross-batch pairs. It is an unbiased estimate of the same
    population quantity, and for a single minibatch equals the linear CKA of that minibatch
    (tests/cka_reference.py `linear_cka`).

    One instance holds `n_layers` independent accumulators (pre vs post of each layer):

        cka = MinibatchCKA(n_layers=L)
        for batch in probe_batches:
            real = mask.bool()  # padding left out; row i is the same token on both sides
            for l in range(L):
                cka.update(l, pre[l][real], post[l][real])
        distance = 1 - cka.values()

    With `n_layers=1` the layer argument may be omitted: `update(X, Y)`, `value()`.

    Args:
        n_layers: Number of independent (X, Y) comparisons accumulated side by side.
    """

    def __init__(self, n_layers: int = 1):
        if int(n_layers) < 1:
            raise ValueError(f"MinibatchCKA: n_layers must be >= 1, got {n_layers}")
        self.n_layers = int(n_layers)
        # Columns: sum HSIC_1(K,L), sum HSIC_1(K,K), sum HSIC_1(L,L). Kept on the CPU in
        # float64: three numbers per layer, synced once per update.
        self.hsic_sums = np.zeros((self.n_layers, 3), dtype=np.float64)
        self.n_batches = np.zeros(self.n_layers, dtype=np.int64)

    def update(self, *args) -> None:
        """Add one minibatch: `update(layer, X, Y)`, or `update(X, Y)` when n_layers == 1.

        Args:
            layer: Layer index in [0, n_layers).
            X: [n, d1] tokens of the minibatch (e.g. `h_pre[mask.bool()]`: the real tokens), n >= 4.
            Y: [n, d2], the same tokens on the other side.

        Raises:
            ValueError: n < 4, mismatched rows, or a missing/out-of-range layer index.
        """
        if len(args) == 2:
            if self.n_layers != 1:
                raise ValueError(f"MinibatchCKA.update: this accumulator has {self.n_layers} layers; call "
                                 "update(layer, X, Y)")
            layer, (X, Y) = 0, args
        elif len(args) == 3:
            layer, X, Y = args
        else:
            raise TypeError("MinibatchCKA.update takes (layer, X, Y) or, with n_layers=1, (X, Y)")
        if not 0 <= int(layer) < self.n_layers:
            raise ValueError(f"MinibatchCKA.update: layer {layer} is out of range [0, {self.n_layers})")
        X, Y = _check_features(X, Y, "MinibatchCKA.update")
        self.hsic_sums[int(layer)] += _hsic1_linear_triplet(X, Y).cpu().numpy()
        self.n_batches[int(layer)] += 1

    def values(self) -> np.ndarray:
        """CKA of every layer, float64 array [n_layers].

        Raises:
            ValueError: If a layer has no minibatch yet or has zero self-HSIC.
        """
        if (self.n_batches == 0).any():
            missing = np.nonzero(self.n_batches == 0)[0].tolist()
            raise ValueError(f"MinibatchCKA: layer(s) {missing} have received no minibatch; call update first")
        return np.array([_cka_ratio(*row, f"MinibatchCKA layer {i}") for i, row in enumerate(self.hsic_sums)])

    def value(self) -> float:
        """CKA of the single accumulated comparison (n_layers == 1)."""
        if self.n_layers != 1:
            raise ValueError(f"MinibatchCKA.value: this accumulator has {self.n_layers} layers; use values()")
        return float(self.values()[0])


# --------------------------------------------------------------------------- weight deltas


def _delta_moments(delta: torch.Tensor, reference: torch.Tensor) -> dict[str, float]:
    """The five LoRA-blog statistics of one delta tensor (float64)."""
    d = delta.to(torch.float64)
    ad = d.abs()
    dnorm = float(torch.linalg.vector_norm(d))
    rnorm = float(torch.linalg.vector_norm(reference.to(torch.float64)))
    return {
        "dW_mean": float(d.mean()),
        "dW_var": float(d.var(correction=0)),
        "dW_absmean": float(ad.mean()),
        "dW_absvar": float(ad.var(correction=0)),
        "dW_relnorm": _ratio(dnorm, rnorm),
    }


def _ratio(num: float, den: float) -> float:
    # A zero reference (e.g. LoRA's B, initialised to zero) has no finite relative change;
    # inf says so loudly where 0/0 would be a silent NaN.
    if den > 0.0:
        return num / den
    return 0.0 if num == 0.0 else math.inf


def weight_delta_stats(before: Mapping[str, torch.Tensor], after: Mapping[str, torch.Tensor]) -> dict[str, float]:
    """Weight-delta statistics of one layer, as in the LoRA weight-change-by-layer blog.

    LoRA blog "lora-weight-change-by-layer" (Analysis & Metrics) and docs/design.md
    "Weight-delta statistics": for each weight matrix of the layer, dW = W_after - W_before;
    compute mean(dW), var(dW) (population, ddof=0), mean|dW|, var|dW| and
    ||dW||_F / ||W_before||_F; average each over the layer's matrices. Only tensors with
    >= 2 dims are weight matrices here (biases and norm gains would swamp the means).

    Also `rel_update` = ||concat dW|| / ||concat W_before|| over *all* the layer's tensors:
    the cumulative relative weight change of the layer, the quantity the equal-step control
    equalises per step (docs/design.md "Equal-step control", r_l).

    Args:
        before: Parameter name -> tensor of the layer before fine-tuning.
        after: Same names -> tensors after fine-tuning.

    Returns:
        Dict with keys `DELTA_STATS` + ("rel_update",), Python floats. dW_relnorm and
        rel_update are inf when the reference norm is 0 and the delta is not (0 if both).

    Raises:
        ValueError: If the names or shapes differ, or the layer has no >= 2-D tensor.
    """
    if set(before) != set(after):
        raise ValueError(f"weight_delta_stats: before and after name different tensors: only before "
                         f"{sorted(set(before) - set(after))}, only after {sorted(set(after) - set(before))}")
    per_matrix = []
    d_sq = w_sq = 0.0
    for name in before:
        w0, w1 = _as_tensor(before[name]), _as_tensor(after[name])
        if w0.shape != w1.shape:
            raise ValueError(f"weight_delta_stats: {name!r} changed shape {tuple(w0.shape)} -> {tuple(w1.shape)}")
        w0 = w0.to(torch.float64)
        d = w1.to(w0.device, torch.float64) - w0
        d_sq += float(d.pow(2).sum())
        w_sq += float(w0.pow(2).sum())
        if d.dim() >= 2:
            per_matrix.append(_delta_moments(d, w0))
    if not per_matrix:
        raise ValueError(f"weight_delta_stats: no weight matrix (>= 2-D tensor) among {sorted(before)}; "
                         "pass the layer's full parameter dict")
    out = {k: float(np.mean([m[k] for m in per_matrix])) for k in DELTA_STATS}
    out["rel_update"] = _ratio(math.sqrt(d_sq), math.sqrt(w_sq))
    return out


def lora_delta(A: torch.Tensor, B: torch.Tensor, alpha: float, r: int, rslora: bool = False) -> torch.Tensor:
    """Effective weight update of a LoRA adapter, dW = (alpha / r) B A.

    Hu et al. 2021 (LoRA), h = W x + (alpha/r) B A x; docs/design.md "Weight-delta statistics"
    (for LoRA, dW = (alpha/r) B A). Shapes follow peft: `lora_A.weight` is [r, in],
    `lora_B.weight` is [out, r], so dW has W's shape [out, in].

    Args:
        A: [r, in].
        B: [out, r].
        alpha: `lora_alpha`.
        r: Rank.
        rslora: peft's `use_rslora=True` scales by alpha / sqrt(r) instead.

    Returns:
        [out, in] tensor, float32 at least (float64 if A or B is).

    Raises:
        ValueError: If the shapes do not fit rank r.
    """
    A, B = _as_tensor(A), _as_tensor(B)
    if A.dim() != 2 or B.dim() != 2 or A.shape[0] != r or B.shape[1] != r:
        raise ValueError(f"lora_delta: expected A [r, in] and B [out, r] with r={r} (peft lora_A/lora_B "
                         f"weights), got A {tuple(A.shape)} and B {tuple(B.shape)}")
    dtype = _compute_dtype(A, B)
    scale = alpha / math.sqrt(r) if rslora else alpha / r
    return scale * (B.to(dtype) @ A.to(B.device, dtype))


def lora_raw_delta_stats(A0, A1, B0, B1) -> dict[str, float]:
    """The LoRA blog's statistics on the raw adapter deltas A1 - A0 and B1 - B0.

    LoRA blog "lora-weight-change-by-layer": the blog computed mean, var, mean|.|, var|.|
    on each adapter matrix's own delta; docs/design.md asks for them beside the effective
    dW = (alpha/r) B A (`lora_delta` + `weight_delta_stats`). They are not the same thing:

    - peft initialises B to zero, so dB = B1 exactly and B_dW_relnorm is inf (its
      reference norm is 0); dB measures how far B grew from nothing, not a relative change.
    - A starts random (Kaiming-uniform), so dA is judged against A's init scale, and early
      in training it multiplies a near-zero B: a large dA can leave the function unchanged.
    - Only the effective dW = (alpha/r)(B1 A1 - B0 A0) changes what the layer computes; the
      raw deltas describe the optimiser's path in adapter space.

    Args:
        A0, A1: lora_A weights [r, in] before/after, or dicts name -> tensor for all the
            adapters of one layer (then the statistics are averaged over them, as the blog
            averaged q/k/v/o/up/down per layer).
        B0, B1: lora_B weights [out, r] before/after, same form as A.

    Returns:
        Dict with keys "A_" + s and "B_" + s for s in `DELTA_STATS`.
    """
    out: dict[str, float] = {}
    for prefix, w0, w1 in (("A_", A0, A1), ("B_", B0, B1)):
        if not isinstance(w0, Mapping):
            w0, w1 = {"w": w0}, {"w": w1}
        stats = weight_delta_stats(w0, w1)
        out.update({prefix + k: stats[k] for k in DELTA_STATS})
    return out


# --------------------------------------------------------------------------- semantic deviation, KL


def semantic_deviation(h_prev: torch.Tensor, h_l: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Per-sequence semantic deviation of a layer, mean over real tokens of ||h_l - h_{l-1}||_2.

    Paper C ("A Semantic-Aware Layer-Freezing Approach to Computation-Efficient
    Fine-Tuning of Language Models", ACL 2025), "Transition traces and semantic deviation":
    d_l = ||h_l - h_{l-1}||, with the pretrained model on the fine-tuning data, one
    forward pass (docs/design.md "Semantic deviation"). h_{l-1} is the layer's input (the
    embeddings for l = 1).

    Combining batches: this returns per-sequence means. The paper's d_l is a mean over
    *tokens*; to get it, weight each sequence by its token count,
    d_l = sum_b dev_b n_b / sum_b n_b with n_b = (mask != 0).sum(-1). The unweighted mean of
    the returned values is the per-sequence average instead (what the bootstrap resamples).

    Args:
        h_prev: Layer input h_{l-1}, [B, T, D].
        h_l: Layer output h_l, [B, T, D].
        mask: [B, T], nonzero for real tokens.

    Returns:
        Tensor [B], float32 (float64 if an input is float64).

    Raises:
        ValueError: On shape mismatch or a sequence with no real token.
    """
    h_prev, h_l, real, dtype = _hidden_pair(h_prev, h_l, mask, "semantic_deviation", "h_prev and h_l")
    real = real.to(h_l.device)
    diff = h_l.to(dtype) - h_prev.to(h_l.device, dtype)
    diff = torch.where(real[..., None], diff, torch.zeros((), dtype=dtype, device=diff.device))
    return _masked_seq_mean(torch.linalg.vector_norm(diff, dim=-1), real)


def kl_divergence(logits_p: torch.Tensor, logits_q: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Per-sequence mean over real tokens of KL(p || q), from logits.

    Paper B ("Freeze Deep, Train Shallow", LayerTracer): layer sensitivity LS is the change
    of the output distribution when one layer's weights are perturbed, measured here as
    KL(p_clean || p_perturbed) (docs/design.md "Layer sensitivity"). docs/design.md "Objective
    distance": KL(p_target || p_theta0); for one-hot targets pass target logits of 0 at the
    target and -inf elsewhere, and this equals the cross-entropy.

    KL(p || q) = sum_v p_v (log p_v - log q_v), with log-probabilities from log_softmax in
    float32 at least. Terms with p_v = 0 contribute 0 (so -inf logits in p are fine); a
    q_v = 0 where p_v > 0 gives +inf, which is the correct value.

    Args:
        logits_p: [B, T, V] (or [B, V], one distribution per example).
        logits_q: Same shape.
        mask: [B, T], nonzero for real tokens; None for [B, V] inputs or when every
            position is real.

    Returns:
        Tensor [B], >= 0.

    Raises:
        ValueError: On shape mismatch or a sequence with no real token.
    """
    logits_p, logits_q = _as_tensor(logits_p), _as_tensor(logits_q)
    if logits_p.shape != logits_q.shape or logits_p.dim() not in (2, 3):
        raise ValueError(f"kl_divergence: logits_p and logits_q must both be [B, T, V] or [B, V]; got "
                         f"{tuple(logits_p.shape)} and {tuple(logits_q.shape)}")
    return kl_from_reference(Reference.of(logits_p, _compute_dtype(logits_p, logits_q)), logits_q, mask)


@dataclass(frozen=True)
class Reference:
    """The reference distribution p of KL(p || q), prepared once for comparisons with many q."""

    logp: torch.Tensor  # log_softmax of p's logits, in the compute dtype
    p: torch.Tensor  # exp(logp)
    outside: torch.Tensor  # where p_v = 0 (logp = -inf; NaN logits count as outside too)

    @classmethod
    def of(cls, logits: torch.Tensor, dtype: torch.dtype | None = None) -> "Reference":
        logits = _as_tensor(logits)
        logp = torch.log_softmax(logits.to(dtype or _compute_dtype(logits)), dim=-1)
        return cls(logp, logp.exp(), ~(logp > -math.inf))


def kl_from_reference(ref: Reference, logits_q: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """`kl_divergence` with p given as a prepared `Reference` (the same numbers, bit for bit)."""
    logits_q = _as_tensor(logits_q)
    if ref.logp.shape != logits_q.shape or logits_q.dim() not in (2, 3):
        raise ValueError(f"kl_divergence: logits_p and logits_q must both be [B, T, V] or [B, V]; got "
                         f"{tuple(ref.logp.shape)} and {tuple(logits_q.shape)}")
    logq = torch.log_softmax(logits_q.to(ref.logp.device, ref.logp.dtype), dim=-1)
    terms = logq.neg_().add_(ref.logp).mul_(ref.p)  # p (log p - log q), in place: q's logits are V wide
    # 0 * log 0 = 0 by continuity; computing it would give 0 * (-inf) = NaN.
    kl = terms.masked_fill_(ref.outside, 0.0).sum(dim=-1)
    kl = kl.clamp_min(0.0)  # rounding can leave -1e-9 where p == q
    if kl.dim() == 1:
        if mask is not None:
            raise ValueError("kl_divergence: a mask applies to [B, T, V] logits only")
        return kl
    if mask is None:
        mask = torch.ones(kl.shape, dtype=torch.bool, device=kl.device)
    real = _real_mask(mask, kl.shape, "kl_divergence").to(kl.device)
    return _masked_seq_mean(kl, real)


# --------------------------------------------------------------------------- null direction


def random_direction_like(delta: Sequence[torch.Tensor], generator: torch.Generator) -> list[torch.Tensor]:
    """A seeded Gaussian random direction with the same total norm as a layer's real update.

    docs/design.md "Null profile and excess slope": change compounds through the residual
    stream, so even a random perturbation gives a positive slope. Each layer is moved by a
    random direction with the same ||dW_l|| as the real fine-tune (the Frobenius norm over
    all of the layer's tensors together), and the perturbed model is profiled the same way.
    The direction is isotropic over the concatenated parameters (iid N(0, 1) entries,
    rescaled once for the whole layer), so tensors keep their shapes but not their
    individual norms.

    Args:
        delta: The real fine-tune's dW tensors of one layer (W_after - W_before).
        generator: torch.Generator that seeds the draw; the noise is drawn on its device in
            float64 and moved to each tensor's device and dtype.

    Returns:
        List of tensors, same shapes/dtypes/devices as `delta`, whose joint Frobenius norm
        equals that of `delta` (to the rounding of the output dtype). A zero delta gives
        zeros.
    """
    deltas = [_as_tensor(d) for d in delta]
    target = math.sqrt(sum(float(d.to(torch.float64).pow(2).sum()) for d in deltas))
    if target == 0.0:
        return [torch.zeros_like(d) for d in deltas]
    noise = [torch.randn(d.shape, generator=generator, dtype=torch.float64, device=generator.device)
             for d in deltas]
    norm = math.sqrt(sum(float(z.pow(2).sum()) for z in noise))
    if norm == 0.0:  # only possible if every tensor is empty, which the target check excludes
        raise ValueError("random_direction_like: drew an all-zero direction")
    return [(z * (target / norm)).to(d.device, d.dtype) for z, d in zip(noise, deltas)]


def _singular_values(matrix, name: str) -> torch.Tensor:
    """The singular values of a 2-D matrix in float64, largest first, from the eigenvalues σ² of
    the smaller Gram matrix (M Mᵀ or Mᵀ M): a third of an SVD's time, the same σ to ~1e-14 of the
    largest; eigenvalues below the Gram matrix's rounding (min(m, n)·eps·σ_max²) count as 0."""
    m = _as_tensor(matrix).to(torch.float64)
    if m.dim() != 2 or m.numel() == 0:
        raise ValueError(f"{name}: needs a non-empty 2-D matrix, got shape {tuple(m.shape)}")
    if not bool(torch.isfinite(m).all()):
        raise ValueError(f"{name}: the matrix has a non-finite entry")
    gram = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    ev = torch.linalg.eigvalsh(gram).flip(0)
    floor = float(ev.max()) * min(m.shape) * torch.finfo(torch.float64).eps
    return torch.where(ev > floor, ev, torch.zeros_like(ev)).sqrt()


def effective_rank(matrix) -> float:
    """Entropy effective rank of a 2-D matrix (Roy & Vetterli 2007, "The effective rank").

    docs/design.md "Diff": with σ the singular values and p = σ / Σσ,

        erank = exp(H(p)),   H(p) = -Σ_i p_i ln p_i   (0 ln 0 = 0)

    It lies in [1, min(m, n)] for a non-zero matrix: 1 for rank one, n for an n x n identity (or
    any matrix with n equal singular values), and it does not change when the matrix is scaled.
    A zero matrix has no direction at all and gets 0.

    Args:
        matrix: [m, n] tensor or array.

    Returns:
        The effective rank as a Python float.

    Raises:
        ValueError: the input is not 2-D, is empty, or has a non-finite entry.
    """
    return _erank(_singular_values(matrix, "effective_rank"))


def _erank(s: torch.Tensor) -> float:
    total = float(s.sum())
    if total == 0.0:
        return 0.0
    p = s[s > 0] / total
    return float(torch.exp(-(p * p.log()).sum()))


# The share of a matrix's energy (squared Frobenius norm) that `energy_rank` counts directions up to.
RANK_ENERGY = 0.9


def energy_rank(matrix, share: float = RANK_ENERGY) -> int:
    """The number of singular directions that hold `share` of a matrix's energy ||M||_F² = Σσ²:
    the smallest k with σ_1² + … + σ_k² ≥ share · Σσ² (docs/design.md "Intrinsic rank of the
    weight change"). The best rank-k approximation of M loses exactly the rest, so this is the
    rank LoRA would need to keep `share` of M. In [1, min(m, n)] for a non-zero matrix, 0 for a
    zero matrix; unchanged when the matrix is scaled.

    Raises:
        ValueError: the input is not a non-empty finite 2-D matrix, or `share` is not in (0, 1].
    """
    if not 0 < share <= 1:
        raise ValueError(f"energy_rank: share={share!r} must be in (0, 1], e.g. {RANK_ENERGY}")
    return _energy_rank(_singular_values(matrix, "energy_rank"), share)


def _energy_rank(s: torch.Tensor, share: float = RANK_ENERGY) -> int:
    energy = s.pow(2)
    total = float(energy.sum())
    if total == 0.0:
        return 0
    held = torch.cumsum(energy, 0) / total
    # rounding in the cumulative sum must not push the full rank one past the end
    return min(int((held < share * (1 - 1e-12)).sum()) + 1, int((energy > 0).sum()))


def gaussian_ranks(shape: tuple[int, int], memo: dict | None = None) -> tuple[float, int]:
    """`effective_rank` and `energy_rank` of a seeded standard Gaussian matrix of `shape`: the ranks
    of a matrix with no structure, against which a weight change's are read. Both are scale-free,
    so this is also the Gaussian matrix of any norm; `memo` keeps one draw per shape."""
    memo = {} if memo is None else memo
    if shape not in memo:
        gen = torch.Generator().manual_seed(int(np.prod(shape)) % (2**31))
        s = _singular_values(torch.randn(shape, generator=gen, dtype=torch.float64), "gaussian_ranks")
        memo[shape] = _erank(s), _energy_rank(s)
    return memo[shape]


def delta_rank_stats(before: Mapping[str, torch.Tensor], after: Mapping[str, torch.Tensor], r: int,
                     memo: dict | None = None) -> dict[str, float]:
    """The intrinsic rank of one layer's weight change, over its weight matrices that changed
    (tensors of 2 or more dimensions, each read as [shape[0], rest]) (docs/design.md "Intrinsic rank of the weight change"):

    - `dW_erank` / `dW_erank_gauss`: mean `effective_rank` of ΔW, and of Gaussian matrices of the
      same shapes;
    - `dW_erank_ratio_max`: the largest erank(ΔW) / erank(Gaussian) of one matrix;
    - `dW_rank90` / `dW_rank90_gauss`: the largest `energy_rank` of one ΔW, and of a Gaussian
      matrix of the same shape (its largest over the same matrices);
    - `dW_lost_r`: the largest share of one ΔW's energy outside its best rank-`r` approximation
      (what a rank-r update such as LoRA's cannot hold, Eckart-Young): 1 - Σ_{i<=r} σ_i² / Σ σ_i².

    All 0 when no matrix changed (a frozen layer). `memo`: `gaussian_ranks`' draws, shared across layers.
    """
    changed = [n for n, w in before.items() if w.dim() >= 2 and not torch.equal(w, after[n])]
    if not changed:
        return dict.fromkeys(DELTA_RANK_STATS, 0.0)
    memo = {} if memo is None else memo
    ranks = []
    for n in changed:
        delta = (after[n] - before[n]).reshape(before[n].shape[0], -1)
        s = _singular_values(delta, f"delta_rank_stats ({n})")
        energy = s.pow(2)
        lost = float(energy[r:].sum() / energy.sum())
        ranks.append((_erank(s), _energy_rank(s), *gaussian_ranks(tuple(delta.shape), memo), lost))
    erank, rank90, erank_g, rank90_g, lost = (np.array(col, dtype=np.float64) for col in zip(*ranks))
    return {"dW_erank": float(erank.mean()), "dW_erank_gauss": float(erank_g.mean()),
            "dW_erank_ratio_max": float((erank / erank_g).max()), "dW_rank90": float(rank90.max()),
            "dW_rank90_gauss": float(rank90_g.max()), "dW_lost_r": float(lost.max())}
