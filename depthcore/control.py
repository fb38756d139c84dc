"""The equal-step control of paper A, and how strongly it acts.

Paper A ("Decomposing the Depth Profile of Fine-Tuning") separates gradient magnitude from the intrinsic causes
of the depth profile with a per-layer control that "equalizes ||ΔW||/||W|| across layers
after each optimizer step". docs/design.md "Equal-step control" fixes the equation this module
implements. After every optimizer step, for each layer (group) l::

    r_l  = ||W_l^new - W_l^old|| / ||W_l^old||        # Frobenius over all of l's tensors together
    r*   = mean of r_l over the groups with a non-zero update   (or a fixed value)
    W_l <- W_l^old + (W_l^new - W_l^old) * r* / r_l

The direction of every group's update is kept, only its length changes. Parameters outside
the groups (embeddings, final norm, heads) move as the optimizer says. A group whose update
is zero is left alone and excluded from the mean; so is a group with ``||W_l^old|| = 0`` (a
zero-initialised bias under ``granularity="tensor"``): its r_l is infinite, no finite
rescaling equalises it, and it moves as the optimizer says (its r is logged as ``inf``).

`equalize_` is the pure function; `EqualStep` is the thin stateful wrapper around any torch
optimizer (as mup's ``MuAdam`` wraps Adam), which snapshots the layers, lets the inner
optimizer step, equalises, and logs r before/after the control every k steps: under Adam the
control interacts with the moment estimates (a question the paper leaves open), and the log is what lets
that interaction be inspected.

`control_strength` and `control_factors` (docs/design.md "Control strength") say, from such a
log, what the control did -- or, applied to a standard run's r log, what it would have done.
"""

from __future__ import annotations

import math
import numbers
from collections import OrderedDict
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from depthcore.config import GRANULARITIES


_STATE_KEY = "equal_step"  # the wrapper's own entry beside the inner optimizer's "state"/"param_groups"


def _check_target(target: Any) -> str | float:
    if isinstance(target, str):
        if target == "mean":
            return target
    elif isinstance(target, numbers.Real) and not isinstance(target, bool):
        if math.isfinite(target) and target > 0:
            return float(target)
    raise ValueError(
        f"target={target!r} is not a valid equal-step target; use 'mean' (the mean r_l over updated "
        "groups) or a positive finite number (a fixed relative update r*)"
    )


def _check_granularity(granularity: Any) -> str:
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity={granularity!r} is not known; use one of {', '.join(map(repr, GRANULARITIES))}")
    return granularity


def _compute_dtype(tensors: Iterable[Tensor]) -> torch.dtype:
    # Norms of bf16/fp16 tensors in their own dtype carry ~3 significant digits; r_l would be
    # equalised only to that precision.
    return torch.float64 if any(t.dtype == torch.float64 for t in tensors) else torch.float32


def _equalize(old: list[Tensor], new: list[Tensor], gidx: Tensor, n_groups: int, target: str | float,
              dtype: torch.dtype, apply: bool = True) -> tuple[Tensor, Tensor]:
    """`equalize_` without validation: the hot path, called once per optimizer step.

    With ``apply=False`` it only measures r, the params are not written (not even with
    old + (new - old), which can differ from new by an ulp), and ``old`` is overwritten.
    """
    n = len(new)
    # Frobenius norm over a group's concatenated tensors = sqrt of the sum of their squared norms.
    sq = _squared_norms(old, new, dtype, apply).view(2, n)
    sums = torch.zeros(2, n_groups, dtype=dtype, device=sq.device).index_add_(1, gidx, sq).sqrt_()
    return _rescale(old, new, sums, gidx, target, apply)


def _squared_norms(old: list[Tensor], new: list[Tensor], dtype: torch.dtype, apply: bool) -> Tensor:
    """[2n]: the squared norms of each tensor's update, then of each old tensor.

    With ``apply`` the update is formed in place in `new` (no extra memory, and no precision
    lost where an element moves by less than its own size: new - old is then exact, Sterbenz);
    without it ``old`` is overwritten instead and the params stay untouched.
    """
    if apply:
        torch._foreach_sub_(new, old)
        norms = torch._foreach_norm(new + old, 2, dtype=dtype)
    else:
        old_norms = torch._foreach_norm(old, 2, dtype=dtype)
        torch._foreach_sub_(old, new)  # minus the update: same norm
        norms = torch._foreach_norm(old, 2, dtype=dtype) + old_norms
    return torch.stack(norms).square_()


def _rescale(old: list[Tensor], new: list[Tensor], sums: Tensor, gidx: Tensor, target: str | float,
             apply: bool) -> tuple[Tensor, Tensor]:
    """From per-group norms ``sums`` = [||update_l||, ||old_l||]: r_l, and with ``apply`` the
    rescaling new_l <- old_l + update_l * r*/r_l in place (`new` holds the update). Returns (r, r after)."""
    d, w = sums[0], sums[1]
    r = torch.where(d > 0, d / w, 0.0)  # w = 0 with d > 0 gives inf: see the module docstring
    if not apply:
        return r, r
    active = (r > 0) & torch.isfinite(r)
    if target == "mean":
        r_star = torch.where(active, r, 0.0).sum() / active.sum().clamp_min(1)
    else:
        r_star = torch.full((), target, dtype=sums.dtype, device=sums.device)
    scale = torch.where(active, r_star / r, 1.0)
    # Inactive groups get scale 1 and an update that is exactly zero, or an exact old of zero,
    # so old + 1 * (new - old) leaves them bit-identical to where the optimizer put them.
    torch._foreach_mul_(new, list(scale[gidx].to(new[0].dtype).unbind()))
    torch._foreach_add_(new, old)
    return r, torch.where(active, r_star, r)


def equalize_(old: Sequence[Tensor], new: Sequence[Tensor], groups: Sequence[int] | Tensor, n_groups: int,
              target: str | float = "mean") -> tuple[Tensor, Tensor]:
    """Rescale in place the updates ``new - old`` so every updated group's relative update equals the target.

    Paper A's equal-step equation (module docstring): for group l, ``r_l = ||new_l - old_l|| /
    ||old_l||`` with the Frobenius norm over all of the group's tensors together, and
    ``new_l <- old_l + (new_l - old_l) * r*/r_l``. Groups with a zero update, or with
    ``||old_l|| = 0``, are left as they are and excluded from the mean. Norms are computed in
    float32 (float64 when any tensor is float64). Nothing here synchronises with the host.

    Args:
        old: the tensors before the optimizer step (not modified).
        new: the same tensors after the step, same shapes; rescaled in place.
        groups: ``groups[i]`` is the group index (in ``[0, n_groups)``) of tensor i; a list, or
            an int64 tensor on the tensors' device (what a caller on the hot path should pass).
        n_groups: number of groups; groups that own no tensor have r = 0.
        target: ``"mean"`` (r* = mean r_l over updated groups) or a positive fixed r*.

    Returns:
        ``(r_before, r_after)``: 1-D tensors of length ``n_groups`` on the tensors' device, the
        relative updates before the control and after it (r* for every updated group, to
        float rounding; unchanged for the others).
    """
    target = _check_target(target)
    old, new = list(old), list(new)
    if len(old) != len(new) or len(old) != len(groups):
        raise ValueError(f"equalize_ got {len(old)} old tensors, {len(new)} new tensors and {len(groups)} group "
                         "indices; pass one old tensor, one new tensor and one group index per parameter tensor")
    if int(n_groups) < 1:
        raise ValueError(f"n_groups={n_groups!r} must be at least 1")
    for i, (o, n_) in enumerate(zip(old, new)):
        if o.shape != n_.shape:
            raise ValueError(f"old[{i}] has shape {tuple(o.shape)} but new[{i}] has {tuple(n_.shape)}; "
                             "old must be a snapshot of new taken before the step")
    if not old:
        return torch.zeros(n_groups), torch.zeros(n_groups)
    device = new[0].device
    if isinstance(groups, Tensor):
        gidx = groups.to(device=device, dtype=torch.long)
    else:
        bad = [g for g in groups if not 0 <= int(g) < n_groups]
        if bad:
            raise ValueError(f"group indices {bad[:5]} are outside [0, {n_groups}); "
                             "number the groups 0..n_groups-1 or raise n_groups")
        gidx = torch.tensor([int(g) for g in groups], dtype=torch.long, device=device)
    with torch.no_grad():
        return _equalize(old, new, gidx, int(n_groups), target, _compute_dtype(old + new))


def _layer_tensors(layer: Any, index: int) -> list[tuple[str, Tensor]]:
    if isinstance(layer, nn.Module):
        return [(f"{index}.{name}", p) for name, p in layer.named_parameters()]
    if isinstance(layer, Tensor):
        raise TypeError(f"layers[{index}] is a single tensor; pass a list of modules or a list of lists of "
                        "tensors (wrap it: [[tensor]])")
    try:
        tensors = list(layer)
    except TypeError:
        raise TypeError(f"layers[{index}] is a {type(layer).__name__}; each layer must be an nn.Module or a "
                        "list of parameter tensors") from None
    for j, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"layers[{index}][{j}] is a {type(t).__name__}, not a tensor; each layer must be an "
                            "nn.Module or a list of parameter tensors")
    return [(f"{index}.{j}", t) for j, t in enumerate(tensors)]


def _as_layers(layers: Any) -> list:
    """The block stack as a list: a list of layers as given, or a whole model's (`find_layers`)."""
    if isinstance(layers, nn.Module) and not isinstance(layers, (nn.ModuleList, nn.Sequential)):
        from depthcore.layers import LayersNotFound, find_layers

        try:
            return find_layers(layers)
        except LayersNotFound as e:
            raise TypeError(f"layers is a {type(layers).__name__}, neither a block stack nor a model whose block "
                            f"stack depthcore finds ({e}); pass the block stack (a list or ModuleList of layers, "
                            "e.g. model.transformer.h) or a Hugging Face model") from None
    if isinstance(layers, (Tensor, str, bytes)) or not isinstance(layers, Iterable):
        raise TypeError(f"layers is a {type(layers).__name__}; pass the block stack (a list or ModuleList of layers, "
                        "e.g. model.transformer.h) or the whole model (its block stack is found with "
                        "depthcore.layers.find_layers)")
    return list(layers)


class EqualStep(torch.optim.Optimizer):
    """Wrap an optimizer so every step is followed by paper A's per-layer equal-step control.

    ``step()`` snapshots the layers' trainable parameters, lets the inner optimizer step,
    then calls `equalize_` (module docstring for the equation). Everything else is the inner
    optimizer's: ``param_groups``, ``state``, ``defaults`` are its own objects, so LR
    schedulers and gradient clipping act on it as usual. It subclasses
    ``torch.optim.Optimizer`` only so ``torch.optim.lr_scheduler`` accepts it; it keeps no
    parameter groups of its own.

    A layer's tracked tensors are fixed at construction: those that require grad and are in
    one of the inner optimizer's param groups. Others (frozen, or added later with
    ``add_param_group``) are ignored. A layer with no tracked tensor is a group whose update
    is always zero: excluded from the mean, never touched.

    Per step the control costs one copy of the layers' parameters into preallocated buffers
    and a handful of ``torch._foreach_*`` passes; it never synchronises with the host. Those
    buffers follow the parameters: a model moved to another device or dtype after the
    optimizer was built (as ``transformers.Trainer`` moves it) gets new buffers at its next step.

    ``step()`` does the bookkeeping (step count, which steps measure, the log) for every
    variant; a subclass changes what is snapshotted (`_snapshot_sources`) and how the step is
    equalised (`_equalize_step`), as `depthcore.distributed.ShardedEqualStep` does for
    sharded parameters.

    Attributes:
        optimizer: the inner optimizer.
        n_groups: number of groups (layers, or tracked tensors under granularity "tensor").
        group_layer: for each group, the index of its layer.
        group_names: for each group, ``"<layer>"`` or ``"<layer>.<param name>"``.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, layers: Sequence[nn.Module] | Sequence[Sequence[Tensor]],
                 target: str | float = "mean", granularity: str = "layer", log_every: int = 1,
                 apply: bool = True) -> None:
        """Build the groups once; the per-step path only reuses what is built here.

        Args:
            optimizer: any ``torch.optim.Optimizer`` over (a superset of) the layers' parameters.
            layers: the block stack, as modules or as lists of parameter tensors, in depth order;
                or a whole model, whose block stack `depthcore.layers.find_layers` finds
                (``EqualStep(AdamW(model.parameters()), model)``).
            target: ``"mean"`` or a positive fixed relative update r*.
            granularity: ``"layer"`` (one r per layer) or ``"tensor"`` (one r per parameter tensor).
            log_every: log r before/after the control at step 1 and every step divisible by this.
            apply: False measures and logs r only, without rescaling: a standard run logging
                what the control would have done (r_after = r_before).
        """
        # Optimizer.__init__ is skipped on purpose: it would build param groups of our own,
        # and the inner optimizer's must be the only ones (schedulers write lr into them).
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(f"EqualStep wraps a torch.optim.Optimizer, got {type(optimizer).__name__}; "
                            "build the optimizer first, e.g. EqualStep(torch.optim.AdamW(model.parameters()), layers)")
        self.optimizer = optimizer
        self.defaults = optimizer.defaults
        self.target = _check_target(target)
        self.granularity = _check_granularity(granularity)
        if isinstance(log_every, bool) or not isinstance(log_every, numbers.Integral) or log_every < 1:
            raise ValueError(f"log_every={log_every!r} must be a positive integer (1 logs every step)")
        self.log_every = int(log_every)
        self.apply = bool(apply)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks", "_optimizer_state_dict_pre_hooks",
                     "_optimizer_state_dict_post_hooks", "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            setattr(self, name, OrderedDict())
        self._patch_step_function()  # profiler label and step hooks, as every torch optimizer has

        layers = _as_layers(layers)
        if not layers:
            raise ValueError("EqualStep got no layers; pass the model's block stack, e.g. model.transformer.h "
                             "for GPT-2, or depthcore.layers.find_layers(model) for any architecture")
        in_opt = {id(p) for g in optimizer.param_groups for p in g["params"]}
        owner: dict[int, int] = {}
        params: list[Tensor] = []
        names: list[str] = []
        tensor_layer: list[int] = []
        for li, layer in enumerate(layers):
            for name, p in _layer_tensors(layer, li):
                if id(p) in owner:
                    if owner[id(p)] != li:
                        raise ValueError(f"parameter {name} belongs to layers {owner[id(p)]} and {li}; "
                                         "layers must not share parameters (untie them or merge the layers)")
                    continue
                owner[id(p)] = li
                if p.requires_grad and id(p) in in_opt:
                    params.append(p)
                    names.append(name)
                    tensor_layer.append(li)
        if not params and self.apply:
            # Measuring only (apply=False), all-frozen layers are a legitimate run that logs zeros;
            # controlling nothing is a wrong experiment.
            raise ValueError("none of the layers' parameters is trainable in this optimizer (all frozen, or the "
                             "optimizer was built over other parameters); pass the optimizer that trains these layers")
        devices = {p.device for p in params}
        if len(devices) > 1:
            raise ValueError(f"the layers' trainable parameters are on several devices ({sorted(map(str, devices))}); "
                             "EqualStep needs them on one device: move the model with model.to(device)")
        if self.granularity == "layer":
            groups = tensor_layer
            self.n_groups = len(layers)
            self.group_layer = list(range(len(layers)))
            self.group_names = [str(li) for li in range(len(layers))]
        else:
            groups = list(range(len(params)))
            self.n_groups = len(params)
            self.group_layer = list(tensor_layer)
            self.group_names = names
        self._params = params
        self._old = [torch.empty_like(p) for p in params]  # snapshot buffers, reused every step
        device = params[0].device if params else optimizer.param_groups[0]["params"][0].device
        self._gidx = torch.tensor(groups, dtype=torch.long, device=device)
        self._dtype = _compute_dtype(params)
        self._step = 0
        self._log_step: list[int] = []
        self._log_before: list[Tensor] = []
        self._log_after: list[Tensor] = []

    # -- the inner optimizer's own objects ---------------------------------------------------
    @property
    def param_groups(self) -> list[dict[str, Any]]:
        return self.optimizer.param_groups

    @property
    def state(self) -> dict[Tensor, Any]:
        return self.optimizer.state

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group to the inner optimizer; its tensors are not controlled (layers are fixed at construction)."""
        self.optimizer.add_param_group(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.optimizer.zero_grad(set_to_none=set_to_none)

    # -- the control -------------------------------------------------------------------------
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        """One inner optimizer step followed by the equal-step control.

        Args:
            closure: passed to the inner optimizer's ``step``.

        Returns:
            What the inner ``step`` returned (the closure's loss, if any).
        """
        self._step += 1
        logging = self._step == 1 or self._step % self.log_every == 0
        # With apply=False only the log steps need r, so the others cost nothing at all.
        measure = (self.apply or logging) and bool(self._params)
        if measure:
            sources = self._snapshot_sources()
            if sources and (sources[0].device != self._old[0].device or sources[0].dtype != self._old[0].dtype):
                self._follow(sources)
            with torch.no_grad():
                torch._foreach_copy_(self._old, sources)
        loss = self.optimizer.step(closure)
        if measure:
            with torch.no_grad():
                r_before, r_after = self._equalize_step(self._old)
        elif logging:
            r_before = r_after = torch.zeros(self.n_groups, dtype=self._dtype, device=self._gidx.device)
        if logging:
            self._log_step.append(self._step)
            self._log_before.append(r_before)
            self._log_after.append(r_after)
        return loss

    def _follow(self, sources: list[Tensor]) -> None:
        """New snapshot buffers and group index where the parameters have moved (device or dtype) since construction."""
        self._old = [torch.empty_like(t) for t in sources]
        self._gidx = self._gidx.to(sources[0].device)
        self._dtype = _compute_dtype(sources)
        self._log_before = [r.to(self._gidx.device, self._dtype) for r in self._log_before]
        self._log_after = [r.to(self._gidx.device, self._dtype) for r in self._log_after]

    def _snapshot_sources(self) -> list[Tensor]:
        """The tensors that `step` snapshots into ``self._old`` before the inner step and equalises after it.

        Returns:
            The controlled parameters themselves; a subclass for sharded parameters returns
            the parts this process holds (the buffers in ``self._old`` must match them).
        """
        return self._params

    def _equalize_step(self, old: list[Tensor]) -> tuple[Tensor, Tensor]:
        """Measure, and with ``apply`` rescale, the step just taken (called under ``torch.no_grad``).

        Args:
            old: the snapshot of `_snapshot_sources` taken before the inner step; overwritten
                when ``apply`` is False.

        Returns:
            ``(r_before, r_after)``, each ``[n_groups]`` on the parameters' device.
        """
        return _equalize(old, self._params, self._gidx, self.n_groups, self.target, self._dtype, apply=self.apply)

    @property
    def log(self) -> dict[str, Any]:
        """The logged relative updates.

        Returns:
            ``{"step": [int], "r_before": Tensor[n_logged, n_groups], "r_after": same}`` on the
            parameters' device; steps are 1-based (step 1, then every ``log_every``-th).
        """
        return {"step": list(self._log_step),
                "r_before": self._stack(self._log_before),
                "r_after": self._stack(self._log_after)}

    def _stack(self, rows: list[Tensor]) -> Tensor:
        if rows:
            return torch.stack(rows)
        return torch.zeros(0, self.n_groups, dtype=self._dtype, device=self._gidx.device)

    # -- checkpoints -------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """The inner optimizer's state dict, plus the wrapper's step counter, settings and log.

        Returns:
            The inner ``state_dict()`` with one more key, ``"equal_step"``.
        """
        sd = self.optimizer.state_dict()
        log = self.log
        sd[_STATE_KEY] = {"step": self._step, "target": self.target, "granularity": self.granularity,
                          "log_every": self.log_every, "apply": self.apply, "n_groups": self.n_groups,
                          "log_step": log["step"], "r_before": log["r_before"], "r_after": log["r_after"]}
        return sd

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict` saved; the layers themselves must be the same.

        Args:
            state_dict: from `EqualStep.state_dict`. Target, log_every and apply are restored
                from it, as torch optimizers restore their hyperparameters.
        """
        state_dict = dict(state_dict)
        own = state_dict.pop(_STATE_KEY, None)
        if own is None:
            raise ValueError("this state_dict has no 'equal_step' entry: it comes from a plain optimizer; load it "
                             "with EqualStep.optimizer.load_state_dict(...) instead")
        if own["granularity"] != self.granularity or own["n_groups"] != self.n_groups:
            raise ValueError(f"state_dict was saved with granularity={own['granularity']!r} and {own['n_groups']} "
                             f"groups, this EqualStep has granularity={self.granularity!r} and {self.n_groups}; "
                             "build EqualStep over the same layers with the same granularity")
        self.optimizer.load_state_dict(state_dict)
        self.target = _check_target(own["target"])
        self.log_every = int(own["log_every"])
        self.apply = bool(own["apply"])
        self._step = int(own["step"])
        device = self._gidx.device
        self._log_step = list(own["log_step"])
        self._log_before = list(own["r_before"].to(device, self._dtype).unbind())
        self._log_after = list(own["r_after"].to(device, self._dtype).unbind())

    def __getstate__(self) -> dict[str, Any]:
        # An LR scheduler patches `step` on the instance with a closure over a weakref to this
        # object; a copy must not carry it (torch's own optimizers drop it the same way).
        state = dict(self.__dict__)
        state.pop("step", None)
        state.pop("_opt_called", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._patch_step_function()

    def __repr__(self) -> str:
        return (f"EqualStep(target={self.target!r}, granularity={self.granularity!r}, n_groups={self.n_groups}, "
                f"log_every={self.log_every}, apply={self.apply}) over {self.optimizer!r}")


# -- control strength --------------------------------------------------------------------------

def _factors(r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r = np.asarray(r, dtype=np.float64)
    if r.ndim != 2:
        raise ValueError(f"r must have shape [steps, layers]; got shape {r.shape} (stack the per-step r_l rows)")
    valid = (r > 0) & np.isfinite(r)  # zero: no update; inf: ||W|| = 0 (module docstring)
    safe = np.where(valid, r, 1.0)
    n = valid.sum(axis=1)
    r_star = np.where(valid, r, 0.0).sum(axis=1) / np.maximum(n, 1)
    return np.where(valid, r_star[:, None] / safe, np.nan), valid, r


def control_strength(r: np.ndarray) -> float:
    """How hard the control pulls: mean over steps and layers of ``|log(r*/r_l)|``.

    docs/design.md "Control strength". ``r*`` is the step's mean over its non-zero finite r_l;
    zero (and infinite) r_l are excluded. 0 means every layer already moved equally and the
    control is inert. Applied to a standard run's r log it says what the control would have done.

    Args:
        r: relative updates, shape [steps, layers] (an EqualStep log's ``r_before``).

    Returns:
        The strength, a float >= 0; NaN when no entry is a non-zero finite r_l.
    """
    f, valid, _ = _factors(r)
    if not valid.any():
        return float("nan")
    return float(np.abs(np.log(f[valid])).mean())


def control_factors(r: np.ndarray) -> dict[str, np.ndarray]:
    """The control's rescaling factors ``r*/r_l`` per layer, and the spread of r_l across layers.

    docs/design.md "Control strength"; zero (and infinite) r_l are excluded as in `control_strength`.

    Args:
        r: relative updates, shape [steps, layers].

    Returns:
        ``"factor_mean"``, ``"factor_min"``, ``"factor_max"``: arrays of length layers, the
        mean/min/max over steps of ``r*/r_l`` (NaN for a layer never updated); ``"spread"``: the
        per-step ``(max_l r_l - min_l r_l) / mean_l r_l`` averaged over steps with an update
        (a float; NaN when there is none).
    """
    f, valid, r = _factors(r)
    count = valid.sum(axis=0)
    seen = count > 0
    factor_mean = np.where(seen, np.where(valid, f, 0.0).sum(axis=0) / np.maximum(count, 1), np.nan)
    factor_min = np.where(seen, np.where(valid, f, np.inf).min(axis=0, initial=np.inf), np.nan)
    factor_max = np.where(seen, np.where(valid, f, -np.inf).max(axis=0, initial=-np.inf), np.nan)
    n = valid.sum(axis=1)
    steps = n > 0
    hi = np.where(valid, r, -np.inf).max(axis=1, initial=-np.inf)
    lo = np.where(valid, r, np.inf).min(axis=1, initial=np.inf)
    mean = np.where(valid, r, 0.0).sum(axis=1) / np.maximum(n, 1)
    spread = float(((hi - lo)[steps] / mean[steps]).mean()) if steps.any() else float("nan")
    return {"factor_mean": factor_mean, "factor_min": factor_min, "factor_max": factor_max, "spread": spread}
