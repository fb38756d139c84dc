"""Paper A: under standard fine-tuning, representational change rises toward the output.

Paper A reports output-proximal concentration in every standard run but one. Judged here
against the matched random null: excess slope and relative-slope (shape)
excess, 95% two-level bootstrap CIs (training seeds, then probe sequences), lower bound > 0.
"""

import pytest
from grid import OBJECTIVES, cell, models, param, spec

from depthcore import claims, results

TEST = "test_output_proximal"
CASES = [param(tier, (tier, m, obj), TEST, f"{tier}-{m}-{obj}")
         for tier in ("tiny", "small") for m, (_, _, kind) in models(tier).items() for obj in OBJECTIVES[kind]]


@pytest.mark.parametrize("tier,model,objective", CASES)
def test_output_proximal(tier, model, objective, runs, seeds, baseline, verdicts):
    cell_runs = cell(runs, spec(tier, model, objective), seeds[tier])
    baseline.check(results.concat(cell_runs))
    verdict = claims.output_proximal(cell_runs)
    verdicts.record(**verdict.row())
    verdict.check()
