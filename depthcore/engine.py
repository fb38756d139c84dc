"""`depthcore.run(spec)`: from a RunSpec to a result Dataset (docs/design.md "Data flow").

zoo.load -> data splits -> objective distance at init -> train.finetune (condition,
freeze, LoRA) -> null model -> profile.capture -> statistics -> xarray.Dataset.
`cached_run` adds the run cache: key = spec hash + hash of the modules that produce
results, under a file lock; a truncated or unreadable cache file is recomputed, never served.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import torch
import xarray as xr

from depthcore import control, data, metrics, numerics, probes, profile, results, stats, zoo
from depthcore.cache import cache_root, lock, remove_stale_temps, source_hash
from depthcore.config import SATURATION, TAU, RunSpec, SpecError, model_name
from depthcore.layers import FAMILIES, find_layers, layer_names

# Modules whose code determines a result; an edit to any of them invalidates cached runs.
# Not criteria.py: a verdict's threshold re-judges stored runs, it does not recompute them.
RESULT_MODULES = ("config", "zoo", "tinyzoo", "packagezoo", "heads", "data", "layers", "train", "control", "metrics", "probes",
                  "stats", "profile", "engine", "results")  # numerics: its fingerprint, not its source, is in the key
# Libraries whose upgrade can change a number: their versions are in the key too.
RESULT_LIBRARIES = ("torch", "transformers", "tokenizers", "peft", "numpy", "scipy", "safetensors", "gguf")
# Held-out losses and the objective distance use RunSpec.eval_size sequences, and paper B's
# diagnostics (probes.layer_sensitivity, probes.task_position) the first RunSpec.ls_size probe
# sequences (the probe order is fixed and every 4th of them is padded). Unset, they are derived
# from the model's cost (`derived_sizes`), for every model alike, so that the work outside the
# fine-tuning loop takes at most DIAGNOSTIC_BUDGET of the loop's time. The sizes follow an
# estimate in FLOPs (deterministic, unlike a clock), which on CPU undercounts the diagnostics by
# up to ESTIMATE_ERROR (the measured share over the estimated one: 1.42 at most, on a 250k-token
# vocabulary, whose softmax costs more than its FLOPs; docs/performance.md), so the estimate aims
# that much lower (`flop_budget`).
DIAGNOSTIC_BUDGET = 0.5
ESTIMATE_ERROR = 1.5
DEFAULT_SIZES = (64, 16)  # (eval_size, ls_size) where the budget allows
MIN_SIZES = (4, 1)  # the least a derived size goes


@dataclasses.dataclass(frozen=True)
class Cost:
    """Estimated forward FLOPs of one sequence of seq_len tokens: through the block stack
    (2 per block parameter and token, plus attention's 4 T d per token and layer) and through
    the output head (2 per head weight and token; 0 for "cls", whose head is a few rows)."""

    blocks: float
    head: float
    n_layers: int


def forward_cost(model, spec: RunSpec) -> Cost:
    """The Cost of `model` (with the objective's head) at spec.seq_len, from its parameter counts."""
    layers = find_layers(model)
    T, L = spec.seq_len, len(layers)
    block_params = sum(p.numel() for layer in layers for p in layer.parameters())
    width = model.get_input_embeddings().embedding_dim
    out = model.get_output_embeddings() if spec.objective != "cls" else None
    head = 0 if out is None else out.weight.numel()
    return Cost(2.0 * T * block_params + 4.0 * T * T * width * L, 2.0 * T * head, L)


# A training step's cost in forward passes, on the low side of what was measured on CPU
# (docs/performance.md "Diagnostics' sizes"), so that the loop is not overestimated: through the
# blocks 3.5 (2 FLOPs per parameter forward, 4 backward, then the optimizer step and the logs),
# through the head 2.5 (softmax and cross-entropy over the vocabulary are a larger share of a
# head's work than of a block's, and cost no more backward than forward).
STEP_BLOCKS, STEP_HEAD = 3.5, 2.5


def loop_flops(spec: RunSpec, cost: Cost) -> float:
    """The fine-tuning loop: steps x batch sequences, each a training step (STEP_BLOCKS,
    STEP_HEAD); a masked LM's head runs at the masked positions only (profile.objective_loss)."""
    head = spec.mask_rate if spec.objective == "mlm" else 1.0
    return spec.steps * spec.batch_size * (STEP_BLOCKS * cost.blocks + STEP_HEAD * head * cost.head)


def outside_flops(spec: RunSpec, cost: Cost, n_eval: int, n_ls: int) -> float:
    """The work outside the loop at these sizes: the held-out losses (objective distance, new and
    old domain before, both after; "cls": objective distance and held-out loss before, loss and
    accuracy after), layer sensitivity (a clean pass, then for each layer l blocks l..L and the
    head, each head's output compared by a KL over the vocabulary, which costs about as much
    again on CPU), task position (a clean pass and L heads) and the profile capture (4 passes
    through the blocks over the probe set, no head, and its metrics: about one pass more)."""
    loss = cost.blocks + (spec.mask_rate if spec.objective == "mlm" else 1.0) * cost.head
    L = cost.n_layers
    losses = (4 if spec.objective == "cls" else 5) * n_eval * loss
    sensitivity = n_ls * ((L + 3) / 2 * cost.blocks + 2 * (L + 1) * cost.head)
    position = n_ls * (cost.blocks + (L + 1) * cost.head)
    return losses + sensitivity + position + 5.0 * spec.probe_size * cost.blocks


def flop_budget(spec: RunSpec, cost: Cost) -> float:
    """The FLOPs the diagnostics may spend outside the loop: DIAGNOSTIC_BUDGET / ESTIMATE_ERROR x its."""
    return DIAGNOSTIC_BUDGET / ESTIMATE_ERROR * loop_flops(spec, cost)


def derived_sizes(spec: RunSpec, cost: Cost, caps: tuple[int, int] = DEFAULT_SIZES) -> tuple[int, int]:
    """(eval_size, ls_size): `caps` where outside_flops at them is at most `flop_budget`; else
    both shrunk in proportion to fit, ls_size first (never below MIN_SIZES),
    then eval_size the most that fits beside it (never below MIN_SIZES). Deterministic: a
    function of the spec and the model's parameter counts, never of a clock, so a run's numbers
    do not depend on the machine's speed."""
    n_eval, n_ls = caps[0], min(caps[1], spec.probe_size)
    budget = flop_budget(spec, cost)
    full = outside_flops(spec, cost, n_eval, n_ls)
    if full <= budget:
        return n_eval, n_ls
    fixed = outside_flops(spec, cost, 0, 0)
    scale = max(budget - fixed, 0.0) / (full - fixed)
    n_ls = max(min(MIN_SIZES[1], n_ls), int(n_ls * scale))
    per_eval = outside_flops(spec, cost, 1, 0) - fixed
    fits = int((budget - outside_flops(spec, cost, 0, n_ls)) / per_eval) if per_eval > 0 else n_eval
    return max(min(MIN_SIZES[0], n_eval), min(n_eval, fits)), n_ls


def sizes(spec: RunSpec, model: torch.nn.Module) -> tuple[int, int]:
    """(held-out sequences, LS/TP sequences) of a run: the spec's where it sets them, else
    `derived_sizes` of `model` (the loaded model with its objective head)."""
    derived = (None, None)
    if spec.eval_size is None or spec.ls_size is None:
        derived = derived_sizes(spec, forward_cost(model, spec))
    return spec.eval_size or derived[0], min(spec.ls_size or derived[1], spec.probe_size)


@functools.cache
def library_hash() -> str:
    """12 hex digits of the installed versions of RESULT_LIBRARIES ("absent" for one not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "absent"

    text = ";".join(f"{name}={installed(name)}" for name in RESULT_LIBRARIES)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def run_path(spec: RunSpec) -> Path:
    """Keyed by the spec, the code that shapes a result, the libraries' versions and the machine's
    numerics (numerics.py)."""
    code = source_hash(*RESULT_MODULES)
    return cache_root() / "runs" / f"{spec.key()}-{code}-{library_hash()}-{numerics.fingerprint()[:8]}.nc"


def cached_run(spec: RunSpec, use_cache: bool = True, progress: bool = False) -> xr.Dataset:
    """`run(spec)` through the run cache (compute once under a file lock, then read)."""
    if not use_cache:
        return run(spec, progress=progress)
    path = run_path(spec)
    if path.exists():  # written by rename, so whole: reading needs no lock (and works in a read-only cache)
        try:
            return results.read(path)
        except results.ResultError:
            pass  # damaged: dealt with under the lock below
    with lock(path):
        remove_stale_temps(path)  # what a writer killed mid-write left; we hold the entry's lock
        if path.exists():
            try:
                return results.read(path)
            except results.ResultError:
                path.unlink()  # truncated or foreign file: recompute, never serve it
        ds = run(spec, progress=progress)
        results.write(ds, path)
        return ds


def _lora_targets(model, spec: RunSpec) -> list[str]:
    """peft `target_modules` for RunSpec.lora_targets: the family table's names, or for an
    architecture not in the table the attention projections found in its first block
    (`layers.attention_targets`); every target must name a module of the model."""
    from depthcore.layers import attention_targets

    model_type = model.config.model_type
    targets = zoo.lora_target_modules(model_type, spec.lora_targets) if model_type in FAMILIES \
        else attention_targets(model, spec.lora_targets)
    names = [n for n, _ in model.named_modules()]
    for t in targets:
        if not any(n == t or n.endswith("." + t) for n in names):
            leaves = sorted({n.rsplit(".", 1)[-1] for n in names if n})
            raise SpecError(f"LoRA target module {t!r} is not in {type(model).__name__}; "
                            f"module names there include: {', '.join(leaves[:40])}")
    return targets


def _is_adapted(param: str, modules: list[str]) -> bool:
    """Whether `param` (a parameter's name inside a layer) is the weight of one of `modules`, by
    peft's rule: a module name equal to a target or ending in "." + target."""
    name = param.removesuffix(".weight")
    return name != param and any(name == m or name.endswith("." + m) for m in modules)


def _wrap_lora(model, spec: RunSpec):
    if spec.qlora and spec.device != "cuda":
        raise SpecError("QLoRA (4-bit bitsandbytes) needs CUDA; use lora=True without qlora on CPU, or --gpu")
    from peft import LoraConfig, get_peft_model

    task = {"clm": "CAUSAL_LM", "cls": "SEQ_CLS"}.get(spec.objective)
    cfg = LoraConfig(r=spec.lora_r, lora_alpha=spec.lora_alpha, target_modules=_lora_targets(model, spec),
                     lora_dropout=0.0, task_type=task)
    torch.manual_seed(spec.seed)  # peft draws A from the global generator, which loading may have moved
    return get_peft_model(model, cfg)


def layer_state(layers) -> list[dict[str, torch.Tensor]]:
    return [{n: p.detach().float().cpu().clone() for n, p in layer.named_parameters()} for layer in layers]


def lora_state(layers) -> list[dict[str, tuple[torch.Tensor, torch.Tensor]]]:
    """Per layer: adapted module name -> (A, B) peft weights (copies on CPU)."""
    out = []
    for layer in layers:
        out.append({name: (mod.lora_A["default"].weight.detach().float().cpu().clone(),
                           mod.lora_B["default"].weight.detach().float().cpu().clone())
                    for name, mod in layer.named_modules() if hasattr(mod, "lora_A") and "default" in mod.lora_A})
    return out


def null_model(pre, pre_state, post_state, seed: int):
    """docs/design.md "Null profile and excess slope": each layer of `pre` moved by a seeded random
    direction with the same ||ΔW_l|| (over the layer's tensors together) as the real fine-tune;
    nothing else moves."""
    null = copy.deepcopy(pre)
    gen = torch.Generator().manual_seed(10_000 + seed)
    for layer, before, after in zip(find_layers(null), pre_state, post_state):
        names = list(before)
        deltas = [after[n] - before[n] for n in names]
        dirs = metrics.random_direction_like(deltas, gen)
        params = dict(layer.named_parameters())
        with torch.no_grad():
            for n, d in zip(names, dirs):
                params[n].add_(d.to(params[n].device, params[n].dtype))
    return null


# Runs in one process that share a tokenizer and data settings share their tokenised splits, and
# runs that share pretrained weights and data also share the pretrained model's diagnostics:
# neither depends on the condition, optimizer, learning rate, freezing or LoRA. Each is
# computed once and served as a copy, bit-identical to computing it again; keyed by content
# (the tokenizer's definition; the weights' bytes), so a changed model or tokenizer never hits.
# Only models under MEMO_MAX_PARAMS are hashed: at the tiny tier the diagnostics are about a
# fifth of a run (tiny-gpt2-64's 24 equal-step runs: 60.5 s with the memo, 74.9 s without); on
# CPU at 135M (the real tier) they cost tens of seconds against about 1 s of hashing the
# weights; above that the models run on GPUs, where they are a small part of a run and hashing
# gigabytes of weights is not free.
_MEMO: dict[tuple, object] = {}
MEMO_SIZE, MEMO_MAX_PARAMS = 32, 200_000_000


def _memo(key: tuple | None, compute) -> tuple[object, bool]:
    """(value, True if computed by this call; False if served from an earlier run)."""
    if key is None:
        return compute(), True
    fresh = key not in _MEMO
    if fresh:
        if len(_MEMO) >= MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))  # the oldest
        _MEMO[key] = compute()
    return copy.deepcopy(_MEMO[key]), fresh


class Phases:
    """Wall-clock seconds of each phase of one run (the result's `seconds` attribute, JSON)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def _content_hash(*chunks) -> str:
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for c in chunks:
        h.update(c.detach().cpu().contiguous().view(torch.uint8).numpy().tobytes() if torch.is_tensor(c)
                 else str(c).encode())
    return h.hexdigest()


def _splits(spec: RunSpec, tok, n_eval: int) -> tuple[dict, dict, dict, dict | None]:
    """(train, probe, heldout, old-domain heldout or None for cls) tensors of the run's objective."""
    backend = getattr(tok, "backend_tokenizer", None)
    key = None if backend is None else ("splits", _content_hash(backend.to_str(), tok.pad_token_id),
                                        spec.objective, spec.seq_len, spec.domain, spec.mask_rate, spec.probe_size,
                                        n_eval)

    def compute():
        split = dict(tokenizer=tok, seq_len=spec.seq_len, domain=spec.domain, mask_rate=spec.mask_rate)
        return (data.make_split(spec.objective, split="train", **split),
                data.make_split(spec.objective, split="probe", n=spec.probe_size, **split),
                data.make_split(spec.objective, split="heldout", n=n_eval, **split),
                data.make_split(spec.objective, split="old_heldout", n=n_eval, **split)
                if spec.objective != "cls" else None)

    return _memo(key, compute)[0]


def _pre_diagnostics(spec: RunSpec, pre, train, probe, heldout, old, n_eval: int, n_ls: int) -> tuple[dict, bool]:
    """The pretrained model's objective distance, held-out losses (new and old domain), layer
    sensitivity [n_ls, L], task position [L] and the seconds each took ("seconds"); and whether
    they were computed by this call (False: shared with an earlier run of this process)."""
    params = sum(p.numel() for p in pre.parameters())
    key = None
    if params < MEMO_MAX_PARAMS:
        tensors = [t for name, t in sorted(pre.state_dict().items())]
        data_tensors = [t for split in (train, probe, heldout, old or {}) for _, t in sorted(split.items())]
        key = ("pre", type(pre).__name__, _content_hash(*tensors, *data_tensors), spec.objective, spec.seed,
               spec.device, spec.dtype, n_eval, n_ls)

    def compute():
        first = {k: v[:n_eval] for k, v in train.items()}
        ls_probe = {k: v[:n_ls] for k, v in probe.items()}  # paper B diagnostics of the pretrained model
        layers = find_layers(pre)
        phase = Phases()
        out = {}
        with phase("held-out losses before"):
            out["objective_distance"] = profile.mean_loss(pre, first, device=spec.device)
            out["heldout_loss_before"] = profile.mean_loss(pre, heldout, device=spec.device)
            out["old_heldout_loss_before"] = profile.mean_loss(pre, old, device=spec.device) if old is not None else None
        with phase("layer sensitivity"):
            out["sensitivity"] = probes.layer_sensitivity(pre, layers, ls_probe, eps=probes.LS_EPS, seed=spec.seed,
                                                          device=spec.device)
        with phase("task position"):
            out["task_position"] = probes.task_position(pre, layers, ls_probe, spec.objective, device=spec.device)
        return {**out, "seconds": phase.seconds}

    return _memo(key, compute)


def run(spec: RunSpec, progress: bool = False, sharded: bool = False, on_trained=None) -> xr.Dataset | None:
    """Fine-tune and profile one run; see the module docstring for the steps.

    Args:
        sharded: train with FSDP over the initialised process group (`depthcore.distributed`;
            launch with torchrun, every rank calls this). Rank 0 profiles the gathered model
            on its own device and returns the Dataset; the other ranks return None. The
            profile needs the pre, post and null models on rank 0's device at once (three
            copies; 6.9B in fp32 is ~83 GB). Not cached: a sharded run differs from the
            unsharded one with the same spec in float rounding (tests/test_distributed.py).
        on_trained: None, or called as `on_trained(model, tokenizer)` with the fine-tuned model
            (for LoRA the peft model, before its adapters are merged) before it is profiled:
            `depthcore run --save-model` saves it. Unsharded runs only.
    """
    from depthcore.train import finetune

    rank = 0
    if sharded:
        from depthcore import distributed

        rank = distributed.check_sharded_run(spec)
    torch.manual_seed(spec.seed)
    phase = Phases()
    with phase("load"):
        model, tok, info = zoo.load(spec.model, spec.objective, device=spec.device, seed=spec.seed)
    layers = find_layers(model)
    L = len(layers)
    bad = [i for i in spec.freeze if not 1 <= i <= L]
    if bad:
        raise SpecError(f"freeze layers {bad} out of range: {spec.model} has {L} layers, numbered 1..{L}")
    lr = spec.lr if spec.lr is not None else info.lr_for(spec.optimizer, spec.objective)
    n_eval, n_ls = sizes(spec, model)
    with phase("data"):
        train, probe, heldout, old = _splits(spec, tok, n_eval)

    if rank == 0:  # the pretrained model and its diagnostics: only the rank that profiles needs them
        with phase("copies"):
            pre = copy.deepcopy(model).eval()
            pre_state = layer_state(layers)
        with phase("diagnostics shared with an earlier run"):
            before, fresh = _pre_diagnostics(spec, pre, train, probe, heldout, old, n_eval, n_ls)
        seconds = before.pop("seconds")
        if fresh:
            phase.seconds.pop("diagnostics shared with an earlier run")
            phase.seconds.update(seconds)

    for i in spec.freeze:
        layers[i - 1].requires_grad_(False)
    if spec.train_only_layers:
        keep = {id(p) for layer in layers for p in layer.parameters() if p.requires_grad}
        for p in model.parameters():
            p.requires_grad_(id(p) in keep)
    # LoRA's adapted matrices, where a full fine-tune stores its change in LoRA's terms
    adapted = _lora_targets(model, spec) if spec.delta_rank and not spec.lora else None
    if spec.lora:
        model = _wrap_lora(model, spec)
        layers = find_layers(model)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    lora_before = lora_state(layers) if spec.lora else None
    with phase("fine-tuning"):
        if sharded:  # full weights only (check_sharded_run refuses LoRA)
            log, post = distributed.sharded_finetune(model, layers, train, spec, lr, pre if rank == 0 else None,
                                                     progress=progress)
            if post is None:  # not rank 0: nothing to profile
                return None
            lora_after = None
        else:
            log = finetune(model, layers, train, spec, lr, progress=progress)
            if on_trained is not None:
                on_trained(model, tok)
            lora_after = lora_state(layers) if spec.lora else None
            post = model.merge_and_unload() if spec.lora else model
    post.eval()
    with phase("null model"):
        post_state = layer_state(find_layers(post))
        null = null_model(pre, pre_state, post_state, spec.seed)
    with phase("profile capture (pre, post, local, null passes)"):
        prof = profile.capture(pre, post, probe, null=null, device=spec.device, progress=progress)
    with phase("held-out losses after"):
        after = {"heldout_loss": profile.mean_loss(post, heldout, device=spec.device)}
        if old is not None:
            after["old_heldout_loss"] = profile.mean_loss(post, old, device=spec.device)
        if spec.objective == "cls":
            after["accuracy"] = profile.accuracy(post, heldout, device=spec.device)
    with phase("statistics"):
        ds = result_dataset(spec, info, lr, layer_names(post), prof, log, before, after, trainable,
                            (pre_state, post_state), (lora_before, lora_after) if spec.lora else None, adapted)
    seconds = {k: round(v, 3) for k, v in phase.seconds.items()}
    ds.attrs.update(eval_size=n_eval, ls_size=n_ls, seconds=json.dumps(seconds))
    return ds


def put_shape(ds: xr.Dataset, prof: profile.Profile) -> None:
    """The profile's shape scalars a run and a diff share: the local change's and the weight
    change's slopes on depth (`rel_update` already in `ds`; with more than one layer), width
    at TAU, width_frac and saturation."""
    depth, cos = ds["depth"].values, prof.cos_seq.mean(0)
    if ds.sizes["layer"] > 1:
        results.put(ds, "local_slope", (), stats.fit_slope(prof.local_seq.mean(0), depth))
        results.put(ds, "rel_update_slope", (), stats.fit_slope(ds["rel_update"].values, depth))
    results.put(ds, "tau", (), TAU)
    results.put(ds, "width", (), stats.width(cos, TAU))
    results.put(ds, "width_frac", (), stats.width_frac(cos))
    results.put(ds, "saturated", (), float(cos.max() > SATURATION))


def result_dataset(spec: RunSpec, info, lr: float, names: list[str], prof: profile.Profile, log, before: dict,
                   after: dict, trainable: int, weights: tuple[list, list], lora: tuple[list, list] | None,
                   adapted: list[str] | None = None) -> xr.Dataset:
    """The result Dataset of one run (variables and units: `results.VARIABLES`).

    Args:
        spec, info, lr: the run, its model's `zoo.ModelInfo` and the peak learning rate used.
        names: the layers' module names.
        prof: the probe profiles (`profile.capture`).
        log: the fine-tuning log (`train.TrainLog`).
        before: the pretrained model's diagnostics (objective distance, held-out losses,
            layer sensitivity [ls_size, L], task position [L]).
        after: the fine-tuned model's held-out losses (and accuracy for "cls").
        trainable: the number of trained parameters.
        weights: per-layer parameters before and after fine-tuning (`layer_state`).
        lora: per-layer LoRA (A, B) before and after (`lora_state`), or None without LoRA.
        adapted: for a full fine-tune, the modules LoRA would adapt (`_lora_targets`): stores
            its mean |dW| on their weight matrices alone; None stores nothing.
    """
    pre_state, post_state = weights
    sensitivity, task_pos = before["sensitivity"], before["task_position"]
    attrs = dict(spec=spec.to_json(), label=spec.label, model=model_name(spec.model), hf_id=info.hf_id or "", family=info.family,
                 block_type=info.block_type, kind=info.kind, params=int(info.params), tier=info.tier,
                 device=spec.device, dtype=spec.dtype, lr=float(lr), optimizer=spec.optimizer,
                 condition=spec.condition, objective=spec.objective)
    ds = results.new_dataset(names, attrs)
    ds = ds.assign_coords(seq=np.arange(prof.cos_seq.shape[0]), step=np.arange(1, spec.steps + 1),
                          log_step=np.array(log.log_steps), ls_seq=np.arange(sensitivity.shape[0]))
    depth = ds["depth"].values
    put = lambda name, dims, value: results.put(ds, name, dims, value)  # noqa: E731

    put("rep_change_cos_seq", ("seq", "layer"), prof.cos_seq)
    put("rep_change_cos", "layer", prof.cos_seq.mean(0))
    put("rep_change_cka", "layer", prof.cka)
    put("rep_change_local_seq", ("seq", "layer"), prof.local_seq)
    put("rep_change_local", "layer", prof.local_seq.mean(0))
    put("null_rep_change_cos_seq", ("seq", "layer"), prof.null_seq)
    put("null_rep_change_cos", "layer", prof.null_seq.mean(0))
    put("semantic_deviation", "layer", prof.semantic_seq.mean(0))
    put("semantic_deviation_seq", ("seq", "layer"), prof.semantic_seq)
    put("sensitivity_seq", ("ls_seq", "layer"), sensitivity)
    put("sensitivity", "layer", sensitivity.mean(0))
    put("sensitivity_eps", (), probes.LS_EPS)
    put("task_position", "layer", task_pos)

    # the weight matrices each layer's statistics describe: all of them, or (the LoRA blog's) the
    # adapted ones, whose dW is the effective (alpha/r)BA
    matrices = list(zip(pre_state, post_state)) if lora is None else [
        ({f"{m}.weight": b[f"{m}.weight"] for m in lb}, {f"{m}.weight": a[f"{m}.weight"] for m in lb})
        for b, a, lb in zip(pre_state, post_state, lora[0])]
    wstats = [metrics.weight_delta_stats(b, a) for b, a in matrices]
    if lora is not None:
        raw = [metrics.lora_raw_delta_stats({m: ab[0] for m, ab in b.items()}, {m: ab[0] for m, ab in a.items()},
                                            {m: ab[1] for m, ab in b.items()}, {m: ab[1] for m, ab in a.items()})
               for b, a in zip(*lora)]
        for key in ("dW_mean", "dW_var", "dW_absmean", "dW_absvar"):  # relnorm of B is inf: B starts at 0
            for side in ("A_", "B_"):
                put(side + key, "layer", [w[side + key] for w in raw])
    for key in ("rel_update", *metrics.DELTA_STATS):
        put(key, "layer", [w[key] for w in wstats])
    if adapted is not None:  # full fine-tuning's change on the weight matrices LoRA adapts
        on_adapted = [metrics.weight_delta_stats(*({n: w for n, w in state.items() if _is_adapted(n, adapted)}
                                                   for state in (b, a))) for b, a in zip(pre_state, post_state)]
        put("dW_absmean_adapted", "layer", [w["dW_absmean"] for w in on_adapted])
    if spec.delta_rank:
        memo: dict = {}
        ranks = [metrics.delta_rank_stats(b, a, spec.lora_r, memo) for b, a in matrices]
        for key in metrics.DELTA_RANK_STATS:
            put(key, "layer", [r[key] for r in ranks])
    put("weight_norm", "layer", [float(torch.linalg.vector_norm(torch.cat([t.flatten() for t in s.values()])))
                                 for s in pre_state])

    r = log.r_before.numpy()
    put("loss", "step", log.loss.numpy())
    put("r_before", ("log_step", "layer"), r)
    put("r_after", ("log_step", "layer"), log.r_after.numpy())
    put("r_measured", ("log_step", "layer"), log.r_measured.numpy())
    put("grad_norm", ("log_step", "layer"), log.grad_norm.numpy())
    put("opt_m_norm", ("log_step", "layer"), log.opt_m_norm.numpy())
    put("opt_v_norm", ("log_step", "layer"), log.opt_v_norm.numpy())
    factors = control.control_factors(r)
    for key in ("factor_mean", "factor_min", "factor_max"):
        put(key, "layer", factors[key])
    put("r_spread", (), factors["spread"])
    put("control_strength", (), control.control_strength(r))

    if len(names) > 1:
        slope, lo, hi = stats.bootstrap_slope(prof.cos_seq, depth, seed=spec.seed)
        put("slope", (), slope)
        put("slope_lo", (), lo)
        put("slope_hi", (), hi)
        put("rel_slope", (), stats.relative_slope(prof.cos_seq.mean(0), depth))
        null_slope = stats.fit_slope(prof.null_seq.mean(0), depth)
        put("null_slope", (), null_slope)
        put("null_rel_slope", (), stats.relative_slope(prof.null_seq.mean(0), depth))
        put("excess_slope", (), slope - null_slope)
    put_shape(ds, prof)
    put("objective_distance", (), before["objective_distance"])
    put("final_loss", (), float(log.loss[-5:].mean()))
    put("heldout_loss_before", (), before["heldout_loss_before"])
    put("heldout_loss", (), after["heldout_loss"])
    if "old_heldout_loss" in after:
        put("old_heldout_loss_before", (), before["old_heldout_loss_before"])
        put("old_heldout_loss", (), after["old_heldout_loss"])
    if "accuracy" in after:
        put("accuracy", (), after["accuracy"])
    put("trainable_params", (), trainable)
    put("train_seconds", (), log.train_seconds)
    put("backward_seconds", (), log.backward_seconds)
    return ds
