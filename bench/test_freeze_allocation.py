"""Paper B ("Freeze Deep, Train Shallow", LayerTracer): diagnostics and the allocation rule.

- `test_layer_diagnostics`: on the pretrained model, layer sensitivity LS (output KL under
  per-layer weight noise) is higher in the shallow half, and task position TP (logit-lens
  accuracy) appears deep (docs/design.md "Layer sensitivity LS", "Task position TP").
- `test_train_shallow_freeze_deep`: continued pretraining ("clm") on a new domain (a BBC
  category the model never saw, grid.FREEZE_DOMAIN) with the tier's fixed step budget:
  training the first half of the layers (second half frozen) beats full fine-tuning and the
  opposite allocation on the new domain's held-out loss; forgetting of the old domain is
  reported. Paired over the tier's training seeds.

The half arms train blocks only (embeddings, final norm, head frozen: grid.train_only); full
FT trains every parameter, as paper B's full-parameter baseline does.
"""

import pytest
from grid import (FREEZE_MODELS, TP_ONSET_DEEP, UNDEFINED_WHEN_FROZEN, cell, full_ft, halves, n_layers, param,
                  train_only)

from depthcore import claims, results

CASES = {test: [param(tier, (tier, m), test, f"{tier}-{m}") for tier, ms in FREEZE_MODELS.items() for m in ms]
         for test in ("test_layer_diagnostics", "test_train_shallow_freeze_deep")}


@pytest.mark.parametrize("tier,model", CASES["test_layer_diagnostics"])
def test_layer_diagnostics(tier, model, runs, seeds, baseline, verdicts):
    cell_runs = cell(runs, full_ft(tier, model), seeds[tier])
    baseline.check(results.concat(cell_runs))
    verdict = claims.layer_diagnostics(cell_runs, onset_deep=TP_ONSET_DEEP)
    verdicts.record(**verdict.row())
    verdict.check()


@pytest.mark.parametrize("tier,model", CASES["test_train_shallow_freeze_deep"])
def test_train_shallow_freeze_deep(tier, model, runs, seeds, baseline, verdicts):
    L = n_layers(model)
    first, second = halves(L)
    full = cell(runs, full_ft(tier, model), seeds[tier])
    train_first = cell(runs, train_only(tier, model, first, L), seeds[tier])
    train_second = cell(runs, train_only(tier, model, second, L), seeds[tier])
    for run in train_first:  # the frozen half did not move
        assert (run["rel_update"].values[len(first):] == 0).all()
    baseline.check(results.concat(full + train_first + train_second).drop_vars(UNDEFINED_WHEN_FROZEN))
    verdict = claims.freeze_allocation(full, train_first, train_second)
    verdicts.record(**verdict.row())
    verdict.check()
