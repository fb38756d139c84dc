"""The tiny zoo: one small model per architecture family, pretrained here.

Each model is built from a real `transformers` config (6 blocks, widths 64 and 128, dropout
0) and pretrained on the BBC News pretraining categories (`depthcore.data`),
deterministically, on CPU in fp32. It is cached under `cache_root()/zoo/<name>-<key>/`
(`save_pretrained` + tokenizer + `meta.json`, the pretraining record); the key is described
in docs/design.md "Cache keys". `depthcore.zoo.load` serves these models like any other.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from depthcore import data, numerics
from depthcore.cache import cache_root, lock, source_hash
from depthcore.config import RunSpec, UnknownModel
from depthcore.layers import FAMILIES, count_params, find_layers
from depthcore.train import Local, run_steps

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


def tiny_config(family: str, d: int, n_layers: int = TINY_LAYERS):
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


def head_class(family: str):
    import transformers as tf

    return tf.AutoModelForMaskedLM if family == "bert" else tf.AutoModelForCausalLM



def _build_tiny(name: str) -> tuple[str, int, object]:
    family, width = parse_name(name)
    return family, width, tiny_config(family, width)


def parse_name(name: str) -> tuple[str, int]:
    _, family, width = name.split("-")
    return family, int(width)



TINY_NAMES = tuple(f"tiny-{f}-{w}" for w in TINY_WIDTHS for f in TINY_FAMILIES)


def tiny_names(width: int | None = BASE_WIDTH) -> list[str]:
    """Tiny-zoo names at one width (all widths if None), in family order."""
    return [n for n in TINY_NAMES if width is None or n.endswith(f"-{width}")]



# --------------------------------------------------------------------------- pretraining

def pretrain_settings(name: str) -> PretrainSettings:
    return _TINY_SETTINGS.get(parse_name(name)[0], PretrainSettings())


PRETRAIN_MODULES = ("tinyzoo", "data", "train", "control", "profile")  # the code a tiny model's weights come from


def tiny_path(name: str) -> Path:
    """Cache directory of a tiny model: `cache_root()/zoo/<name>-<key>` (it may not exist yet).

    The key hashes the model's config, its pretraining settings, the tokenizer, the
    source of `PRETRAIN_MODULES` and the numerics fingerprint, so any change to how it is
    made, or a machine whose floating point differs, makes a new entry.
    """
    if name not in TINY_NAMES:
        raise UnknownModel(f"unknown model {name!r}: no tiny-zoo model has that name; the tiny zoo: {', '.join(TINY_NAMES)}")
    _, _, config = _build_tiny(name)
    h = hashlib.sha256()
    h.update(config.to_json_string(use_diff=False).encode())
    h.update(json.dumps(dataclasses.asdict(pretrain_settings(name)), sort_keys=True).encode())
    h.update(data.tokenizer_path().name.encode())
    h.update(source_hash(*PRETRAIN_MODULES).encode())
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


class Pretraining(Local):
    """How `train.run_steps` pretrains a tiny model, where that differs from fine-tuning.

    AdamW with `PretrainSettings.betas` and weight decay on matrices only (not embeddings,
    norms, biases); warmup then cosine decay (`_lr_at`); a masked LM gets fresh masks at
    every step, drawn from a generator of its own (seed + 2: the data order has the seed,
    the held-out masks seed + 1).
    """

    verb = "pretrain"

    def __init__(self, spec: RunSpec, settings: PretrainSettings, tokenizer) -> None:
        super().__init__(spec)
        self.settings, self.tokenizer = settings, tokenizer
        self.mask_rate = spec.mask_rate if spec.objective == "mlm" else None
        self.gen = torch.Generator().manual_seed(settings.seed + 2)

    def optimizer(self, spec: RunSpec, named, lr: float) -> torch.optim.Optimizer:
        matrix = [p.ndim >= 2 and "emb" not in n for n, p in named]
        groups = [{"params": [p for (_, p), m in zip(named, matrix) if m], "weight_decay": spec.weight_decay},
                  {"params": [p for (_, p), m in zip(named, matrix) if not m], "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=lr, betas=self.settings.betas, fused=True)

    def lr_at(self, spec: RunSpec, lr: float):
        return lambda step: _lr_at(step, self.settings)

    def loss(self, forward, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        if self.mask_rate is None:
            return super().loss(forward, batch)
        x = batch["input_ids"]
        inputs, labels = data.mask_tokens(x, torch.ones_like(x), self.tokenizer, self.gen, probability=self.mask_rate)
        return super().loss(forward, {"input_ids": inputs, "labels": labels})


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

    family, width, config = _build_tiny(name)
    s = pretrain_settings(name)
    tokenizer = data.tiny_tokenizer()
    if len(tokenizer) != config.vocab_size:
        raise RuntimeError(f"tokenizer has {len(tokenizer)} tokens but {name}'s config expects {config.vocab_size}")
    train, heldout = data.pretraining_tokens(tokenizer, s.seq_len)
    unigram = data.unigram_loss(tokenizer, s.seq_len)
    mlm = FAMILIES[config.model_type].kind == "encoder"

    spec = RunSpec(model=name, objective="mlm" if mlm else "clm", steps=s.steps, batch_size=s.batch_size,
                   seq_len=s.seq_len, seed=s.seed, warmup_frac=s.warmup_frac, weight_decay=s.weight_decay,
                   grad_clip=s.grad_clip, log_every=s.log_every,
                   **({"mask_rate": s.mlm_probability} if mlm else {}))
    torch.manual_seed(s.seed)
    model = head_class(family).from_config(config, dtype=torch.float32)
    split = {"input_ids": train} if mlm else {"input_ids": train, "labels": train}
    log = run_steps(model, find_layers(model), split, spec, s.lr, Pretraining(spec, s, tokenizer), progress=True)
    losses = log.loss.tolist()
    ends = [*range(s.log_every, s.steps + 1, s.log_every)] + ([s.steps] if s.steps % s.log_every else [])
    windows = [losses[max(0, end - s.log_every):end] for end in ends]
    curve = [[end, sum(w) / len(w)] for end, w in zip(ends, windows)]  # mean train loss of each log window
    wall = log.train_seconds
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
        "params": count_params(model),
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



def pretrain_all(names: list[str] | None = None) -> list[dict]:
    """Pretrain (or find in the cache) tiny models; default: every family at the base width.

    Returns:
        The meta.json records, in order.
    """
    out = []
    for name in names or tiny_names(BASE_WIDTH):
        out.append(json.loads((ensure_pretrained(name) / "meta.json").read_text()))
    return out

