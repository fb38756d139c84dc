"""LoRA blog ("Fine Tuning", LoRA weight change by layer): what LoRA's per-layer weight change says.

The blog fine-tunes LoRA adapters (r=16, alpha=32, attention projections) and reads the
per-layer mean |ΔW| as "which layers would have been most modified during a full fine-tuning
run". Per-layer statistics are those of the effective ΔW = (α/r)·B·A, with the raw A/B deltas
stored beside. QLoRA at the GPU tiers.

- `test_lora_predicts_full` (the blog's claim): LoRA on grid.FREEZE_DOMAIN at grid.LORA_LR
  against full fine-tuning on the same data (grid.lora_full: grid.full_ft storing its change in
  LoRA's terms), paired by training seed over grid.LORA_SEEDS: Spearman over layers of LoRA's
  mean |ΔW| with full fine-tuning's on the same matrices (and on all of them, beside), CI over
  seeds (depthcore.claims.lora_predicts_full).
- `test_delta_rank` (the blog's premise, "the change in weights ... tends to have a very low
  intrinsic rank"): the full fine-tuning arm of that comparison (grid.lora_full, the same seeds),
  stored as its own baseline so that a change in it is seen and `depthcore calibrate` can redraw
  both arms; per layer, the effective rank of ΔW against a Gaussian matrix's
  (depthcore.claims.delta_rank).
- `test_lora_locus` (secondary): the shape of LoRA's profile agrees across the blog's two
  learning rates and two domains, each run grid.LORA_LOCUS_REPEATS times with its own training
  seed (depthcore.claims.lora_locus).
"""

import pytest
from grid import LORA_MODELS, LORA_SEEDS, cell, lora_full, lora_locus_specs, lora_vs_full, param

from depthcore import claims, results

CASES = {test: [param(tier, (tier, m), test, f"{tier}-{m}") for tier, ms in LORA_MODELS.items() for m in ms]
         for test in ("test_lora_predicts_full", "test_delta_rank", "test_lora_locus")}


@pytest.mark.parametrize("tier,model", CASES["test_lora_predicts_full"])
def test_lora_predicts_full(tier, model, runs, baseline, verdicts, recorded):
    lora_runs = cell(runs, lora_vs_full(tier, model), LORA_SEEDS)
    full = cell(runs, lora_full(tier, model), LORA_SEEDS)
    baseline.check(results.concat(lora_runs))
    verdict = claims.lora_predicts_full(lora_runs, full)
    verdicts.judge(verdict, recorded)


@pytest.mark.parametrize("tier,model", CASES["test_delta_rank"])
def test_delta_rank(tier, model, runs, baseline, verdicts, recorded):
    full = cell(runs, lora_full(tier, model), LORA_SEEDS)
    baseline.check(results.concat(full))
    verdicts.judge(claims.delta_rank(full), recorded)


@pytest.mark.parametrize("tier,model", CASES["test_lora_locus"])
def test_lora_locus(tier, model, runs, baseline, verdicts, recorded):
    cell_runs = [runs.get(s) for s in lora_locus_specs(tier, model)]
    baseline.check(results.concat(cell_runs))
    verdict = claims.lora_locus(cell_runs)
    verdicts.judge(verdict, recorded)
