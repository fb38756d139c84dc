"""Paper A: two more axes of profile shape under standard training.

- steepness tracks the training-free objective distance at init: per model, the Spearman
  correlation over four objectives that share the pretrained output head and differ in
  distance (grid.STEEPNESS_OBJECTIVES), of the per-objective mean slope with the
  per-objective mean distance (seeds averaged; CI by bootstrap over seeds);
- width is dominated by architecture: the width (layers with Δ_l above config.TAU) is
  explained more by the family than by the objective kind, judged by a permutation test
  over the tier's whole standard grid.
Width reuses the output-proximal runs (the run cache computes nothing twice).
"""

import pytest
from grid import OBJECTIVES, STEEPNESS_MODELS, cell, models, param, spec, steepness_cells

from depthcore import claims, results

TEST = "test_steepness_tracks_distance"
CASES = [param(tier, (tier, m), TEST, f"{tier}-{m}") for tier, ms in STEEPNESS_MODELS.items() for m in ms]


@pytest.mark.parametrize("tier,model", CASES)
def test_steepness_tracks_distance(tier, model, runs, seeds, baseline, verdicts, recorded):
    cells = steepness_cells(runs, tier, model, seeds[tier])
    baseline.check(results.concat([r for c in cells for r in c]))
    verdict = claims.steepness_tracks_distance(cells)
    verdicts.judge(verdict, recorded)


@pytest.mark.parametrize("tier", [param(t, (t,), "test_width_by_architecture", t) for t in ("tiny", "small")])
def test_width_by_architecture(tier, runs, seeds, verdicts, recorded):
    all_runs = [r for m, info in models(tier).items() for obj in OBJECTIVES[info.kind]
                for r in cell(runs, spec(tier, m, obj), seeds[tier])]
    verdict = claims.width_by_architecture(all_runs)
    verdicts.judge(verdict, recorded)
