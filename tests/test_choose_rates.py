"""The freezing arms' learning-rate rule (bench/choose_rates.py): the lowest validation loss over
grid.FREEZE_LR_GRID, the grid extended past an edge until the lowest is interior."""

from pathlib import Path

import numpy as np
import pytest

from depthcore.train import NonFiniteLoss

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def rule(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import choose_rates

    monkeypatch.setattr(choose_rates.grid, "FREEZE_LR_GRID", (3e-4, 1e-3, 3e-3))
    return choose_rates


def bowl(best: float):
    """A validation loss whose lowest point lies at the rate `best`, and the rates it was asked for."""
    asked = []

    def loss(lr):
        asked.append(lr)
        return (np.log10(lr) - np.log10(best)) ** 2

    return loss, asked


@pytest.mark.parametrize("best,chosen,tried", [
    (1e-3, 1e-3, [3e-4, 1e-3, 3e-3]),  # interior at once: nothing more
    (3e-2, 3e-2, [3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]),  # up, one rate at a time, until interior
    (1e-4, 1e-4, [3e-4, 1e-3, 3e-3, 1e-4, 3e-5]),  # down
])
def test_the_chosen_rate_is_interior_to_the_rates_tried(rule, best, chosen, tried):
    loss, asked = bowl(best)
    rate, scores = rule.interior_best(loss)
    assert rate == pytest.approx(chosen) and asked == pytest.approx(tried)
    ordered = sorted(scores)
    assert ordered[0] < rate < ordered[-1] and scores[rate] == min(scores.values())


def test_a_rate_that_diverges_scores_infinity(rule):
    def loss(lr):
        if lr > 2e-3:
            raise NonFiniteLoss("diverged")
        return -lr  # lower with the rate up to where it diverges

    rate, scores = rule.interior_best(loss)
    assert rate == pytest.approx(1e-3) and scores[3e-3] == float("inf")


def test_the_next_rate_keeps_the_grids_1_3_10_pattern(rule):
    assert rule.beyond([3e-4, 1e-3, 3e-3], lower=False) == pytest.approx(1e-2)
    assert rule.beyond([3e-4, 1e-3, 3e-3, 1e-2], lower=False) == pytest.approx(3e-2)
    assert rule.beyond([3e-4, 1e-3, 3e-3], lower=True) == pytest.approx(1e-4)
    assert rule.beyond([1e-4, 3e-4, 1e-3], lower=True) == pytest.approx(3e-5)
