"""Tests for depthcore.testing: `assert_profile_close` and `assert_verdict`, passing and failing,
with the messages a user reads. Results: synthetic runs (tests/synthetic.py: a cell of three
seeds, its profile placed where a test wants it) and a real `depthcore.diff` of two random
4-layer GPT-2s that differ only in their last block's MLP."""

import re

import numpy as np
import pytest
import torch
import xarray as xr

import depthcore
from depthcore import results
from depthcore.config import RunSpec
from depthcore.testing import assert_profile_close, assert_verdict, verdicts_of
from synthetic import L, N, fake_run

BASE = RunSpec("tiny-gpt2-64", optimizer="sgd")


def profile(values) -> xr.Dataset:
    ds = results.new_dataset([f"h.{i}" for i in range(len(values))], {"model": "m"})
    results.put(ds, "rep_change_cos", "layer", values)
    results.put(ds, "slope", (), 0.1)
    return ds


# --- assert_profile_close ----------------------------------------------------------------


def test_profiles_within_tolerance_pass():
    a = profile([0.1, 0.2, 0.3])
    assert_profile_close(a, a)
    assert_profile_close(profile([0.1, 0.2 * (1 + 0.9e-3), 0.3]), a)  # default rtol 1e-3
    assert_profile_close(profile([0.1, 0.25, 0.3]), a, rtol=0.3)
    assert_profile_close(a["rep_change_cos"] + 5e-7, a["rep_change_cos"])  # DataArrays; default atol 1e-6


def test_profiles_beyond_tolerance_fail_naming_variable_layers_expected_and_obtained():
    with pytest.raises(AssertionError) as info:
        assert_profile_close(profile([0.1, 0.2 * (1 + 1.1e-3), 0.35]), profile([0.1, 0.2, 0.3]))
    msg = str(info.value)
    assert msg.startswith("profiles differ beyond rtol=0.001, atol=1e-06 in 1 variable (rep_change_cos):")
    assert re.search(r"variable\s+where\s+expected\s+obtained\s+diff", msg)
    assert re.search(r"rep_change_cos\s+layer=2 \(h\.1\)\s+0\.2\s+0\.20022\s+0\.00022", msg)
    assert re.search(r"rep_change_cos\s+layer=3 \(h\.2\)\s+0\.3\s+0\.35\s+0\.05", msg)
    assert "layer=1" not in msg  # the layer that agrees is not listed

    # atol alone: a difference of 2e-6 fails at atol 1e-6 with rtol 0, passes at atol 3e-6
    base = profile([0.0, 0.0, 0.0])
    with pytest.raises(AssertionError, match=r"layer=1 \(h\.0\)"):
        assert_profile_close(profile([2e-6, 0.0, 0.0]), base, rtol=0.0)
    assert_profile_close(profile([2e-6, 0.0, 0.0]), base, rtol=0.0, atol=3e-6)


def test_a_missing_variable_and_another_shape_are_rows_of_their_own():
    a, b = profile([0.1, 0.2, 0.3]), profile([0.1, 0.2, 0.3])
    results.put(b, "width", (), 3.0)
    with pytest.raises(AssertionError) as info:
        assert_profile_close(a, b)
    assert re.search(r"width\s+-\s+present\s+missing\s+variable removed", str(info.value))
    with pytest.raises(AssertionError, match=r"rep_change_cos\s+-\s+\('layer',\)\(3,\)\s+\('layer',\)\(4,\)"):
        assert_profile_close(profile([0.1, 0.2, 0.3, 0.4])["rep_change_cos"], a["rep_change_cos"])


def test_bad_inputs_are_named():
    with pytest.raises(TypeError, match="actual is a ndarray; give an xarray Dataset"):
        assert_profile_close(np.zeros(3), profile([0.0, 0.0, 0.0]))
    with pytest.raises(ValueError, match=r"rtol=-0\.1 is not a tolerance; give a number >= 0"):
        assert_profile_close(xr.Dataset(), xr.Dataset(), rtol=-0.1)


# --- assert_verdict on runs --------------------------------------------------------------


def cell(profile_=None):
    """Three seeds of one standard cell, concatenated as a sweep or a baseline stores them."""
    return results.concat([fake_run(BASE.replace(seed=s), profile=profile_) for s in range(3)])


def test_assert_verdict_passes_on_the_verdict_the_claims_give():
    ds = cell()
    (v,) = assert_verdict(ds, "output_proximal", "reproduced")
    assert v.claim == "output_proximal" and v.verdict == "reproduced" and v.numbers["seeds"] == 3
    assert_verdict(ds, "output_proximal", "reproduced", strict="steeper than null")


def test_assert_verdict_fails_with_a_table_of_the_cell():
    depth = np.linspace(0, 1, L)
    falling = 0.3 - 0.2 * depth + 0.01 * np.random.default_rng(0).random((N, L))  # change nearest the input
    with pytest.raises(AssertionError) as info:
        assert_verdict(cell(falling), "output_proximal", "reproduced")
    msg = str(info.value)
    assert msg.splitlines()[0] == "claim output_proximal: 1 of 1 readings differ"
    assert re.search(r"cell\s+reading\s+expected\s+obtained\s+numbers", msg)
    assert re.search(r"tiny-gpt2-64 clm sgd\s+verdict\s+reproduced\s+not reproduced\s+slope -0\.19\d+ \[-", msg)


def test_assert_verdict_on_a_claim_not_judged_names_those_that_are():
    with pytest.raises(AssertionError) as info:
        assert_verdict(cell(), "equal_step", "retained")
    assert ("no verdict of claim 'equal_step' on this result; claims judged on it: local_vs_propagated, "
            "output_proximal") in str(info.value)
    with pytest.raises(TypeError, match="result is a list; give a depthcore result Dataset"):
        assert_verdict([cell()], "output_proximal", "reproduced")


def test_inconclusive_matches_any_inconclusive_verdict():
    flat = 0.1 + 0.05 * np.random.default_rng(1).random((N, L))  # no depth trend
    (v,) = [x for x in verdicts_of(cell(flat)) if x.claim == "output_proximal"]
    assert v.verdict.startswith("inconclusive (")
    assert_verdict(cell(flat), "output_proximal", "inconclusive")
    assert_verdict(cell(flat), "output_proximal", v.verdict)


# --- on a diff -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def last_block_diff(tmp_path_factory, tok, tiny_gpt2):
    """depthcore.diff of a random 4-layer GPT-2 against itself with its last block's MLP moved."""
    where = tmp_path_factory.mktemp("finetune")
    base = tiny_gpt2(seed=0)
    tuned = tiny_gpt2(seed=0)
    with torch.no_grad():
        for p in tuned.transformer.h[-1].mlp.parameters():
            p.add_(0.05 * torch.randn(p.shape, generator=torch.Generator().manual_seed(1)))
    for name, model in (("base", base), ("tuned", tuned)):
        model.save_pretrained(where / name)
        tok.save_pretrained(where / name)
    (where / "probe.txt").write_text("\n".join(f"the fox {i} jumps over the lazy dog and runs away" for i in range(8)))
    return depthcore.diff(str(where / "base"), str(where / "tuned"), probe_file=where / "probe.txt",
                          probe_size=4, seq_len=16, null_draws=2)


def test_assert_verdict_judges_a_diff_as_diff_verdicts_does(last_block_diff):
    ds = last_block_diff
    assert np.all(ds["rep_change_cos"].values[:-1] == 0) and ds["rep_change_cos"].values[-1] > 0
    (v,) = assert_verdict(ds, "output_proximal", "reproduced")
    assert v.numbers["null_draws"] == 2  # the diff's wording of a run's verdict (diff.verdicts)
    assert_verdict(ds, "local_vs_propagated", "learned near the output")
    with pytest.raises(AssertionError) as info:
        assert_verdict(ds, "output_proximal", "not reproduced")
    assert re.search(r"base -> .*tuned clm\s+verdict\s+not reproduced\s+reproduced\s+slope \+", str(info.value))
    assert_profile_close(ds, ds.copy(deep=True))
