"""Paper A: under standard fine-tuning, representational change rises toward the output.

Paper A reports output-proximal concentration in every standard run but one. Each cell is
read by the paper's criterion (slope of Δ_l, 95% two-level bootstrap CI over training seeds
and probe sequences, above 0) and by the project's stricter one (excess slope and
relative-slope excess over the matched random null). Beside it, a question none of the
papers asks: is the concentration learned near the output, or accumulated through the
residual stream? The local change (the same pre-fine-tuning input into each block before
and after) answers it (`claims.local_vs_propagated`).
"""

import pytest
from grid import HELDOUT_DROPS, cell, models, objectives, param, spec

from depthcore import claims, results

CASES = {test: [param(tier, (tier, m, obj), test, f"{tier}-{m}-{obj}")
                for tier in ("tiny", "real", "small") for m in models(tier) for obj in objectives(tier, m)]
         for test in ("test_output_proximal", "test_local_vs_propagated")}


@pytest.mark.parametrize("tier,model,objective", CASES["test_output_proximal"])
def test_output_proximal(tier, model, objective, runs, seeds, baseline, verdicts, recorded):
    cell_runs = cell(runs, spec(tier, model, objective), seeds[tier])
    baseline.check(results.concat(cell_runs))
    if tier in HELDOUT_DROPS:  # the tier's rates were chosen so that every standard run learns
        for run in cell_runs:
            before, after = float(run["heldout_loss_before"]), float(run["heldout_loss"])
            assert after < before, f"{run.attrs['label']}: held-out loss {before:.4f} -> {after:.4f} did not go down"
    verdict = claims.output_proximal(cell_runs)
    verdicts.judge(verdict, recorded)


@pytest.mark.parametrize("tier,model,objective", CASES["test_local_vs_propagated"])
def test_local_vs_propagated(tier, model, objective, runs, seeds, verdicts, recorded):
    verdict = claims.local_vs_propagated(cell(runs, spec(tier, model, objective), seeds[tier]))
    verdicts.judge(verdict, recorded)
