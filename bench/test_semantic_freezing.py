"""Paper C ("A Semantic-Aware Layer-Freezing Approach to Computation-Efficient Fine-Tuning").

Select the k = L/2 layers with the largest semantic deviation d_l = mean ||h_l - h_{l-1}||
of the pretrained model on the fine-tuning data (the engine stores `semantic_deviation` in
every run; taken from the seed-0 full fine-tuning run of the same model), fine-tune only
those, and compare with full FT, first L-k layers frozen (the same number trainable) and a
random k layers (a fixed draw per training seed, grid.random_layers). Claim: held-out loss
within grid.SEMANTIC_MARGIN_FRAC of full FT's improvement, fewer trainable parameters, and
better than random. Backward time (engine `backward_seconds`) is reported, not asserted:
on a shared CPU it is noise.
"""

import pytest
from grid import (FREEZE_MODELS, SEMANTIC_K_FRAC, SEMANTIC_MARGIN_FRAC, UNDEFINED_WHEN_FROZEN, cell, full_ft,
                  n_layers, param, random_layers, train_only)

from depthcore import claims, results

TEST = "test_semantic_freezing"
CASES = [param(tier, (tier, m), TEST, f"{tier}-{m}") for tier, ms in FREEZE_MODELS.items() for m in ms]


@pytest.mark.parametrize("tier,model", CASES)
def test_semantic_freezing(tier, model, runs, seeds, baseline, verdicts):
    L = n_layers(model)
    k = max(1, round(SEMANTIC_K_FRAC * L))
    full = cell(runs, full_ft(tier, model), seeds[tier])
    selected_layers = claims.top_k_layers(full[0]["semantic_deviation"].values, k)
    selected = cell(runs, train_only(tier, model, selected_layers, L), seeds[tier])
    first_k_frozen = cell(runs, train_only(tier, model, tuple(range(L - k + 1, L + 1)), L), seeds[tier])
    random_k = [runs.get(train_only(tier, model, random_layers(L, k, s), L).replace(seed=s)) for s in seeds[tier]]
    baseline.check(results.concat(selected + random_k).drop_vars(UNDEFINED_WHEN_FROZEN))
    verdict = claims.semantic_selection(full, selected, first_k_frozen, random_k, SEMANTIC_MARGIN_FRAC)
    verdicts.record(**verdict.row())
    verdict.check()
