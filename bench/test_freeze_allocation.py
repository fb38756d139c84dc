"""Paper B ("Freeze Deep, Train Shallow", LayerTracer): diagnostics and the allocation rule.

- `test_layer_diagnostics`: on the pretrained model, layer sensitivity LS (output KL under
  per-layer weight noise) is higher in the shallow half, and task position TP (logit-lens
  accuracy) appears deep (docs/design.md "Layer sensitivity", "Task position").
- `test_train_shallow_freeze_deep`: continued pretraining ("clm") on a new domain (a BBC
  category the model never saw, grid.FREEZE_DOMAIN) with the tier's fixed step budget:
  training the first half of the blocks (second half frozen) beats training all blocks and
  the opposite allocation on the new domain's held-out loss; forgetting of the old domain is
  reported. Paired over the tier's training seeds.
- `test_knowledge_retention`: the same arms judged on what paper B's benchmarks (C-Eval, CMMLU)
  measure, retained knowledge: the old domains' held-out loss after fine-tuning, paired by seed.
- `test_levelled_off` (ours): whether the tier's step budget lets papers B and C compare
  finished fine-tunes: the all-blocks arm at twice the steps (grid.DOUBLED) against the arm
  itself (criteria.LEVELLED_OFF). Every claim about final quality (here and in
  test_semantic_freezing.py) reads "not levelled off" when it had not.

The allocation's arms differ only in which blocks train: embeddings, final norm and head are
frozen in every arm, and each arm runs at the rate chosen for it by one rule (grid.FREEZE_ARMS,
grid.FREEZE_LR). The diagnostics are read from full fine-tuning runs (grid.full_ft): LS and TP
are measured on the pretrained model, the same in every run.
"""

import pytest
from grid import DOUBLED, FREEZE_MODELS, UNDEFINED_WHEN_FROZEN, cell, freeze_arms, full_ft, halves, param

from depthcore import claims, results
from depthcore.criteria import TP_ONSET_DEEP

CASES = {test: [param(tier, (tier, m), test, f"{tier}-{m}") for tier, ms in FREEZE_MODELS.items() for m in ms]
         for test in ("test_layer_diagnostics", "test_train_shallow_freeze_deep", "test_knowledge_retention",
                      "test_levelled_off")}
# what the regime check reads of the all-blocks runs and of their doubles, and how far each block moved
HELDOUT = ["heldout_loss", "heldout_loss_before", "rel_update"]


@pytest.mark.parametrize("tier,model", CASES["test_layer_diagnostics"])
def test_layer_diagnostics(tier, model, runs, seeds, baseline, verdicts, recorded):
    cell_runs = cell(runs, full_ft(tier, model), seeds[tier])
    baseline.check(results.concat(cell_runs))
    verdict = claims.layer_diagnostics(cell_runs, onset_deep=TP_ONSET_DEEP)
    verdicts.judge(verdict, recorded)


@pytest.mark.parametrize("tier,model", CASES["test_train_shallow_freeze_deep"])
def test_train_shallow_freeze_deep(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = freeze_arms(runs, tier, model, seeds[tier], ("all_blocks", "first_half", "second_half", DOUBLED))
    frozen = len(halves(arms["first_half"][0].sizes["layer"])[1])
    for run in arms["first_half"]:  # the frozen half did not move
        assert (run["rel_update"].values[-frozen:] == 0).all()
    doubled = arms.pop(DOUBLED)  # its baseline: test_levelled_off
    stored = results.concat([r for a in arms.values() for r in a])
    baseline.check(stored.drop_vars(UNDEFINED_WHEN_FROZEN, errors="ignore"))
    verdict = claims.freeze_allocation(arms["all_blocks"], arms["first_half"], arms["second_half"], doubled)
    verdicts.judge(verdict, recorded)


RETENTION = ("old_heldout_loss", "old_heldout_loss_before", "heldout_loss", "heldout_loss_before", "rel_update")


@pytest.mark.parametrize("tier,model", CASES["test_knowledge_retention"])
def test_knowledge_retention(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = freeze_arms(runs, tier, model, seeds[tier], ("all_blocks", "first_half", "second_half", DOUBLED))
    doubled = arms.pop(DOUBLED)
    baseline.check(results.concat([r for a in arms.values() for r in a])[list(RETENTION)])
    verdict = claims.knowledge_retention(arms["all_blocks"], arms["first_half"], arms["second_half"], doubled)
    verdicts.judge(verdict, recorded)


@pytest.mark.parametrize("tier,model", CASES["test_levelled_off"])
def test_levelled_off(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = freeze_arms(runs, tier, model, seeds[tier], ("all_blocks", DOUBLED))
    baseline.check(results.concat([r[HELDOUT] for a in arms.values() for r in a]))
    verdicts.judge(claims.levelled_off(arms["all_blocks"], arms[DOUBLED]), recorded)
