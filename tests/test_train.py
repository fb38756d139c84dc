"""depthcore.train: the step loop's guards on one device.

A run stops with `NonFiniteLoss` when a loss becomes NaN/inf, and with `NonFiniteWeights`
(a `NonFiniteLoss`) when a trainable weight does while the loss is still finite: the loss of
step k is computed with the weights of step k-1, so weights that turn on the last step are
seen only by the weight check. Both are checked at the log steps and after the last step,
which need not be a log step. Faults are injected into a random 4-layer GPT-2: a forward
hook makes one step's loss NaN, an optimizer post-hook writes inf into one weight after a
step's equal-step control. The model, the split and the faults also serve the FSDP tests
(tests/test_distributed.py).
"""

from __future__ import annotations

import contextlib

import pytest
import torch
from torch.optim.optimizer import register_optimizer_step_post_hook
from transformers import GPT2Config, GPT2LMHeadModel

from depthcore import train
from depthcore.config import RunSpec
from depthcore.control import EqualStep
from depthcore.layers import find_layers
from depthcore.train import NonFiniteLoss, NonFiniteWeights, finetune

VOCAB = 97  # odd, so a sharded embedding's dim 0 splits unevenly over 2 ranks (48 + 49 rows)
POISONED = "transformer.h.1.mlp.c_fc.weight"  # the weight the tests make non-finite
# logs at steps 1 and 4: step 5, the last, is checked only because it is the last
SPEC = RunSpec("train-test", condition="equal_step", steps=5, batch_size=8, seq_len=16, log_every=4)
LR = 1e-3


def tiny_gpt2(seed: int = 0) -> GPT2LMHeadModel:
    torch.manual_seed(seed)
    cfg = GPT2Config(n_layer=4, n_embd=32, n_head=2, vocab_size=VOCAB, n_positions=32, bos_token_id=0,
                     eos_token_id=0, pad_token_id=0, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    return GPT2LMHeadModel(cfg).eval()


def train_split(n: int = 32, seq_len: int = 16) -> dict[str, torch.Tensor]:
    """Random token ids; a third of the sequences end in padding, so token counts differ per half-batch."""
    gen = torch.Generator().manual_seed(1)
    ids = torch.randint(1, VOCAB, (n, seq_len), generator=gen)
    lengths = torch.where(torch.arange(n) % 3 == 0, torch.randint(4, seq_len, (n,), generator=gen), seq_len)
    mask = (torch.arange(seq_len)[None, :] < lengths[:, None]).long()
    ids = ids * mask
    return {"input_ids": ids, "attention_mask": mask, "labels": ids.masked_fill(mask == 0, -100)}


@contextlib.contextmanager
def weight_turns_inf(model: torch.nn.Module, step: int, name: str = POISONED, active: bool = True):
    """After the control of optimizer step `step`, one element of parameter `name` becomes inf.

    Args:
        model: the model being trained (plain or FSDP-sharded: the element is written in this
            process's local shard).
        step: 1-based optimizer step.
        name: the parameter's name in ``model.named_parameters()``.
        active: False leaves this process's weights alone (a sharded run poisons one rank only).
    """
    param, steps = dict(model.named_parameters())[name], []

    def hook(optimizer, args, kwargs):
        if isinstance(optimizer, EqualStep):  # the inner optimizer's own step fires this hook too
            steps.append(1)
            if active and len(steps) == step:
                with torch.no_grad():
                    local = param.to_local() if hasattr(param, "to_local") else param
                    local.view(-1)[0] = float("inf")

    handle = register_optimizer_step_post_hook(hook)
    try:
        yield
    finally:
        handle.remove()


@contextlib.contextmanager
def loss_turns_nan(model: torch.nn.Module, step: int | None, active: bool = True, losses: list | None = None):
    """The loss of training step `step` (its `step`-th training forward) becomes NaN.

    Args:
        model: the model being trained; its output's ``loss`` is replaced.
        step: 1-based step; None: no step (only record the losses).
        active: False leaves this process's losses alone (a sharded run poisons one rank only).
        losses: if given, every training loss (as a float, before poisoning) is appended.
    """
    calls = []

    def hook(module, args, output):
        if module.training:
            calls.append(1)
            if losses is not None:
                losses.append(float(output.loss.detach()))
            if active and len(calls) == step:
                output.loss = output.loss * float("nan")
        return output

    handle = model.register_forward_hook(hook)
    try:
        yield
    finally:
        handle.remove()


def failure(fn) -> tuple[type, str]:
    """The exception type and message that `fn()` raises (the test fails if it raises none)."""
    with pytest.raises(NonFiniteLoss) as info:
        fn()
    return type(info.value), str(info.value)


def test_nan_loss_on_a_last_step_that_is_no_log_step_is_caught():
    model = tiny_gpt2()
    with loss_turns_nan(model, step=5):
        kind, msg = failure(lambda: finetune(model, find_layers(model), train_split(), SPEC, LR))
    assert kind is NonFiniteLoss
    assert msg == (f"loss became non-finite at step 5 of {SPEC.label} (lr=0.001); "
                   "lower the learning rate (e.g. lr=0.0001); no result was written")


def test_weights_turning_non_finite_on_the_last_step_are_caught_though_every_loss_is_finite():
    model = tiny_gpt2()
    losses: list[float] = []
    with weight_turns_inf(model, step=5), loss_turns_nan(model, step=None, losses=losses):
        kind, msg = failure(lambda: finetune(model, find_layers(model), train_split(), SPEC, LR))
    assert kind is NonFiniteWeights and issubclass(NonFiniteWeights, NonFiniteLoss)
    assert len(losses) == 5 and all(map(torch.isfinite, torch.tensor(losses)))
    assert msg == (f"weights became non-finite at step 5 of {SPEC.label} (lr=0.001), "
                   f"first in {POISONED}, while the loss was still finite; lower the learning rate (e.g. lr=0.0001); "
                   "no result was written")


def test_weights_found_non_finite_at_a_log_step_name_the_steps_since_the_last_check():
    model = tiny_gpt2()
    with weight_turns_inf(model, step=4):  # checks at steps 1 and 4
        kind, msg = failure(lambda: finetune(model, find_layers(model), train_split(), SPEC, LR))
    assert kind is NonFiniteWeights
    assert msg.startswith(f"weights became non-finite between steps 2 and 4 of {SPEC.label} (lr=0.001), "
                          f"first in {POISONED}")


def test_an_update_that_overflows_the_weights_is_caught_though_its_loss_was_finite():
    # AdamW's first step moves every weight by about lr / (1 - beta1) = 1e39: past float32's range,
    # while step 1's loss, computed before the update, is finite
    spec = SPEC.replace(condition="standard", grad_clip=0.0)
    model = tiny_gpt2()
    kind, msg = failure(lambda: finetune(model, find_layers(model), train_split(), spec, 1e38))
    assert kind is NonFiniteWeights
    assert msg.startswith(f"weights became non-finite at step 1 of {spec.label} (lr=1e+38), first in transformer.")
    assert msg.endswith("lower the learning rate (e.g. lr=1e+37) or enable gradient clipping (grad_clip=1.0); "
                        "no result was written")


def test_finite_weights_whose_float32_sum_overflows_pass_and_a_non_finite_one_is_named():
    # |3e38| * 4 overflows float32's L1 norm (the fast check flags it), not float64's (the exact one)
    big, bad = torch.full((4,), 3e38), torch.tensor([1.0, float("nan")])
    local, losses = train.Local(SPEC), torch.zeros(3)
    assert train._bad_params([big], local).tolist() == [1.0]
    assert train._bad_params([big], local, exact=True).tolist() == [0.0]
    assert train._bad_params([torch.ones(3, dtype=torch.float64), bad.bfloat16()], local).tolist() == [0.0, 1.0]
    train._check_finite(losses, [big], local, ["big"], 2, SPEC, LR)
    with pytest.raises(NonFiniteWeights, match=r"at step 3 of .*first in bad, while"):
        train._check_finite(losses, [big, bad], local, ["big", "bad"], 2, SPEC, LR)


def test_a_finite_run_passes_every_check():
    model = tiny_gpt2()
    log = finetune(model, find_layers(model), train_split(), SPEC, LR)
    assert log.log_steps == [1, 4] and torch.isfinite(log.loss).all() and log.loss.shape == (5,)


def test_nothing_to_train_is_refused():
    model = tiny_gpt2()
    model.requires_grad_(False)
    with pytest.raises(ValueError, match=r"train-test/.*: nothing to train \(every parameter is frozen\); "
                                         r"freeze fewer layers"):
        finetune(model, find_layers(model), train_split(), SPEC, LR)


def test_finetune_is_the_shared_loop_with_the_local_strategy(monkeypatch):
    seen = []
    real = train.run_steps
    monkeypatch.setattr(train, "run_steps", lambda *a, **k: seen.append(type(a[5])) or real(*a, **k))
    model = tiny_gpt2()
    finetune(model, find_layers(model), train_split(), SPEC.replace(steps=1), LR)
    assert seen == [train.Local]


def test_r_measured_is_the_step_taken_by_the_weights():
    # logged at the log steps; under the control it is r* (r_after) for every layer, in a standard
    # run the optimizer's own r_before, which differs between layers
    for condition, logged in (("equal_step", "r_after"), ("standard", "r_before")):
        model = tiny_gpt2()
        log = finetune(model, find_layers(model), train_split(), SPEC.replace(condition=condition), LR)
        assert log.r_measured.shape == log.r_after.shape == (2, 4)
        torch.testing.assert_close(log.r_measured, getattr(log, logged), rtol=1e-6, atol=0)
        spread = float((log.r_measured / log.r_measured.mean(1, keepdim=True) - 1).abs().max())
        assert spread < 1e-6 if condition == "equal_step" else spread > 1e-2


def test_r_measured_counts_a_frozen_layer_as_not_moved():
    model = tiny_gpt2()
    layers = find_layers(model)
    layers[1].requires_grad_(False)
    log = finetune(model, layers, train_split(), SPEC, LR)
    assert (log.r_measured[:, 1] == 0).all() and (log.r_measured[:, [0, 2, 3]] > 0).all()


def test_logging_does_not_change_the_training():
    # the log steps' extra work (norms, the before/after copies for r_measured) reads the weights
    # and never writes them: logging every step or only at step 1 trains bit-identically
    runs = []
    for log_every in (1, 100):
        model = tiny_gpt2()
        log = finetune(model, find_layers(model), train_split(), SPEC.replace(log_every=log_every), LR)
        runs.append((log, dict(model.named_parameters())))
    (every, w_every), (once, w_once) = runs
    assert every.log_steps == [1, 2, 3, 4, 5] and once.log_steps == [1]
    assert torch.equal(every.loss, once.loss)
    for key in ("r_before", "r_after", "r_measured", "grad_norm", "opt_m_norm", "opt_v_norm"):
        assert torch.equal(getattr(every, key)[:1], getattr(once, key)), key
    for name, w in w_every.items():
        assert torch.equal(w, w_once[name]), name
