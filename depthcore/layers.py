"""Find the block stack of any architecture: the layers l = 1..L that every profile is indexed by.

docs/design.md, "Definitions": a *layer* is the l-th block of the model's block stack
(transformer block, Mamba block, RWKV block); its output is `hidden_states[l]`.
Embeddings, the final norm and task heads are not layers.

Lookup is a small explicit table from `config.model_type` to the attribute path of the
stack *inside the base model* (the backbone a task head sits on, `model.base_model`), so
one entry serves `GPT2Model`, `GPT2LMHeadModel`, `GPT2ForSequenceClassification` and a
peft `PeftModel` around any of them. Architectures not in the table fall back to the
largest `nn.ModuleList` of identical blocks; if that is missing or ambiguous the error says
how to register the architecture:

    depthcore.layers.register("t5", "encoder.block")
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field

import torch
from torch import nn

log = logging.getLogger(__name__)

# model_type -> path of the block stack relative to model.base_model (the headless backbone)
_PATHS: dict[str, str] = {
    "gpt2": "h",
    "opt": "decoder.layers",
    "bert": "encoder.layer",
    "llama": "layers",
    "qwen2": "layers",
    "gpt_neox": "layers",  # Pythia
    "codegen": "h",
    "gptj": "h",
    "mamba": "layers",
    "mamba2": "layers",
    "rwkv": "blocks",
}


class LayersNotFound(LookupError):
    """The block stack of a model could not be located; the message says how to register it."""


def register(model_type: str, path: str) -> None:
    """Tell depthcore where an architecture keeps its block stack.

    Args:
        model_type: the model's `config.model_type`, e.g. "t5".
        path: dotted attribute path of the `nn.ModuleList` of blocks, relative to the base
            model (`model.base_model`, e.g. "encoder.block"); a path from the top-level model
            (e.g. "transformer.h") is accepted too.
    """
    _PATHS[model_type] = path


def unwrap(model: nn.Module) -> nn.Module:
    """The Hugging Face model inside a peft `PeftModel` (LoRA, …); other models unchanged."""
    get_base = getattr(model, "get_base_model", None)  # PeftModel's documented accessor
    return get_base() if callable(get_base) else model


def _get(obj: nn.Module, path: str) -> nn.Module | None:
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _block_lists(model: nn.Module) -> list[tuple[str, nn.ModuleList]]:
    """Top-level ModuleLists of >= 2 modules of one type (lists nested in a listed block are skipped)."""
    found: list[tuple[str, nn.ModuleList]] = []
    for name, mod in model.named_modules():
        if not isinstance(mod, nn.ModuleList) or len(mod) < 2 or len({type(m) for m in mod}) != 1:
            continue
        if any(name.startswith(f"{outer}.") for outer, _ in found):  # e.g. experts inside each block
            continue
        found.append((name, mod))
    return found


def _how_to_register(model: nn.Module, model_type: str | None, detail: str) -> str:
    mt = model_type or "<config.model_type>"
    return (
        f"cannot find the block stack of {type(model).__name__} (model_type {model_type!r}): {detail}. "
        f"Register it with depthcore.layers.register({mt!r}, 'attr.path'), the path of its nn.ModuleList "
        f"of blocks relative to model.base_model (known: {', '.join(sorted(_PATHS))})"
    )


def find_layers(model: nn.Module) -> list[nn.Module]:
    """The model's block stack, in order: element l-1 is layer l.

    Works with or without a task head (CausalLM, MaskedLM, SequenceClassification) and
    through peft wrapping (the blocks returned are the live modules, LoRA layers inside).

    Args:
        model: a `transformers` model or a peft `PeftModel` around one.

    Returns:
        The L block modules.

    Raises:
        LayersNotFound: the architecture is not in the table and no single largest
            `nn.ModuleList` of identical blocks exists; the message says how to register it.
    """
    hf = unwrap(model)
    config = getattr(hf, "config", None)
    model_type = getattr(config, "model_type", None)
    base = getattr(hf, "base_model", hf)
    path = _PATHS.get(model_type)
    if path is not None:
        stack = _get(base, path)
        if stack is None:
            stack = _get(hf, path)
        if not isinstance(stack, nn.ModuleList):
            raise LayersNotFound(_how_to_register(hf, model_type, f"the registered path {path!r} is not an nn.ModuleList here"))
        return list(stack)

    candidates = _block_lists(hf)
    if not candidates:
        raise LayersNotFound(_how_to_register(hf, model_type, "it has no nn.ModuleList of identical blocks"))
    longest = max(len(m) for _, m in candidates)
    best = [(n, m) for n, m in candidates if len(m) == longest]
    if len(best) > 1:
        listed = ", ".join(f"{n} ({len(m)} x {type(m[0]).__name__})" for n, m in best)
        raise LayersNotFound(_how_to_register(hf, model_type, f"several equally long candidates: {listed}"))
    name, stack = best[0]
    log.info("%s: no registered block path; using the largest ModuleList %s (%d blocks)", type(hf).__name__, name, len(stack))
    return list(stack)


def layer_names(model: nn.Module) -> list[str]:
    """Qualified module names of the layers, relative to the unwrapped Hugging Face model.

    The names are the same with and without LoRA wrapping (e.g. "transformer.h.0"), so
    they can serve as the results coordinate `layer_name` for every run of a model.
    """
    hf = unwrap(model)
    names = {id(m): n for n, m in hf.named_modules()}
    return [names[id(layer)] for layer in find_layers(hf)]


# --------------------------------------------------------------------------- architecture families


@dataclass(frozen=True)
class Family:
    """What depthcore needs to know about an architecture, keyed by `config.model_type`."""

    block_type: str  # "sequential" (x + f(x), then x + g(x)) | "parallel" (x + f(x) + g(x)) | "ssm" | "rnn"
    kind: str  # "decoder" | "encoder": decides the objectives ("clm"/"mlm", both "cls")
    lora: dict[str, str] = field(default_factory=dict, hash=False)  # generic target -> module-name suffix


_QKVO = {"q_proj": "q_proj", "k_proj": "k_proj", "v_proj": "v_proj", "o_proj": "o_proj"}
FAMILIES: dict[str, Family] = {
    "gpt2": Family("sequential", "decoder", {"q_proj": "attn.c_attn", "k_proj": "attn.c_attn", "v_proj": "attn.c_attn", "o_proj": "attn.c_proj"}),
    "opt": Family("sequential", "decoder", {**_QKVO, "o_proj": "self_attn.out_proj"}),
    "bert": Family("sequential", "encoder", {"q_proj": "attention.self.query", "k_proj": "attention.self.key", "v_proj": "attention.self.value", "o_proj": "attention.output.dense"}),
    "llama": Family("sequential", "decoder", _QKVO),
    "qwen2": Family("sequential", "decoder", _QKVO),
    "gpt_neox": Family("parallel", "decoder", {"q_proj": "attention.query_key_value", "k_proj": "attention.query_key_value", "v_proj": "attention.query_key_value", "o_proj": "attention.dense"}),
    "codegen": Family("parallel", "decoder", {"q_proj": "attn.qkv_proj", "k_proj": "attn.qkv_proj", "v_proj": "attn.qkv_proj", "o_proj": "attn.out_proj"}),
    "gptj": Family("parallel", "decoder", {**_QKVO, "o_proj": "attn.out_proj"}),
    # no attention: everything maps to the mixer's input projection (peft refuses out_proj and
    # conv1d on Mamba models, whose fused kernels read those weights directly)
    "mamba": Family("ssm", "decoder", dict.fromkeys(_QKVO, "mixer.in_proj")),
    "mamba2": Family("ssm", "decoder", dict.fromkeys(_QKVO, "mixer.in_proj")),
    "rwkv": Family("rnn", "decoder", {"q_proj": "attention.receptance", "k_proj": "attention.key", "v_proj": "attention.value", "o_proj": "attention.output"}),
}


# Config flags that say how a block combines attention and MLP: True means parallel
# (x + attn(ln(x)) + mlp(ln(x)): GPT-NeoX/Pythia, StableLM, Falcon), False sequential.
PARALLEL_FLAGS = ("use_parallel_residual", "parallel_attn", "parallel_residual")


def block_type_of(config, default: str = "unknown") -> str:
    """The block type a config states, else `default`.

    "parallel" when a flag of PARALLEL_FLAGS is true or Falcon's `new_decoder_architecture`
    is set (its blocks are parallel whatever `parallel_attn` says); "sequential" when such a
    flag is present and false; otherwise `default` (the family table's entry, or "unknown":
    the config does not say, e.g. Phi, whose blocks are parallel in code only).
    """
    if getattr(config, "new_decoder_architecture", False):
        return "parallel"
    stated = [bool(v) for v in (getattr(config, f, None) for f in PARALLEL_FLAGS) if v is not None]
    if stated:
        return "parallel" if any(stated) else "sequential"
    return default


# How a block's sublayers are named (leaf name or class name, case-insensitive): attention, the
# MLP (OPT's blocks hold fc1/fc2 directly, BERT's is `intermediate` + `output`), and what is
# neither even when its name says "attention" (post_attention_layernorm, attention dropout).
ATTENTION_NAME = re.compile(r"attn|attention", re.I)
MLP_NAME = re.compile(r"mlp|ffn|feed_?forward|intermediate|^fc1$|^fc_in$|^ff$|moe", re.I)
NEITHER_NAME = re.compile(r"norm|^ln|drop", re.I)


def _sublayers(block: nn.Module) -> tuple[tuple[str, nn.Module] | None, tuple[str, nn.Module] | None]:
    """The block's outermost attention and MLP submodules, (name, module) or None each."""
    found: dict[str, tuple[str, nn.Module]] = {}
    for name, mod in block.named_modules():
        leaf, cls = name.rsplit(".", 1)[-1], type(mod).__name__
        if not name or not any(True for _ in mod.parameters()) or NEITHER_NAME.search(leaf) or NEITHER_NAME.search(cls):
            continue
        if any(name.startswith(f"{outer}.") for outer, _ in found.values()):
            continue
        for role, pattern in (("attention", ATTENTION_NAME), ("mlp", MLP_NAME)):
            if role not in found and (pattern.search(leaf) or pattern.search(cls)):
                found[role] = (name, mod)
                break
    return found.get("attention"), found.get("mlp")


def _first_tensor(value):
    if torch.is_tensor(value):
        return value
    if isinstance(value, (tuple, list)) and value and torch.is_tensor(value[0]):
        return value[0]
    return None


@torch.no_grad()
def detect_block_type(model: nn.Module) -> tuple[str, str]:
    """The block type read off the first block's data flow: ("sequential" | "parallel" | "unknown", why).

    The first block's attention and MLP submodules are found by name (`_sublayers`). A forward
    pass of the model on 8 token ids records which of the two runs first and the input of the
    other; a second pass adds seeded noise, ten times the output's own scale, to the output of
    the one that ran first. If the other's input moves (by more than 1e-6 of its norm), it
    reads that output: the block is sequential (x + f(x), then + g(.)); if not, both read the
    block's input: parallel (x + f(x) + g(x)). "unknown" when the block has no submodule
    named like attention and like an MLP (Mamba, whose mixer is neither), or the model does
    not run on plain token ids; `why` says which. RWKV's time- and channel-mixing modules are
    named attention and feed_forward and read as sequential, which they are.

    Structure only: weights may be random, and the global random generator is not used. The
    model runs in eval mode (no dropout) and is left in the mode it was in.
    """
    hf = unwrap(model)
    try:
        block = find_layers(hf)[0]
    except LayersNotFound as err:
        return "unknown", str(err)
    attention, mlp = _sublayers(block)
    if attention is None or mlp is None:
        children = ", ".join(f"{n} ({type(m).__name__})" for n, m in block.named_children())
        missing = " and ".join(r for r, s in (("attention", attention), ("MLP", mlp)) if s is None)
        return "unknown", (f"{type(block).__name__} has no {missing} submodule (named like {ATTENTION_NAME.pattern!r}"
                           f" / {MLP_NAME.pattern!r}); its children: {children or 'none'}")
    roles = {"attention": attention, "mlp": mlp}
    param = next(hf.parameters())
    vocab = getattr(hf.config, "vocab_size", None) or hf.get_input_embeddings().num_embeddings
    ids = (torch.arange(8, device=param.device) % max(vocab - 1, 1) + 1)[None]
    order: list[str] = []
    inputs: dict[str, torch.Tensor | None] = {}
    perturbed: list[str] = []  # the role whose output the pass perturbs, if any

    def record(role):
        def hook(module, args, kwargs):
            order.append(role)
            h = _first_tensor(args) if args else kwargs.get("hidden_states")
            inputs[role] = h.detach().clone() if torch.is_tensor(h) else None
        return hook

    def perturb(role):
        def hook(module, args, out):
            h = _first_tensor(out)
            if role not in perturbed or h is None:
                return None
            z = torch.randn(h.shape, generator=torch.Generator().manual_seed(0))
            scale = 10.0 * (float(h.detach().double().pow(2).mean().sqrt()) + 1.0)
            moved = h + (scale * z).to(h.device, h.dtype)
            return moved if torch.is_tensor(out) else type(out)((moved, *out[1:]))
        return hook

    def forward():
        order.clear()
        hf(input_ids=ids, attention_mask=torch.ones_like(ids))

    handles = [m.register_forward_pre_hook(record(r), with_kwargs=True) for r, (_, m) in roles.items()]
    handles += [m.register_forward_hook(perturb(r)) for r, (_, m) in roles.items()]
    training = hf.training
    hf.eval()
    try:
        forward()
        if sorted(set(order)) != sorted(roles) or any(inputs[r] is None for r in roles):
            return "unknown", (f"{type(block).__name__}: {attention[0]!r} and {mlp[0]!r} did not both run on a "
                               f"hidden-state input in one forward pass (ran: {order})")
        first, second = order[0], next(r for r in order if r != order[0])
        clean = inputs[second]
        perturbed.append(first)
        forward()
    except Exception as err:  # noqa: BLE001 - an architecture that needs more than token ids
        return "unknown", f"{type(hf).__name__} did not run on plain token ids: {type(err).__name__}: {err}"
    finally:
        for h in handles:
            h.remove()
        hf.train(training)
    change = float(torch.linalg.vector_norm((inputs[second] - clean).double()))
    names = {r: n for r, (n, _) in roles.items()}
    if change > 1e-6 * float(torch.linalg.vector_norm(clean.double())):
        return "sequential", f"{names[second]!r} reads the output of {names[first]!r}"
    return "parallel", f"{names[first]!r} and {names[second]!r} read the same input"


def kind_of(config) -> str:
    """Whether an architecture is a "decoder" or an "encoder", from transformers' auto-model mappings.

    An architecture with a causal-LM class is a decoder, unless it also has a masked-LM class
    and the config is not marked `is_decoder`: BERT, RoBERTa, ELECTRA and the like have a
    causal-LM class only to serve as the decoder half of an encoder-decoder. An architecture
    with neither class counts as a decoder (it can still run "cls").
    """
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES, MODEL_FOR_MASKED_LM_MAPPING_NAMES

    model_type = config.model_type
    if model_type in MODEL_FOR_MASKED_LM_MAPPING_NAMES:
        if model_type not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES or not getattr(config, "is_decoder", False):
            return "encoder"
    return "decoder"


def family_of(config) -> Family:
    """The Family of a config: the table's entry with the block type the config states (Pythia
    with `use_parallel_residual=False` is sequential); for architectures not in the table, the
    block type the config states ("unknown" if it says nothing: `zoo.load` then reads it off the
    loaded model with `detect_block_type`), the kind from `kind_of`, and no LoRA table
    (`attention_targets` finds the modules on the model)."""
    fam = FAMILIES.get(config.model_type)
    if fam is None:
        return Family(block_type_of(config), kind_of(config))
    return dataclasses.replace(fam, block_type=block_type_of(config, fam.block_type))


# Leaf names of attention projections in transformers' architectures, for each generic LoRA
# target, the separate projection first, then fused ones (one module serving q, k and v).
ATTENTION_LEAVES = {
    "q_proj": ("q_proj", "query", "q_lin", "q", "wq", "qkv_proj", "query_key_value", "c_attn", "Wqkv", "qkv", "in_proj"),
    "k_proj": ("k_proj", "key", "k_lin", "k", "wk", "qkv_proj", "query_key_value", "c_attn", "Wqkv", "qkv", "in_proj"),
    "v_proj": ("v_proj", "value", "v_lin", "v", "wv", "qkv_proj", "query_key_value", "c_attn", "Wqkv", "qkv", "in_proj"),
    "o_proj": ("o_proj", "out_proj", "out_lin", "dense", "c_proj", "o", "wo", "Wo", "proj"),
}


def _matrix_leaves(block: nn.Module) -> list[str]:
    """Paths (relative to the block) of its leaf modules that hold a weight matrix (Linear, Conv1D)."""
    return [n for n, m in block.named_modules()
            if n and not any(True for _ in m.children()) and getattr(getattr(m, "weight", None), "ndim", 0) == 2]


def attention_targets(model: nn.Module, targets: tuple[str, ...] = tuple(ATTENTION_LEAVES)) -> list[str]:
    """peft `target_modules` for an architecture the family table does not know, read off the model.

    Each generic name (q_proj, k_proj, v_proj, o_proj) maps to the first name of
    ATTENTION_LEAVES[generic] that is the leaf of a weight-matrix module inside the attention
    of the first block (a path segment containing "attn" or "attention"), as its path relative
    to the block, e.g. "self_attn.q_proj" (Qwen3), "self_attention.query_key_value" (Falcon,
    fused, so listed once), "attention.output.dense" (RoBERTa). Other names pass unchanged.

    Raises:
        SpecError: a generic name has no attention projection here; the message lists the
            block's weight-matrix modules and how to name targets directly.
    """
    from depthcore.config import SpecError

    first = find_layers(model)[0]
    leaves = _matrix_leaves(first)
    attention = [n for n in leaves if any("attn" in part.lower() or "attention" in part.lower() for part in n.split("."))]
    by_leaf: dict[str, str] = {}
    for path in attention:
        by_leaf.setdefault(path.rsplit(".", 1)[-1], path)
    out = set()
    for t in targets:
        if t not in ATTENTION_LEAVES:
            out.add(t)
            continue
        found = next((by_leaf[leaf] for leaf in ATTENTION_LEAVES[t] if leaf in by_leaf), None)
        if found is None:
            raise SpecError(
                f"cannot map LoRA target {t!r} onto {type(unwrap(model)).__name__}: its first block has no attention "
                f"projection named any of {', '.join(ATTENTION_LEAVES[t])}. Its weight-matrix modules are: "
                f"{', '.join(leaves) or 'none'}. Name the modules to adapt in RunSpec.lora_targets (e.g. "
                f"lora_targets=({(leaves or ['<module>'])[0]!r},))"
            )
        out.add(found)
    return sorted(out)


def count_params(model: nn.Module) -> int:
    """Parameter count; `parameters()` yields tied tensors once."""
    return sum(p.numel() for p in model.parameters())
