"""The claim grids, in one place (issue 5: "Thresholds and grids live in one place in bench/").

Fixed grids, never sampled (STYLE 8). Paper A ("Decomposing the Depth Profile of
Fine-Tuning"): standard fine-tuning concentrates change near the output in all runs but one;
under the equal-step control, sequential-block models keep the slope for every objective and
parallel-block models only for causal LM (at 125M-350M). Thresholds live in
depthcore.claims (CONTROL_INERT_BELOW) and depthcore.engine (TAU, SATURATION).

`KNOWN` records claims that did not reproduce, as measured: they become strict xfails whose
reason carries the numbers, so a change of verdict in either direction turns the suite red.
"""

from __future__ import annotations

import pytest

from depthcore.config import RunSpec

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

KNOWN: dict[str, str] = {
    # "<test id>": "measured: ... (why it does not reproduce)",
}


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


def cell(runs, base: RunSpec, seeds) -> list:
    """The runs of one claim cell: the same spec over the tier's training seeds."""
    return [runs.get(base.replace(seed=s)) for s in seeds]
