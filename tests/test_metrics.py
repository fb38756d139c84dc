"""Tests for depthcore/metrics.py: properties of the change metrics on synthetic tensors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from cka_reference import hsic_biased, linear_cka
from hypothesis import given, settings
from hypothesis import strategies as st

from depthcore.metrics import (
    DELTA_STATS,
    MinibatchCKA,
    cosine_change,
    delta_rank_stats,
    effective_rank,
    energy_rank,
    gaussian_ranks,
    hsic_unbiased,
    kl_divergence,
    lora_delta,
    lora_raw_delta_stats,
    random_direction_like,
    semantic_deviation,
    weight_delta_stats,
)

PROPS = settings(max_examples=40, deadline=None)


def _gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _batch(seed: int, B: int, T: int, D: int, dtype=torch.float64):
    """Random pre/post states and a mask with >= 1 real token per sequence."""
    g = _gen(seed)
    h_pre = torch.randn(B, T, D, generator=g, dtype=dtype)
    h_post = h_pre + torch.randn(B, T, D, generator=g, dtype=dtype)
    mask = torch.rand(B, T, generator=g) < 0.7
    mask[:, 0] = True
    return h_pre, h_post, mask


def _cosine_reference(h_pre, h_post, mask) -> np.ndarray:
    a, b, m = h_pre.double().numpy(), h_post.double().numpy(), mask.numpy().astype(bool)
    cos = (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return np.array([(1 - cos[i][m[i]]).mean() for i in range(a.shape[0])])


dims = st.tuples(st.integers(1, 4), st.integers(1, 6), st.integers(1, 8))
seeds = st.integers(0, 2**31 - 1)


# --------------------------------------------------------------------------- cosine_change


@PROPS
@given(seed=seeds, shape=dims)
def test_cosine_change_matches_definition_and_range(seed, shape):
    h_pre, h_post, mask = _batch(seed, *shape)
    d = cosine_change(h_pre, h_post, mask)
    assert d.shape == (shape[0],) and d.dtype == torch.float64
    assert bool(((d >= 0) & (d <= 2)).all())
    np.testing.assert_allclose(d.numpy(), _cosine_reference(h_pre, h_post, mask), rtol=1e-9, atol=1e-12)


@PROPS
@given(seed=seeds, shape=dims)
def test_cosine_change_is_zero_for_identical_states(seed, shape):
    h_pre, _, mask = _batch(seed, *shape, dtype=torch.float32)
    assert bool((cosine_change(h_pre, h_pre.clone(), mask) == 0).all())


@PROPS
@given(seed=seeds, shape=dims, per_token=st.booleans())
def test_cosine_change_is_invariant_to_positive_rescaling(seed, shape, per_token):
    h_pre, h_post, mask = _batch(seed, *shape)
    g = _gen(seed + 1)
    size = (*shape[:2], 1) if per_token else (1, 1, 1)
    s_pre = torch.exp(torch.empty(size, dtype=torch.float64).uniform_(-7, 7, generator=g))
    s_post = torch.exp(torch.empty(size, dtype=torch.float64).uniform_(-7, 7, generator=g))
    np.testing.assert_allclose(cosine_change(h_pre * s_pre, h_post * s_post, mask).numpy(),
                               cosine_change(h_pre, h_post, mask).numpy(), rtol=1e-9, atol=1e-12)


@PROPS
@given(seed=seeds, shape=dims, fill=st.sampled_from([0.0, 1e30, math.inf, math.nan, "random"]))
def test_cosine_change_ignores_padded_positions(seed, shape, fill):
    h_pre, h_post, mask = _batch(seed, *shape)
    expected = cosine_change(h_pre, h_post, mask)
    pad = ~mask[..., None].expand_as(h_pre)
    garbage = torch.randn(h_pre.shape, generator=_gen(seed + 2), dtype=torch.float64) * 1e3 \
        if fill == "random" else torch.full(h_pre.shape, fill, dtype=torch.float64)
    got = cosine_change(torch.where(pad, garbage, h_pre), torch.where(pad, -garbage, h_post), mask)
    assert torch.equal(got, expected)


def test_cosine_change_zero_norm_states_are_defined():
    h_pre = torch.tensor([[[0.0, 0.0], [0.0, 0.0], [1.0, 2.0]]])
    h_post = torch.tensor([[[0.0, 0.0], [3.0, 0.0], [0.0, 0.0]]])
    mask = torch.ones(1, 3)
    # per token: both zero -> 0, zero vs non-zero -> 1, non-zero vs zero -> 1
    assert cosine_change(h_pre, h_post, mask).tolist() == pytest.approx([2.0 / 3.0])
    assert cosine_change(h_pre, h_pre, mask).tolist() == [0.0]


def test_cosine_change_opposite_states_give_two_and_tiny_values_survive():
    a = torch.tensor([[[1.0, -2.0, 3.0]]])
    assert cosine_change(a, -a, torch.ones(1, 1)).item() == pytest.approx(2.0)
    # Subnormal-scale and huge-scale states: prescaling keeps the norm finite and non-zero.
    assert cosine_change(a * 1e-42, a * 1e-42, torch.ones(1, 1)).item() == 0.0
    assert cosine_change(a * 1e30, -a * 1e30, torch.ones(1, 1)).item() == pytest.approx(2.0)


def test_cosine_change_precision_for_small_changes():
    # A change of relative size 1e-4 gives 1 - cos ~ 5e-9, below float32 resolution of 1 - cos.
    g = _gen(0)
    h = torch.randn(2, 5, 64, generator=g)
    eps = 1e-4 * torch.randn(2, 5, 64, generator=g) * h.norm(dim=-1, keepdim=True) / 8
    mask = torch.ones(2, 5)
    got = cosine_change(h, h + eps, mask)
    ref = cosine_change(h.double(), (h + eps).double(), mask)
    assert got.dtype == torch.float32
    np.testing.assert_allclose(got.numpy(), ref.numpy(), rtol=1e-3)


def test_cosine_change_low_precision_inputs_are_computed_in_float32():
    h_pre, h_post, mask = _batch(3, 2, 4, 8, dtype=torch.bfloat16)
    assert cosine_change(h_pre, h_post, mask).dtype == torch.float32


def test_cosine_change_errors():
    h = torch.randn(2, 3, 4)
    with pytest.raises(ValueError, match="no real token"):
        cosine_change(h, h, torch.tensor([[1, 1, 0], [0, 0, 0]]))
    with pytest.raises(ValueError, match="mask has shape"):
        cosine_change(h, h, torch.ones(2, 4))
    with pytest.raises(ValueError, match=r"\[B, T, D\]"):
        cosine_change(h, h[:, :2], torch.ones(2, 3))


def test_cosine_change_single_sequence_single_token():
    h_pre = torch.tensor([[[1.0, 0.0]]])
    h_post = torch.tensor([[[0.0, 1.0]]])
    assert cosine_change(h_pre, h_post, torch.ones(1, 1)).tolist() == pytest.approx([1.0])


# --------------------------------------------------------------------------- CKA
# `linear_cka` (tests/cka_reference.py): the CKA of one batch, through metrics' own HSIC_1 code.


def _orthogonal(d: int, g: torch.Generator) -> torch.Tensor:
    q, r = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
    return q * torch.sign(torch.diagonal(r))


@settings(max_examples=25, deadline=None)
@given(seed=seeds, n=st.integers(6, 60), d=st.integers(1, 12), unbiased=st.booleans(),
       scale=st.floats(1e-3, 1e3))
def test_cka_identity_orthogonal_and_scale_invariance(seed, n, d, unbiased, scale):
    g = _gen(seed)
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    Y = X @ torch.randn(d, d + 2, generator=g, dtype=torch.float64) + torch.randn(n, d + 2, generator=g,
                                                                                 dtype=torch.float64)
    assert linear_cka(X, X, unbiased=unbiased) == pytest.approx(1.0, abs=1e-9)
    base = linear_cka(X, Y, unbiased=unbiased)
    Q1, Q2 = _orthogonal(d, g), _orthogonal(d + 2, g)
    assert linear_cka(X @ Q1, Y @ Q2, unbiased=unbiased) == pytest.approx(base, abs=1e-9)
    assert linear_cka(scale * X, Y / scale, unbiased=unbiased) == pytest.approx(base, abs=1e-9)


def test_cka_biased_matches_centered_gram_definition():
    g = _gen(1)
    X = torch.randn(30, 5, generator=g, dtype=torch.float64)
    Y = torch.randn(30, 7, generator=g, dtype=torch.float64) + X[:, :1]
    K, L = X @ X.T, Y @ Y.T
    expected = hsic_biased(K, L) / torch.sqrt(hsic_biased(K, K) * hsic_biased(L, L))
    assert linear_cka(X, Y, unbiased=False) == pytest.approx(float(expected), rel=1e-12)


@pytest.mark.parametrize("n,d1,d2", [(40, 3, 5), (12, 30, 50), (200, 8, 8)])
def test_cka_unbiased_matches_gram_formula_in_both_code_paths(n, d1, d2):
    # n(d1+d2) vs d1^2+d2^2+d1d2 picks the Gram or the feature-space path; both must equal
    # Song et al.'s eq. (5) on the Gram matrices.
    g = _gen(n)
    X = torch.randn(n, d1, generator=g, dtype=torch.float64) + 3.0  # an offset, to exercise centering
    Y = torch.randn(n, d2, generator=g, dtype=torch.float64) + X.sum(dim=1, keepdim=True)
    K, L = X @ X.T, Y @ Y.T
    expected = hsic_unbiased(K, L) / torch.sqrt(hsic_unbiased(K, K) * hsic_unbiased(L, L))
    assert linear_cka(X, Y) == pytest.approx(float(expected), rel=1e-9)


def test_cka_unbiased_is_near_zero_on_independent_data_where_biased_is_not():
    # Measured over seeds 0..19 at n=256, d=64: biased 0.19-0.21, |unbiased| <= 0.011.
    # Biased CKA of independent Gaussians is ~ d/(n+d) here; the U-statistic has mean 0.
    for seed in range(5):
        rng = np.random.default_rng(seed)
        X, Y = rng.normal(size=(256, 64)), rng.normal(size=(256, 64))
        assert abs(linear_cka(X, Y, unbiased=True)) < 0.05
        assert linear_cka(X, Y, unbiased=False) > 0.1


def test_cka_accepts_numpy_and_torch_alike():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(20, 4)), rng.normal(size=(20, 6))
    assert linear_cka(X, Y) == linear_cka(torch.from_numpy(X), torch.from_numpy(Y))
    assert linear_cka(X.astype(np.float32), Y.astype(np.float32)) == pytest.approx(linear_cka(X, Y), rel=1e-5)


def test_cka_degenerate_inputs_raise_clear_errors():
    X = torch.randn(3, 4)
    with pytest.raises(ValueError, match="n >= 4"):
        linear_cka(X, X)
    with pytest.raises(ValueError, match="n >= 4"):
        hsic_unbiased(X @ X.T, X @ X.T)
    with pytest.raises(ValueError, match="same n"):
        linear_cka(torch.randn(5, 2), torch.randn(6, 2))
    const = torch.ones(10, 3)  # all rows identical: zero self-HSIC, CKA undefined
    with pytest.raises(ValueError, match="self-HSIC"):
        linear_cka(const, torch.randn(10, 3))
    with pytest.raises(ValueError, match="self-HSIC"):
        linear_cka(torch.zeros(10, 3), torch.randn(10, 3), unbiased=False)
    assert linear_cka(X, 2 * X, unbiased=False) == pytest.approx(1.0)  # biased works from n = 2


def test_minibatch_cka_equals_manual_average_of_per_batch_hsic():
    # What is equal: the minibatch estimator is sum_i HSIC_1(K_i,L_i) / sqrt(sum_i HSIC_1(K_i,K_i)
    # sum_i HSIC_1(L_i,L_i)) over the batches' own Gram blocks — not CKA of the concatenation.
    g = _gen(7)
    batches = []
    for n in (16, 9, 30):  # unequal sizes, as padding makes them
        X = torch.randn(n, 6, generator=g, dtype=torch.float64)
        batches.append((X, X @ torch.randn(6, 5, generator=g, dtype=torch.float64)
                        + 0.5 * torch.randn(n, 5, generator=g, dtype=torch.float64)))
    cka = MinibatchCKA()
    for X, Y in batches:
        cka.update(X, Y)
    grams = [(X @ X.T, Y @ Y.T) for X, Y in batches]
    kl = sum(float(hsic_unbiased(K, L)) for K, L in grams)
    kk = sum(float(hsic_unbiased(K, K)) for K, _ in grams)
    ll = sum(float(hsic_unbiased(L, L)) for _, L in grams)
    assert cka.value() == pytest.approx(kl / math.sqrt(kk * ll), rel=1e-10)
    assert cka.hsic_sums[0].tolist() == pytest.approx([kl, kk, ll], rel=1e-10)
    full = linear_cka(torch.cat([b[0] for b in batches]), torch.cat([b[1] for b in batches]))
    assert cka.value() != pytest.approx(full, rel=1e-6)  # not the concatenation's CKA


def test_minibatch_cka_single_batch_equals_linear_cka():
    g = _gen(8)
    X = torch.randn(50, 7, generator=g)
    Y = torch.tanh(X @ torch.randn(7, 11, generator=g))
    cka = MinibatchCKA()
    cka.update(X, Y)
    assert cka.value() == pytest.approx(linear_cka(X, Y, unbiased=True), rel=1e-12)


def test_minibatch_cka_layers_accumulate_independently():
    g = _gen(9)
    data = [[(torch.randn(12, 4, generator=g), torch.randn(12, 3, generator=g)) for _ in range(3)] for _ in range(2)]
    multi = MinibatchCKA(n_layers=2)
    singles = [MinibatchCKA(), MinibatchCKA()]
    for b in range(3):
        for layer in range(2):
            multi.update(layer, *data[layer][b])
            singles[layer].update(*data[layer][b])
    np.testing.assert_array_equal(multi.values(), [s.value() for s in singles])


def test_minibatch_cka_errors():
    cka = MinibatchCKA(n_layers=2)
    with pytest.raises(ValueError, match="no minibatch"):
        cka.values()
    with pytest.raises(ValueError, match="update\\(layer, X, Y\\)"):
        cka.update(torch.randn(5, 2), torch.randn(5, 2))
    with pytest.raises(ValueError, match="out of range"):
        cka.update(2, torch.randn(5, 2), torch.randn(5, 2))
    with pytest.raises(ValueError, match="n >= 4"):
        cka.update(0, torch.randn(3, 2), torch.randn(3, 2))
    with pytest.raises(ValueError, match="use values"):
        cka.value()


# --------------------------------------------------------------------------- weight deltas


def _np_stats(d: np.ndarray, w: np.ndarray) -> list[float]:
    return [d.mean(), d.var(), np.abs(d).mean(), np.abs(d).var(), np.linalg.norm(d) / np.linalg.norm(w)]


def test_weight_delta_stats_match_numpy():
    rng = np.random.default_rng(0)
    before = {"q.weight": rng.normal(size=(6, 4)), "o.weight": rng.normal(size=(4, 6)),
              "conv.weight": rng.normal(size=(3, 2, 2)), "q.bias": rng.normal(size=6)}
    after = {k: v + rng.normal(scale=0.1, size=v.shape) + 0.01 for k, v in before.items()}
    got = weight_delta_stats({k: torch.from_numpy(v) for k, v in before.items()},
                             {k: torch.from_numpy(v).float() for k, v in after.items()})
    matrices = ["q.weight", "o.weight", "conv.weight"]  # the bias is not a weight matrix
    after32 = {k: v.astype(np.float32).astype(np.float64) for k, v in after.items()}
    per = np.array([_np_stats(after32[k] - before[k], before[k]) for k in matrices])
    for key, value in zip(DELTA_STATS, per.mean(axis=0)):
        assert got[key] == pytest.approx(value, rel=1e-10), key
    d_all = np.concatenate([(after32[k] - before[k]).ravel() for k in before])
    w_all = np.concatenate([before[k].ravel() for k in before])
    assert got["rel_update"] == pytest.approx(np.linalg.norm(d_all) / np.linalg.norm(w_all), rel=1e-10)


def test_weight_delta_stats_zero_reference_and_errors():
    w = {"w": torch.zeros(2, 2)}
    assert weight_delta_stats(w, w)["dW_relnorm"] == 0.0
    assert weight_delta_stats(w, {"w": torch.ones(2, 2)})["rel_update"] == math.inf
    with pytest.raises(ValueError, match="different tensors"):
        weight_delta_stats(w, {"v": torch.zeros(2, 2)})
    with pytest.raises(ValueError, match="changed shape"):
        weight_delta_stats(w, {"w": torch.zeros(2, 3)})
    with pytest.raises(ValueError, match="no weight matrix"):
        weight_delta_stats({"b": torch.zeros(3)}, {"b": torch.ones(3)})


def test_lora_delta_shape_and_values():
    g = _gen(0)
    A, B = torch.randn(4, 10, generator=g), torch.randn(7, 4, generator=g)
    d = lora_delta(A, B, alpha=8, r=4)
    assert d.shape == (7, 10)
    torch.testing.assert_close(d, 2.0 * B @ A)
    torch.testing.assert_close(lora_delta(A, B, alpha=8, r=4, rslora=True), 4.0 * B @ A)
    assert lora_delta(A, torch.zeros(7, 4), 8, 4).abs().max() == 0  # peft's B init: no change yet
    with pytest.raises(ValueError, match="r=4"):
        lora_delta(A.T, B, alpha=8, r=4)


def test_lora_raw_delta_stats():
    rng = np.random.default_rng(1)
    A0, B0 = rng.normal(size=(4, 10)), np.zeros((7, 4))
    A1, B1 = A0 + rng.normal(scale=0.01, size=A0.shape), rng.normal(scale=0.01, size=B0.shape)
    got = lora_raw_delta_stats(*(torch.from_numpy(x) for x in (A0, A1, B0, B1)))
    assert set(got) == {p + k for p in ("A_", "B_") for k in DELTA_STATS}
    for key, value in zip(DELTA_STATS, _np_stats(A1 - A0, A0)):
        assert got["A_" + key] == pytest.approx(value, rel=1e-10)
    assert got["B_dW_absmean"] == pytest.approx(np.abs(B1).mean(), rel=1e-10)
    assert got["B_dW_relnorm"] == math.inf  # B starts at zero: no finite relative change
    # dict form: averaged over a layer's adapters
    two = lora_raw_delta_stats({"q": torch.from_numpy(A0), "v": torch.from_numpy(A0)},
                               {"q": torch.from_numpy(A1), "v": torch.from_numpy(A0)},
                               {"q": torch.from_numpy(B0), "v": torch.from_numpy(B0)},
                               {"q": torch.from_numpy(B1), "v": torch.from_numpy(B0)})
    assert two["A_dW_absmean"] == pytest.approx(got["A_dW_absmean"] / 2, rel=1e-12)


# --------------------------------------------------------------------------- semantic deviation, KL


@PROPS
@given(seed=seeds, shape=dims)
def test_semantic_deviation_matches_numpy_and_ignores_padding(seed, shape):
    h_prev, h_l, mask = _batch(seed, *shape)
    got = semantic_deviation(h_prev, h_l, mask)
    norms = np.linalg.norm((h_l - h_prev).numpy(), axis=-1)
    m = mask.numpy()
    np.testing.assert_allclose(got.numpy(), [norms[i][m[i]].mean() for i in range(shape[0])], rtol=1e-12)
    pad = ~mask[..., None].expand_as(h_l)
    assert torch.equal(semantic_deviation(h_prev, torch.where(pad, math.nan, h_l), mask), got)


def test_semantic_deviation_token_weighted_combination():
    h_prev, h_l, mask = _batch(5, 4, 6, 3)
    per_seq = semantic_deviation(h_prev, h_l, mask)
    counts = mask.sum(dim=-1)
    token_mean = (h_l - h_prev).norm(dim=-1)[mask].mean()
    assert float((per_seq * counts).sum() / counts.sum()) == pytest.approx(float(token_mean), rel=1e-12)


def test_kl_divergence_matches_definition():
    g = _gen(3)
    p, q = torch.randn(2, 5, 11, generator=g), torch.randn(2, 5, 11, generator=g)
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    got = kl_divergence(p, q, mask)
    lp, lq = torch.log_softmax(p.double(), -1), torch.log_softmax(q.double(), -1)
    per_tok = (lp.exp() * (lp - lq)).sum(-1)
    expected = [per_tok[0, :3].mean(), per_tok[1].mean()]
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)
    assert bool((kl_divergence(p, p, mask) == 0).all())
    assert bool((got > 0).all())
    # padded logits never matter
    assert torch.equal(kl_divergence(torch.where(mask[..., None] == 0, math.nan, p), q, mask), got)


def test_kl_divergence_with_one_hot_target_is_cross_entropy():
    g = _gen(4)
    logits = torch.randn(6, 5, generator=g, dtype=torch.float64)
    target = torch.tensor([0, 4, 2, 2, 1, 3])
    one_hot = torch.full((6, 5), -math.inf, dtype=torch.float64).scatter(1, target[:, None], 0.0)
    got = kl_divergence(one_hot, logits)
    torch.testing.assert_close(got, torch.nn.functional.cross_entropy(logits, target, reduction="none"))
    with pytest.raises(ValueError, match="mask applies"):
        kl_divergence(one_hot, logits, torch.ones(6))


# --------------------------------------------------------------------------- null direction


@PROPS
@given(seed=seeds, shapes=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6)), min_size=1, max_size=4),
       scale=st.floats(1e-6, 1e3))
def test_random_direction_like_has_the_same_total_norm(seed, shapes, scale):
    g = _gen(seed)
    delta = [scale * torch.randn(s, generator=g) for s in shapes]
    out = random_direction_like(delta, _gen(seed + 1))
    assert [o.shape for o in out] == [d.shape for d in delta]
    assert all(o.dtype == d.dtype for o, d in zip(out, delta))
    norm = lambda ts: math.sqrt(sum(float(t.double().pow(2).sum()) for t in ts))  # noqa: E731
    assert norm(out) == pytest.approx(norm(delta), rel=1e-6)
    again = random_direction_like(delta, _gen(seed + 1))
    assert all(torch.equal(a, b) for a, b in zip(out, again))


def test_random_direction_like_zero_delta_gives_zero_direction():
    delta = [torch.zeros(3, 4), torch.zeros(4)]
    out = random_direction_like(delta, _gen(0))
    assert all(bool((o == 0).all()) for o in out)
    assert random_direction_like([], _gen(0)) == []


def test_random_direction_like_is_not_the_delta():
    delta = [torch.ones(50, 50)]
    out = random_direction_like(delta, _gen(0))[0]
    cos = float((out * delta[0]).sum() / (out.norm() * delta[0].norm()))
    assert abs(cos) < 0.1  # a random direction is nearly orthogonal to any fixed one in 2500 dims


def test_minibatch_cka_memory_does_not_grow_with_the_number_of_batches():
    """Measured: the accumulator's state and the peak of Python/numpy allocations over 10 vs
    100 probe batches are the same (torch temporaries are freed batch by batch)."""
    import tracemalloc

    gen = torch.Generator().manual_seed(0)
    batches = [(torch.randn(64, 32, generator=gen, dtype=torch.float64),
                torch.randn(64, 32, generator=gen, dtype=torch.float64)) for _ in range(100)]

    def peak(n):
        cka = MinibatchCKA(n_layers=1)
        tracemalloc.start()
        for X, Y in batches[:n]:
            cka.update(X, Y)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, cka.hsic_sums.nbytes + cka.n_batches.nbytes

    (peak10, state10), (peak100, state100) = peak(10), peak(100)
    assert state10 == state100 == 3 * 8 + 8
    assert peak100 < peak10 + 4096, (peak10, peak100)


RANK_DIMS = st.integers(1, 12)


@settings(max_examples=40, deadline=None)
@given(m=RANK_DIMS, n=RANK_DIMS, seed=st.integers(0, 2**16), scale=st.floats(1e-6, 1e6))
def test_effective_rank_properties(m, n, seed, scale):
    gen = torch.Generator().manual_seed(seed)
    u, v = torch.randn(m, 1, generator=gen, dtype=torch.float64), torch.randn(1, n, generator=gen, dtype=torch.float64)
    assert effective_rank(u @ v) == pytest.approx(1.0, abs=1e-9)  # rank one
    assert effective_rank(torch.eye(n, dtype=torch.float64)) == pytest.approx(n, rel=1e-12)
    x = torch.randn(m, n, generator=gen, dtype=torch.float64)
    r = effective_rank(x)
    assert 1.0 - 1e-9 <= r <= min(m, n) + 1e-9
    assert effective_rank(scale * x) == pytest.approx(r, rel=1e-9)  # scale-free
    assert effective_rank(torch.zeros(m, n)) == 0.0


def test_effective_rank_refuses_what_is_no_matrix():
    for bad in (torch.ones(3), torch.zeros(0, 3), torch.tensor([[1.0, float("nan")]])):
        with pytest.raises(ValueError, match="effective_rank"):
            effective_rank(bad)


@settings(max_examples=40, deadline=None)
@given(m=RANK_DIMS, n=RANK_DIMS, k=st.integers(1, 6), seed=st.integers(0, 2**16), scale=st.floats(1e-6, 1e6))
def test_energy_rank_properties(m, n, k, seed, scale):
    gen = torch.Generator().manual_seed(seed)
    k = min(k, m, n)
    low = torch.randn(m, k, generator=gen, dtype=torch.float64) @ torch.randn(k, n, generator=gen, dtype=torch.float64)
    assert 1 <= energy_rank(low) <= k  # a rank-k matrix holds all its energy within k directions
    assert energy_rank(low, share=1.0) == torch.linalg.matrix_rank(low).item()
    x = torch.randn(m, n, generator=gen, dtype=torch.float64)
    r = energy_rank(x)
    assert energy_rank(scale * x) == r  # scale-free
    s2 = torch.linalg.svdvals(x).pow(2)  # the definition, from an SVD: the smallest k holding 90%
    held = torch.cumsum(s2, 0) / s2.sum()
    assert held[r - 1] >= 0.9 - 1e-12 and (r == 1 or held[r - 2] < 0.9)
    assert energy_rank(torch.zeros(m, n)) == 0


def test_energy_rank_of_equal_directions_and_bad_shares():
    assert energy_rank(torch.eye(10, dtype=torch.float64)) == 9  # 9 of 10 equal directions hold exactly 90%
    assert energy_rank(torch.eye(10, dtype=torch.float64), share=0.91) == 10
    assert energy_rank(torch.diag(torch.tensor([3.0, 1.0, 0.0]))) == 1  # 9 of 10 parts of the energy in one
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError, match=r"share=.* must be in \(0, 1\]"):
            energy_rank(torch.eye(3), share=bad)


def test_delta_rank_stats_of_a_layer():
    gen = torch.Generator().manual_seed(0)
    w = {"q.weight": torch.randn(8, 8, generator=gen), "mlp.weight": torch.randn(8, 16, generator=gen),
         "norm.weight": torch.ones(8), "frozen.weight": torch.randn(8, 8, generator=gen)}
    u = torch.randn(8, 1, generator=gen)
    after = {**w, "q.weight": w["q.weight"] + u @ torch.randn(1, 8, generator=gen),  # rank one
             "mlp.weight": w["mlp.weight"] + torch.randn(8, 16, generator=gen), "norm.weight": w["norm.weight"] * 2}
    d = delta_rank_stats(w, after, r=2)
    g_q, g_mlp = gaussian_ranks((8, 8)), gaussian_ranks((8, 16))
    e_mlp = effective_rank(after["mlp.weight"] - w["mlp.weight"])
    assert d["dW_erank"] == pytest.approx((1.0 + e_mlp) / 2, rel=1e-6)  # the changed matrices only, not norms
    assert d["dW_erank_gauss"] == pytest.approx((g_q[0] + g_mlp[0]) / 2)
    assert d["dW_erank_ratio_max"] == pytest.approx(max(1.0 / g_q[0], e_mlp / g_mlp[0]), rel=1e-6)
    assert d["dW_rank90"] == energy_rank(after["mlp.weight"] - w["mlp.weight"])
    assert d["dW_rank90_gauss"] == max(g_q[1], g_mlp[1])
    s2 = torch.linalg.svdvals((after["mlp.weight"] - w["mlp.weight"]).double()).pow(2)
    assert d["dW_lost_r"] == pytest.approx(float(s2[2:].sum() / s2.sum()), rel=1e-9)  # the rank-one q loses 0
    assert delta_rank_stats(w, dict(w), r=2) == dict.fromkeys(d, 0.0)  # a frozen layer
    assert gaussian_ranks((8, 16)) == gaussian_ranks((8, 16), {})  # one seeded draw per shape
