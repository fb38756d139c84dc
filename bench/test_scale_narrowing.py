"""Paper A: the sequential-vs-parallel distinction under the equal-step control narrows with scale.

At 125M-350M parallel-block models keep the controlled slope only for causal LM, unlike
sequential ones; at 1.3B-1.4B "both block types show positive equal-step slopes for
CausalLM". Checked on equal-step "clm" runs: the gap in relative slope between a sequential
and a parallel model shrinks from the smaller size to the larger, and both larger models'
slopes have CI lower bounds > 0 (depthcore.claims.scale_narrowing). tiny: the zoo's widths 64
and 128; medium: 125M/160M vs 1.3B/1.4B hub models (grid.SCALE_PAIRS; skip without --gpu).
"""

import pytest
from grid import SCALE_OPTIMIZERS, SCALE_PAIRS, cell, param, spec

from depthcore import claims, results

TEST = "test_scale_narrowing"
CASES = [param(tier, (tier, opt), TEST, f"{tier}-{opt}") for tier in SCALE_PAIRS for opt in SCALE_OPTIMIZERS[tier]]


@pytest.mark.parametrize("tier,optimizer", CASES)
def test_scale_narrowing(tier, optimizer, runs, seeds, baseline, verdicts, recorded):
    (small_seq, small_par), (large_seq, large_par) = SCALE_PAIRS[tier]
    cells = [cell(runs, spec(tier, m, "clm", condition="equal_step", optimizer=optimizer), seeds[tier])
             for m in (small_seq, small_par, large_seq, large_par)]
    baseline.check(results.concat(cells[2] + cells[3]))  # the larger pair (one layer count per file)
    verdict = claims.scale_narrowing(*cells)
    verdicts.judge(verdict, recorded)
