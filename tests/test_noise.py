"""Tests for depthcore.noise: the deviation measure, reading verdict numbers back, the noise file."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from depthcore import noise
from depthcore.claims import Verdict

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=20), st.floats(0, 10))
def test_deviation_is_zero_on_equal_values_and_scales_with_the_difference(values, s):
    e = np.array(values)
    assert np.all(noise.deviation(e, e, s) == 0)
    shifted = noise.deviation(e, e + 1.0, s)
    assert np.all((shifted > 0) | ~np.isfinite(shifted))
    doubled = noise.deviation(e, e + 2.0, s)
    both = np.isfinite(doubled) & np.isfinite(shifted)  # |e| + s near the smallest float: 2 / it overflows
    np.testing.assert_allclose(doubled[both], 2 * shifted[both], rtol=1e-9)


def test_deviation_boundaries():
    assert noise.deviation([1.0], [1.5], 1.0).tolist() == [0.25]  # 0.5 / (1 + 1)
    assert noise.deviation([np.nan], [np.nan], 0.0).tolist() == [0.0]
    assert noise.deviation([np.nan], [1.0], 1.0).tolist() == [math.inf]  # NaN against a number: never noise
    assert noise.deviation([0.0], [1e-9], 0.0).tolist() == [math.inf]  # nothing to scale by: any move is too far
    assert noise.scale([0.0, -2.0, 4.0, np.nan]) == 2.0


@given(st.dictionaries(st.from_regex(r"[a-z_~A-Z]{1,12}", fullmatch=True),
                       st.one_of(st.tuples(finite, finite, finite), finite, st.integers(0, 100),
                                 st.sampled_from(["1-2-4", "3-5-6", "True"])), max_size=6))
def test_parse_numbers_reads_back_what_a_verdict_writes(numbers):
    v = Verdict("c", "m", "reproduced", "reproduced", numbers=numbers)
    text = v.numbers_text()
    back = noise.parse_numbers(text)
    assert set(back) == set(numbers)
    for key, value in numbers.items():
        if isinstance(value, tuple):
            assert back[key] == pytest.approx(value, rel=1e-3, abs=1e-4)
        elif isinstance(value, str):
            assert back[key] == value
        else:
            assert back[key][0] == pytest.approx(value, rel=1e-3)


def test_parse_numbers_of_a_recorded_finding():
    text = ("slope +0.0123 [-0.0040, +0.0310]; heldout_after 4.812; selected 3-5-6; seeds 3; "
            "nan_bound +0.1000 [nan, nan]")
    got = noise.parse_numbers(text)
    assert got["slope"] == (0.0123, -0.004, 0.031) and got["heldout_after"] == (4.812,)
    assert got["selected"] == "3-5-6" and got["seeds"] == (3.0,)
    assert got["nan_bound"][0] == 0.1 and math.isnan(got["nan_bound"][1])


def test_beyond_numbers_ignores_layer_sets_and_names_what_moved():
    n = noise.Noise(variables={"x": {"scale": 1.0, "typical": 0.001, "worst": 0.01}},
                    numbers={"rho": {"scale": 0.5, "typical": 0.05, "worst": 0.1}})
    assert n.beyond_numbers("rho +0.50 [+0.40, +0.60]; set 1-2", "rho +0.55 [+0.45, +0.65]; set 1-3") == []
    lines = n.beyond_numbers("rho +0.50 [+0.40, +0.60]", "rho +0.50 [+0.40, +0.90]")  # 0.3 / (0.6 + 0.5) > 2 * 0.1
    assert len(lines) == 1 and lines[0].startswith("rho: recorded +0.5 [+0.4, +0.6], here +0.5 [+0.4, +0.9]")
    # an unmeasured key takes the largest noise of its kind (verdict numbers: 0.1), scaled by its own size
    assert n.beyond_numbers("new 1.0 [0.9, 1.1]", "new 1.3 [1.2, 1.4]") == []
    assert n.beyond_numbers("new 1.0 [0.9, 1.1]", "new 1.5 [1.4, 1.6]") != []
    # a number without an interval (a mean of a stored variable, p, mde, a setting) is not judged
    assert n.beyond_numbers("heldout_after 1.562; p 0.06", "heldout_after 1.515; p 0.04") == []
    # no verdict number measured at all (a run stopped before its verdicts): none can be judged
    only_variables = noise.Noise(variables=n.variables)
    assert only_variables.beyond_numbers("rho +0.50 [+0.40, +0.60]", "rho -5 [-6, -4]") == []
    assert only_variables.variable_limit("unmeasured") == 2 * 0.01


def test_noise_file_round_trip(tmp_path):
    n = noise.Noise(variables={"a": {"scale": 1.0, "typical": 0.1, "worst": 0.5}},
                    numbers={"k": {"scale": 2.0, "typical": 0.01, "worst": 0.1}}, between=["x", "y"], how="test")
    path = tmp_path / "baselines" / "tiny" / "cpu" / noise.FILE
    path.parent.mkdir(parents=True)
    path.write_text(n.to_json())
    assert noise.load(path) == n
    assert noise.load(tmp_path / "missing.json") is None
    assert noise.for_baseline(tmp_path / "baselines" / "tiny" / "cpu" / "test_x" / "b.nc") == path


def test_measure_takes_the_worst_cell_and_the_median_cell():
    pairs = {"v": {"calm": ([1.0, 2.0], [1.0, 2.01]), "wild": ([1.0, 2.0], [1.5, 2.0]), "still": ([2.0], [2.0])}}
    n = noise.Noise.measure(pairs, {})
    # scale: median of |e| over all cells = 2.0 (values 1, 2, 1, 2, 2)
    assert n.variables["v"] == {"scale": 2.0, "typical": pytest.approx(0.0025),
                                "worst": pytest.approx(0.5 / 3, rel=1e-2)}
    assert n.variable_limit("v") == pytest.approx(2 * 0.167)
    assert noise.Noise().variable_limit("anything") == math.inf  # nothing measured: nothing can be judged


def test_merge_allows_whatever_either_measurement_allows():
    a = noise.Noise(variables={"v": {"scale": 1.0, "typical": 0.1, "worst": 0.5}},
                    numbers={"k": {"scale": 2.0, "typical": 0.01, "worst": 0.1}}, between=["x", "y"], how="one")
    b = noise.Noise(variables={"v": {"scale": 3.0, "typical": 0.05, "worst": 0.2}, "w": {"scale": 1.0, "typical": 0.0,
                                                                                       "worst": 0.3}},
                    numbers={"k": {"scale": 1.0, "typical": 0.02, "worst": 0.4}}, between=["x", "z"], how="two")
    m = a.merge(b)
    assert m.variables == {"v": {"scale": 3.0, "typical": 0.1, "worst": 0.5},
                           "w": {"scale": 1.0, "typical": 0.0, "worst": 0.3}}
    assert m.numbers["k"] == {"scale": 2.0, "typical": 0.02, "worst": 0.4}
    assert m.between == ["x", "y", "z"] and m.how == "one; and two"
    for moved in ([1.6], [2.2], [4.0]):  # allowed by a, by b, by neither
        by_either = not (len(a.beyond_variable("v", [1.0], moved)) and len(b.beyond_variable("v", [1.0], moved)))
        assert (len(m.beyond_variable("v", [1.0], moved)) == 0) >= by_either


def test_stored_noise_files_are_measured_and_finite():
    """Every committed numerics-noise.json names the numerics it was measured between (two or more,
    after a merge) and has a finite noise for every quantity (an infinite one would never fail)."""
    from pathlib import Path

    files = sorted((Path(__file__).resolve().parent.parent / "baselines").glob(f"*/cpu/{noise.FILE}"))
    assert files
    for path in files:
        n = noise.load(path)
        assert len(set(n.between)) == len(n.between) >= 2
        for q in (*n.variables.values(), *n.numbers.values()):
            assert 0 <= q["typical"] <= q["worst"] < 1e6 and q["scale"] >= 0
