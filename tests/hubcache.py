"""Registry models in miniature, written into a local Hugging Face hub cache.

The GPU tiers run `zoo.REGISTRY`'s checkpoints, which a CPU machine cannot hold. Here each
registry entry gets a *recipe*: the `transformers` config of its architecture with the
structural features of the published checkpoint kept (OPT-350m's 512-of-1024 embedding
projection and post-LN blocks, Pythia's parallel residual and quarter rotary, CodeGen's
rotary_dim of half a head, RWKV's rescale_every, …) and only depth and width cut (2 blocks,
width 32-64; the vocabulary is the tiny zoo's tokenizer's). `save_to_hub_cache` writes the
model and that tokenizer as `hf download` leaves a repo (`models--{org}--{name}/` with
`blobs/`, `snapshots/<commit>/` links and `refs/main`), and `point_hub_cache` makes
huggingface_hub and transformers read that directory, offline.

A registry entry without a recipe here fails tests/test_registry_smoke.py: add one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import torch
import transformers as tf

LAYERS = 2  # every recipe's depth

# registry name -> (transformers config class, its arguments: published structure, reduced sizes).
# vocab_size and the special token ids come from the tokenizer (`reduced_config`).
_GPT2 = dict(n_layer=LAYERS, n_embd=32, n_head=2, n_positions=64, activation_function="gelu_new",
             layer_norm_epsilon=1e-5, tie_word_embeddings=True)
_OPT_PRE_LN = dict(hidden_size=32, num_hidden_layers=LAYERS, num_attention_heads=2, ffn_dim=128,
                   max_position_embeddings=64, word_embed_proj_dim=32, do_layer_norm_before=True,
                   activation_function="relu", enable_bias=True, layer_norm_elementwise_affine=True)
# opt-350m: hidden 1024 over 512-d embeddings (project_in / project_out), layer norm after each sublayer
_OPT_350M = dict(_OPT_PRE_LN, hidden_size=64, num_attention_heads=4, ffn_dim=256, word_embed_proj_dim=32,
                 do_layer_norm_before=False)
_BERT = dict(hidden_size=32, num_hidden_layers=LAYERS, num_attention_heads=2, intermediate_size=128,
             max_position_embeddings=64, type_vocab_size=2, hidden_act="gelu", layer_norm_eps=1e-12)
# Pythia: parallel attention + MLP, rotary on a quarter of each head, untied output embedding
_PYTHIA = dict(hidden_size=64, num_hidden_layers=LAYERS, num_attention_heads=2, intermediate_size=256,
               max_position_embeddings=64, use_parallel_residual=True, hidden_act="gelu", layer_norm_eps=1e-5,
               rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.25},
               attention_bias=True, tie_word_embeddings=False)
# codegen-350M-mono: 16 heads of 64 with rotary_dim 32 (half a head); the qkv projection is split in
# 4 model-parallel groups, so the head count stays a multiple of 4
_CODEGEN = dict(n_layer=LAYERS, n_embd=64, n_head=4, n_positions=64, n_ctx=64, rotary_dim=8,
                activation_function="gelu_new", tie_word_embeddings=False)
# Mamba-1 (the -hf conversions): state 16, expansion 2, conv kernel 4, dt rank ceil(d/16), tied embeddings
_MAMBA = dict(hidden_size=32, num_hidden_layers=LAYERS, state_size=16, expand=2, conv_kernel=4,
              time_step_rank="auto", use_bias=False, use_conv_bias=True, residual_in_fp32=True,
              layer_norm_epsilon=1e-5, tie_word_embeddings=True)
# RWKV-4 Pile: attention width = hidden, FFN 4x, rescale_every 6 as published (zoo.load turns it off)
_RWKV = dict(hidden_size=32, num_hidden_layers=LAYERS, attention_hidden_size=32, intermediate_size=128,
             context_length=64, rescale_every=6, layer_norm_epsilon=1e-5, tie_word_embeddings=False)

RECIPES: dict[str, tuple[type, dict]] = {
    # small tier
    "gpt2": (tf.GPT2Config, _GPT2),
    "gpt2-medium": (tf.GPT2Config, _GPT2),
    "opt-125m": (tf.OPTConfig, _OPT_PRE_LN),
    "opt-350m": (tf.OPTConfig, _OPT_350M),
    "bert-base-uncased": (tf.BertConfig, _BERT),
    "bert-large-uncased": (tf.BertConfig, _BERT),
    "pythia-160m": (tf.GPTNeoXConfig, _PYTHIA),
    "pythia-410m": (tf.GPTNeoXConfig, _PYTHIA),
    "codegen-350m-mono": (tf.CodeGenConfig, _CODEGEN),
    "mamba-130m": (tf.MambaConfig, _MAMBA),
    "mamba-370m": (tf.MambaConfig, _MAMBA),
    "rwkv-169m": (tf.RwkvConfig, _RWKV),
    # medium tier
    "opt-1.3b": (tf.OPTConfig, _OPT_PRE_LN),
    "pythia-1.4b": (tf.GPTNeoXConfig, _PYTHIA),
    "mamba-1.4b": (tf.MambaConfig, _MAMBA),
    "rwkv-1b5": (tf.RwkvConfig, _RWKV),
    # large tier (published sharded: saved sharded here too)
    "pythia-2.8b": (tf.GPTNeoXConfig, _PYTHIA),
    "pythia-6.9b": (tf.GPTNeoXConfig, _PYTHIA),
    "opt-2.7b": (tf.OPTConfig, _OPT_PRE_LN),
    "opt-6.7b": (tf.OPTConfig, _OPT_PRE_LN),
}


def token_ids(tokenizer) -> dict:
    """The config arguments that must agree with the tokenizer."""
    return dict(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id,
                bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id)


def reduced_config(name: str, tokenizer):
    """The recipe's config for registry entry `name`, with the tokenizer's vocabulary and ids."""
    config_class, kwargs = RECIPES[name]
    return config_class(**kwargs, **token_ids(tokenizer))


def build(config, objective: str, seed: int = 0):
    """A randomly initialised model of `config` with the LM head of `objective` ("clm"/"mlm")."""
    torch.manual_seed(seed)
    head = tf.AutoModelForMaskedLM if objective == "mlm" else tf.AutoModelForCausalLM
    return head.from_config(config).eval()


def save_to_hub_cache(hub: Path, repo_id: str, model, tokenizer, max_shard_size: str | None = None) -> Path:
    """Write `model` and `tokenizer` into hub cache `hub` as `hf download repo_id` would.

    Layout (huggingface_hub's cache): `models--{org}--{name}/blobs/<sha256>` holds the
    files, `snapshots/<commit>/<file>` are relative links to the blobs and `refs/main`
    names the commit. The commit is a made-up 40-hex id derived from the repo id.

    Returns:
        The snapshot directory.
    """
    repo = hub / ("models--" + repo_id.replace("/", "--"))
    commit = hashlib.sha1(repo_id.encode()).hexdigest()
    snapshot = repo / "snapshots" / commit
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    snapshot.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        kwargs = {"max_shard_size": max_shard_size} if max_shard_size else {}
        model.save_pretrained(staging, **kwargs)
        tokenizer.save_pretrained(staging)
        for f in sorted(Path(staging).iterdir()):
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
            shutil.move(f, repo / "blobs" / digest)
            link = snapshot / f.name
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(Path("..", "..", "blobs", digest))
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(commit)
    return snapshot


def point_hub_cache(monkeypatch, hub: Path) -> None:
    """Make huggingface_hub and transformers read the hub cache `hub`, offline, for one test.

    huggingface_hub reads HF_HUB_CACHE and HF_HUB_OFFLINE from the environment once, at
    import, into `huggingface_hub.constants`; the download and cache functions (and
    transformers through them) read those constants at call time, except
    `huggingface_hub.utils._cache_manager`, which imported HF_HUB_CACHE by name. So the
    constants are patched as well as the environment (which only subprocesses would read).
    """
    from huggingface_hub import constants
    from huggingface_hub.utils import _cache_manager

    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(hub))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(_cache_manager, "HF_HUB_CACHE", str(hub))
