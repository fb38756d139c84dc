"""depthcore.distributed: xdist GPU pinning, and FSDP fine-tuning equal to the unsharded run.

The FSDP test shards a random 4-layer GPT-2 (hidden 32; `tiny_gpt2` and `train_split` of
tests/test_train.py) over 2 CPU processes (gloo, forked, one thread each) and checks that the
equal-step r_l logs (the control's and those measured from the weights), the per-layer
relative weight change and the final weights match
`depthcore.train.finetune` on one process; and that a sharded run stops on a non-finite loss
or weight with the unsharded run's error, on every rank.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket

import numpy as np
import pytest
import torch
from test_train import loss_turns_nan, tiny_gpt2, train_split, weight_turns_inf
from transformers import GPT2Config, GPT2LMHeadModel

from depthcore import data, distributed, engine, metrics, results, zoo
from depthcore.config import RunSpec
from depthcore.control import EqualStep
from depthcore.layers import find_layers
from depthcore.train import NonFiniteLoss, finetune

LR = {"adamw": 1e-3, "sgd": 1e-1}
# 6 steps of 8 sequences, control applied every step, logs at steps 1, 2, 4, 6.
SPEC = RunSpec("fsdp-test", condition="equal_step", steps=6, batch_size=8, seq_len=16, log_every=2)
# Tolerances. float32 sums in another order (two half-batch gradients, sharded norms) make
# the per-layer quantities differ from the single-process ones by ~1e-7 (measured: r_l, grad
# and optimizer-state norms <= 4e-7 relative; rel_update <= 1e-7). Adam divides each
# element's step by its own RMS, which amplifies that where a gradient is ~0: final weights
# differ by <= 6.5e-6 absolute under AdamW (weights moved up to 4e-3) and <= 1.2e-8 under SGD
# (moved up to 3.6e-2).
R_RTOL = 1e-5
W_ATOL = {"adamw": 5e-5, "sgd": 1e-6}


# --------------------------------------------------------------------------- xdist pinning

@pytest.mark.parametrize("worker, n_gpus, expected", [
    ("gw0", 4, "cuda:0"), ("gw1", 4, "cuda:1"), ("gw5", 4, "cuda:1"), ("gw2", 1, "cuda:0"), ("gw7", 8, "cuda:7"),
])
def test_worker_device_maps_gwK_to_gpu_K_mod_count(monkeypatch, worker, n_gpus, expected):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: n_gpus)
    assert distributed.worker_device("cuda") == expected


def test_worker_device_leaves_cpu_and_non_workers_alone(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 4)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    assert distributed.worker_device("cpu") == "cpu"
    assert distributed.worker_device("cuda:2") == "cuda:2"
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert distributed.worker_device("cuda") == "cuda"  # the xdist controller, or no xdist at all
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "master")
    assert distributed.worker_device("cuda") == "cuda"


def test_worker_device_without_gpus_says_so(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    with pytest.raises(RuntimeError, match="device_count.. is 0"):
        distributed.worker_device("cuda")


def test_pin_worker_sets_current_device_and_keeps_spec_name(monkeypatch):
    calls = []
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "set_device", calls.append)
    assert distributed.pin_worker("cuda") == "cuda"  # RunSpec.device stays "cuda": one cache key on any GPU
    assert calls == [torch.device("cuda:1")]
    assert distributed.pin_worker("cpu") == "cpu" and len(calls) == 1


# --------------------------------------------------------------------------- single process

@pytest.mark.slow
def test_sharded_equal_step_on_one_process_is_equal_step():
    a, b = tiny_gpt2(), tiny_gpt2()
    opts = []
    for model, cls in ((a, EqualStep), (b, distributed.ShardedEqualStep)):
        inner = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        opts.append(cls(inner, find_layers(model), log_every=1))
    batch = {k: v[:8] for k, v in train_split().items()}
    for _ in range(3):
        for model, opt in zip((a, b), opts):
            model(**batch).loss.backward()
            opt.step()
            opt.zero_grad()
    for key in ("r_before", "r_after"):
        torch.testing.assert_close(opts[1].log[key], opts[0].log[key], rtol=1e-6, atol=0)
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(q, p, rtol=1e-6, atol=1e-7)


def test_sharded_weight_delta_stats_on_one_process_match_metrics():
    model = tiny_gpt2()
    layers = find_layers(model)
    before, ref_before = distributed.snapshot_layers(layers), engine.layer_state(layers)
    with torch.no_grad():
        for i, p in enumerate(model.transformer.h.parameters()):
            p.add_(1e-3 * (i % 5 + 1) * torch.randn_like(p) + 1e-4)
    got = distributed.sharded_weight_delta_stats(before, layers)
    for g, b, a in zip(got, ref_before, engine.layer_state(layers)):
        want = metrics.weight_delta_stats(b, a)
        assert g.keys() == want.keys()
        for k in want:
            assert g[k] == pytest.approx(want[k], rel=1e-9, abs=1e-15), k


# --------------------------------------------------------------------------- FSDP on 2 processes

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _gloo(rank: int, world: int, port: int, timeout_s: float | None = None):
    """This forked process's membership of a gloo process group over `world` ranks, destroyed on exit.

    Args:
        rank, world, port: as `_fork_ranks` passes them.
        timeout_s: how long a collective may wait for the other ranks (default: torch's).
    """
    import datetime

    import torch.distributed as dist

    torch.set_num_threads(1)  # 2 processes on a shared 2-core machine
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    timeout = {} if timeout_s is None else {"timeout": datetime.timedelta(seconds=timeout_s)}
    dist.init_process_group("gloo", rank=rank, world_size=world, **timeout)
    try:
        yield
    finally:
        dist.destroy_process_group()


def _fork_ranks(worker, out: str, world: int = 2) -> None:
    """Run ``worker(rank, world, port, out)`` in `world` forked processes; raises if one of them does.

    fork: the children reuse the imported torch/transformers (spawn would import them again, ~15 s each here).
    """
    import torch.multiprocessing as mp

    mp.start_processes(worker, args=(world, _free_port(), out), nprocs=world, start_method="fork")


def _fsdp_worker(rank: int, world: int, port: int, out: str) -> None:
    with _gloo(rank, world, port):
        results = {}
        for opt in LR:
            spec = SPEC.replace(optimizer=opt)
            model = tiny_gpt2()
            layers = find_layers(model)
            distributed.shard(model, layers)
            assert type(next(layers[0].parameters())).__name__ == "DTensor"
            before = distributed.snapshot_layers(layers)
            log = distributed.fsdp_finetune(model, layers, train_split(), spec, LR[opt])
            stats = distributed.sharded_weight_delta_stats(before, layers)
            layer_state = distributed.gather_layer_state(layers, rank0_only=True)
            weights = {n: p.detach().full_tensor().clone() for n, p in model.named_parameters()}
            results[opt] = dict(log=log, stats=stats, layer_state=layer_state, weights=weights)
        if rank == 0:
            torch.save(results, out)


@pytest.fixture(scope="module")
def fsdp_results(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("fsdp") / "rank0.pt")
    _fork_ranks(_fsdp_worker, out)
    return torch.load(out, weights_only=False)


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", list(LR))
def test_fsdp_equal_step_run_matches_unsharded(fsdp_results, optimizer):
    got = fsdp_results[optimizer]
    spec = SPEC.replace(optimizer=optimizer)
    model = tiny_gpt2()
    layers = find_layers(model)
    before = engine.layer_state(layers)
    ref = finetune(model, layers, train_split(), spec, LR[optimizer])
    after = engine.layer_state(layers)
    log = got["log"]

    assert log.log_steps == ref.log_steps == [1, 2, 4, 6]
    torch.testing.assert_close(log.loss, ref.loss, rtol=1e-5, atol=0)
    # the control's input and output, per layer and log step
    torch.testing.assert_close(log.r_before, ref.r_before, rtol=R_RTOL, atol=0)
    torch.testing.assert_close(log.r_after, ref.r_after, rtol=R_RTOL, atol=0)
    r = log.r_after.numpy()
    np.testing.assert_allclose(r, np.broadcast_to(r.mean(1, keepdims=True), r.shape), rtol=1e-5)
    # r_l measured from the shards before and after each logged step: the control acted on every rank
    torch.testing.assert_close(log.r_measured, ref.r_measured, rtol=R_RTOL, atol=0)
    torch.testing.assert_close(log.r_measured, log.r_after, rtol=R_RTOL, atol=0)
    for key in ("grad_norm", "opt_m_norm", "opt_v_norm"):
        torch.testing.assert_close(getattr(log, key), getattr(ref, key), rtol=R_RTOL, atol=1e-9, msg=key)
    # relative weight change per layer (and the other weight-delta statistics) from shards
    for g, b, a in zip(got["stats"], before, after):
        want = metrics.weight_delta_stats(b, a)
        assert g["rel_update"] == pytest.approx(want["rel_update"], rel=R_RTOL)
        assert g["dW_relnorm"] == pytest.approx(want["dW_relnorm"], rel=R_RTOL)
        assert g["dW_absmean"] == pytest.approx(want["dW_absmean"], rel=R_RTOL)
    # final weights: per-layer gather and every parameter
    for g, a in zip(got["layer_state"], after):
        assert g.keys() == a.keys()
        for k in a:
            torch.testing.assert_close(g[k], a[k], rtol=0, atol=W_ATOL[optimizer], msg=k)
    ref_weights = dict(model.named_parameters())
    assert got["weights"].keys() == ref_weights.keys()
    for k, w in got["weights"].items():
        torch.testing.assert_close(w, ref_weights[k].detach(), rtol=0, atol=W_ATOL[optimizer], msg=k)
    moved = max(float((a[k] - b[k]).abs().max()) for b, a in zip(before, after) for k in a)
    assert moved > 50 * W_ATOL[optimizer]  # the tolerance is far below how far the weights moved


def test_fsdp_finetune_rejects_uneven_batch():
    import torch.distributed as dist

    spec = SPEC.replace(batch_size=7)

    if dist.is_initialized():
        pytest.skip("a process group is already initialised")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dist, "is_initialized", lambda: True)
        mp.setattr(dist, "get_rank", lambda group=None: 0)
        mp.setattr(dist, "get_world_size", lambda group=None: 2)
        with pytest.raises(ValueError, match="batch_size=7 is not divisible by the 2 ranks"):
            distributed.fsdp_finetune(tiny_gpt2(), [], train_split(), spec, 1e-3)
        with pytest.raises(ValueError, match="compile=True is not supported by fsdp_finetune"):
            distributed.fsdp_finetune(tiny_gpt2(), [], train_split(), SPEC.replace(compile=True), 1e-3)


# --------------------------------------------------------------------------- guards on 2 processes: a non-finite loss or weight

# Each fault of tests/test_train.py, on a sharded run: (spec, lr, fault, step). One rank alone is
# poisoned (rank 0's local loss, rank 1's shard of a weight): the all-reduces must stop both ranks
# (a rank that went on would wait forever in its next collective) with the unsharded run's error.
FAULT_SPEC = SPEC.replace(steps=5, log_every=4)  # logs at steps 1 and 4: step 5 is checked as the last step
FAULTS = {
    "huge lr": (SPEC.replace(optimizer="sgd", condition="standard", grad_clip=0.0), 1e12, None, None),
    "nan loss on the last step": (FAULT_SPEC, 1e-3, "loss", 5),
    "inf weight on the last step": (FAULT_SPEC, 1e-3, "weight", 5),
    "inf weight by a log step": (FAULT_SPEC, 1e-3, "weight", 4),
    "overflowing update": (SPEC.replace(condition="standard"), 1e38, None, None),
}


def _fault(model, fault: str | None, step: int | None, rank: int | None):
    """The context that injects `fault` at `step`; `rank` None: unsharded, the fault always applies."""
    if fault == "loss":
        return loss_turns_nan(model, step, active=rank in (None, 0))
    if fault == "weight":
        return weight_turns_inf(model, step, active=rank in (None, 1))
    return contextlib.nullcontext()


def _faults_worker(rank: int, world: int, port: int, out: str) -> None:
    # a short timeout: a rank left waiting in a collective fails the test instead of hanging it
    with _gloo(rank, world, port, timeout_s=60):
        outcome = {}
        for name, (spec, lr, fault, step) in FAULTS.items():
            model = tiny_gpt2()
            layers = find_layers(model)
            distributed.shard(model, layers)
            try:
                with _fault(model, fault, step, rank):
                    distributed.fsdp_finetune(model, layers, train_split(), spec, lr)
                outcome[name] = (None, "no error")
            except NonFiniteLoss as e:
                outcome[name] = (type(e).__name__, str(e))
        torch.save(outcome, f"{out}-rank{rank}.pt")


@pytest.fixture(scope="module")
def fsdp_faults(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("fsdp-faults") / "outcome")
    _fork_ranks(_faults_worker, out)
    return [torch.load(f"{out}-rank{r}.pt", weights_only=False) for r in range(2)]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FAULTS))
def test_fsdp_run_stops_every_rank_with_the_unsharded_error(fsdp_faults, name):
    spec, lr, fault, step = FAULTS[name]
    model = tiny_gpt2()
    with pytest.raises(NonFiniteLoss) as info, _fault(model, fault, step, None):
        finetune(model, find_layers(model), train_split(), spec, lr)
    want = (type(info.value).__name__, str(info.value))
    assert fsdp_faults[0][name] == fsdp_faults[1][name]  # both ranks stop, with the same error
    got = fsdp_faults[0][name]
    if fault is None:  # where a free-running run first overflows may differ in float rounding
        assert got[0] == want[0], got
        assert re.sub(r"step \d+", "step N", got[1]) == re.sub(r"step \d+", "step N", want[1])
    else:
        assert got == want
    assert got[1].endswith("no result was written")


# --------------------------------------------------------------------------- a whole run, sharded: engine.run(spec, sharded=True)

# The sharded run must match every variable of the unsharded engine.run, timings aside. Measured
# (2 gloo ranks vs one process, random 4-layer GPT-2, 6 steps): the largest difference is 3% of
# this tolerance (AdamW: r_spread, grad norms; SGD: grad and momentum norms, null profile), i.e.
# about 3e-6 relative, from float sums in another order (half-batch gradients, sharded norms).
RUN_SPEC = RunSpec("fake", condition="equal_step", steps=6, batch_size=4, seq_len=32, probe_size=8, log_every=2)
RUN_RTOL, RUN_ATOL = 1e-4, 1e-6


def _engine_worker(rank: int, world: int, port: int, out: str) -> None:
    with _gloo(rank, world, port):
        for opt in LR:
            ds = engine.run(RUN_SPEC.replace(optimizer=opt), sharded=True)
            if rank == 0:
                results.write(ds, f"{out}-{opt}.nc")
            else:
                assert ds is None


@pytest.fixture(scope="module")
def fake_zoo_module():
    """engine.run's zoo.load replaced by a random 4-layer GPT-2 over the tiny tokenizer (no pretraining);
    forked ranks inherit it."""
    tok = data.tiny_tokenizer()
    info = zoo.ModelInfo("fake-gpt2", "path", "", "gpt2", "sequential", "decoder", 0, 0, "tiny", LR)

    def load(name, objective, device="cpu", seed=0):
        torch.manual_seed(seed)
        cfg = GPT2Config(n_layer=4, n_embd=32, n_head=2, vocab_size=len(tok), n_positions=64,
                         pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                         resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
        return GPT2LMHeadModel(cfg).eval(), tok, info

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine.zoo, "load", load)
        yield


@pytest.fixture(scope="module")
def sharded_runs(fake_zoo_module, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("fsdp-run") / "run")
    _fork_ranks(_engine_worker, out)
    return {opt: results.read(f"{out}-{opt}.nc") for opt in LR}


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", list(LR))
def test_sharded_engine_run_matches_unsharded(sharded_runs, optimizer):
    got = sharded_runs[optimizer]
    want = engine.run(RUN_SPEC.replace(optimizer=optimizer))
    assert set(got.data_vars) == set(want.data_vars)
    assert got.attrs["spec"] == want.attrs["spec"]
    for name in want.data_vars:
        if want[name].attrs.get("units") != "s":
            np.testing.assert_allclose(got[name].values, want[name].values, rtol=RUN_RTOL, atol=RUN_ATOL, err_msg=name)
    assert float(want["rel_update"].min()) > 1e3 * RUN_ATOL  # the run moved the weights far past the tolerance
    r = got["r_after"].values  # the control acted on the sharded parameters
    np.testing.assert_allclose(r, np.broadcast_to(r.mean(1, keepdims=True), r.shape), rtol=1e-5)


def test_sharded_run_without_a_process_group_names_the_launcher():
    import torch.distributed as dist

    if dist.is_initialized():
        pytest.skip("a process group is already initialised")
    with pytest.raises(RuntimeError, match="torchrun --nproc-per-node N -m depthcore run --fsdp"):
        engine.run(RUN_SPEC, sharded=True)


def test_sharded_lora_run_is_refused(monkeypatch):
    import torch.distributed as dist

    from depthcore.config import SpecError

    monkeypatch.setattr(dist, "is_initialized", lambda: True)
    with pytest.raises(SpecError, match="run LoRA without --fsdp"):
        distributed.check_sharded_run(RUN_SPEC.replace(lora=True))
