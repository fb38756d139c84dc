"""The fine-tuning loop: one RunSpec's optimizer steps, with the logs paper A's authors promised.

AdamW (fused, every device) or SGD with momentum 0.9 (docs/design.md "Optimizer axis"); linear warmup
then linear decay; global grad-norm clipping; bf16 autocast on CUDA, fp32 on CPU. Frozen
layers are removed from the optimizer, so momentum and weight decay cannot move them.
Condition `equal_step` wraps the optimizer in `EqualStep` (depthcore.control, docs/design.md
"Equal-step control"); standard runs log the same `r_l` at the log steps, so their control
strength ("what the control would have done") can be computed. Every `log_every` steps: r_l
before/after the control, per-layer gradient norms, per-layer optimizer-state norms (Adam m
and sqrt(v); SGD's momentum buffer), and `r_measured`: r_l measured from copies of the
layers' trainable parameters taken just before the optimizer step and compared after it
(the control's rescaling included), by code of its own, so a control that failed to
equalise shows there. Only the log steps pay for the copies.

One step loop, `run_steps`, serves every way of training; a strategy object supplies what
differs. `Local` trains on one device (`finetune`); `depthcore.distributed.Sharded` trains
FSDP shards (`depthcore.distributed.fsdp_finetune`): how a batch is cut per rank, how the
loss is normalised and reduced, how per-layer norms are summed over ranks;
`depthcore.tinyzoo.Pretraining` pretrains the tiny zoo: its optimizer, learning-rate schedule
and fresh masks every step. The data order, clipping, logs, timing and the guards below exist
once, in `run_steps`.

Guards: losses stay on the device and are checked for NaN/inf at every log step and after
the last step; so are the trainable weights (an update can make them non-finite while the
loss, computed before the update, is still finite). Either stops the run naming the first
bad step it can detect and the spec (`NonFiniteLoss`, `NonFiniteWeights`).

No per-step host synchronisation on CUDA: the train split is moved to the device once
(pre-tokenized tensors; a tiny fraction of a model's memory) and batches are gathered there,
and the backward time is taken with CUDA events, read once after the last step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from depthcore.config import RunSpec
from depthcore.control import EqualStep
from depthcore.profile import objective_loss


class NonFiniteLoss(FloatingPointError):
    """The training loss became NaN/inf; no result is written."""


class NonFiniteWeights(NonFiniteLoss):
    """A trainable weight became NaN/inf while the loss was still finite; no result is written.

    A subclass of `NonFiniteLoss`, so whatever stops a run on a non-finite loss stops it here too.
    """


def _fix(spec: RunSpec, lr: float) -> str:
    clip = "" if spec.grad_clip > 0 else " or enable gradient clipping (grad_clip=1.0)"
    return f"lower the learning rate (e.g. lr={lr / 10:g}){clip}; no result was written"


def _check_finite(losses: torch.Tensor, params: list[torch.Tensor], strategy: Local, names: list[str],
                  checked: int, spec: RunSpec, lr: float) -> None:
    """Raise if a loss so far or a trainable weight now is NaN/inf. One host sync while all is finite.

    Called at the log steps and after the last step, not every step: on CUDA each call is a
    host sync.

    Args:
        losses: the losses of steps 1..s (s: the current step).
        params: the trainable parameters, checked by `_bad_params`: its fast check may also
            flag a finite parameter, and only a flag that its exact check confirms stops the run.
        strategy: where the parameters live (`Local.local`, `Local.all_reduce`).
        names: their names.
        checked: the last step at which this check passed (0 before any).
        spec: the run, for the message.
        lr: its peak learning rate, for the message.

    Raises:
        NonFiniteLoss: naming the first step whose loss is non-finite.
        NonFiniteWeights: the losses are finite but a weight is not; names the steps since
            the last check (the step at which it turned is not known without a sync per step)
            and the first such parameter.
    """
    bad_loss = ~torch.isfinite(losses)
    flags = _bad_params(params, strategy)
    loss_bad, weights_bad = torch.stack([bad_loss.any(), (flags != 0).any()]).tolist()
    if loss_bad:
        step = int(bad_loss.nonzero()[0]) + 1
        raise NonFiniteLoss(f"loss became non-finite at step {step} of {spec.label} (lr={lr:g}); {_fix(spec, lr)}")
    if weights_bad:  # every process gets here together: the flags were summed over them
        flags = _bad_params(params, strategy, exact=True)
    if weights_bad and bool((flags != 0).any()):
        step = len(losses)
        when = f"at step {step}" if checked + 1 == step else f"between steps {checked + 1} and {step}"
        name = names[int((flags != 0).nonzero()[0])]
        raise NonFiniteWeights(f"weights became non-finite {when} of {spec.label} (lr={lr:g}), first in {name}, "
                               f"while the loss was still finite; {_fix(spec, lr)}")


@dataclass
class TrainLog:
    loss: torch.Tensor  # [steps]
    log_steps: list[int]  # 1-based steps at which the per-layer logs were taken
    r_before: torch.Tensor  # [K, L]
    r_after: torch.Tensor  # [K, L]
    r_measured: torch.Tensor  # [K, L] ||W_l^after - W_l^before|| / ||W_l^before|| over the step, control included
    grad_norm: torch.Tensor  # [K, L]
    opt_m_norm: torch.Tensor  # [K, L]
    opt_v_norm: torch.Tensor  # [K, L]
    train_seconds: float
    backward_seconds: float


def _layer_params(layers: list[nn.Module]) -> list[list[torch.Tensor]]:
    return [[p for p in layer.parameters() if p.requires_grad] for layer in layers]


def _group_norms(tensors: list[list[torch.Tensor | None]], device) -> torch.Tensor:
    """Per layer: sqrt of the sum of squared norms of its tensors (0 for a layer with none)."""
    out = []
    for group in tensors:
        group = [t for t in group if t is not None]
        if not group:
            out.append(torch.zeros((), device=device))
        else:
            out.append(torch.linalg.vector_norm(torch.stack(torch._foreach_norm(group))))
    return torch.stack(out)


def _snapshot(layer_params: list[list[torch.Tensor]], into: list[list[torch.Tensor]] | None = None
              ) -> list[list[torch.Tensor]]:
    """Copies of the layers' trainable parameters, at least float32 (DTensors stay sharded: local copies).

    into: buffers of an earlier snapshot to overwrite instead of allocating new ones.
    """
    with torch.no_grad():
        if into is not None:
            for g, bg in zip(layer_params, into):
                for p, b in zip(g, bg):
                    b.copy_(p.detach())
            return into
        return [[p.detach().to(torch.promote_types(p.dtype, torch.float32), copy=True) for p in g]
                for g in layer_params]


def _measured_r(before: list[list[torch.Tensor]], layer_params: list[list[torch.Tensor]], strategy: Local
                ) -> torch.Tensor:
    """Per layer ``||W_l - W_l^before|| / ||W_l^before||``, Frobenius over all its trainable tensors together.

    Args:
        before: `_snapshot` of `layer_params` taken before the step; overwritten with
            ``W_l^before - W_l`` (the same norm as the change, without allocating it).
        layer_params: the layers' trainable parameters now.
        strategy: sums the norms over the processes that hold shards (`Local.group_norms`).

    Returns:
        ``[L]`` on the device: 0 for a layer that did not move, inf for one that moved from all zeros.
    """
    with torch.no_grad():
        w = strategy.group_norms(before)
        for g, bg in zip(layer_params, before):
            for p, b in zip(g, bg):
                b.sub_(p.detach())
        d = strategy.group_norms(before)
        return torch.where(d > 0, d / w, 0.0)


def _state_tensors(optimizer: torch.optim.Optimizer, params: list[list[torch.Tensor]],
                   scratch: list[list[torch.Tensor]] | None = None):
    """Per layer, the optimizer state whose norms are logged: (m, sqrt(v)); None where a tensor has none.

    m is Adam's first moment or SGD's momentum buffer; v is Adam's second moment (SGD has none).
    scratch: buffers shaped like `params` (a spent `_snapshot`) that receive sqrt(v) where the
    dtypes agree, instead of newly allocated tensors.
    """
    state = optimizer.state
    scratch = scratch or [[None] * len(g) for g in params]

    def root(p, buf):
        v = state[p]["exp_avg_sq"]
        return buf.copy_(v).sqrt_() if buf is not None and buf.dtype == v.dtype else v.sqrt()

    m = [[state[p].get("exp_avg", state[p].get("momentum_buffer")) if p in state else None for p in g] for g in params]
    v = [[root(p, buf) if p in state and "exp_avg_sq" in state[p] else None for p, buf in zip(g, bg)]
         for g, bg in zip(params, scratch)]
    return m, v


def make_optimizer(spec: RunSpec, params: list[torch.Tensor], lr: float) -> torch.optim.Optimizer:
    if spec.optimizer == "adamw":
        # fused on every device: on CPU 4-6x faster than the per-tensor loop (GPT-2 d=128: 8.0 -> 1.9 ms a step)
        return torch.optim.AdamW(params, lr=lr, weight_decay=spec.weight_decay, fused=True)
    return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=spec.weight_decay)


def lr_lambda(spec: RunSpec):
    """1) linear warmup over warmup_frac of the steps, 2) linear decay to 0 at the last step."""
    warm = max(1, int(spec.warmup_frac * spec.steps))

    def f(step: int) -> float:  # step counts from 0 (LambdaLR)
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (spec.steps - step) / max(1, spec.steps - warm))

    return f


class Local:
    """How `run_steps` trains on one device: whole batches, whole tensors, no collectives.

    The base of every strategy: `depthcore.distributed.Sharded` overrides what sharding
    changes, `depthcore.tinyzoo.Pretraining` what pretraining does. Once per run `optimizer`,
    `lr_at`, `control` and `place`; each step `batch`, `loss` (under autocast),
    `backward`, `group_norms` of the gradients (log steps), `logged_loss`, `group_norms` of
    the optimizer state (log steps); `local` and `all_reduce` serve the weight check.

    Args:
        spec: the run; ``spec.device`` is where the model lives.

    Attributes:
        device: where the model's (local) parameters live.
        rank: this process's rank; only rank 0 shows a progress bar.
        verb: what the progress bar says the run does.
        progress_suffix: appended to the progress bar's description.
        event_timing: time the backward with CUDA events read once at the end (no host sync
            per step); False times it on the host, after `synchronize`.
    """

    rank = 0
    verb = "fine-tune"
    progress_suffix = ""

    def __init__(self, spec: RunSpec) -> None:
        self.device = torch.device(spec.device)
        self.event_timing = self.device.type == "cuda"

    def optimizer(self, spec: RunSpec, named: list[tuple[str, nn.Parameter]], lr: float) -> torch.optim.Optimizer:
        """The optimizer over the trainable parameters `named` ((name, parameter) pairs): `make_optimizer`."""
        return make_optimizer(spec, [p for _, p in named], lr)

    def lr_at(self, spec: RunSpec, lr: float) -> Callable[[int], float]:
        """The learning rate of each step (counted from 0): `lr` times `lr_lambda(spec)`."""
        f = lr_lambda(spec)
        return lambda step: lr * f(step)

    def control(self, inner: torch.optim.Optimizer, layer_params: list[list[torch.Tensor]], spec: RunSpec) -> EqualStep:
        """The equal-step wrapper around `inner` (applied under ``condition="equal_step"``, else measuring only)."""
        return EqualStep(inner, layer_params, target=spec.control_target, granularity=spec.control_granularity,
                         log_every=spec.log_every, apply=spec.condition == "equal_step")

    def place(self, train: dict[str, torch.Tensor], order: torch.Tensor):
        """The train split and data order where batches are gathered from.

        Returns:
            ``(train, order)``: on CUDA moved to the device once, instead of a pageable
            host-to-device copy (a sync) per step.
        """
        if self.device.type == "cuda":
            return {k: v.to(self.device) for k, v in train.items()}, order.to(self.device)
        return train, order

    def batch(self, train: dict[str, torch.Tensor], idx: torch.Tensor) -> dict[str, torch.Tensor]:
        """The examples `idx` of the batch that this process computes, on its device."""
        return {k: v[idx].to(self.device, non_blocking=True) for k, v in train.items()}

    def loss(self, forward: nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """The loss of `batch` under `forward` (the model, or its compiled form)."""
        return objective_loss(forward, batch)

    def backward(self, loss: torch.Tensor, batch: dict[str, torch.Tensor]) -> None:
        """Backpropagate `loss` (what `loss` returned for `batch`)."""
        loss.backward()

    def logged_loss(self, loss: torch.Tensor, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """The full batch's loss, as it is logged (on the device, no sync)."""
        return loss.detach()

    def group_norms(self, tensors: list[list[torch.Tensor | None]]) -> torch.Tensor:
        """Per layer: the norm over all its tensors together (None entries skipped)."""
        return _group_norms(tensors, self.device)

    def local(self, t: torch.Tensor) -> torch.Tensor:
        """The part of parameter `t` that this process holds."""
        return t

    def all_reduce(self, t: torch.Tensor) -> torch.Tensor:
        """`t` summed over the processes (in place); one process: `t` itself."""
        return t

    def synchronize(self) -> None:
        """Wait for the device's queued work (CUDA); a no-op on CPU."""
        if self.device.type == "cuda":
            torch.cuda.synchronize()


def _bad_params(params: list[torch.Tensor], strategy: Local, exact: bool = False) -> torch.Tensor:
    """``[len(params)]`` float32: non-zero where a parameter holds NaN/inf on some process (no host sync).

    Any NaN or inf element makes a tensor's L1 norm NaN or inf. In the tensor's own dtype
    (exact=False, one fast pass; SmolLM2's float32 weights: 36 ms against 79 ms in float64) a
    finite tensor's norm overflows only when its absolute values sum past the dtype's largest
    value (3.4e38 for float32 and bf16), so a flag there means "check exactly". The float64
    norm (exact=True) of a finite float32/bf16 tensor cannot overflow (at most 3.4e38 times
    its size), so it is finite exactly when every element is.
    """
    with torch.no_grad():
        dtype = torch.float64 if exact else None
        norms = torch._foreach_norm([strategy.local(p) for p in params], 1, dtype=dtype)
        return strategy.all_reduce((~torch.isfinite(torch.stack(norms))).to(torch.float32))


def run_steps(model: nn.Module, layers: list[nn.Module], train: dict[str, torch.Tensor], spec: RunSpec, lr: float,
              strategy: Local, progress: bool = False) -> TrainLog:
    """Fine-tune `model` in place for `spec.steps` steps; what sharding changes comes from `strategy`.

    Args:
        model: the model with its objective head; parameters with requires_grad=False stay put.
        layers: its block stack (find_layers), for the control and the per-layer logs.
        train: tensors of the objective's train split (first dim = examples).
        spec: the run; seed fixes the data order, so paired runs see the same batches.
        lr: peak learning rate.
        strategy: `Local`, or `depthcore.distributed.Sharded` for an FSDP-sharded model.
        progress: show a progress bar (on rank 0).

    Returns:
        The run's `TrainLog` (losses of the full batch; the same on every rank).

    Raises:
        ValueError: every parameter is frozen.
        NonFiniteLoss: a loss became NaN/inf (`NonFiniteWeights`: a weight did, the loss still finite).
    """
    device = strategy.device
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    if not named:
        raise ValueError(f"{spec.label}: nothing to train (every parameter is frozen); freeze fewer layers")
    names, params = [n for n, _ in named], [p for _, p in named]
    inner = strategy.optimizer(spec, named, lr)
    lr_at = strategy.lr_at(spec, lr)
    layer_params = _layer_params(layers)
    opt = strategy.control(inner, layer_params, spec)
    n = next(iter(train.values())).shape[0]
    gen = torch.Generator().manual_seed(spec.seed)
    order = torch.cat([torch.randperm(n, generator=gen) for _ in range(spec.steps * spec.batch_size // n + 1)])
    train, order = strategy.place(train, order)
    events: list[tuple[torch.cuda.Event, torch.cuda.Event]] = []
    losses = torch.zeros(spec.steps, device=device)
    grad_norms, m_norms, v_norms, r_measured, log_steps = [], [], [], [], []
    checked = 0  # the last step whose losses and weights were checked
    # The log steps' copy of the layers is kept between them on CPU, where allocating it anew
    # each time costs more than filling it (fresh pages: SmolLM2's 420 MB, 133 ms against 25 ms);
    # on CUDA the caching allocator reuses the block, and holding it would cost memory between logs.
    keep_scratch, scratch = device.type == "cpu", None
    autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda" and spec.dtype == "bfloat16")
    forward = torch.compile(model) if spec.compile else model  # shares model's parameters; hooks stay on model
    model.train()
    backward_s, t0 = 0.0, time.perf_counter()
    steps = range(spec.steps)
    if progress and strategy.rank == 0:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc=f"{strategy.verb} {spec.label}{strategy.progress_suffix}", leave=False)
    for step in steps:
        for group in inner.param_groups:
            group["lr"] = lr_at(step)
        idx = order[step * spec.batch_size:(step + 1) * spec.batch_size]
        batch = strategy.batch(train, idx)
        with autocast:
            loss = strategy.loss(forward, batch)
        if strategy.event_timing:  # events time the backward on the device without stopping the host
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            strategy.backward(loss, batch)
            end.record()
            events.append((start, end))
        else:
            tb = time.perf_counter()
            strategy.backward(loss, batch)
            strategy.synchronize()
            backward_s += time.perf_counter() - tb
        if spec.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(params, spec.grad_clip, foreach=True)
        logging = (step + 1) % spec.log_every == 0 or step == 0
        if logging:
            grad_norms.append(strategy.group_norms([[p.grad for p in g] for g in layer_params]))
            before = _snapshot(layer_params, into=scratch)
        opt.step()
        if logging:
            r_measured.append(_measured_r(before, layer_params, strategy))
            scratch = before if keep_scratch else None
            del before
        opt.zero_grad(set_to_none=True)
        losses[step] = strategy.logged_loss(loss, batch)
        if logging:
            m, v = _state_tensors(inner, layer_params, scratch)
            m_norms.append(strategy.group_norms(m))
            v_norms.append(strategy.group_norms(v))
            log_steps.append(step + 1)
        if logging or step + 1 == spec.steps:  # the last step need not be a log step
            _check_finite(losses[: step + 1], params, strategy, names, checked, spec, lr)
            checked = step + 1
    strategy.synchronize()  # once: the run's wall time covers its last kernels, and events are readable
    if events:
        backward_s = sum(a.elapsed_time(b) for a, b in events) / 1e3
    model.eval()
    train_s = time.perf_counter() - t0
    log = opt.log
    return TrainLog(loss=losses.cpu(), log_steps=log_steps, r_before=log["r_before"].cpu(),
                    r_after=log["r_after"].cpu(), r_measured=torch.stack(r_measured).cpu(),
                    grad_norm=torch.stack(grad_norms).cpu(),
                    opt_m_norm=torch.stack(m_norms).cpu(), opt_v_norm=torch.stack(v_norms).cpu(),
                    train_seconds=train_s, backward_seconds=backward_s)


def finetune(model: nn.Module, layers: list[nn.Module], train: dict[str, torch.Tensor], spec: RunSpec,
             lr: float, progress: bool = False) -> TrainLog:
    """Fine-tune `model` in place for `spec.steps` steps on batches drawn from `train`, on one device.

    `run_steps` with the `Local` strategy.

    Args:
        model, layers, train, spec, lr: as `run_steps`.
        progress: show a progress bar.

    Returns:
        The run's `TrainLog`.
    """
    return run_steps(model, layers, train, spec, lr, Local(spec), progress=progress)
