"""depthcore.profile: one capture pass per model state (Δ_l, local change, CKA, semantic deviation),
the block hooks that stop after the last block, and the objective loss every run trains and
evaluates with (`objective_loss`, `mean_loss`, `accuracy`).

Tiny random-init models and padded probe batches (`gpt2`, `bert`, `probe` of tests/test_probes.py;
`tiny_gpt2` of tests/conftest.py), so every test runs in about a second or less.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from cka_reference import linear_cka
from test_probes import N, bert, gpt2, probe

from depthcore import data, profile
from depthcore.layers import find_layers
from depthcore.profile import _masked_lm_parts, objective_loss


def block_outputs(model, batch) -> list[torch.Tensor]:
    """Each block's output in a full forward of `batch`, by plain forward hooks (not depthcore's)."""
    out = []
    handles = [b.register_forward_hook(lambda m, args, o: out.append(o[0] if isinstance(o, tuple) else o))
               for b in find_layers(model)]
    try:
        with torch.no_grad():
            model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
    finally:
        for h in handles:
            h.remove()
    return out


# --------------------------------------------------------------------------- capture


def test_a_model_against_itself_has_no_change_and_positive_deviation():
    m = gpt2(n_layer=3)
    prof = profile.capture(m, m, probe(), batch_size=4)
    assert prof.cos_seq.shape == prof.local_seq.shape == prof.semantic_seq.shape == (N, 3)
    assert prof.null_seq is None
    np.testing.assert_allclose(prof.cos_seq, 0.0, atol=1e-6)
    np.testing.assert_allclose(prof.local_seq, 0.0, atol=1e-6)
    np.testing.assert_allclose(prof.cka, 0.0, atol=1e-9)
    assert (prof.semantic_seq > 0).all()


def test_local_change_is_the_end_to_end_change_at_layer_one_and_zero_for_an_unchanged_block():
    pre = gpt2(n_layer=3)
    post = copy.deepcopy(pre)
    with torch.no_grad():  # blocks 1 and 3 move, block 2 and the embeddings do not
        for i in (0, 2):
            for p in find_layers(post)[i].parameters():
                p.add_(0.05 * torch.randn_like(p))
    prof = profile.capture(pre, post, probe(), null=copy.deepcopy(pre))
    np.testing.assert_array_equal(prof.local_seq[:, 0], prof.cos_seq[:, 0])  # h_0 is the same before and after
    assert (prof.local_seq[:, 1] == 0).all() and (prof.cos_seq[:, 1] > 0).all()  # change flows in from below
    assert (prof.local_seq[:, 2] > 0).all()
    np.testing.assert_allclose(prof.null_seq, 0.0, atol=1e-6)  # the null model here is the pretrained one


def test_cka_distance_is_one_minus_linear_cka_of_the_real_tokens():
    pre, post = gpt2(n_layer=3, seed=0), gpt2(n_layer=3, seed=1)
    batch = probe()
    prof = profile.capture(pre, post, batch, batch_size=N)  # one probe batch: minibatch CKA = CKA
    real = batch["attention_mask"].bool()
    expected = [1 - linear_cka(a[real], b[real]) for a, b in zip(block_outputs(pre, batch), block_outputs(post, batch))]
    np.testing.assert_allclose(prof.cka, expected, rtol=1e-9)
    assert (prof.cka > 0.01).all()


def test_padded_positions_do_not_count(tok, tiny_gpt2):
    pre, post = tiny_gpt2(0), tiny_gpt2(1)
    batch = data.make_split("clm", tok, "probe", seq_len=32, n=8)
    assert (batch["attention_mask"].sum(1) < 32).any(), "probe set must contain padded sequences"
    a = profile.capture(pre, post, batch)
    changed = {k: v.clone() for k, v in batch.items()}
    changed["input_ids"][changed["attention_mask"] == 0] = 7  # garbage where the mask is 0
    b = profile.capture(pre, post, changed)
    np.testing.assert_allclose(a.cos_seq, b.cos_seq, rtol=1e-6)


def test_hooks_stop_after_the_last_block_with_the_full_forwards_outputs_and_leave_nothing_behind():
    m = gpt2(n_layer=3)
    batch = profile.model_inputs(probe())
    head_calls = []
    m.lm_head.register_forward_hook(lambda *a: head_calls.append(1))
    outputs, inputs = [], []
    with torch.no_grad(), profile.hooks(find_layers(m), outputs=outputs, inputs=inputs, stop=True):
        profile.run_blocks(m, batch)
    assert not head_calls  # nothing past the block stack ran
    assert len(outputs) == len(inputs) == 3
    assert all(torch.equal(a, b) for a, b in zip(outputs, block_outputs(m, batch)))
    assert all(torch.equal(inputs[l + 1], outputs[l]) for l in range(2))  # GPT-2: block l+1 reads block l's output
    assert all(not b._forward_hooks and not b._forward_pre_hooks for b in find_layers(m))


# --------------------------------------------------------------------------- losses


def _loss_and_grads(model, loss_fn, batch):
    model.zero_grad()
    loss = loss_fn(model, batch)
    loss.backward()
    return loss.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}


@pytest.mark.parametrize("lora", [False, True], ids=["full", "lora"])
def test_masked_lm_loss_at_masked_positions_equals_the_models_own_loss(lora):
    # the head runs on the masked positions only; loss and every gradient match model(**batch).loss
    model = bert()
    if lora:
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["query", "value"]))
    assert _masked_lm_parts(model) is not None  # the masked-positions path, not the fallback
    batch = probe("mlm")
    own, own_grads = _loss_and_grads(model, lambda m, b: m(**b).loss, batch)
    ours, our_grads = _loss_and_grads(model, objective_loss, batch)
    assert torch.allclose(ours, own, rtol=1e-6, atol=0)
    assert own_grads.keys() == our_grads.keys() and own_grads
    for name, g in own_grads.items():
        assert torch.allclose(our_grads[name], g, rtol=1e-4, atol=1e-7), name


@pytest.mark.parametrize("objective", ["clm", "cls"])
def test_objective_loss_of_other_heads_is_the_models_own_loss(objective):
    model = gpt2(cls=objective == "cls")
    batch = probe(objective)
    assert _masked_lm_parts(model) is None
    assert torch.equal(objective_loss(model, batch), model(**batch).loss)


def test_mean_loss_weighs_batches_by_examples_and_accuracy_counts_argmax_hits():
    m = gpt2(cls=True)
    batch = probe("cls")
    with torch.no_grad():
        first, rest = (float(m(**{k: v[s] for k, v in batch.items()}).loss) for s in (slice(0, 4), slice(4, N)))
        logits = m(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    assert profile.mean_loss(m, batch, batch_size=4) == pytest.approx((4 * first + (N - 4) * rest) / N, rel=1e-12)
    hits = int((logits.argmax(-1) == batch["labels"]).sum())
    assert profile.accuracy(m, batch, batch_size=4) == hits / N
