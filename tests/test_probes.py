"""Tests for paper B's two probes in depthcore/probes.py (`layer_sensitivity`, `task_position`).

Tiny random-init `transformers` models (2-3 blocks, width 32, vocabulary 97) on synthetic
probe batches with padding, so every test runs in well under a second. tests/test_profile.py
uses the same models and batches (`gpt2`, `bert`, `probe`).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import BertConfig, BertForMaskedLM, GPT2Config, GPT2ForSequenceClassification, GPT2LMHeadModel

from depthcore.layers import find_layers
from depthcore.probes import LS_EPS, layer_sensitivity, task_position

V, T, N = 97, 12, 6
PROPS = settings(max_examples=5, deadline=None)


def gpt2(n_layer=3, cls=False, seed=0):
    torch.manual_seed(seed)
    cfg = GPT2Config(n_layer=n_layer, n_embd=32, n_head=2, vocab_size=V, n_positions=T, pad_token_id=0,
                     bos_token_id=1, eos_token_id=2, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, num_labels=5)
    return (GPT2ForSequenceClassification if cls else GPT2LMHeadModel)(cfg).eval()


def bert(seed=0):
    torch.manual_seed(seed)
    cfg = BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                     vocab_size=V, max_position_embeddings=T, pad_token_id=0, hidden_dropout_prob=0.0,
                     attention_probs_dropout_prob=0.0)
    return BertForMaskedLM(cfg).eval()


def probe(objective="clm", seed=0):
    """N sequences, the odd ones padded at the end; labels as data.make_split makes them."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(3, V, (N, T), generator=g)
    mask = torch.ones(N, T, dtype=torch.long)
    mask[1::2, T // 2:] = 0
    ids = ids.masked_fill(mask == 0, 0)
    if objective == "cls":
        return {"input_ids": ids, "attention_mask": mask, "labels": torch.randint(0, 5, (N,), generator=g)}
    labels = ids.masked_fill(mask == 0, -100)
    if objective == "mlm":
        chosen = (torch.rand(N, T, generator=g) < 0.3) & (mask == 1)
        chosen[:, 0] = True  # every sequence has a target
        labels = labels.masked_fill(~chosen, -100)
        ids = ids.masked_fill(chosen, 4)  # 4 stands for [MASK]
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def garbage_at_padding(batch):
    out = {k: v.clone() for k, v in batch.items()}
    out["input_ids"][out["attention_mask"] == 0] = 7
    return out


def state(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


# --------------------------------------------------------------------------- layer sensitivity


def test_sensitivity_is_zero_at_eps_zero():
    m = gpt2()
    ls = layer_sensitivity(m, find_layers(m), probe(), eps=0.0)
    assert ls.shape == (N, 3)
    assert (ls == 0).all()


@PROPS
@given(seed=st.integers(0, 2**31 - 1), eps=st.floats(1e-4, 1.0))
def test_weights_restored_bit_exactly(seed, eps):
    m = gpt2(n_layer=2)
    before = state(m)
    ls = layer_sensitivity(m, find_layers(m), probe(), eps=eps, seed=seed)
    assert np.isfinite(ls).all() and (ls >= 0).all()
    after = m.state_dict()
    for k, v in before.items():
        assert torch.equal(v, after[k]), k


def test_weights_restored_when_forward_fails():
    m = gpt2()
    before = state(m)
    clean_batches = []
    original = m.forward

    def forward(*a, **k):  # first call (clean logits) works, the perturbed one fails
        clean_batches.append(1)
        if len(clean_batches) > 1:
            raise RuntimeError("boom")
        return original(*a, **k)

    m.forward = forward
    with pytest.raises(RuntimeError, match="boom"):
        layer_sensitivity(m, find_layers(m), probe(), batch_size=N)
    for k, v in before.items():
        assert torch.equal(v, m.state_dict()[k]), k


def test_noise_has_relative_norm_eps_per_tensor_and_touches_one_layer():
    m = gpt2()
    layers = find_layers(m)
    ref = state(m)
    seen = []

    def record(module, args, kwargs):
        now = m.state_dict()
        moved = sorted({k.split(".")[2] for k in ref if k.startswith("transformer.h.") and not torch.equal(now[k], ref[k])})
        others = [k for k in ref if not k.startswith("transformer.h.") and not torch.equal(now[k], ref[k])]
        rel = [float((now[k] - ref[k]).norm() / ref[k].norm()) for k in ref
               if k.startswith("transformer.h.") and not torch.equal(now[k], ref[k])]
        seen.append((moved, others, rel))

    handle = m.register_forward_pre_hook(record, with_kwargs=True)
    try:
        layer_sensitivity(m, layers, probe(), eps=0.1, batch_size=N)
    finally:
        handle.remove()
    assert seen[0] == ([], [], [])  # the clean pass
    for l, (moved, others, rel) in enumerate(seen[1:]):
        assert moved == [str(l)] and others == []
        np.testing.assert_allclose(rel, 0.1, rtol=1e-4)


def rwkv(seed=0):
    """RWKV carries a per-layer state that each block updates in place."""
    from transformers import RwkvConfig, RwkvForCausalLM

    torch.manual_seed(seed)
    cfg = RwkvConfig(vocab_size=V, context_length=T, hidden_size=32, num_hidden_layers=3, attention_hidden_size=32,
                     intermediate_size=64, rescale_every=0, pad_token_id=0)
    return RwkvForCausalLM(cfg).eval()


@pytest.mark.parametrize("make,objective", [(gpt2, "clm"), (bert, "mlm"), (rwkv, "clm")], ids=["gpt2", "bert", "rwkv"])
def test_replaying_recorded_blocks_gives_the_numbers_of_full_passes(make, objective, monkeypatch):
    """Layer sensitivity replays blocks 1..l-1 from the clean pass; with the replay switched off
    every block computes, and the numbers must be the same to the bit."""
    import contextlib

    from depthcore import probes

    m = make()
    layers, batch = find_layers(m), probe(objective)
    fast = layer_sensitivity(m, layers, batch, eps=0.2, batch_size=4)
    assert all("forward" not in vars(layer) for layer in layers)  # every block has its own forward back
    monkeypatch.setattr(probes, "_replaced", lambda layers, forwards: contextlib.nullcontext())
    np.testing.assert_array_equal(fast, layer_sensitivity(m, layers, batch, eps=0.2, batch_size=4))
    assert (fast > 0).all()


def test_sensitivity_is_seeded_and_grows_with_eps():
    m = gpt2()
    layers = find_layers(m)
    a = layer_sensitivity(m, layers, probe(), seed=3)
    np.testing.assert_array_equal(a, layer_sensitivity(m, layers, probe(), seed=3))
    assert not np.array_equal(a, layer_sensitivity(m, layers, probe(), seed=4))
    small = layer_sensitivity(m, layers, probe(), eps=0.01).mean(0)
    large = layer_sensitivity(m, layers, probe(), eps=LS_EPS * 4).mean(0)
    assert (large > small).all()


# "cls" is left out: GPT-2's classification head finds the last real token by comparing
# input_ids with pad_token_id, so garbage ids at padding move its pooling (the model's
# behaviour, not the metric's; depthcore's splits always pad with the pad id).
@pytest.mark.parametrize("objective", ["clm", "mlm"])
def test_sensitivity_ignores_padding(objective):
    m = bert() if objective == "mlm" else gpt2()
    layers = find_layers(m)
    batch = probe(objective)
    np.testing.assert_allclose(layer_sensitivity(m, layers, batch), layer_sensitivity(m, layers, garbage_at_padding(batch)),
                               rtol=1e-5, atol=1e-12)


def test_sensitivity_rejects_negative_eps():
    m = gpt2()
    with pytest.raises(ValueError, match="eps=-0.1 must be >= 0"):
        layer_sensitivity(m, find_layers(m), probe(), eps=-0.1)


# --------------------------------------------------------------------------- task position


def own_accuracy(model, batch, objective):
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    labels = batch["labels"]
    if objective == "cls":
        return float((logits.argmax(-1) == labels).double().mean())
    if objective == "clm":
        logits, labels = logits[:, :-1], labels[:, 1:]
    keep = labels != -100
    return float((logits.argmax(-1) == labels)[keep].double().mean())


@pytest.mark.parametrize("objective", ["clm", "mlm", "cls"])
def test_task_position_at_last_layer_is_the_models_accuracy(objective):
    m = bert() if objective == "mlm" else gpt2(cls=objective == "cls")
    batch = probe(objective)
    tp = task_position(m, find_layers(m), batch, objective, batch_size=4)
    assert tp.shape == (len(find_layers(m)),) and ((0 <= tp) & (tp <= 1)).all()
    assert tp[-1] == pytest.approx(own_accuracy(m, batch, objective), abs=1e-12)


def test_task_position_is_the_logit_lens():
    """GPT-2: TP_l = accuracy of lm_head(ln_f(h_l)) with h_l the output of block l."""
    m = gpt2(n_layer=3)
    batch = probe("clm")
    tp = task_position(m, find_layers(m), batch, "clm")
    with torch.no_grad():
        hs = m(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], output_hidden_states=True).hidden_states
    labels = batch["labels"][:, 1:]
    keep = labels != -100
    for l in range(1, 3):  # hidden_states[L] already has ln_f applied; l < L are raw block outputs
        pred = m.lm_head(m.transformer.ln_f(hs[l])).argmax(-1)[:, :-1]
        assert tp[l - 1] == pytest.approx(float((pred == labels)[keep].double().mean()), abs=1e-12)


def test_task_position_ignores_padding():
    for objective in ("clm", "mlm"):  # not "cls": see test_sensitivity_ignores_padding
        m = bert() if objective == "mlm" else gpt2()
        batch = probe(objective)
        layers = find_layers(m)
        np.testing.assert_array_equal(task_position(m, layers, batch, objective),
                                      task_position(m, layers, garbage_at_padding(batch), objective))


def test_task_position_leaves_no_hooks_and_model_unchanged():
    m = gpt2()
    before = state(m)
    batch = probe()
    with torch.no_grad():
        out = m(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    task_position(m, find_layers(m), batch, "clm")
    with torch.no_grad():
        again = m(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    assert torch.equal(out, again)
    assert all(not layer._forward_hooks and not layer._forward_pre_hooks for layer in find_layers(m))
    for k, v in before.items():
        assert torch.equal(v, m.state_dict()[k]), k


def test_task_position_errors():
    m = gpt2()
    with pytest.raises(ValueError, match="objective 'seq2seq' is not known"):
        task_position(m, find_layers(m), probe(), "seq2seq")
    no_target = probe()
    no_target["labels"][:] = -100
    with pytest.raises(ValueError, match="no target"):
        task_position(m, find_layers(m), no_target, "clm")
