"""Run configuration: the frozen `RunSpec` that names one fine-tuning run completely.

docs/design.md, "Data flow": one frozen dataclass names a run (model, objective, condition,
freeze/LoRA settings, steps, lr, batch, seed, dtype). Its hash, together with a hash of
the depthcore source, keys the run cache, so a code edit never serves a stale result.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import numbers
import os
from dataclasses import dataclass
from typing import Any

OBJECTIVES = ("clm", "mlm", "cls")  # causal LM on the new domain; masked LM (encoders); 5-way classification
CATEGORIES = ("business", "entertainment", "politics", "sports", "tech")  # BBC News; "cls" label i = CATEGORIES[i]
PYTHON_DOMAIN = "python"  # the running Python's standard library source (depthcore.data)
DOMAINS = CATEGORIES + (PYTHON_DOMAIN,)  # what RunSpec.domain may name
MLM_PROBABILITY = 0.15  # BERT's masking rate, RunSpec.mask_rate's default
CONDITIONS = ("standard", "equal_step")  # docs/design.md "Equal-step control"
OPTIMIZERS = ("adamw", "sgd")  # docs/design.md "Optimizer axis"; sgd = SGD with momentum 0.9
GRANULARITIES = ("layer", "tensor")  # equal-step control: "layer", one r per block; "tensor", one r per parameter tensor
DTYPES = ("float32", "bfloat16")
DEVICES = ("cpu", "cuda")
# Definitions that shape stored results (in the run-cache key with this module; the verdicts'
# thresholds live in criteria.py, outside it, so that changing a rule re-judges stored runs).
# Width: the count of layers whose Δ_l exceeds TAU (paper A's rebuttal: "a fixed cosine-distance
# threshold"; the paper gives no value, 0.02 is ours: docs/design.md "Width").
TAU = 0.02
# A cosine change above SATURATION is near saturation (a rotated, not a nudged, representation);
# CKA distance is reported beside it (docs/design.md "Representational change").
SATURATION = 0.7
# Training seeds per tier, sized by the power of a t-interval over seeds (docs/design.md "Seeds"):
# 3 on CPU (tiny, real), 5 on the GPU tiers, where 2 would decide only effects of ~10 seed sds
TIER_SEEDS = {"tiny": (0, 1, 2), "real": (0, 1, 2), "small": tuple(range(5)), "medium": tuple(range(5)),
              "large": tuple(range(5))}

# Fine-tuning learning rates of the tiny zoo (zoo.ModelInfo.lr): family -> optimizer -> lr, and
# "optimizer/objective" where one objective needs its own. Kept out of zoo.py so that choosing
# them again does not re-pretrain the zoo. Each is the rate of a small grid with the lowest
# held-out loss after fine-tuning on the tiny tier's run settings; the grids and the measured
# losses are in docs/design.md "Measured learning rates". Choose them again when the zoo or the
# tiny tier's run settings change.
TINY_LR = {
    family: {"adamw": 1e-3, "sgd": 1e-1, "sgd/cls": 3e-3 if family in ("gpt2", "opt", "llama", "neox") else 3e-2}
    for family in ("gpt2", "opt", "llama", "neox", "codegen", "gptj", "mamba2", "rwkv")
} | {"bert": {"adamw": 1e-3, "adamw/cls": 3e-4, "sgd": 1e-2, "sgd/cls": 3e-3}}


def model_name(model: str) -> str:
    """How results and reports name a model: a local checkpoint directory by the directory's own
    name (its full path stays in the spec and in the result's `hf_id`), anything else as given."""
    path = os.path.expanduser(model)
    if model.startswith(("/", ".", "~")) or os.path.isdir(path):
        return os.path.basename(os.path.abspath(path)) or model
    return model


class SpecError(ValueError):
    """A RunSpec field has a value depthcore cannot run; the message says how to fix it."""


class ModelNotCached(RuntimeError):
    """A hub model is not in the local Hugging Face cache; the message gives the fetch command."""


class UnknownModel(LookupError):
    """The name is no tiny-zoo model, registry model, local checkpoint or cached hub id."""


class ObjectiveNotSupported(ValueError):
    """The objective does not fit the model (e.g. "mlm" on a decoder); the message lists what does."""


def _choice(name: str, value: Any, allowed: tuple) -> None:
    if value not in allowed:
        raise SpecError(f"RunSpec.{name}={value!r} is not known; use one of {', '.join(map(repr, allowed))}")


@dataclass(frozen=True)
class RunSpec:
    """One fine-tuning run, named completely. Defaults are the tiny tier's.

    Unknown keys are errors (`from_dict`), every field is validated on construction.
    """

    model: str  # tiny-zoo name (e.g. "tiny-gpt2-64"), registry name ("gpt2"), cached hub id, or a local path
    objective: str = "clm"  # one of OBJECTIVES
    condition: str = "standard"  # "standard" | "equal_step" (docs/design.md: per-layer ||dW||/||W|| equalised after each step)
    optimizer: str = "adamw"  # "adamw" | "sgd" (momentum 0.9)
    lr: float | None = None  # None: the registry's learning rate for this model and optimizer
    steps: int = 40  # optimizer steps; tiny tier keeps this small so CI fits in its budget
    batch_size: int = 8
    seq_len: int = 64  # tokens per training sequence
    seed: int = 0  # model head init, data order, dropout; paired runs share it
    warmup_frac: float = 0.1  # linear warmup over this fraction of steps, then linear decay to 0
    weight_decay: float = 0.0
    grad_clip: float = 1.0  # max global grad norm; 0 disables clipping
    freeze: tuple[int, ...] = ()  # 1-based layer indices whose parameters are left out of the optimizer
    train_only_layers: bool = False  # True: embeddings, final norm and LM head are frozen too (freezing claims)
    domain: str | None = None  # "clm"/"mlm": one BBC category or "python" (DOMAINS); None: all fine-tuning categories
    mask_rate: float = MLM_PROBABILITY  # masked-LM masking rate (BERT's 0.15); "mlm" only
    lora: bool = False  # fine-tune LoRA adapters (peft) instead of the full weights
    lora_r: int = 16
    lora_alpha: int = 32
    lora_targets: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")  # mapped per family in zoo
    qlora: bool = False  # 4-bit base weights through bitsandbytes; CUDA only
    control_target: str | float = "mean"  # "mean" of r_l over updated layers, or a fixed r*
    control_granularity: str = "layer"  # "layer": one r per block; "tensor": one r per parameter tensor
    log_every: int = 5  # optimizer-state, gradient and r_l logs every k steps
    probe_size: int = 48  # probe sequences for profiles
    eval_size: int | None = None  # held-out sequences per loss (and objective distance); None: from the model's cost (engine.derived_sizes)
    ls_size: int | None = None  # probe sequences of layer sensitivity and task position; None: from the model's cost
    device: str = "cpu"
    dtype: str = "float32"  # compute dtype; "bfloat16" means bf16 autocast on CUDA
    compile: bool = False  # torch.compile the model for fine-tuning (inductor: for CUDA; on CPU it needs a C++ compiler)
    # also store the weight change in LoRA's terms: each layer's intrinsic rank (an eigendecomposition
    # per matrix) and, for a full fine-tune, its mean |dW| on the matrices LoRA adapts (lora_targets)
    delta_rank: bool = False

    def __post_init__(self) -> None:
        _choice("objective", self.objective, OBJECTIVES)
        _choice("condition", self.condition, CONDITIONS)
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        _choice("control_granularity", self.control_granularity, GRANULARITIES)
        _choice("dtype", self.dtype, DTYPES)
        _choice("device", self.device, DEVICES)
        if self.domain is not None:
            _choice("domain", self.domain, DOMAINS)
            if self.objective == "cls":
                raise SpecError(f"RunSpec.domain={self.domain!r}: 'cls' classifies all five categories; domain applies "
                                "to objectives 'clm' and 'mlm' only (use domain=None)")
        m = self.mask_rate
        if isinstance(m, bool) or not isinstance(m, numbers.Real) or not 0 < m < 1:
            raise SpecError(f"RunSpec.mask_rate={m!r} must be a fraction strictly between 0 and 1 (BERT's is 0.15)")
        if m != MLM_PROBABILITY and self.objective != "mlm":
            raise SpecError(f"RunSpec.mask_rate={m!r}: mask_rate applies to objective 'mlm' only; leave it at "
                            f"{MLM_PROBABILITY} for {self.objective!r}")
        t = self.control_target
        if t != "mean" and (isinstance(t, (bool, str)) or not isinstance(t, (int, float)) or not 0 < t < float("inf")):
            raise SpecError(f"RunSpec.control_target={self.control_target!r}: use 'mean' or a positive number")
        for name in ("steps", "batch_size", "seq_len", "log_every", "probe_size", "lora_r"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise SpecError(f"RunSpec.{name}={getattr(self, name)!r} must be a positive integer")
        for name, ok, need in (("warmup_frac", lambda v: 0 <= v < 1, "a fraction of the steps in [0, 1), e.g. 0.1"),
                               ("weight_decay", lambda v: 0 <= v < float("inf"), ">= 0 (AdamW's decoupled decay; 0 is off)"),
                               ("grad_clip", lambda v: 0 <= v < float("inf"), ">= 0 (max global gradient norm; 0 is off)")):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not ok(v):
                raise SpecError(f"RunSpec.{name}={v!r} must be {need}")
        for name in ("eval_size", "ls_size"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
                raise SpecError(f"RunSpec.{name}={v!r} must be a positive integer (or None for the model's default)")
        if self.ls_size is not None and self.ls_size > self.probe_size:
            raise SpecError(f"RunSpec.ls_size={self.ls_size} > probe_size={self.probe_size}: layer sensitivity and "
                            f"task position run on the first ls_size probe sequences; raise probe_size or lower ls_size")
        if self.lr is not None and not self.lr > 0:
            raise SpecError(f"RunSpec.lr={self.lr!r} must be positive (or None for the registry default)")
        for name in ("compile", "delta_rank"):
            if not isinstance(getattr(self, name), bool):
                raise SpecError(f"RunSpec.{name}={getattr(self, name)!r} must be True or False")
        if self.qlora and not self.lora:
            raise SpecError("RunSpec.qlora=True needs lora=True: QLoRA is LoRA on 4-bit base weights")
        for name, example in (("freeze", "(1, 2)"), ("lora_targets", "('q_proj', 'v_proj')")):
            v = getattr(self, name)
            if isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):  # "12" would silently be (1, 2)
                raise SpecError(f"RunSpec.{name}={v!r} must be a tuple, e.g. {name}={example}")
        if any(isinstance(i, bool) or not isinstance(i, numbers.Integral) or i < 1 for i in self.freeze):
            raise SpecError(f"RunSpec.freeze={self.freeze!r}: layers are numbered 1..L (1 is the block next to the "
                            "embeddings); give positive integers, e.g. freeze=(1, 2)")
        if self.lora and not (self.lora_targets and all(isinstance(t, str) and t for t in self.lora_targets)):
            raise SpecError(f"RunSpec.lora_targets={self.lora_targets!r}: lora=True needs module names, "
                            "e.g. ('q_proj', 'v_proj')")
        # normalise sequences so equal specs hash equally whatever the caller passed
        object.__setattr__(self, "freeze", tuple(sorted({int(i) for i in self.freeze})))
        if self.lr is not None:
            object.__setattr__(self, "lr", float(self.lr))  # lr=1 and lr=1.0 are one run, one cache key
        object.__setattr__(self, "mask_rate", float(self.mask_rate))
        object.__setattr__(self, "lora_targets", tuple(self.lora_targets))

    def replace(self, **changes: Any) -> "RunSpec":
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RunSpec":
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise SpecError(f"unknown RunSpec field(s) {unknown}; known fields: {sorted(known)}")
        d = dict(d)
        for k in ("freeze", "lora_targets"):
            if isinstance(d.get(k), list):  # JSON and TOML have lists; anything else is checked as given
                d[k] = tuple(d[k])
        return cls(**d)

    @classmethod
    def from_json(cls, s: str) -> "RunSpec":
        return cls.from_dict(json.loads(s))

    def key(self) -> str:
        """Hash of the spec alone (the run cache adds the source hash)."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:16]

    @property
    def label(self) -> str:
        """Short readable id, e.g. 'tiny-gpt2-64/clm/equal_step/adamw/s0'."""
        parts = [model_name(self.model), self.objective, self.condition, self.optimizer]
        if self.domain:
            parts.append(self.domain)
        if self.mask_rate != MLM_PROBABILITY:
            parts.append(f"m{self.mask_rate:g}")
        if self.lora:
            parts.append(f"lora{self.lora_r}")
        if self.freeze:
            parts.append("freeze" + "-".join(map(str, self.freeze)))
        if self.lr is not None:
            parts.append(f"lr{self.lr:g}")
        parts.append(f"s{self.seed}")
        return "/".join(parts)
