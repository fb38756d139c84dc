"""The claim grids, in one place (thresholds and grids live in one place).

Fixed grids, never sampled. Paper A ("Decomposing the Depth Profile of
Fine-Tuning"): standard fine-tuning concentrates change near the output in all runs but one;
under the equal-step control, sequential-block models keep the slope for every objective and
parallel-block models only for causal LM (at 125M-350M). Thresholds and expected verdicts
live in depthcore.criteria, with the sentences they encode.

`KNOWN` (bench/known.py) records claims that did not reproduce, as measured: they become strict xfails whose
reason carries the numbers, so a change of verdict in either direction turns the suite red.
"""

from __future__ import annotations

import pytest

from depthcore.config import RunSpec
from depthcore.criteria import CROSS_EXPECTED, SEMANTIC_K_FRAC, SEMANTIC_MARGIN_FRAC, TP_ONSET_DEEP  # noqa: F401

# tiny tier: the locally pretrained zoo (one model per family, base width) + the real MiniLM.
TINY = {
    # name: (family, block type, kind)
    "tiny-gpt2-64": ("gpt2", "sequential", "decoder"),
    "tiny-opt-64": ("opt", "sequential", "decoder"),
    "tiny-llama-64": ("llama", "sequential", "decoder"),
    "tiny-bert-64": ("bert", "sequential", "encoder"),
    "minilm": ("bert", "sequential", "encoder"),
    "tiny-neox-64": ("gpt_neox", "parallel", "decoder"),
    "tiny-codegen-64": ("codegen", "parallel", "decoder"),
    "tiny-gptj-64": ("gptj", "parallel", "decoder"),
    "tiny-mamba2-64": ("mamba2", "ssm", "decoder"),
    "tiny-rwkv-64": ("rwkv", "rnn", "decoder"),
}
# small tier (125M-350M, GPU): our reconstruction of paper A's models (depthcore.zoo.REGISTRY).
SMALL = {
    "gpt2": ("gpt2", "sequential", "decoder"),
    "facebook/opt-125m": ("opt", "sequential", "decoder"),
    "bert-base-uncased": ("bert", "sequential", "encoder"),
    "EleutherAI/pythia-160m": ("gpt_neox", "parallel", "decoder"),
    "Salesforce/codegen-350M-mono": ("codegen", "parallel", "decoder"),
    "state-spaces/mamba-130m-hf": ("mamba", "ssm", "decoder"),
    "RWKV/rwkv-4-169m-pile": ("rwkv", "rnn", "decoder"),
}
OBJECTIVES = {"decoder": ("clm", "cls"), "encoder": ("mlm", "cls")}
OPTIMIZERS = ("adamw", "sgd")

# Run settings per tier. tiny: CPU, 40 steps of 8x64 tokens (budget: the whole tier in CI).
BASE = {
    "tiny": RunSpec(model="", steps=40, batch_size=8, seq_len=64, probe_size=48),
    "small": RunSpec(model="", steps=300, batch_size=16, seq_len=128, probe_size=128, device="cuda",
                     dtype="bfloat16"),
}

from known import KNOWN  # noqa: E402  (test id -> measured verdict; bench/record_known.py)


def spec(tier: str, model: str, objective: str, **kw) -> RunSpec:
    return BASE[tier].replace(model=model, objective=objective, **kw)


def param(tier: str, values: tuple, test: str, id: str):
    """pytest.param with the tier marker and, for a recorded non-reproduction, a strict xfail."""
    from depthcore.claims import ClaimNotReproduced

    marks = [getattr(pytest.mark, tier)]
    reason = KNOWN.get(f"{test}[{id}]")
    if reason:
        marks.append(pytest.mark.xfail(strict=True, raises=ClaimNotReproduced, reason=reason))
    return pytest.param(*values, marks=marks, id=id)


def models(tier: str) -> dict:
    return {"tiny": TINY, "small": SMALL}[tier]


# The equal-step grid (2 optimizers x 2 conditions x seeds per cell) leaves MiniLM out at the
# tiny tier: a MiniLM run takes 26-39 s on 2 cores against ~3 s for a tiny-zoo model, and
# tiny-bert-64 covers the encoder there. MiniLM stays in the standard (output-proximal) grid.
def control_models(tier: str) -> dict:
    return {m: v for m, v in models(tier).items() if v[1] in ("sequential", "parallel")
            and not (tier == "tiny" and m == "minilm")}


def cell(runs, base: RunSpec, seeds) -> list:
    """The runs of one claim cell: the same spec over the tier's training seeds."""
    return [runs.get(base.replace(seed=s)) for s in seeds]

# LoRA blog: r=16, alpha=32 (RunSpec defaults), its two learning rates. QLoRA at the GPU tiers.
LORA_LRS = (2e-4, 1e-3)
# lora_predicts_full compares LoRA with full fine-tuning (full_ft) at the blog's 1e-3: at the tiny
# tier it is also the full fine-tuning arm's rate (config.TINY_LR, AdamW, every decoder family), so
# the arms differ only in what is trained; and of the blog's two rates it moves the adapters further
# in the tiny tier's 40 steps (B starts at zero), so the per-layer ranking of (α/r)·B·A rests on more
# than its initial noise.
LORA_LR = 1e-3
# Decoders only: MiniLM is left out at the tiny tier, since a MiniLM run takes 26-39 s on 2 cores
# against ~3 s for a tiny-zoo model, and its LoRA and full fine-tunes on the domain would add minutes
# to a cold tiny tier that must stay within 40 minutes.
LORA_MODELS = {"tiny": ("tiny-gpt2-64", "tiny-llama-64", "tiny-neox-64"),
               "small": ("gpt2", "EleutherAI/pythia-160m")}


def lora_ft(tier: str, model: str, **kw) -> RunSpec:
    """LoRA fine-tuning (causal LM), QLoRA at the GPU tiers."""
    return spec(tier, model, "clm", lora=True, qlora=tier != "tiny", **kw)


def lora_vs_full(tier: str, model: str) -> RunSpec:
    """The LoRA arm of lora_predicts_full: the data of full_ft(tier, model), at LORA_LR."""
    return lora_ft(tier, model, domain=FREEZE_DOMAIN, lr=LORA_LR)


def lora_locus_specs(tier: str, model: str) -> list[RunSpec]:
    """lora_locus's runs, one per domain x learning rate, each with its own training seed (0, 1, ...)."""
    from depthcore.data import FINETUNE_CATEGORIES

    cases = [(d, lr) for d in FINETUNE_CATEGORIES for lr in LORA_LRS]
    return [lora_ft(tier, model, domain=d, lr=lr, seed=s) for s, (d, lr) in enumerate(cases)]


# --------------------------------------------------------------------------- papers B and C, scale, cross-claims
# Paper B ("Freeze Deep, Train Shallow", LayerTracer) and paper C ("A Semantic-Aware
# Layer-Freezing Approach ...", ACL 2025) run continued pretraining / fine-tuning ("clm") on a
# new domain; here one BBC fine-tuning category the tiny zoo never saw in pretraining
# (depthcore.data.FINETUNE_CATEGORIES), the step budget of the tier's BASE spec for every arm.
FREEZE_DOMAIN = "tech"
# tiny: Llama (the closest tiny family to paper B's Qwen3) and GPT-2. Each model costs 9-15
# runs over the two modules (3 arms x 3 seeds, plus paper C's selected/random arms), so the
# tiny grid stays at two models. small: every decoder of SMALL.
FREEZE_MODELS = {"tiny": ("tiny-gpt2-64", "tiny-llama-64"),
                 "small": tuple(m for m, (_, _, kind) in SMALL.items() if kind == "decoder")}
SEMANTIC_RANDOM_SEED = 1234  # random-k arm: training seed s trains rng(SEMANTIC_RANDOM_SEED + s)'s draw of k layers


def n_layers(model: str) -> int:
    from depthcore.zoo import model_info

    return model_info(model).n_layers


def halves(L: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(first half, second half) of layers 1..L; the middle layer of an odd L goes to the second."""
    return tuple(range(1, L // 2 + 1)), tuple(range(L // 2 + 1, L + 1))


def train_only(tier: str, model: str, train: tuple[int, ...], L: int) -> RunSpec:
    """Continued pretraining of the listed blocks only: every other block, the embeddings, final
    norm and head are frozen (train_only_layers), so the arms differ only in which blocks learn
    and backward stops at the lowest trained block (paper C's compute saving)."""
    frozen = tuple(l for l in range(1, L + 1) if l not in train)
    return spec(tier, model, "clm", domain=FREEZE_DOMAIN, freeze=frozen, train_only_layers=True)


# r*/r_l of a frozen layer (r_l = 0 at every step) is undefined: control.control_factors gives NaN
# there and baselines refuse non-finite values, so freeze-arm baselines leave these out.
UNDEFINED_WHEN_FROZEN = ("factor_mean", "factor_min", "factor_max")


def full_ft(tier: str, model: str, **kw) -> RunSpec:
    """Full fine-tuning (every parameter) on the new domain: the reference arm of papers B and C."""
    return spec(tier, model, "clm", domain=FREEZE_DOMAIN, **kw)


def random_layers(L: int, k: int, seed: int) -> tuple[int, ...]:
    import numpy as np

    return tuple(sorted(int(i) + 1 for i in np.random.default_rng(SEMANTIC_RANDOM_SEED + seed).choice(L, k, replace=False)))


# Paper A: the sequential-vs-parallel gap in the equal-step causal-LM slope narrows from
# 125M-350M to 1.3B-1.4B, where both block types have positive controlled slopes.
# tiny: the zoo's two widths of GPT-2 (sequential) and GPT-NeoX (parallel, Pythia-like); each
# extra width-128 model costs ~1 min of CPU pretraining, so two families only.
# medium: OPT and Pythia at 125M/160M against 1.3B/1.4B (depthcore.zoo.REGISTRY; needs --gpu).
SCALE_PAIRS = {
    "tiny": (("tiny-gpt2-64", "tiny-neox-64"), ("tiny-gpt2-128", "tiny-neox-128")),
    "medium": (("facebook/opt-125m", "EleutherAI/pythia-160m"), ("facebook/opt-1.3b", "EleutherAI/pythia-1.4b")),
}
# Under AdamW the equal-step control is inert at the tiny tier (test_equal_step: control
# strength < CONTROL_INERT_BELOW), so a tiny AdamW case could only say "control inert"; the
# tiny tier runs SGD, where the control has work to do. GPU tiers run both.
SCALE_OPTIMIZERS = {"tiny": ("sgd",), "medium": OPTIMIZERS}
BASE["medium"] = BASE["small"]  # 1.3B-1.4B models run with the small tier's settings

