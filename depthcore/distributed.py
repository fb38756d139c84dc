"""Scale out past one process: one GPU per pytest-xdist worker, and FSDP for models past one GPU.

docs/design.md "Scale": several GPUs on a node run pytest-xdist with one worker per GPU (they
share the run cache under file locks, `depthcore.cache`); models past one GPU are sharded
with FSDP through torch.distributed. Nothing here schedules anything: xdist, Ray
(`depthcore.executors`) and torchrun do that.

**Pinning xdist workers.** `worker_device` maps the worker id ``gwK`` (``PYTEST_XDIST_WORKER``)
to ``cuda:(K mod device_count)``; `pin_worker` makes that GPU the current CUDA device and
returns ``"cuda"``, the device name a `RunSpec` takes. A spec therefore names no GPU index,
so a run computed on GPU 1 is the same cache entry as on GPU 0.

**FSDP.** `shard` applies FSDP2's ``fully_shard`` to every layer and then to the root, so
each parameter is a DTensor sharded on dim 0 across the ranks of a 1-D device mesh. Every
per-layer quantity the suite needs is computed from the local shards plus one all-reduce
of per-layer partial sums (sum of squares, sum, sum of |.|), never by gathering the model:

- `ShardedEqualStep`: paper A's equal-step control (`depthcore.control`, docs/design.md
  "Equal-step control") on sharded parameters. ``||W_l^new - W_l^old||^2`` and
  ``||W_l^old||^2`` are sums over the layer's tensors of sums over their elements, so each
  rank sums its shards, one all-reduce of a ``[2, L]`` tensor gives every rank the same
  r_l, and each rank rescales its own shard by ``r*/r_l``.
- `snapshot_layers` / `sharded_weight_delta_stats`: the before/after weight capture and
  `depthcore.metrics.weight_delta_stats` (rel_update, dW mean/var/|.|-mean/|.|-var/relnorm)
  from local shards (two all-reduces: sums, then centred sums for the variances).
- `gather_layer_state`: full tensors of one layer at a time (``DTensor.full_tensor``), for
  what really needs whole weights (a null model, a profile), never the whole model at once.
- `fsdp_finetune`: `depthcore.train.finetune` for a sharded model: the same step loop
  (`depthcore.train.run_steps`) with the `Sharded` strategy: each rank takes an equal slice
  of every batch and the loss is normalised by the global token count, so the step is that
  of the full batch; per-layer norms and the logged loss are all-reduced.

A whole run, `depthcore.engine.run(spec, sharded=True)` (`torchrun ... -m depthcore run --fsdp`):
every rank trains its shards (`sharded_finetune`); the fine-tuned weights are gathered onto
rank 0 one tensor at a time, and rank 0 profiles pre, post and null on its own device as an
unsharded run does. The profile is not sharded: it needs those three models on one device.
"""

from __future__ import annotations

import math
import os
import re
from typing import Any, Iterable, Sequence

import torch
import torch.distributed as dist
from torch import Tensor, nn

from depthcore import metrics
from depthcore.config import RunSpec
from depthcore.control import EqualStep, _rescale, _squared_norms
from depthcore.train import Local, TrainLog, run_steps

# --------------------------------------------------------------------------- xdist: one GPU per worker

_WORKER = re.compile(r"gw(\d+)$")


def worker_index() -> int | None:
    """The pytest-xdist worker number K of ``PYTEST_XDIST_WORKER=gwK``; None outside xdist workers."""
    m = _WORKER.match(os.environ.get("PYTEST_XDIST_WORKER", ""))
    return int(m.group(1)) if m else None


def worker_device(base: str) -> str:
    """The device this process should use for `base`: ``cuda:(K mod #GPUs)`` in xdist worker gwK.

    Args:
        base: ``"cpu"`` or ``"cuda"`` (what ``--gpu`` selects).

    Returns:
        `base` unchanged for CPU, outside an xdist worker, or when it already names an index
        (``"cuda:1"``); else ``"cuda:K mod torch.cuda.device_count()"``.

    Raises:
        RuntimeError: ``"cuda"`` was asked for but no CUDA device is visible.
    """
    if base != "cuda":
        return base
    k = worker_index()
    if k is None:
        return base
    n = torch.cuda.device_count()
    if n < 1:
        raise RuntimeError("device 'cuda' was asked for but torch.cuda.device_count() is 0; run on a CUDA machine "
                           "(check CUDA_VISIBLE_DEVICES) or drop --gpu")
    return f"cuda:{k % n}"


def pin_worker(base: str = "cuda") -> str:
    """Make this xdist worker's GPU (`worker_device`) the current CUDA device; return `base`.

    After this, ``"cuda"`` (the only CUDA device name a `RunSpec` takes) means the worker's own
    GPU for every ``.to("cuda")``, autocast and fused optimizer in the process. Outside an
    xdist worker, and for CPU, nothing is changed.
    """
    dev = worker_device(base)
    if dev != base:
        torch.cuda.set_device(torch.device(dev))
    return base


# --------------------------------------------------------------------------- sharded tensors

def _is_dtensor(t: Tensor) -> bool:
    from torch.distributed.tensor import DTensor

    return isinstance(t, DTensor)


def _world() -> tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _local(t: Tensor) -> Tensor:
    """The part of `t` this rank holds (a view: writing to it writes the parameter)."""
    return t.to_local() if _is_dtensor(t) else t


def _counted(t: Tensor) -> bool:
    """Whether this rank's local part of `t` enters a sum over ranks (each element counted once).

    A DTensor sharded over a 1-D mesh: yes on every rank. A replicated or plain tensor (every
    rank holds all of it): on rank 0 only.
    """
    from torch.distributed.tensor import Shard

    if _is_dtensor(t):
        if t.device_mesh.ndim != 1:
            raise NotImplementedError(f"depthcore's sharded reductions handle a 1-D device mesh; this tensor lives on "
                                      f"{t.device_mesh}: shard with depthcore.distributed.shard (FSDP over all ranks)")
        if isinstance(t.placements[0], Shard):
            return True
    return _world()[0] == 0


def _all_reduce(t: Tensor, group=None) -> Tensor:
    if _world()[1] > 1:
        dist.all_reduce(t, op=dist.ReduceOp.SUM, group=group)
    return t


def group_sq_sums(groups: Sequence[Sequence[Tensor | None]], device, dtype=torch.float32, square_root=True,
                  group=None) -> Tensor:
    """Per group: the norm over all its tensors together (sqrt of the summed squares), from local shards.

    Args:
        groups: per layer, its tensors (DTensors or plain; None entries are skipped).
        device: where the result lives (the tensors' device).
        dtype: accumulation dtype.
        square_root: False returns the sums of squares themselves.
        group: the process group of the all-reduce (default: the world).

    Returns:
        A ``[len(groups)]`` tensor, equal on every rank (0 for a group with no tensor).
    """
    out = torch.zeros(len(groups), dtype=dtype, device=device)
    for i, g in enumerate(groups):
        ts = [t for t in g if t is not None and _counted(t)]
        if ts:
            norms = torch._foreach_norm([_local(t) for t in ts], 2, dtype=dtype)
            out[i] = torch.stack(norms).square().sum()
    _all_reduce(out, group)
    return out.sqrt_() if square_root else out


def _sharded_equalize(old: list[Tensor], new: list[Tensor], weight: Tensor, gidx: Tensor, n_groups: int,
                      target: str | float, dtype: torch.dtype, apply: bool, group=None) -> tuple[Tensor, Tensor]:
    """`depthcore.control._equalize` on local shards, with one all-reduce of the per-group sums of squares.

    Paper A's equal-step equation (depthcore.control): ``r_l = ||new_l - old_l|| / ||old_l||``
    over all of group l's tensors together; ``new_l <- old_l + (new_l - old_l) r*/r_l``. The
    squared Frobenius norm of a group is the sum over ranks of the squared norms of the local
    shards, so every rank gets the same r and rescales its own shard.

    Args:
        old: local shards before the step (overwritten when ``apply=False``).
        new: local shards of the parameters after the step; rescaled in place.
        weight: ``[n]`` 1.0 where a tensor's local part enters the sum (`_counted`), else 0.0.
        gidx: ``[n]`` group index of each tensor.
    """
    sq = _squared_norms(old, new, dtype, apply).view(2, len(new)) * weight
    sums = torch.zeros(2, n_groups, dtype=dtype, device=sq.device).index_add_(1, gidx, sq)
    _all_reduce(sums, group).sqrt_()
    return _rescale(old, new, sums, gidx, target, apply)


class ShardedEqualStep(EqualStep):
    """`depthcore.control.EqualStep` for FSDP-sharded parameters (DTensors) or plain ones.

    Same constructor, options, step, log and checkpoint format as `EqualStep`; only two
    hooks of the step differ: it snapshots the local shards (`_snapshot_sources`) and
    equalises with per-layer sums all-reduced over `group` (`_equalize_step`, by
    `_sharded_equalize`). On one process with plain tensors it computes what `EqualStep`
    computes.

    Args:
        *args, **kwargs: as `EqualStep` (optimizer, layers, target, granularity, log_every, apply).
        group: process group of the all-reduce (default: the world).
    """

    def __init__(self, *args: Any, group=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process_group = group
        self._old = [torch.empty_like(_local(p)) for p in self._params]  # local shards only
        self._weight = torch.tensor([1.0 if _counted(p) else 0.0 for p in self._params], dtype=self._dtype,
                                    device=self._gidx.device)

    def _snapshot_sources(self) -> list[Tensor]:
        """This rank's local shards of the controlled parameters (views: the step writes through them)."""
        return [_local(p) for p in self._params]

    def _equalize_step(self, old: list[Tensor]) -> tuple[Tensor, Tensor]:
        """`_sharded_equalize` of the local shards against their snapshot `old`."""
        return _sharded_equalize(old, self._snapshot_sources(), self._weight, self._gidx, self.n_groups, self.target,
                                 self._dtype, self.apply, self.process_group)


# --------------------------------------------------------------------------- before/after capture

def snapshot_layers(layers: Iterable[nn.Module]) -> list[dict[str, Tensor]]:
    """Per layer: parameter name -> a copy of this rank's local shard (the "before" weights)."""
    return [{n: _local(p).detach().clone() for n, p in layer.named_parameters()} for layer in layers]


def sharded_weight_delta_stats(before: Sequence[dict[str, Tensor]], layers: Sequence[nn.Module],
                               group=None) -> list[dict[str, float]]:
    """`depthcore.metrics.weight_delta_stats` of every layer, from local shards.

    Per weight matrix (>= 2-D tensor) of a layer: mean, population variance, mean |dW|,
    variance of |dW| and ``||dW||_F / ||W_before||_F``, averaged over the layer's matrices;
    and ``rel_update = ||concat dW|| / ||concat W_before||`` over all of the layer's tensors.
    Float64 sums of the shards are all-reduced: first sums, then sums of squared deviations
    from the global means (two passes, so the variances do not cancel catastrophically).

    Args:
        before: `snapshot_layers` taken before fine-tuning (on every rank).
        layers: the same layers now.

    Returns:
        One dict per layer, keys ``metrics.DELTA_STATS + ("rel_update",)``, equal on every rank.
    """
    entries = []  # (layer index, tensor name, numel, is matrix, local before, local after, counted)
    for li, (b, layer) in enumerate(zip(before, layers)):
        for name, p in layer.named_parameters():
            entries.append((li, name, p.numel(), p.dim() >= 2, b[name], _local(p).detach(), _counted(p)))
    if not entries:
        return []
    device = entries[0][5].device
    first = torch.zeros(len(entries), 4, dtype=torch.float64, device=device)  # sum d, sum|d|, sum d^2, sum w^2
    for i, (_, _, _, _, w0, w1, counted) in enumerate(entries):
        if counted:
            w0 = w0.to(torch.float64)
            d = w1.to(torch.float64) - w0
            first[i] = torch.stack([d.sum(), d.abs().sum(), d.square().sum(), w0.square().sum()])
    _all_reduce(first, group)
    numel = torch.tensor([e[2] for e in entries], dtype=torch.float64, device=device)
    mean, absmean = first[:, 0] / numel, first[:, 1] / numel
    second = torch.zeros(len(entries), 2, dtype=torch.float64, device=device)
    for i, (_, _, _, _, w0, w1, counted) in enumerate(entries):
        if counted:
            d = w1.to(torch.float64) - w0.to(torch.float64)
            second[i] = torch.stack([(d - mean[i]).square().sum(), (d.abs() - absmean[i]).square().sum()])
    _all_reduce(second, group)
    first, second = first.cpu(), second.cpu()
    mean, absmean, numel = mean.cpu(), absmean.cpu(), numel.cpu()
    n_layers = len(before)
    per_matrix: list[list[dict[str, float]]] = [[] for _ in range(n_layers)]
    d_sq, w_sq = [0.0] * n_layers, [0.0] * n_layers
    for i, (li, _, _, is_matrix, *_rest) in enumerate(entries):
        d_sq[li] += float(first[i, 2])
        w_sq[li] += float(first[i, 3])
        if is_matrix:
            per_matrix[li].append({
                "dW_mean": float(mean[i]),
                "dW_var": float(second[i, 0] / numel[i]),
                "dW_absmean": float(absmean[i]),
                "dW_absvar": float(second[i, 1] / numel[i]),
                "dW_relnorm": metrics._ratio(math.sqrt(float(first[i, 2])), math.sqrt(float(first[i, 3]))),
            })
    out = []
    for li in range(n_layers):
        if not per_matrix[li]:
            raise ValueError(f"layer {li + 1} has no weight matrix (>= 2-D tensor); weight-delta statistics need one")
        row = {k: float(sum(m[k] for m in per_matrix[li]) / len(per_matrix[li])) for k in metrics.DELTA_STATS}
        row["rel_update"] = metrics._ratio(math.sqrt(d_sq[li]), math.sqrt(w_sq[li]))
        out.append(row)
    return out


def gather_state(module: nn.Module, rank0_only: bool = False) -> dict[str, Tensor]:
    """Full fp32 CPU copies of the module's parameters (name -> tensor), gathered one tensor at a time.

    A collective: every rank must call it. Only one tensor is ever whole on the device.

    Args:
        module: a (sharded) model or block.
        rank0_only: keep the copies on rank 0 only (other ranks get an empty dict), so the CPU
            memory of the other ranks is not spent.
    """
    keep = not rank0_only or _world()[0] == 0
    state = {}
    for n, p in module.named_parameters():
        full = p.detach().full_tensor() if _is_dtensor(p) else p.detach()
        if keep:
            state[n] = full.float().cpu().clone()
        del full
    return state


def gather_layer_state(layers: Iterable[nn.Module], rank0_only: bool = False) -> list[dict[str, Tensor]]:
    """`gather_state` of each layer: the same result as `depthcore.engine.layer_state` of the unsharded model."""
    return [gather_state(layer, rank0_only) for layer in layers]


# --------------------------------------------------------------------------- FSDP fine-tuning

def shard(model: nn.Module, layers: Sequence[nn.Module] | None = None, mesh=None, reshard_after_forward: bool = True):
    """FSDP2 ``fully_shard`` on every layer (one all-gather unit per block), then on the root.

    Args:
        model: the model, on this rank's device; needs ``torch.distributed`` initialised.
        layers: its block stack (default `depthcore.layers.find_layers(model)`).
        mesh: a 1-D device mesh over the ranks (default: all ranks, on the model's device type).
        reshard_after_forward: free each block's gathered weights after its forward (ZeRO-3);
            False keeps them until the backward (ZeRO-2: more memory, fewer all-gathers).

    Returns:
        The same model, its parameters now DTensors sharded on dim 0.
    """
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import fully_shard

    from depthcore.layers import find_layers

    if not (dist.is_available() and dist.is_initialized()):
        raise RuntimeError("depthcore.distributed.shard needs torch.distributed initialised: launch with torchrun "
                           "and call torch.distributed.init_process_group('nccl') (or 'gloo' on CPU) first")
    layers = find_layers(model) if layers is None else layers
    if mesh is None:
        device_type = next(model.parameters()).device.type
        mesh = init_device_mesh(device_type, (dist.get_world_size(),))
    for layer in layers:
        fully_shard(layer, mesh=mesh, reshard_after_forward=reshard_after_forward)
    fully_shard(model, mesh=mesh, reshard_after_forward=reshard_after_forward)
    return model


def _count_items(batch: dict[str, Tensor], objective: str) -> int | None:
    """Tokens the loss averages over (causal LM: shifted labels != -100; MLM: labels != -100); None for cls."""
    labels = batch.get("labels")
    if objective == "cls" or labels is None:
        return None
    if objective == "clm":
        labels = labels[:, 1:]
    return int((labels != -100).sum())


class Sharded(Local):
    """The strategy of `depthcore.train.run_steps` for a model sharded with `shard`.

    Rank k computes the k-th equal slice of every batch. For causal and masked LM the model's
    loss is the sum over the rank's tokens divided by the whole batch's token count
    (``num_items_in_batch``), and the backward is of that loss times the world size, because
    FSDP averages gradients over ranks: each step is the full batch's step. For
    classification the loss is the local mean and FSDP's average of the gradients is the
    full batch's. Per-layer norms are summed over ranks (`group_sq_sums`), the control is
    `ShardedEqualStep`, and the logged loss is all-reduced, so every rank logs the same
    full-batch loss and raises the same errors. The backward is timed on the host after a
    device sync (FSDP's reduce-scatters run on streams of their own).

    Args:
        model: the sharded model (its first parameter's local shard says the device).
        spec: the run; ``batch_size`` must be divisible by the world size.
        group: the process group (default: the world).

    Raises:
        ValueError: the batch does not split evenly over the ranks, or ``spec.compile`` is set.
    """

    event_timing = False

    def __init__(self, model: nn.Module, spec: RunSpec, group=None) -> None:
        self.rank, self.world = (dist.get_rank(group), dist.get_world_size(group)) if dist.is_initialized() else (0, 1)
        if spec.batch_size % self.world:
            raise ValueError(f"batch_size={spec.batch_size} is not divisible by the {self.world} ranks; "
                             f"use a multiple of {self.world}")
        if spec.compile:  # train.finetune honours it; silently training eager here would mislabel the run
            raise ValueError(f"{spec.label}: compile=True is not supported by fsdp_finetune; use compile=False")
        self.group = group
        self.objective = spec.objective
        self.local_bs = spec.batch_size // self.world
        self.device = _local(next(model.parameters())).device
        self.progress_suffix = f" (FSDP x{self.world})"

    def control(self, inner: torch.optim.Optimizer, layer_params: list[list[Tensor]], spec: RunSpec) -> EqualStep:
        return ShardedEqualStep(inner, layer_params, target=spec.control_target, granularity=spec.control_granularity,
                                log_every=spec.log_every, apply=spec.condition == "equal_step", group=self.group)

    def place(self, train: dict[str, Tensor], order: Tensor):
        return train, order  # on the host: each rank copies only its slice of a batch to the device

    def batch(self, train: dict[str, Tensor], idx: Tensor) -> dict[str, Tensor]:
        """This rank's slice of the batch `idx`, with ``num_items_in_batch`` (the whole batch's tokens) for LM losses."""
        full = {k: v[idx] for k, v in train.items()}
        items = _count_items(full, self.objective)
        lo, hi = self.rank * self.local_bs, (self.rank + 1) * self.local_bs
        batch = {k: v[lo:hi].to(self.device, non_blocking=True) for k, v in full.items()}
        if items is not None:
            batch["num_items_in_batch"] = torch.tensor(items, device=self.device)
        return batch

    def loss(self, forward: nn.Module, batch: dict[str, Tensor]) -> Tensor:
        return forward(**batch).loss  # sum over local tokens / global tokens (or the local mean for cls)

    def backward(self, loss: Tensor, batch: dict[str, Tensor]) -> None:
        (loss * self.world if "num_items_in_batch" in batch else loss).backward()

    def logged_loss(self, loss: Tensor, batch: dict[str, Tensor]) -> Tensor:
        full = self.all_reduce(loss.detach().float().clone())
        return full if "num_items_in_batch" in batch else full / self.world

    def group_norms(self, tensors: list[list[Tensor | None]]) -> Tensor:
        return group_sq_sums(tensors, self.device, group=self.group)

    def local(self, t: Tensor) -> Tensor:
        return _local(t)

    def all_reduce(self, t: Tensor) -> Tensor:
        return _all_reduce(t, self.group)


def fsdp_finetune(model: nn.Module, layers: list[nn.Module], train: dict[str, Tensor], spec: RunSpec, lr: float,
                  progress: bool = False, group=None) -> TrainLog:
    """`depthcore.train.finetune` for a model sharded with `shard`, on every rank of the group.

    The same step loop (`depthcore.train.run_steps`) with the `Sharded` strategy: data order
    from ``spec.seed``, AdamW/SGD, warmup + linear decay, global grad-norm clipping,
    `ShardedEqualStep` (applied under ``condition="equal_step"``, else measuring only), the
    per-layer logs every ``log_every`` steps, and the non-finite loss and weight checks. Rank
    k takes the k-th equal slice of every batch, and each step is that of the full batch
    (`Sharded`).

    Args:
        model: sharded (`shard`); parameters with requires_grad=False stay put.
        layers: its block stack.
        train: the objective's train split, the same on every rank (CPU tensors).
        spec: the run; ``batch_size`` must be divisible by the world size.
        lr: peak learning rate.
        progress: show a progress bar on rank 0.
        group: the process group (default: the world).

    Returns:
        A `depthcore.train.TrainLog`, the same on every rank (losses of the full batch).
    """
    return run_steps(model, layers, train, spec, lr, Sharded(model, spec, group), progress=progress)


# --------------------------------------------------------------------------- a whole run: depthcore.engine.run(spec, sharded=True)

def check_sharded_run(spec: RunSpec) -> int:
    """This rank's number, after checking that `spec` can train sharded here (clear errors, before any work)."""
    from depthcore.config import SpecError

    if not (dist.is_available() and dist.is_initialized()):
        raise RuntimeError("a sharded run needs torch.distributed initialised on every rank: launch with "
                           "`torchrun --nproc-per-node N -m depthcore run --fsdp ...` (or call "
                           "torch.distributed.init_process_group first)")
    if spec.lora:
        raise SpecError(f"{spec.label}: sharded runs fine-tune the full weights; LoRA adapters fit on one device, "
                        "so run LoRA without --fsdp")
    return dist.get_rank()  # batch_size and compile: fsdp_finetune checks them


def sharded_finetune(model: nn.Module, layers: list[nn.Module], train: dict[str, Tensor], spec: RunSpec, lr: float,
                     pre: nn.Module | None, progress: bool = False):
    """Shard `model` (`shard`), fine-tune it (`fsdp_finetune`) and gather the fine-tuned weights onto rank 0.

    Args:
        model, layers, train, spec, lr: as `fsdp_finetune`; `model` whole on this rank's device.
        pre: rank 0's copy of the pretrained model (None on the other ranks). On CUDA it waits
            on the CPU while training runs, so the device holds only shards then.

    Returns:
        (TrainLog, post): on rank 0 `post` is a copy of `pre` holding the gathered fine-tuned
        weights, on `model`'s device; on the other ranks None.
    """
    import copy

    device = _local(next(model.parameters())).device
    if pre is not None and device.type == "cuda":
        pre.to("cpu")
    shard(model, layers)
    log = fsdp_finetune(model, layers, train, spec, lr, progress=progress)
    state = gather_state(model, rank0_only=True)
    if pre is None:
        return log, None
    post = copy.deepcopy(pre)
    with torch.no_grad():
        for name, p in post.named_parameters():
            p.copy_(state.pop(name))
    pre.to(device)
    return log, post.to(device)
