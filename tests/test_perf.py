"""depthcore.perf: the FLOP formula, MFU and the linear fit (CPU, no timing)."""

from __future__ import annotations

import pytest

from depthcore.perf import H100_BF16_PEAK, flops_per_token, linear_fit, mfu


def test_flops_per_token_is_palm_estimate_for_gpt2_small():
    # GPT-2 small without position embeddings: 124,439,808 - 1024*768 parameters (nanoGPT).
    n = 124_439_808 - 1024 * 768
    got = flops_per_token(n, n_layers=12, n_heads=12, head_dim=64, seq_len=1024)
    assert got == 6 * n + 12 * 12 * 12 * 64 * 1024
    assert got == pytest.approx(8.55e8, rel=1e-3)  # ~0.86 GFLOP per token, attention 13% of it


def test_attention_term_grows_with_sequence_length_only():
    base = flops_per_token(1000, 2, 4, 8, 16)
    assert flops_per_token(1000, 2, 4, 8, 32) - base == 12 * 2 * 4 * 8 * 16
    assert flops_per_token(2000, 2, 4, 8, 16) - base == 6 * 1000


def test_mfu_is_achieved_over_peak():
    fpt = flops_per_token(125_000_000, 12, 12, 64, 1024)
    tps = 0.4 * H100_BF16_PEAK / fpt  # the throughput that would use 40% of the peak
    assert mfu(tps, 125_000_000, 12, 12, 64, 1024) == pytest.approx(0.4)
    assert mfu(tps, 125_000_000, 12, 12, 64, 1024, peak_flops=H100_BF16_PEAK / 2) == pytest.approx(0.8)


@pytest.mark.parametrize("bad", [{"n_params": 0}, {"seq_len": -1}, {"n_heads": 0}])
def test_flops_per_token_rejects_non_positive_sizes(bad):
    args = dict(n_params=10, n_layers=1, n_heads=1, head_dim=1, seq_len=1) | bad
    with pytest.raises(ValueError, match="must be positive"):
        flops_per_token(**args)


def test_linear_fit_recovers_a_line():
    slope, intercept, r2 = linear_fit([1, 2, 4], [3.0, 5.0, 9.0])
    assert slope == pytest.approx(2.0) and intercept == pytest.approx(1.0) and r2 == pytest.approx(1.0)
    assert linear_fit([1, 2, 4], [1.0, 4.0, 2.0])[2] < 0.5


def test_linear_fit_needs_two_distinct_sizes():
    with pytest.raises(ValueError, match="distinct x"):
        linear_fit([2, 2], [1.0, 2.0])
