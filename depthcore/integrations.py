"""depthcore in your own training loop: the depth profile as a `transformers.Trainer` callback.

docs/design.md "In your training loop". `DepthProfileCallback` profiles the model being
trained against its starting weights at chosen steps, the way a depthcore run profiles its
fine-tuned model (`profile.capture` with the matched random null of `engine.null_model`),
and collects the profiles into one result Dataset with a `step` dimension. `EqualStep` (the
equal-step control, `depthcore.control`) takes the whole model and goes into the Trainer's
``optimizers=(EqualStep(AdamW(model.parameters()), model), scheduler)``.

Nothing here changes the user's numerics: no thread count, no kernel pinning, no global
random number generator. A profile runs the models in eval mode under ``torch.no_grad``
(no dropout draws) and draws its null directions from its own seeded generator, so a
training run with the callback computes the same weights, bit for bit, as without it.

At the defaults the probe size and the interval are derived, not fixed: a training step's
time is measured over the first `CALIBRATION_STEPS` steps and a profile's cost per probe
sequence on `CALIBRATION_PROBE` sequences; the BBC probe keeps as many of its sequences as
let `MIN_PROFILES` profiles fit the budget (`default_probe_size`), and `default_every` spaces
the profiles so that all of them (step 0 and the last step included) take at most
``max_overhead`` of the training's time. A profile the interval schedules is skipped where
the steps so far project a training too short to pay for it and for the last one.
"""

from __future__ import annotations

import copy
import logging
import math
import numbers
import os
import statistics
import time
from typing import Any, Mapping, Sequence

import numpy as np
import torch
import xarray as xr
from transformers import TrainerCallback

from depthcore import data, results, stats
from depthcore.config import TAU
from depthcore.control import EqualStep
from depthcore.engine import layer_state, null_model
from depthcore.layers import find_layers, layer_names, unwrap
from depthcore.metrics import weight_delta_stats
from depthcore.profile import Profile, capture

__all__ = ["DepthProfileCallback", "EqualStep", "default_every"]

log = logging.getLogger(__name__)

MAX_OVERHEAD = 0.10  # the profiles' share of the training time at the defaults
PROBE_SIZE = 32  # BBC probe sequences of the default probe, at most
SEQ_LEN = 128  # their length in tokens (at most the model's context)
CALIBRATION_STEPS = 4  # steps timed before the defaults are set; the first one (warm-up) is dropped
CALIBRATION_PROBE = 4  # probe sequences of the profile that measures the cost per sequence
MIN_PROFILES = 5  # the derived probe shrinks until this many profiles fit the budget ...
MIN_PROBE = 8  # ... but not below this many sequences
PLAN_SHARE = 0.8  # of the budget planned for; the rest is for what the callback's clock does not see (the
# Dataset at the end, caches and memory the profiles disturb) and for timing noise (docs/performance.md)


def default_every(profile_seconds: float, step_seconds: float, max_steps: int, max_overhead: float = MAX_OVERHEAD,
                  other_seconds: float = 0.0) -> int:
    """The profiling interval that keeps every profile of a training within its time budget.

    A training of ``max_steps`` steps of ``step_seconds`` each may spend ``max_overhead`` of
    its time on profiles; ``other_seconds`` of that budget are already spent (the starting
    copy, the probe). Profiles are taken at step 0, at every multiple of the interval and at
    the last step: ``1 + ceil(max_steps / every)`` of them, at most the number the budget
    pays for. Where it pays for fewer than two (step 0 and the last step), the interval is
    ``max_steps`` and those two are taken anyway (`DepthProfileCallback` says so in its log).

    Args:
        profile_seconds: the measured cost of one profile.
        step_seconds: the measured time of one training step.
        max_steps: the training's number of optimizer steps.
        max_overhead: the budget, a fraction of the training time.
        other_seconds: budget already spent outside the profiles.

    Returns:
        The interval in steps, between 1 and ``max_steps``.
    """
    budget = max_overhead * max_steps * step_seconds - other_seconds
    affordable = math.floor(budget / profile_seconds) if profile_seconds > 0 else max_steps + 1
    if affordable < 2:
        return max(int(max_steps), 1)
    return min(max(math.ceil(max_steps / (affordable - 1)), 1), max(int(max_steps), 1))


def default_probe_size(sequence_seconds: float, budget_seconds: float, largest: int) -> int:
    """How many probe sequences let `MIN_PROFILES` profiles fit the budget.

    Args:
        sequence_seconds: the measured cost of one profile per probe sequence.
        budget_seconds: the profiles' time budget left.
        largest: the most sequences there are.

    Returns:
        Between ``min(MIN_PROBE, largest)`` and ``largest``.
    """
    fits = math.floor(budget_seconds / (MIN_PROFILES * sequence_seconds)) if sequence_seconds > 0 else largest
    return max(min(fits, largest), min(MIN_PROBE, largest))


def _check_count(name: str, value: Any, low: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name}={value!r} must be an integer >= {low} (or None for the default)")
    return int(value)


def _tensor_probe(probe: Mapping[str, Any]) -> dict[str, torch.Tensor]:
    ids = probe.get("input_ids")
    if not isinstance(ids, torch.Tensor) or ids.dim() != 2 or ids.dtype.is_floating_point:
        raise ValueError("a probe of tensors needs 'input_ids', an integer tensor [sequences, tokens]; got "
                         f"{type(ids).__name__ if not isinstance(ids, torch.Tensor) else tuple(ids.shape)}")
    mask = probe.get("attention_mask", torch.ones_like(ids))
    if not isinstance(mask, torch.Tensor) or mask.shape != ids.shape:
        raise ValueError(f"the probe's attention_mask must be a tensor of input_ids' shape {tuple(ids.shape)}")
    out = {"input_ids": ids.long(), "attention_mask": mask.long()}
    if isinstance(probe.get("token_type_ids"), torch.Tensor):
        out["token_type_ids"] = probe["token_type_ids"].long()
    return out


def _tokenizer(processing_class: Any):
    tok = getattr(processing_class, "tokenizer", processing_class)  # a multimodal processor holds one
    if tok is None or not callable(tok):
        raise ValueError("DepthProfileCallback tokenises its probe with the trainer's tokenizer, and this Trainer "
                         "has none; pass Trainer(processing_class=tokenizer), or give the callback a probe of "
                         "tensors: DepthProfileCallback(probe={'input_ids': ..., 'attention_mask': ...})")
    if getattr(tok, "pad_token_id", None) is None:
        raise ValueError(f"{type(tok).__name__} has no pad token, which the probe's padding needs; set "
                         "tokenizer.pad_token = tokenizer.eos_token before training")
    return tok


def _context(model: torch.nn.Module) -> int | None:
    config = getattr(unwrap(model), "config", None)
    return getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)


def _cpu_copy(model: torch.nn.Module) -> torch.nn.Module:
    """A deep copy of `model` with every parameter and buffer on the CPU, never a second copy on its device."""
    memo: dict[int, Any] = {}
    for p in model.parameters():
        memo[id(p)] = torch.nn.Parameter(p.detach().to("cpu", copy=True), requires_grad=False)
    for b in model.buffers():
        memo[id(b)] = b.detach().to("cpu", copy=True)
    return copy.deepcopy(model, memo)


class DepthProfileCallback(TrainerCallback):
    """Record the depth profile of the model a `transformers.Trainer` trains, against its starting weights.

    At step 0 (the weights the training starts from), at every multiple of ``every`` and at
    the last step, the model is profiled over the probe set against a copy of its starting
    weights, as a depthcore run profiles its fine-tuned model: Δ_l (cosine), CKA distance,
    local change, the matched random null, the relative weight change per layer, and the slope
    with its bootstrap interval (docs/design.md "Definitions"). `dataset` collects them along a
    ``step`` dimension, with the variable names and units of a run's result
    (`depthcore.results.VARIABLES`); at the end of training it is written to ``output``
    atomically (`depthcore.results.write`). Only the main process of a distributed training
    profiles and writes.

    Args:
        probe: the sequences to profile on. None: the BBC probe split (`depthcore.data.make_split`),
            the first ``probe_size`` sequences of ``seq_len`` tokens, tokenised with the
            trainer's tokenizer; a list of texts (tokenised with it, padded, cut at ``seq_len``);
            or a dict of tensors ``{"input_ids": [N, T], "attention_mask": [N, T]}``.
            At least 2 sequences (the slope's interval resamples them).
        every: profile every this many optimizer steps; None derives it from the measured costs
            (`default_every`; with the default probe, its size too: `default_probe_size`) so that
            the profiles take at most ``max_overhead`` of the training. The derived interval
            starts after `CALIBRATION_STEPS` steps, and the step-0 profile is taken then (of the
            starting weights, which the callback keeps).
        output: where to write the Dataset at the end of training (netCDF); None keeps it in
            memory only (`dataset`).
        probe_size: sequences of the default BBC probe. None: derived from the measured cost
            (at most `PROBE_SIZE`, at least `MIN_PROBE`), or `PROBE_SIZE` where ``every`` is given.
            Give it (and ``every``) for profiles that are comparable across machines.
        seq_len: tokens per probe sequence (default `SEQ_LEN`, at most the model's context);
            not for a probe of tensors.
        max_overhead: the time budget of the default interval, a fraction of the training time.
        start_on_cpu: keep the starting copy on the CPU between profiles (it visits the
            training device only while a profile runs, with the null model beside it); False
            keeps it on the training device.
        batch_size: probe sequences per forward pass.
        seed: seeds the null model's random directions and the slope's bootstrap.

    Attributes:
        every: the interval in use (None until derived).
        profile_seconds: wall time the callback has spent, all of it inside the training.
        train_seconds: the training's wall time without the callback's (set at the end).
    """

    def __init__(self, probe: Mapping[str, torch.Tensor] | Sequence[str] | None = None, every: int | None = None,
                 output: str | os.PathLike | None = None, *, probe_size: int | None = None,
                 seq_len: int | None = None, max_overhead: float = MAX_OVERHEAD, start_on_cpu: bool = True,
                 batch_size: int = 16, seed: int = 0) -> None:
        self.every = _check_count("every", every, 1)
        self.probe_size = _check_count("probe_size", probe_size, 2)
        self.seq_len = _check_count("seq_len", seq_len, 2)
        self.batch_size = _check_count("batch_size", batch_size, 1)
        if isinstance(max_overhead, bool) or not isinstance(max_overhead, numbers.Real) \
                or not 0 < max_overhead < 1:
            raise ValueError(f"max_overhead={max_overhead!r} must be a fraction of the training time in (0, 1), "
                             "e.g. 0.1 for 10%")
        if output is not None and not isinstance(output, (str, os.PathLike)):
            raise ValueError(f"output={output!r} must be a file path (str or Path), e.g. 'profile.nc'")
        self.output = output
        self.max_overhead = float(max_overhead)
        self.start_on_cpu = bool(start_on_cpu)
        self.seed = int(seed)
        self._derive = every is None
        if probe is None:
            self._probe_kind, self._texts, self._probe = "bbc", None, None
        elif isinstance(probe, Mapping):
            if seq_len is not None:
                raise ValueError("seq_len applies to a probe of texts or the default probe; a probe of tensors "
                                 "has its own length: cut it before passing it")
            self._probe_kind, self._texts, self._probe = "tensors", None, _tensor_probe(probe)
            if self._probe["input_ids"].shape[0] < 2:
                raise ValueError(f"the probe has {self._probe['input_ids'].shape[0]} sequence; give at least 2 "
                                 "(the slope's interval resamples probe sequences)")
        elif isinstance(probe, Sequence) and not isinstance(probe, (str, bytes)) \
                and all(isinstance(t, str) and t for t in probe):
            if len(probe) < 2:
                raise ValueError(f"the probe has {len(probe)} text; give at least 2 (the slope's interval "
                                 "resamples probe sequences)")
            self._probe_kind, self._texts, self._probe = "texts", list(probe), None
        else:
            raise ValueError(f"probe is a {type(probe).__name__}; pass None (the BBC probe split), a list of "
                             "non-empty texts, or a dict of tensors {'input_ids': ..., 'attention_mask': ...}")
        if probe is not None and probe_size is not None:
            raise ValueError("probe_size sizes the default BBC probe; with a probe of your own, pass the "
                             "sequences you want profiled")
        self._reset()

    def _reset(self) -> None:
        self._start: torch.nn.Module | None = None
        self._device: torch.device | None = None
        self._names: list[str] = []
        self._weight_norm: list[float] = []
        self._records: list[tuple[int, Profile, list[float]]] = []
        self._record_seconds: list[float] = []
        self._step_seconds: list[float] = []
        self._attrs: dict[str, Any] = {}
        self.profile_seconds = 0.0
        self.train_seconds = None
        if self._derive:
            self.every = None

    # -- the Trainer's events --------------------------------------------------------------------
    def on_train_begin(self, args, state, control, model=None, processing_class=None, **kwargs):
        if not state.is_world_process_zero:
            return
        self._reset()
        self._began = time.perf_counter()
        tokenizer = _tokenizer(processing_class) if self._probe_kind != "tensors" else None
        self._device = next(model.parameters()).device
        self._names = layer_names(model)
        self._start = _cpu_copy(model) if self.start_on_cpu else copy.deepcopy(model)
        self._start.eval().requires_grad_(False)
        self._weight_norm = [float(torch.linalg.vector_norm(torch.cat([p.detach().float().flatten()
                                                                       for p in layer.parameters()])))
                             for layer in find_layers(self._start)]
        self._start_step = int(state.global_step)
        probe = self._probe
        seq_len = self.seq_len or min(SEQ_LEN, _context(model) or SEQ_LEN)
        if self._probe_kind == "bbc":
            split = data.make_split("clm", tokenizer, "probe", seq_len=seq_len,
                                    n=self.probe_size or PROBE_SIZE)
            probe = {k: split[k] for k in ("input_ids", "attention_mask")}
        elif self._probe_kind == "texts":
            enc = tokenizer(self._texts, padding=True, truncation=True, max_length=seq_len, return_tensors="pt")
            probe = {k: enc[k] for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc}
        self._run_probe = probe
        hf = unwrap(model)
        name_or_path = getattr(getattr(hf, "config", None), "_name_or_path", "") or ""
        self._attrs = dict(model=type(hf).__name__, name_or_path=str(name_or_path),
                           source="DepthProfileCallback", probe=self._probe_kind, max_steps=int(state.max_steps),
                           start_step=self._start_step, seed=self.seed, max_overhead=self.max_overhead)
        self.profile_seconds += time.perf_counter() - self._began
        if self.every is not None:
            self._profile(self._start, self._start_step)
        self._last = time.perf_counter()

    def on_step_end(self, args, state, control, model=None, **kwargs):
        if not state.is_world_process_zero or self._start is None:
            return
        step = state.global_step
        if self.every is None:
            self._step_seconds.append(time.perf_counter() - self._last)
            if len(self._step_seconds) >= CALIBRATION_STEPS:
                self._plan(model, state.max_steps - self._start_step)
        if self.every is not None and step % self.every == 0 and self._affordable(step, state.max_steps):
            self._profile(model, step)
        self._last = time.perf_counter()

    def on_train_end(self, args, state, control, model=None, **kwargs):
        if not state.is_world_process_zero or self._start is None:
            return
        if self.every is None:  # a training shorter than the calibration
            self._plan(model, state.global_step - self._start_step)
        if self._records[-1][0] != state.global_step:
            self._profile(model, state.global_step)
        began = time.perf_counter()
        self.train_seconds = began - self._began - self.profile_seconds
        ds = self.dataset()
        if self.output is not None:
            results.write(ds, self.output)
        self._start = None  # the starting copy's memory goes back
        self.profile_seconds += time.perf_counter() - began
        if self.output is not None:
            log.info("depth profile: %d steps profiled, %.3g s of %.3g s of training (%.1f%%), written to %s",
                     len(self._records), self.profile_seconds, self.train_seconds,
                     100 * self.profile_seconds / max(self.train_seconds, 1e-9), self.output)

    # -- profiling -------------------------------------------------------------------------------
    def _plan(self, model: torch.nn.Module, steps: int) -> None:
        """The defaults from the measured costs: the probe size (the default probe only), then the
        step-0 profile, whose cost sets the interval."""
        timed = self._step_seconds[1:] or self._step_seconds
        step = statistics.median(timed) if timed else 0.0
        budget = PLAN_SHARE * self.max_overhead * steps * step
        n = self._run_probe["input_ids"].shape[0]
        if self._probe_kind == "bbc" and self.probe_size is None:
            k = min(CALIBRATION_PROBE, n)
            began = time.perf_counter()
            self._profile(model, None, {key: v[:k] for key, v in self._run_probe.items()})
            n = default_probe_size((time.perf_counter() - began) / k, budget - self.profile_seconds, n)
            self._run_probe = {key: v[:n] for key, v in self._run_probe.items()}
        self._profile(self._start, self._start_step)
        cost = self._record_seconds[-1]
        other = self.profile_seconds - cost
        self.every = default_every(cost, step, steps, PLAN_SHARE * self.max_overhead, other)
        if 2 * cost + other > budget and steps > 0:
            log.warning("DepthProfileCallback: one profile of %d sequences takes %.3g s and a training step %.3g s, "
                        "so over %d steps even the profiles at step 0 and at the end take %.0f%% of the training, "
                        "above max_overhead=%g", n, cost, step, steps,
                        100 * (2 * cost + other) / max(steps * step, 1e-12), self.max_overhead)

    def _affordable(self, step: int, max_steps: int) -> bool:
        """Whether a derived interval's profile at `step` still fits the budget, with the training
        time projected from the steps so far and one profile kept for the last step (the
        first steps, which set the interval, may run slower or faster than the rest)."""
        if not self._derive or step >= max_steps:
            return True
        done = step - self._start_step
        trained = time.perf_counter() - self._began - self.profile_seconds
        projected = trained / max(done, 1) * (max_steps - self._start_step)
        cost = statistics.fmean(self._record_seconds)
        return self.profile_seconds + 2 * cost <= PLAN_SHARE * self.max_overhead * projected

    @torch.no_grad()
    def _profile(self, model: torch.nn.Module, step: int | None, probe: dict[str, torch.Tensor] | None = None) -> None:
        """Profile `model` (the trained model, or the starting copy itself at step 0) against the
        starting weights on the training device, and record it at `step` (None: time it only)."""
        began = time.perf_counter()
        start, device = self._start, self._device
        moved = next(start.parameters()).device != device
        was_training = model.training
        model.eval()
        try:
            if moved:
                start.to(device)
            before = layer_state(find_layers(start))
            after = before if model is start else layer_state(find_layers(model))
            null = null_model(start, before, after, self.seed)
            prof = capture(start, model, probe or self._run_probe, null=null, batch_size=self.batch_size,
                           device=str(device))
            del null
            rel = [weight_delta_stats(b, a)["rel_update"] for b, a in zip(before, after)]
        finally:
            model.train(was_training)
            if moved:
                start.to("cpu")
        seconds = time.perf_counter() - began
        self.profile_seconds += seconds
        if step is not None:
            self._records.append((int(step), prof, rel))
            self._record_seconds.append(seconds)

    def dataset(self) -> xr.Dataset:
        """The profiles recorded so far, one result Dataset along ``step``.

        Returns:
            Variables (units and long names: `depthcore.results.VARIABLES`) over (``step``,
            ``layer``): rep_change_cos, rep_change_cka, rep_change_local, null_rep_change_cos,
            rel_update; over (``step``, ``seq``, ``layer``): their per-sequence forms; over
            ``step``: slope, slope_lo, slope_hi, null_slope, excess_slope, local_slope,
            rel_slope (NaN where nothing changed), rel_update_slope, width, width_frac; over
            ``layer``: semantic_deviation and weight_norm of the starting weights. Attrs: the
            model, the probe, ``every``, ``profile_seconds`` and ``train_seconds``.
        """
        if not self._records:
            raise RuntimeError("DepthProfileCallback has recorded nothing yet: add it to a Trainer "
                               "(Trainer(..., callbacks=[callback])) and call trainer.train()")
        steps = np.array([s for s, _, _ in self._records])
        profs = [p for _, p, _ in self._records]
        ids = self._run_probe["input_ids"]
        attrs = {**self._attrs, "probe_size": int(ids.shape[0]), "seq_len": int(ids.shape[1]),
                 "every": int(self.every or 0), "profile_seconds": float(self.profile_seconds),
                 "train_seconds": float(self.train_seconds if self.train_seconds is not None else float("nan"))}
        ds = results.new_dataset(self._names, attrs)
        ds = ds.assign_coords(step=steps, seq=np.arange(profs[0].cos_seq.shape[0]))
        depth = ds["depth"].values

        def put(name, dims, value):
            results.put(ds, name, dims, value)

        for name, field in (("rep_change_cos", "cos_seq"), ("rep_change_local", "local_seq"),
                            ("null_rep_change_cos", "null_seq")):
            per_seq = np.stack([getattr(p, field) for p in profs])
            put(name + "_seq", ("step", "seq", "layer"), per_seq)
            put(name, ("step", "layer"), per_seq.mean(1))
        put("rep_change_cka", ("step", "layer"), np.stack([p.cka for p in profs]))
        put("rel_update", ("step", "layer"), np.array([r for _, _, r in self._records]))
        put("semantic_deviation", "layer", profs[0].semantic_seq.mean(0))
        put("weight_norm", "layer", self._weight_norm)
        cos = ds["rep_change_cos"].values
        if len(self._names) > 1:
            ci = np.array([stats.bootstrap_slope(p.cos_seq, depth, seed=self.seed) for p in profs])
            put("slope", "step", ci[:, 0])
            put("slope_lo", "step", ci[:, 1])
            put("slope_hi", "step", ci[:, 2])
            null_slope = stats.fit_slope(ds["null_rep_change_cos"].values, depth)
            put("null_slope", "step", null_slope)
            put("excess_slope", "step", ci[:, 0] - null_slope)
            put("local_slope", "step", stats.fit_slope(ds["rep_change_local"].values, depth))
            put("rel_slope", "step", [stats.relative_slope(c, depth) if c.mean() > 0 else np.nan for c in cos])
            put("rel_update_slope", "step", stats.fit_slope(ds["rel_update"].values, depth))
        put("tau", (), TAU)
        put("width", "step", stats.width(cos, TAU))
        put("width_frac", "step", stats.width_frac(cos))
        return ds
