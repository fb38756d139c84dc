"""Paper C ("A Semantic-Aware Layer-Freezing Approach to Computation-Efficient Fine-Tuning").

The semantic deviation d_l = mean ||h_l - h_{l-1}|| of the pretrained model on the
fine-tuning data (the engine stores `semantic_deviation` in every run, the same in all; taken
from the all-blocks run of the first seed) ranks the layers; k = round(SEMANTIC_K_FRAC * L).
The arms (grid.FREEZE_ARMS) differ only in which blocks train, embeddings, final norm and head
frozen in all, each at the rate chosen for it by one rule (grid.FREEZE_LR); paired by seed.

- `test_semantic_freezing`: the k layers of largest d_l ("high_dev") keep the held-out loss
  within grid.SEMANTIC_MARGIN_FRAC of the all-blocks arm's improvement and beat a random k
  (a fixed draw per training seed, grid.random_layers).
- `test_deviation_location`: the k layers of largest d_l lie in the middle and latter layers:
  fewer of them in the first third than random placement puts there (hypergeometric), and,
  ours, none of them there.
- `test_deviation_ablation`: training the k lowest-d_l layers (high-deviation layers frozen)
  ends with a higher held-out loss than training the k highest.
- `test_first_n_frozen`: the selection against paper C's "freeze first N layers" baseline
  (the last k trained, N = L - k).
- `test_compute_saved`: the selection saves 40-60% of the backpropagation computation,
  counted in block passes (depthcore.claims.backward_passes).
- `test_random_freezing_spread`: random freezing is unstable: held-out loss spreads more over
  random draws of k layers (one per seed) than over the selected arm's seeds (grid.SPREAD_SEEDS).

Compute saved (trainable parameters and backward time against all blocks) is reported beside
the losses; backward time is never asserted: on a shared CPU it is noise. The claims about final
quality (all but location and compute) take the all-blocks arm at twice the steps
(grid.DOUBLED, checked by test_freeze_allocation.py::test_levelled_off) and read "not levelled
off" when the fine-tunes had not.
"""

import pytest
from grid import DOUBLED, FREEZE_MODELS, SPREAD_SEEDS, UNDEFINED_WHEN_FROZEN, freeze_arms, param

from depthcore import claims, results
from depthcore.criteria import SEMANTIC_MARGIN_FRAC

TESTS = ("test_semantic_freezing", "test_deviation_location", "test_deviation_ablation", "test_first_n_frozen",
         "test_compute_saved", "test_random_freezing_spread")
CASES = {test: [param(tier, (tier, m), test, f"{tier}-{m}") for tier, ms in FREEZE_MODELS.items() for m in ms]
         for test in TESTS}


def checked_arms(runs, seeds, baseline, tier, model, names):
    """The named arms' runs over `seeds`, after checking their baseline."""
    arms = freeze_arms(runs, tier, model, seeds, names)
    # the high- and low-deviation arms' layers are chosen from the data (d_l): data, not identity
    baseline.check(results.concat([r for a in arms.values() for r in a]).drop_vars(UNDEFINED_WHEN_FROZEN, errors="ignore"),
                   derived=("freeze",))
    return arms


def doubled(runs, seeds, tier, model):
    """The all-blocks arm at twice the steps: whether the arms had levelled off (its baseline:
    test_freeze_allocation.py::test_levelled_off)."""
    return freeze_arms(runs, tier, model, seeds, (DOUBLED,))[DOUBLED]


@pytest.mark.parametrize("tier,model", CASES["test_semantic_freezing"])
def test_semantic_freezing(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = checked_arms(runs, seeds[tier], baseline, tier, model, ("all_blocks", "high_dev", "random_k"))
    verdicts.judge(claims.semantic_selection(arms["all_blocks"], arms["high_dev"], arms["random_k"],
                                             SEMANTIC_MARGIN_FRAC, doubled(runs, seeds[tier], tier, model)), recorded)


@pytest.mark.parametrize("tier,model", CASES["test_deviation_location"])
def test_deviation_location(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = checked_arms(runs, seeds[tier], baseline, tier, model, ("all_blocks",))
    verdicts.judge(claims.deviation_location(arms["all_blocks"]), recorded)  # paper C's k, the first third


@pytest.mark.parametrize("tier,model", CASES["test_deviation_ablation"])
def test_deviation_ablation(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = checked_arms(runs, seeds[tier], baseline, tier, model, ("all_blocks", "high_dev", "low_dev"))
    verdicts.judge(claims.deviation_ablation(arms["all_blocks"], arms["high_dev"], arms["low_dev"],
                                             doubled(runs, seeds[tier], tier, model)), recorded)


@pytest.mark.parametrize("tier,model", CASES["test_first_n_frozen"])
def test_first_n_frozen(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = checked_arms(runs, seeds[tier], baseline, tier, model, ("all_blocks", "high_dev", "second_half"))
    verdicts.judge(claims.first_n_comparison(arms["all_blocks"], arms["high_dev"], arms["second_half"],
                                             doubled(runs, seeds[tier], tier, model)), recorded)


COMPUTE = ("trainable_params", "backward_seconds", "train_seconds", "rel_update")


@pytest.mark.parametrize("tier,model", CASES["test_compute_saved"])
def test_compute_saved(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = freeze_arms(runs, tier, model, seeds[tier], ("all_blocks", "high_dev", "second_half"))
    baseline.check(results.concat([r for a in arms.values() for r in a])[list(COMPUTE)], derived=("freeze",))
    verdicts.judge(claims.compute_saved(arms["all_blocks"], arms["high_dev"], arms["second_half"]), recorded)


@pytest.mark.parametrize("tier,model", CASES["test_random_freezing_spread"])
def test_random_freezing_spread(tier, model, runs, seeds, baseline, verdicts, recorded):
    arms = checked_arms(runs, SPREAD_SEEDS, baseline, tier, model, ("high_dev", "random_k"))
    regime = freeze_arms(runs, tier, model, seeds[tier], ("all_blocks", DOUBLED))
    verdicts.judge(claims.random_spread(arms["high_dev"], arms["random_k"], regime["all_blocks"], regime[DOUBLED]),
                   recorded)
