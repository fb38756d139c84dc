"""LoRA blog ("lora-weight-change-by-layer"): where LoRA's weight change sits across depth.

LoRA r=16, alpha=32 on the attention projections, two learning rates (2e-4, 1e-3, the
blog's), two domains (the BBC fine-tuning categories). Per-layer statistics of the
effective dW = (alpha/r)·B·A (and the raw A/B deltas, stored beside). Claim checked: the
per-layer mean |dW| profile has the same shape across domains and learning rates (mean
pairwise Spearman > 0); its location (relative slope, depth of the maximum) is reported.
QLoRA at the GPU tiers.
"""

import pytest
from grid import LORA_LRS, LORA_MODELS, param, spec

from depthcore import claims, results
from depthcore.data import FINETUNE_CATEGORIES

TEST = "test_lora_locus"
CASES = [param(tier, (tier, m), TEST, f"{tier}-{m}") for tier, ms in LORA_MODELS.items() for m in ms]


@pytest.mark.parametrize("tier,model", CASES)
def test_lora_locus(tier, model, runs, baseline, verdicts):
    objective = "mlm" if model in ("minilm", "bert-base-uncased") else "clm"
    cell_runs = [runs.get(spec(tier, model, objective, lora=True, qlora=tier != "tiny", lr=lr, domain=d))
                 for d in FINETUNE_CATEGORIES for lr in LORA_LRS]
    baseline.check(results.concat(cell_runs))
    verdict = claims.lora_locus(cell_runs)
    verdicts.record(**verdict.row())
    verdict.check()
