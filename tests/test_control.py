"""Tests for depthcore.control: paper A's equal-step control and the control strength.

The control's claims are checked against the inner optimizer alone: each step is forked
(a deep copy of model and optimizer takes the plain inner step on the same gradients), so
"what the optimizer would have done" is known exactly at every step, not only the first.
"""

from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch import nn

from depthcore.control import GRANULARITIES, EqualStep, control_factors, control_strength, equalize_

TOL = {torch.float32: 1e-4, torch.float64: 1e-10}  # float32: rounding of old + s*dW is ~6e-8/r*
PROPERTY = settings(max_examples=50, deadline=None)  # deadline off: 2 shared cores, timings jitter
SEED = 0


class Stack(nn.Module):
    """Linear+tanh layers between an input projection and a head (the non-layer parameters)."""

    def __init__(self, widths: list[int], dtype: torch.dtype = torch.float32, skip: int | None = None):
        super().__init__()
        self.inp = nn.Linear(widths[0], widths[0])
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        self.head = nn.Linear(widths[-1], 2)
        self.skip = skip  # a layer left out of forward gets no gradient: a zero update
        self.to(dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.tanh(self.inp(x))
        for i, layer in enumerate(self.layers):
            if i != self.skip:
                h = torch.tanh(layer(h))
        return self.head(h)


def make_optimizer(name: str, params) -> torch.optim.Optimizer:
    if name == "sgd":
        return torch.optim.SGD(params, lr=0.05, momentum=0.9)
    return torch.optim.AdamW(params, lr=1e-2, weight_decay=0.01)


def backward(model: Stack, step: int, dtype: torch.dtype) -> None:
    gen = torch.Generator().manual_seed(1000 + step)  # batch depends on the step only: paired runs see the same data
    x = torch.randn(16, model.inp.in_features, generator=gen, dtype=dtype)
    y = torch.randn(16, 2, generator=gen, dtype=dtype)
    nn.functional.mse_loss(model(x), y).backward()


def build(widths, dtype=torch.float32, opt="sgd", seed=SEED, skip=None, **kw) -> tuple[Stack, EqualStep]:
    torch.manual_seed(seed)
    model = Stack(widths, dtype, skip)
    return model, EqualStep(make_optimizer(opt, model.parameters()), model.layers, **kw)


def groups_of(model: Stack, granularity: str) -> list[list[nn.Parameter]]:
    """The groups as the definition states them, built independently of EqualStep."""
    if granularity == "layer":
        return [list(layer.parameters()) for layer in model.layers]
    return [[p] for layer in model.layers for p in layer.parameters()]


def flat(tensors) -> torch.Tensor:
    return torch.cat([t.detach().double().reshape(-1) for t in tensors])


def forked_step(model: Stack, opt: EqualStep, granularity: str):
    """Take one controlled step, and the inner optimizer's plain step from the same state.

    Returns:
        Per group, float64 vectors (old, inner_new, controlled_new), and the plain fork's model.
    """
    plain_model, plain_opt = copy.deepcopy((model, opt))
    for p, q in zip(model.parameters(), plain_model.parameters()):  # Parameter.__deepcopy__ drops .grad
        q.grad = None if p.grad is None else p.grad.clone()
    old = [flat(g) for g in groups_of(model, granularity)]
    plain_opt.optimizer.step()
    opt.step()
    inner = [flat(g) for g in groups_of(plain_model, granularity)]
    ctrl = [flat(g) for g in groups_of(model, granularity)]
    return list(zip(old, inner, ctrl)), plain_model


def rel(update: torch.Tensor, old: torch.Tensor) -> float:
    return float(update.norm() / old.norm())


stacks = st.fixed_dictionaries({
    "widths": st.lists(st.integers(1, 12), min_size=3, max_size=6),
    "dtype": st.sampled_from([torch.float32, torch.float64]),
    "opt": st.sampled_from(["sgd", "adamw"]),
    "target": st.one_of(st.just("mean"), st.floats(3e-3, 5e-2)),
    "granularity": st.sampled_from(GRANULARITIES),
    "seed": st.integers(0, 2**16),
    "steps": st.integers(1, 3),
})


def run_forked(case) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """`case["steps"]` controlled steps; the groups of the last one, forked as in `forked_step`."""
    model, opt = build(case["widths"], case["dtype"], case["opt"], case["seed"],
                       target=case["target"], granularity=case["granularity"])
    for step in range(case["steps"]):
        opt.zero_grad()
        backward(model, step, case["dtype"])
        groups, _ = forked_step(model, opt, case["granularity"])
    return groups


@PROPERTY
@given(stacks)
def test_every_updated_group_moves_by_the_target(case):
    groups = run_forked(case)
    r_inner = [rel(new - old, old) for old, new, _ in groups]
    updated = [r > 0 for r in r_inner]
    assert any(updated)
    expected = (float(np.mean([r for r, u in zip(r_inner, updated) if u])) if case["target"] == "mean"
                else case["target"])
    for (old, _, ctrl), u in zip(groups, updated):
        if u:
            assert rel(ctrl - old, old) == pytest.approx(expected, rel=TOL[case["dtype"]])


@PROPERTY
@given(stacks)
def test_every_group_keeps_the_direction_of_its_inner_update(case):
    groups = [(ctrl - old, inner - old) for old, inner, ctrl in run_forked(case)]
    assert any(b.norm() > 0 for _, b in groups)
    for a, b in groups:
        if b.norm() > 0:
            assert float(a @ b / (a.norm() * b.norm())) >= 1 - TOL[case["dtype"]]


@pytest.mark.parametrize("opt_name", ["sgd", "adamw"])
def test_frozen_and_non_layer_params_are_exactly_the_inner_optimizers(opt_name):
    torch.manual_seed(SEED)
    model = Stack([6, 5, 4, 3])
    model.layers[0].requires_grad_(False)  # a frozen layer
    outside = model.layers[1].bias  # trainable, but not given to the optimizer: ignored by the control
    frozen_before = [p.detach().clone() for p in [*model.layers[0].parameters(), outside]]
    inner = make_optimizer(opt_name, [p for p in model.parameters() if p.requires_grad and p is not outside])
    opt = EqualStep(inner, model.layers)
    non_layer = ["inp.weight", "inp.bias", "head.weight", "head.bias"]
    for step in range(4):
        opt.zero_grad()
        backward(model, step, torch.float32)
        _, plain = forked_step(model, opt, "layer")
        got, want = dict(model.named_parameters()), dict(plain.named_parameters())
        for name in non_layer:
            assert torch.equal(got[name], want[name]), name
    for before, p in zip(frozen_before, [*model.layers[0].parameters(), outside]):
        assert torch.equal(before, p)
    r = opt.log["r_before"]
    assert (r[:, 0] == 0).all() and (r[:, 1:] > 0).all()


@pytest.mark.parametrize("opt_name", ["sgd", "adamw"])
def test_zero_update_layer_is_untouched_and_left_out_of_the_mean(opt_name):
    model, opt = build([5, 5, 5, 5, 5], opt=opt_name, skip=2)
    for step in range(3):
        opt.zero_grad()
        backward(model, step, torch.float32)
        before = [p.detach().clone() for p in model.layers[2].parameters()]
        groups, _ = forked_step(model, opt, "layer")
        assert all(torch.equal(b, p) for b, p in zip(before, model.layers[2].parameters()))
        r_inner = [rel(new - old, old) for old, new, _ in groups]
        expected = np.mean([r for i, r in enumerate(r_inner) if i != 2])
        for i, (old, _, ctrl) in enumerate(groups):
            if i != 2:
                assert rel(ctrl - old, old) == pytest.approx(expected, rel=TOL[torch.float32])
    assert (opt.log["r_before"][:, 2] == 0).all() and (opt.log["r_after"][:, 2] == 0).all()


def test_zero_norm_tensor_moves_as_the_optimizer_says():
    model, opt = build([4, 4, 4], opt="adamw", granularity="tensor")
    with torch.no_grad():
        model.layers[0].bias.zero_()  # ||W_old|| = 0: r is infinite, no rescaling can equalise it
    opt.zero_grad()
    backward(model, 0, torch.float32)
    groups, plain = forked_step(model, opt, "tensor")
    assert torch.equal(model.layers[0].bias, plain.layers[0].bias)
    r_before, r_after = opt.log["r_before"][0], opt.log["r_after"][0]
    assert math.isinf(r_before[1]) and math.isinf(r_after[1])
    finite = [0, 2, 3]
    expected = float(r_before[finite].mean())
    assert torch.equal(r_after[finite], torch.full((3,), expected))
    for i in finite:
        old, _, ctrl = groups[i]
        assert rel(ctrl - old, old) == pytest.approx(expected, rel=TOL[torch.float32])


@pytest.mark.parametrize("opt_name", ["sgd", "adamw"])
def test_apply_false_measures_without_moving_anything(opt_name):
    model, opt = build([6, 5, 4], opt=opt_name, apply=False, log_every=2)
    plain, plain_opt = build([6, 5, 4], opt=opt_name)
    for step in range(5):
        for m, o in ((model, opt), (plain, plain_opt.optimizer)):
            o.zero_grad()
            backward(m, step, torch.float32)
        old = [flat(layer.parameters()) for layer in model.layers]
        opt.step()
        plain_opt.optimizer.step()
        for a, b in zip(model.parameters(), plain.parameters()):
            assert torch.equal(a, b)
        if step + 1 in (1, 2, 4):
            r = [rel(flat(layer.parameters()) - o, o) for layer, o in zip(model.layers, old)]
            assert opt.log["r_before"][-1].tolist() == pytest.approx(r, rel=1e-5)
    assert opt.log["step"] == [1, 2, 4]
    assert torch.equal(opt.log["r_before"], opt.log["r_after"])


def test_measure_only_with_every_layer_frozen_logs_zeros():
    model, _ = build([4, 4, 4])
    model.layers.requires_grad_(False)
    opt = EqualStep(make_optimizer("sgd", [p for p in model.parameters() if p.requires_grad]), model.layers,
                    apply=False)
    for step in range(2):
        opt.zero_grad()
        backward(model, step, torch.float32)
        opt.step()
    assert opt.log["step"] == [1, 2] and torch.equal(opt.log["r_before"], torch.zeros(2, 2))


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_log_shapes_and_equal_r_after(granularity):
    model, opt = build([6, 5, 4, 3], opt="sgd", granularity=granularity, log_every=3)
    for step in range(7):
        opt.zero_grad()
        backward(model, step, torch.float32)
        opt.step()
    log = opt.log
    n_groups = 3 if granularity == "layer" else 6
    assert opt.n_groups == n_groups and len(opt.group_names) == len(opt.group_layer) == n_groups
    assert log["step"] == [1, 3, 6]
    assert log["r_before"].shape == log["r_after"].shape == (3, n_groups)
    assert log["r_before"].dtype == torch.float32 and log["r_before"].device == model.inp.weight.device
    assert (log["r_before"] > 0).all()
    assert (log["r_after"] == log["r_after"][:, :1]).all()  # one r* per step, for every group
    assert not torch.allclose(log["r_before"], log["r_after"])


@pytest.mark.parametrize("apply", [True, False], ids=["apply", "measure-only"])
def test_step_never_reads_a_value_back_to_the_host(apply):
    # On CUDA a read-back would stall the stream every step; on CPU it shows up as the same op.
    model, opt = build([6, 5, 4, 3], opt="sgd", apply=apply)  # CPU AdamW itself reads its step count back
    opt.zero_grad()
    backward(model, 0, torch.float32)
    opt.step()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        opt.step()
        opt.log
    ops = {e.key for e in prof.key_averages()}
    assert "Optimizer.step#EqualStep.step" in ops
    assert not ops & {"aten::_local_scalar_dense", "aten::item", "aten::is_nonzero"}


@pytest.mark.parametrize("apply", [True, False])
def test_a_subclass_supplies_only_the_snapshot_and_the_equalisation(apply):
    # step() keeps the count, decides which steps measure and logs; a subclass (as
    # depthcore.distributed.ShardedEqualStep) changes what is snapshotted and how r is computed
    calls = []

    class Recording(EqualStep):
        def _snapshot_sources(self):
            calls.append("snapshot")
            return super()._snapshot_sources()

        def _equalize_step(self, old):
            calls.append("equalize")
            return super()._equalize_step(old)

    model = Stack([6, 5, 4])
    opt = Recording(make_optimizer("sgd", model.parameters()), model.layers, log_every=2, apply=apply)
    for step in range(5):
        backward(model, step, torch.float32)
        opt.step()
        opt.zero_grad()
    measured = 5 if apply else 3  # apply=False measures at the log steps only: 1, 2, 4
    assert calls == ["snapshot", "equalize"] * measured
    assert opt.log["step"] == [1, 2, 4] and opt.log["r_before"].shape == (3, 2)


def _gpt2():
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(SEED)
    return GPT2LMHeadModel(GPT2Config(n_layer=3, n_embd=16, n_head=2, vocab_size=32, n_positions=8,
                                      bos_token_id=0, eos_token_id=0))


def test_a_whole_model_stands_for_its_block_stack():
    # EqualStep(AdamW(model.parameters()), model), as a transformers.Trainer's optimizer is built
    model, by_layers = build([5, 4, 3, 2], opt="adamw")
    twin = copy.deepcopy(model)
    by_model = EqualStep(make_optimizer("adamw", twin.parameters()), twin)
    assert by_model.n_groups == by_layers.n_groups == 3
    assert by_model.group_names == by_layers.group_names == ["0", "1", "2"]
    for step in range(2):
        for m, o in ((model, by_layers), (twin, by_model)):
            o.zero_grad()
            backward(m, step, torch.float32)
            o.step()
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), twin.parameters()))

    gpt2 = _gpt2()  # a Hugging Face model: its blocks, found by depthcore.layers.find_layers
    opt = EqualStep(torch.optim.AdamW(gpt2.parameters()), gpt2)
    assert opt.n_groups == 3
    assert [id(p) for p in opt._params] == [id(p) for block in gpt2.transformer.h for p in block.parameters()]


def test_a_model_moved_after_the_optimizer_is_built_is_followed():
    # transformers.Trainer moves the model to its device after the user built the optimizer;
    # a change of dtype takes the same path on CPU
    model, opt = build([5, 4, 3], opt="adamw")
    model.double()
    for step in range(2):
        opt.zero_grad()
        backward(model, step, torch.float64)
        groups, _ = forked_step(model, opt, "layer")
    assert opt._old[0].dtype == torch.float64 and opt.log["r_after"].dtype == torch.float64
    r = [rel(new - old, old) for old, _, new in groups]
    assert max(r) - min(r) < TOL[torch.float64] * max(r), r


def test_log_before_any_step_is_empty():
    _, opt = build([4, 4, 4])
    assert opt.log["step"] == [] and opt.log["r_before"].shape == (0, 2)


@pytest.mark.parametrize("opt_name", ["sgd", "adamw"])
def test_state_dict_resume_is_bit_identical(opt_name):
    def steps(model, opt, start, stop):
        for step in range(start, stop):
            opt.zero_grad()
            backward(model, step, torch.float32)
            opt.step()

    model, opt = build([6, 5, 4, 3], opt=opt_name, target=0.02, log_every=2)
    steps(model, opt, 0, 3)
    saved_model, saved_opt = copy.deepcopy(model.state_dict()), copy.deepcopy(opt.state_dict())
    steps(model, opt, 3, 6)

    resumed, ropt = build([6, 5, 4, 3], opt=opt_name, seed=SEED + 1)  # other init, default settings
    resumed.load_state_dict(saved_model)
    ropt.load_state_dict(saved_opt)
    assert (ropt.target, ropt.log_every) == (0.02, 2)
    steps(resumed, ropt, 3, 6)
    for a, b in zip(model.parameters(), resumed.parameters()):
        assert torch.equal(a, b)
    assert ropt.log["step"] == opt.log["step"] == [1, 2, 4, 6]
    assert torch.equal(ropt.log["r_before"], opt.log["r_before"])
    assert torch.equal(ropt.log["r_after"], opt.log["r_after"])


@pytest.mark.parametrize("wraps", ["EqualStep", "inner"])
def test_lambda_lr_schedules_the_wrapped_optimizer(wraps):
    model, opt = build([6, 5, 4, 3], opt="sgd")
    sched_opt = opt if wraps == "EqualStep" else opt.optimizer
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "lr_scheduler.step() before optimizer.step()"
        sched = torch.optim.lr_scheduler.LambdaLR(sched_opt, lambda s: 0.5 ** s)
        for step in range(4):
            opt.zero_grad()
            backward(model, step, torch.float32)
            opt.step()
            sched.step()
            assert opt.optimizer.param_groups[0]["lr"] == pytest.approx(0.05 * 0.5 ** (step + 1))
    assert opt.param_groups is opt.optimizer.param_groups and opt.state is opt.optimizer.state
    assert (opt.log["r_after"] == opt.log["r_after"][:, :1]).all()
    sched.load_state_dict(sched.state_dict())


@PROPERTY
@given(n_groups=st.integers(1, 4), shapes=st.lists(st.lists(st.integers(1, 4), max_size=2), min_size=1, max_size=6),
       target=st.one_of(st.just("mean"), st.floats(1e-3, 1.0)), seed=st.integers(0, 2**16), data=st.data())
def test_equalize_function(n_groups, shapes, target, seed, data):
    groups = data.draw(st.lists(st.integers(0, n_groups - 1), min_size=len(shapes), max_size=len(shapes)))
    gen = torch.Generator().manual_seed(seed)
    old = [torch.randn(s, generator=gen, dtype=torch.float64) + 2 for s in shapes]  # away from zero norm
    new = [o + 0.01 * torch.randn(o.shape, generator=gen, dtype=torch.float64) for o in old]
    inner = [n.clone() for n in new]
    old_copy = [o.clone() for o in old]
    r_before, r_after = equalize_(old, new, groups, n_groups, target)
    assert all(torch.equal(a, b) for a, b in zip(old, old_copy))
    assert r_before.shape == r_after.shape == (n_groups,)
    owned = [[i for i, g in enumerate(groups) if g == k] for k in range(n_groups)]
    r_star = float(r_before[[k for k in range(n_groups) if owned[k]]].mean()) if target == "mean" else target
    for k, idx in enumerate(owned):
        if not idx:
            assert r_before[k] == 0 and r_after[k] == 0
            continue
        o, n, i = (flat([ts[j] for j in idx]) for ts in (old, new, inner))
        assert float(r_before[k]) == pytest.approx(rel(i - o, o), rel=1e-12)
        assert rel(n - o, o) == pytest.approx(r_star, rel=1e-10)
        assert float((n - o) @ (i - o) / ((n - o).norm() * (i - o).norm())) >= 1 - 1e-10


# -- control strength ---------------------------------------------------------------------------

r_logs = hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 8)), elements=st.floats(1e-4, 1.0))


@PROPERTY
@given(st.lists(st.floats(1e-4, 1.0), min_size=1, max_size=6), st.integers(1, 8))
def test_control_strength_is_zero_when_layers_move_equally(per_step, layers):
    r = np.repeat(np.array(per_step)[:, None], layers, axis=1)
    assert control_strength(r) == pytest.approx(0.0, abs=1e-12)


@PROPERTY
@given(r_logs, st.floats(1e-3, 1e3))
def test_control_strength_is_scale_invariant(r, c):
    step_factors = np.linspace(1.0, 3.0, r.shape[0])[:, None]  # each step may have its own scale too
    assert control_strength(c * r) == pytest.approx(control_strength(r), rel=1e-9, abs=1e-12)
    assert control_strength(step_factors * r) == pytest.approx(control_strength(r), rel=1e-9, abs=1e-12)


@PROPERTY
@given(r_logs, st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_control_strength_grows_with_spread(r, a, b):
    # Shrinking every r_l toward its step's mean keeps r*, and each |log(r*/r_l)| shrinks with it.
    lo, hi = sorted((a, b))
    m = r.mean(axis=1, keepdims=True)
    assert control_strength(m + lo * (r - m)) <= control_strength(m + hi * (r - m)) + 1e-12


def test_control_factors_on_a_hand_computed_example():
    # step 1: layer 2 not updated, r* = (1 + 3)/2 = 2, factors 2, 2/3; spread (3 - 1)/2 = 1
    # step 2: all equal, r* = 2, factors 1; spread 0
    r = np.array([[1.0, 3.0, 0.0], [2.0, 2.0, 2.0]])
    got = control_factors(r)
    np.testing.assert_allclose(got["factor_mean"], [1.5, 5 / 6, 1.0])
    np.testing.assert_allclose(got["factor_min"], [1.0, 2 / 3, 1.0])
    np.testing.assert_allclose(got["factor_max"], [2.0, 1.0, 1.0])
    assert got["spread"] == pytest.approx(0.5)
    assert control_strength(r) == pytest.approx((math.log(2) + math.log(1.5)) / 5)


def test_control_strength_without_any_update_is_nan():
    r = np.zeros((3, 4))
    assert math.isnan(control_strength(r))
    got = control_factors(r)
    assert np.isnan(got["factor_mean"]).all() and math.isnan(got["spread"])


# -- errors ---------------------------------------------------------------------------------------

def _model_and_sgd():
    torch.manual_seed(SEED)
    model = Stack([4, 4, 4])
    return model, torch.optim.SGD(model.parameters(), lr=0.1)


def _load_plain():
    model, sgd = _model_and_sgd()
    EqualStep(sgd, model.layers).load_state_dict(sgd.state_dict())


def _load_other_granularity():
    model, sgd = _model_and_sgd()
    EqualStep(sgd, model.layers, granularity="tensor").load_state_dict(EqualStep(sgd, model.layers).state_dict())


def _several_devices():
    model, _ = _model_and_sgd()
    meta = nn.Parameter(torch.empty(3, device="meta"))
    EqualStep(torch.optim.SGD([*model.parameters(), meta], lr=0.1), [model.layers[0], [meta]])


ERRORS = {
    "no-layers": (lambda m, o: EqualStep(o, []), ValueError, "no layers; pass the model's block stack"),
    "no-block-stack": (lambda m, o: EqualStep(o, nn.Linear(2, 2)), TypeError,
                       "neither a block stack nor a model whose block stack depthcore finds"),
    "layers-number": (lambda m, o: EqualStep(o, 5), TypeError,
                      r"layers is a int; pass the block stack .* or the whole model"),
    "layers-tensor": (lambda m, o: EqualStep(o, m.inp.weight), TypeError,
                      "layers is a Parameter; pass the block stack"),
    "target-zero": (lambda m, o: EqualStep(o, m.layers, target=0), ValueError, "positive finite number"),
    "target-negative": (lambda m, o: EqualStep(o, m.layers, target=-0.1), ValueError, "positive finite number"),
    "target-nan": (lambda m, o: EqualStep(o, m.layers, target=float("nan")), ValueError, "positive finite number"),
    "target-name": (lambda m, o: EqualStep(o, m.layers, target="median"), ValueError, "use 'mean'"),
    "granularity": (lambda m, o: EqualStep(o, m.layers, granularity="block"), ValueError,
                    "granularity='block' is not known; use one of 'layer', 'tensor'"),
    "log-every": (lambda m, o: EqualStep(o, m.layers, log_every=0), ValueError, "log_every=0 must be a positive"),
    "not-an-optimizer": (lambda m, o: EqualStep(list(m.parameters()), m.layers), TypeError,
                         "wraps a torch.optim.Optimizer"),
    "nothing-trainable": (lambda m, o: EqualStep(torch.optim.SGD(m.head.parameters(), lr=0.1), m.layers),
                          ValueError, "pass the optimizer that trains these layers"),
    "shared-parameter": (lambda m, o: EqualStep(o, [[m.inp.weight], [m.inp.weight]]), ValueError,
                         "belongs to layers 0 and 1"),
    "layer-type": (lambda m, o: EqualStep(o, [3]), TypeError, "must be an nn.Module or a list of parameter tensors"),
    "layer-tensor": (lambda m, o: EqualStep(o, [m.inp.weight]), TypeError, r"wrap it: \[\[tensor\]\]"),
    "several-devices": (lambda m, o: _several_devices(), ValueError, "needs them on one device"),
    "load-plain": (lambda m, o: _load_plain(), ValueError, "comes from a plain optimizer"),
    "load-granularity": (lambda m, o: _load_other_granularity(), ValueError, "with the same granularity"),
    "equalize-lengths": (lambda m, o: equalize_([torch.ones(2)], [], [0], 1), ValueError, "one old tensor"),
    "equalize-group": (lambda m, o: equalize_([torch.ones(2)], [torch.ones(2)], [1], 1), ValueError,
                       r"outside \[0, 1\)"),
    "equalize-shape": (lambda m, o: equalize_([torch.ones(2)], [torch.ones(3)], [0], 1), ValueError,
                       "snapshot of new"),
    "equalize-target": (lambda m, o: equalize_([torch.ones(2)], [torch.ones(2)], [0], 1, target=-1), ValueError,
                        "positive finite number"),
    "strength-shape": (lambda m, o: control_strength(np.ones(3)), ValueError, r"shape \[steps, layers\]"),
    "factors-shape": (lambda m, o: control_factors(np.ones((2, 2, 2))), ValueError, r"shape \[steps, layers\]"),
}


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_bad_input_raises_naming_the_fix(case):
    call, error, match = case
    model, sgd = _model_and_sgd()
    with pytest.raises(error, match=match):
        call(model, sgd)


# -- the measured check (depthcore.claims.control_is_equal) -------------------------------------

EPS32 = float(np.finfo(np.float32).eps)

def _measured(r):
    import xarray as xr

    return xr.Dataset({"r_measured": (("log_step", "layer"), np.asarray(r, dtype=np.float64))}, attrs={"label": "x"})


@pytest.mark.parametrize("r, expected", [
    ([[0.02, 0.02, 0.02], [0.01, 0.01, 0.01]], 0.0),
    ([[0.02, 0.0, 0.02]], 0.0),  # a frozen layer (r = 0) is left out of the mean
    ([[0.01, 0.03], [0.01, 0.01]], 0.5 - EPS32 / 0.03),  # mean 0.02: both 50% off it, less float32's resolution
    ([[1e-6, 1.002e-6]], 0.0),  # r_l ~ 1e-6: float32 weights resolve r_l to ~eps/r_l ~ 0.12, so 0.1% is no evidence
    ([[1e-6, 1.5e-6]], 0.2 - EPS32 / 1.5e-6),  # 20% off at r_l ~ 1e-6 is beyond that resolution
    ([[0.0, 0.0]], 0.0),  # nothing moved: nothing to compare
    ([[0.02, np.nan, 0.02]], math.inf),  # a NaN or inf r_l fails the check, never hides in it
    ([[0.02, np.inf]], math.inf),
])
def test_control_is_equal_reads_r_measured(r, expected):
    from depthcore.claims import control_is_equal

    assert control_is_equal(_measured(r)) == pytest.approx(expected)


def test_control_is_equal_needs_r_measured():
    from depthcore.claims import control_is_equal

    with pytest.raises(ValueError, match="x has no r_measured; recompute it"):
        control_is_equal(_measured([[0.1]]).rename({"r_measured": "r_after"}))
