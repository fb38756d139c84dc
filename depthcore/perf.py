"""Performance arithmetic: training FLOPs per token, model FLOPs utilisation, linear fits.

Used by the perf benchmarks in `bench/test_perf_*.py`; nothing here runs a model.

- `flops_per_token` -- training FLOPs of a decoder per token, PaLM's estimate (Chowdhery et
  al. 2022, "PaLM", Appendix B; the same as nanoGPT's `estimate_mfu`): 6N for the weight
  matmuls (2N forward, 4N backward) plus 12·L·H·Q·T for attention (QK^T and AV, forward and
  backward, full T x T scores with no causal discount), N the non-embedding-lookup
  parameters, L layers, H heads of size Q, T the sequence length.
- `mfu` -- achieved FLOP/s over the device's dense peak (H100 SXM bf16: 989 TFLOP/s).
- `linear_fit` -- OLS line and R², to check that a cost grows linearly with its size.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

H100_BF16_PEAK = 989e12  # FLOP/s, H100 SXM dense bf16 tensor cores (no sparsity)


def flops_per_token(n_params: int, n_layers: int, n_heads: int, head_dim: int, seq_len: int) -> float:
    """Training FLOPs per token: 6N + 12·L·H·Q·T (PaLM, Appendix B).

    Args:
        n_params: N, parameters that take part in matmuls. nanoGPT counts every parameter
            but the position embeddings (tied token embeddings are the LM head's matmul).
        n_layers: L, number of blocks.
        n_heads: H, attention heads per block.
        head_dim: Q, size of one head (d_model / H).
        seq_len: T, tokens per training sequence.

    Returns:
        FLOPs per token of one training step (forward + backward).

    Raises:
        ValueError: on a negative or zero size.
    """
    for name, v in (("n_params", n_params), ("n_layers", n_layers), ("n_heads", n_heads),
                    ("head_dim", head_dim), ("seq_len", seq_len)):
        if v <= 0:
            raise ValueError(f"flops_per_token: {name}={v} must be positive")
    return 6.0 * n_params + 12.0 * n_layers * n_heads * head_dim * seq_len


def mfu(tokens_per_second: float, n_params: int, n_layers: int, n_heads: int, head_dim: int, seq_len: int,
        peak_flops: float = H100_BF16_PEAK) -> float:
    """Model FLOPs utilisation: flops_per_token · tokens/s ÷ peak FLOP/s (a fraction, not %).

    Args:
        tokens_per_second: training throughput (batch · seq_len / step time).
        n_params, n_layers, n_heads, head_dim, seq_len: as in `flops_per_token`.
        peak_flops: the device's dense peak; default H100 bf16, 989 TFLOP/s.
    """
    if peak_flops <= 0:
        raise ValueError(f"mfu: peak_flops={peak_flops} must be positive")
    return flops_per_token(n_params, n_layers, n_heads, head_dim, seq_len) * tokens_per_second / peak_flops


def linear_fit(x: Sequence[float], y: Sequence[float]) -> tuple[float, float, float]:
    """OLS fit y = a + b·x; returns (slope b, intercept a, R²). R² is 1 for a perfect line."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.size < 2 or np.ptp(x) == 0:
        raise ValueError(f"linear_fit: need >= 2 points with distinct x, got x={x.tolist()}, y={y.tolist()}")
    b, a = np.polyfit(x, y, 1)
    resid = y - (a + b * x)
    ss_tot = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float((resid ** 2).sum()) / ss_tot if ss_tot > 0 else 1.0
    return float(b), float(a), r2
