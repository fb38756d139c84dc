"""`claims.scale_narrowing` and `claims.cross_agreement` at the boundaries of their rules, on synthetic runs."""

import numpy as np
import pytest
from synthetic import edge, fake_run

from depthcore import claims, results, stats
from depthcore.config import RunSpec
from depthcore.criteria import CONTROL_INERT_BELOW

S, N, L = 3, 12, 6
DEPTH = stats.depth(L)


pytestmark = pytest.mark.usefixtures("fewer_resamples")  # tests/conftest.py: 200 resamples


def profiles(slope, offset=0.1, noise=0.01, seed=0):
    return offset + slope * DEPTH + noise * np.random.default_rng(seed).standard_normal((S, N, L))


def cell(model, profile, strength=0.3):
    spec = RunSpec(model, condition="equal_step", optimizer="sgd")
    return [fake_run(spec.replace(seed=s), profile=profile[s], control_strength=strength) for s in range(S)]


def scale(small_gap, large_par_slope, strength=0.3):
    """Small pair: sequential slope 0.2 vs parallel 0.2 - small_gap; large pair: 0.2 vs large_par_slope."""
    return claims.scale_narrowing(cell("tiny-gpt2-64", profiles(0.2), strength),
                                  cell("tiny-neox-64", profiles(0.2 - small_gap, seed=1), strength),
                                  cell("tiny-gpt2-128", profiles(0.2, seed=2), strength),
                                  cell("tiny-neox-128", profiles(large_par_slope, seed=3), strength))


def test_scale_both_large_slopes_positive_and_the_gap_narrows():
    v = scale(small_gap=0.2, large_par_slope=0.2)
    assert (v.verdict, v.strict) == ("reproduced", "gap narrows")
    assert v.numbers["abs_gap_change"][2] < 0


def test_scale_verdict_at_the_large_parallel_slope_lower_bound():
    base = profiles(0.0, seed=3)
    below, above = edge(lambda t: stats.profile_ci(base + t * DEPTH, DEPTH)[1] > 0, -0.1, 0.1)
    no, yes = (claims.scale_narrowing(cell("tiny-gpt2-64", profiles(0.2)), cell("tiny-neox-64", profiles(0.0, seed=1)),
                                      cell("tiny-gpt2-128", profiles(0.2, seed=2)),
                                      cell("tiny-neox-128", base + t * DEPTH)) for t in (below, above))
    assert no.verdict.startswith("inconclusive (underpowered: ") and yes.verdict == "reproduced"
    falling = claims.scale_narrowing(cell("tiny-gpt2-64", profiles(0.2)), cell("tiny-neox-64", profiles(0.0, seed=1)),
                                     cell("tiny-gpt2-128", profiles(0.2, seed=2)),
                                     cell("tiny-neox-128", base - 0.05 * DEPTH))
    assert falling.verdict == "not reproduced"


def test_scale_gap_that_widens_does_not_narrow():
    v = scale(small_gap=0.0, large_par_slope=0.05)
    assert v.strict == "gap does not narrow" and v.numbers["abs_gap_change"][2] >= 0


@pytest.mark.parametrize("strength,inert", [(CONTROL_INERT_BELOW - 1e-4, True), (CONTROL_INERT_BELOW + 1e-4, False)])
def test_scale_control_inert_overrides_both_readings(strength, inert):
    v = scale(small_gap=0.2, large_par_slope=0.2, strength=strength)
    assert ((v.verdict, v.strict) == ("control inert", "control inert")) == inert


def cross(local, sensitivity, deviation):
    """A cell of three full fine-tuning runs with the given per-layer profiles (plus per-sequence noise)."""
    out = []
    for s in range(S):
        rng = np.random.default_rng(s)
        ds = fake_run(RunSpec("tiny-gpt2-64", seed=s), profile=0.1 + 0.01 * rng.random((N, L)),
                      local=np.asarray(local) + 0.01 * rng.random((N, L)))
        ds = ds.assign_coords(ls_seq=np.arange(N))
        results.put(ds, "sensitivity_seq", ("ls_seq", "layer"), np.asarray(sensitivity) + 0.01 * rng.random((N, L)))
        results.put(ds, "semantic_deviation_seq", ("seq", "layer"), np.asarray(deviation) + 0.01 * rng.random((N, L)))
        out.append(ds)
    return out


RISING, FALLING = np.linspace(0.1, 1.0, L), np.linspace(1.0, 0.1, L)


def test_cross_signs_follow_the_profiles():
    v = claims.cross_agreement(cross(RISING, FALLING, RISING), "A~B -, A~C +, B~C -")
    assert v.verdict == "A~B -, A~C +, B~C -" and v.reproduced
    assert v.numbers["set_A"] == "4-5-6" and v.numbers["set_C"] == "4-5-6" and v.numbers["overlap_AB"] == 0.0


def test_cross_unrelated_profiles_read_as_question_marks():
    flat = np.full(L, 0.5)
    v = claims.cross_agreement(cross(RISING, flat, flat), "A~B -, A~C +, B~C -")
    assert v.verdict == "A~B ?, A~C ?, B~C ?" and not v.reproduced
