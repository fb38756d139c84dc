"""`depthcore demo`: the tiny tier's main job on a fresh machine (CPU, offline, a few minutes).

A small fixed grid of runs through `depthcore.sweep` (resumable, run cache), then
`depthcore.report.write_report` into the output folder:

- paper A's control: a sequential (tiny-gpt2-64) and a parallel-block (tiny-neox-64)
  decoder, causal LM, standard vs equal_step, three seeds each, under SGD with momentum
  (under AdamW the per-layer relative updates are nearly equal already and the control is
  inert: docs/design.md "Control strength");
- the real pretrained all-MiniLM-L6-v2 (one masked-LM run: ~50 s on 2 cores);
- the LoRA blog: tiny-gpt2-64 with LoRA at its two learning rates (weight-delta profiles);
- paper B's allocation: tiny-gpt2-64 trained with its first half or its second half frozen,
  beside full fine-tuning (held-out loss, forgetting).

Cold (tiny models not pretrained yet: ~1 min each) it takes a few minutes on 2 cores; warm
(everything in the run cache) well under a minute.
"""

from __future__ import annotations

import time
from pathlib import Path

from depthcore.config import TIER_SEEDS, RunSpec

CONTROL_MODELS = ("tiny-gpt2-64", "tiny-neox-64")  # sequential, parallel (Pythia-like) blocks
LORA_LRS = (2e-4, 1e-3)  # the LoRA blog's learning rates (bench/grid.py LORA_LRS)
BASE = RunSpec(model="tiny-gpt2-64", objective="clm", optimizer="sgd", steps=40, batch_size=8, seq_len=64,
               probe_size=48)  # the tiny tier's run settings (bench/grid.py BASE["tiny"])


def demo_specs() -> list[RunSpec]:
    """The demo grid, in run order (cheap tiny-zoo runs first, MiniLM last)."""
    specs = [BASE.replace(model=m, condition=c, seed=s)
             for m in CONTROL_MODELS for c in ("standard", "equal_step") for s in TIER_SEEDS["tiny"]]
    specs += [BASE.replace(freeze=half) for half in ((4, 5, 6), (1, 2, 3))]  # paper B: train first / second half
    specs += [BASE.replace(optimizer="adamw", lora=True, lr=lr) for lr in LORA_LRS]
    specs.append(RunSpec(model="minilm", objective="mlm", optimizer="sgd", steps=40, probe_size=48))
    return specs


def demo(out: Path, progress: bool = True) -> Path:
    """Run the demo grid into `out/sweep/` and write the report into `out/`; return index.html."""
    from depthcore import report, sweep

    t0 = time.perf_counter()
    specs = demo_specs()
    print(f"depthcore demo: {len(specs)} runs (tiny-gpt2-64, tiny-neox-64, minilm) -> {out}/", flush=True)
    ds = sweep.run_sweep(specs, out / "sweep", progress=progress)
    runs = report.split_runs(ds)
    index = report.write_report(runs, out, title="depthcore demo: tiny tier (CPU)")
    print((out / "verdicts.txt").read_text(), end="")
    print(f"report: {index}  ({time.perf_counter() - t0:.0f} s)")
    return index
