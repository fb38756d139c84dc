"""Paper A: two more axes of profile shape under standard training.

- steepness tracks the training-free objective distance at init (Spearman > 0 across
  objectives, per model);
- width is dominated by architecture (family explains a larger share of the variance of
  the scale-free width than the objective does), over the tier's whole standard grid.
Both reuse the output-proximal runs (the run cache computes nothing twice).
"""

import pytest
from grid import OBJECTIVES, cell, models, param, spec

from depthcore import claims

TEST = "test_steepness_tracks_distance"
CASES = [param(tier, (tier, m), TEST, f"{tier}-{m}") for tier in ("tiny", "small") for m in models(tier)]


def standard_runs(runs, seeds, tier, model):
    kind = models(tier)[model][2]
    return [r for obj in OBJECTIVES[kind] for r in cell(runs, spec(tier, model, obj), seeds[tier])]


@pytest.mark.parametrize("tier,model", CASES)
def test_steepness_tracks_distance(tier, model, runs, seeds, verdicts):
    verdict = claims.steepness_tracks_distance(standard_runs(runs, seeds, tier, model))
    verdicts.record(**verdict.row())
    verdict.check()


@pytest.mark.parametrize("tier", [param(t, (t,), "test_width_by_architecture", t) for t in ("tiny", "small")])
def test_width_by_architecture(tier, runs, seeds, verdicts):
    all_runs = [r for m in models(tier) for r in standard_runs(runs, seeds, tier, m)]
    verdict = claims.width_by_architecture(all_runs)
    verdicts.record(**verdict.row())
    verdict.check()
