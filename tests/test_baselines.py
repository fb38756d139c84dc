"""Tests for depthcore.baselines: compare, the difference table, dump and check.

Every difference beyond tolerance must come back as a row saying which variable, where
(the layer coordinate, not an index), what was expected and what was obtained; a missing
or unreadable baseline (damaged: its checksum fails; or one without a checksum) must fail
with the file and the command that fixes it; a baseline is never written with a NaN in it
(it could never fail afterwards).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from depthcore import baselines, results
from depthcore import noise as numerics_noise
from depthcore.baselines import DEFAULT_TOLERANCE, BaselineError, Row, check, compare, dump, format_rows, sanitise
from depthcore.config import RunSpec

NODEID = "bench/test_profile.py::test_slope[tiny-gpt2-64/clm]"
PROFILE = np.array([0.10, 0.20, 0.30, 0.40])


def result(profile=PROFILE, slope: float = 0.3, n_seq: int = 3, seconds: float = 1.5) -> xr.Dataset:
    L = len(profile)
    ds = results.new_dataset([f"h.{i}" for i in range(L)], {"tier": "tiny"})
    results.put(ds, "rep_change_cos", "layer", profile)
    results.put(ds, "rep_change_cos_seq", ("seq", "layer"), np.tile(np.arange(L) / 10, (n_seq, 1)))
    results.put(ds, "slope", (), slope)
    results.put(ds, "train_seconds", (), seconds)
    return ds


def changed(layer: int, factor: float) -> xr.Dataset:
    """`result()` with rep_change_cos at 1-based `layer` multiplied by `factor`."""
    profile = PROFILE.copy()
    profile[layer - 1] *= factor
    return result(profile)


# --- compare ------------------------------------------------------------------------------


def test_identical_results_agree():
    assert compare(result(), result()) == []


def test_change_beyond_rtol_is_one_row_naming_variable_layer_and_values():
    rows = compare(result(), changed(layer=3, factor=1.01))
    assert len(rows) == 1
    (row,) = rows
    assert row.variable == "rep_change_cos"
    assert row.where == "layer=3"
    assert row.expected == pytest.approx(0.30)
    assert row.obtained == pytest.approx(0.303)
    assert row.diff == pytest.approx(0.003)


def test_change_within_tolerance_agrees():
    # 1e-5 relative: the measured float-summation jitter the default tolerance is there for
    assert DEFAULT_TOLERANCE["rtol"] > 1e-5
    assert compare(result(), changed(layer=2, factor=1 + 1e-5)) == []


def test_per_variable_tolerance_overrides_the_default():
    obtained = changed(layer=3, factor=1.01)
    assert compare(result(), obtained, tolerances={"rep_change_cos": {"rtol": 0.05}}) == []
    # another variable's tolerance does not loosen this one
    assert [r.variable for r in compare(result(), obtained, tolerances={"slope": {"rtol": 0.05}})] == ["rep_change_cos"]
    # tighter than the default: the 1e-5 jitter now fails
    tight = compare(result(), changed(layer=2, factor=1 + 1e-5), tolerances={"rep_change_cos": {"rtol": 1e-7}})
    assert [(r.variable, r.where) for r in tight] == [("rep_change_cos", "layer=2")]


def test_default_tolerance_override():
    obtained = changed(layer=1, factor=1.01)
    assert compare(result(), obtained, default_tolerance={"rtol": 0.05}) == []
    # a per-variable tolerance still wins over the default
    rows = compare(result(), obtained, tolerances={"rep_change_cos": {"rtol": 1e-4}}, default_tolerance={"rtol": 0.05})
    assert [r.where for r in rows] == ["layer=1"]


def test_nan_obtained_against_finite_baseline_is_a_difference():
    profile = PROFILE.copy()
    profile[1] = np.nan
    rows = compare(result(), result(profile))
    assert [(r.variable, r.where) for r in rows] == [("rep_change_cos", "layer=2")]


def test_scalar_difference_is_reported_without_coordinates():
    rows = compare(result(), result(slope=0.4))
    assert [(r.variable, r.where, r.expected, r.obtained) for r in rows] == [("slope", "-", 0.3, 0.4)]


def test_per_seq_difference_names_both_dims():
    obtained = result()
    obtained["rep_change_cos_seq"][1, 3] = 9.0
    rows = compare(result(), obtained)
    assert [(r.variable, r.where) for r in rows] == [("rep_change_cos_seq", "seq=1, layer=4")]


def test_wall_clock_times_are_not_compared():
    assert compare(result(seconds=1.0), result(seconds=100.0)) == []


def test_variable_added_and_removed_are_reported():
    extra = result()
    results.put(extra, "rel_update", "layer", np.ones(4))
    added = compare(result(), extra)
    assert [(r.variable, r.expected, r.obtained, r.diff) for r in added] == [
        ("rel_update", "missing", "present", "variable added")]
    removed = compare(extra, result())
    assert [(r.variable, r.diff) for r in removed] == [("rel_update", "variable removed")]


def test_shape_change_is_reported():
    rows = compare(result(n_seq=3), result(n_seq=5))
    assert [(r.variable, r.diff) for r in rows] == [("rep_change_cos_seq", "shape differs")]
    assert "3" in rows[0].expected and "5" in rows[0].obtained


def test_layer_count_change_is_reported():
    rows = compare(result(), result(np.linspace(0.1, 0.5, 6)))
    assert {r.variable for r in rows} == {"layer", "depth", "layer_name", "rep_change_cos", "rep_change_cos_seq"}
    assert {r.diff for r in rows} == {"shape differs"}


def test_layer_names_are_compared_as_strings():
    obtained = result()
    obtained = obtained.assign_coords(layer_name=("layer", np.array(["h.0", "h.1", "x.2", "h.3"])))
    rows = compare(result(), obtained)
    assert [(r.variable, r.where, r.expected, r.obtained) for r in rows] == [("layer_name", "layer=3", "h.2", "x.2")]


def test_spec_lacking_a_newer_runspec_field_compares_as_its_default():
    def with_specs(*specs):
        ds = result()
        return ds.assign_coords(spec=("run", np.array(specs, dtype=str)))

    new = RunSpec(model="tiny-gpt2-64").to_json()
    old = json.dumps({k: v for k, v in json.loads(new).items() if k != "ls_size"}, sort_keys=True)
    assert compare(with_specs(old), with_specs(new)) == []
    other = RunSpec(model="tiny-gpt2-64", probe_size=12).to_json()  # a set field is a real difference
    rows = compare(with_specs(old), with_specs(other))
    assert [(r.variable, r.where, r.diff) for r in rows] == [("spec", "run=0", "differs")]
    # the diagnostics' sizes compare through the data they shape (ls_seq, the held-out losses)
    assert compare(with_specs(old), with_specs(RunSpec(model="tiny-gpt2-64", eval_size=64, ls_size=16).to_json())) == []


def test_format_rows_has_the_header_and_every_row():
    rows = compare(result(), changed(layer=3, factor=1.5)) + [Row("slope", "-", 0.3, 0.4, 0.1)]
    text = format_rows(rows)
    lines = text.splitlines()
    assert lines[0].split() == ["variable", "where", "expected", "obtained", "diff"]
    assert set(lines[1]) <= {"-", " "}
    assert "rep_change_cos" in lines[2] and "layer=3" in lines[2] and "0.3" in lines[2] and "0.45" in lines[2]
    assert "slope" in lines[3]
    assert len(lines) == 4


# --- dump ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_dump_refuses_non_finite_values_naming_the_variable(tmp_path, bad):
    profile = PROFILE.copy()
    profile[2] = bad
    path = tmp_path / "b.nc"
    with pytest.raises(BaselineError, match=r"variable 'rep_change_cos' has non-finite values") as info:
        dump(result(profile), path)
    assert str(path) in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_dump_writes_a_readable_result(tmp_path):
    dump(result(), tmp_path / "deep" / "b.nc")
    xr.testing.assert_identical(results.read(tmp_path / "deep" / "b.nc"), result())


# --- check --------------------------------------------------------------------------------


@pytest.fixture
def paths(tmp_path) -> tuple[Path, Path]:
    return tmp_path / "baselines" / "tiny" / "cpu" / "test_profile" / "b.nc", tmp_path / "obtained" / "b.nc"


def test_missing_baseline_fails_with_the_command_that_creates_it(paths):
    path, obtained_path = paths
    with pytest.raises(BaselineError) as info:
        check(result(), path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    msg = str(info.value)
    assert f"no baseline at {path}" in msg
    assert f"pytest '{NODEID}' --update-baselines" in msg
    assert not path.exists() and not obtained_path.exists()


def test_update_creates_then_matches_then_changes(paths):
    path, obtained_path = paths
    assert check(result(), path, update=True, obtained_path=obtained_path, nodeid=NODEID).status == "created"
    xr.testing.assert_identical(results.read(path), result())
    assert check(result(), path, update=False, obtained_path=obtained_path, nodeid=NODEID).status is None
    # an update that matches writes nothing (the file keeps its bytes)
    before = path.read_bytes()
    assert check(result(), path, update=True, obtained_path=obtained_path, nodeid=NODEID).status is None
    assert path.read_bytes() == before
    assert check(changed(3, 2.0), path, update=True, obtained_path=obtained_path, nodeid=NODEID).status == "changed"
    xr.testing.assert_identical(results.read(path), changed(3, 2.0))
    assert not obtained_path.exists()


def test_mismatch_fails_with_table_and_writes_the_obtained_file(paths):
    path, obtained_path = paths
    dump(result(), path)
    with pytest.raises(BaselineError) as info:
        check(changed(2, 1.5), path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    msg = str(info.value)
    assert f"result differs from baseline {path}" in msg
    assert re.search(r"variable\s+where\s+expected\s+obtained\s+diff", msg)
    assert re.search(r"rep_change_cos\s+layer=2\s+0\.2\s+0\.3\s+0\.1", msg)
    assert f"obtained result written to {obtained_path}" in msg
    assert f"pytest '{NODEID}' --update-baselines" in msg
    xr.testing.assert_identical(results.read(obtained_path), changed(2, 1.5))
    xr.testing.assert_identical(results.read(path), result())  # the baseline is untouched


def test_mismatch_names_packages_whose_versions_differ_from_the_baselines(paths):
    import json

    path, obtained_path = paths
    base = result().assign_attrs(versions=json.dumps({"depthcore": "0.1.0", "transformers": "5.23.0", "numpy": "2.4.6"}))
    dump(base, path)
    here = changed(2, 1.5).assign_attrs(versions=json.dumps({"depthcore": "0.2.0", "transformers": "5.24.0",
                                                               "numpy": "2.4.6"}))
    with pytest.raises(BaselineError) as info:
        check(here, path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    msg = str(info.value)
    assert "packages differ: transformers 5.23.0 (baseline) vs 5.24.0 (here)." in msg
    line = next(l for l in msg.splitlines() if l.startswith("packages differ"))
    assert "numpy" not in line and "depthcore" not in line  # equal versions, and depthcore's own is the code
    assert "-c baselines/constraints.txt" in line
    dump(result().assign_attrs(versions=here.attrs["versions"]), path)  # same versions: no such line
    with pytest.raises(BaselineError) as info:
        check(here, path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    assert "packages differ" not in str(info.value)


def other_numerics(ds: xr.Dataset) -> xr.Dataset:
    return ds.assign_attrs(numerics="0" * 16, numerics_info="another machine")


def test_results_carry_this_machines_numerics():
    from depthcore import numerics

    assert result().attrs["numerics"] == numerics.fingerprint()
    assert "threads" in result().attrs["numerics_info"]


def test_other_numerics_without_measured_noise_compare_structure_only(paths):
    path, obtained_path = paths
    dump(other_numerics(result()), path)
    # no numerics-noise.json for the tier: numbers 50% off are not judged, and said so
    assert check(changed(2, 1.5), path, update=False, obtained_path=obtained_path, nodeid=NODEID).status == "structure"
    # ... but a structural change still fails, and the message names both machines' numerics
    with pytest.raises(BaselineError, match="variable removed") as info:
        check(changed(2, 1.5).drop_vars("slope"), path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    assert "numerics: baseline another machine; here torch" in str(info.value)
    with pytest.raises(BaselineError, match="shape differs"):
        check(result(profile=np.arange(5.0)), path, update=False, obtained_path=obtained_path, nodeid=NODEID)


def write_noise(path: Path, **variables: float) -> None:
    """A tier's numerics-noise.json beside the baseline at `path` (baselines/<tier>/<device>/):
    each variable measured to move by at most the given deviation, at scale 0.25."""
    noise_path = numerics_noise.for_baseline(path)
    noise_path.parent.mkdir(parents=True, exist_ok=True)
    noise_path.write_text(numerics_noise.Noise(
        variables={k: {"scale": 0.25, "typical": v, "worst": v} for k, v in variables.items()}).to_json())


def test_other_numerics_compare_numbers_within_the_measured_noise(paths):
    path, obtained_path = paths
    dump(other_numerics(result()), path)
    # rep_change_cos measured to move by at most 0.1 of (|e| + median |e|); MARGIN doubles it
    write_noise(path, rep_change_cos=0.1, rep_change_cos_seq=0.0, slope=0.0)
    # layer 2: e = 0.2, scale 0.25: allowed |diff| <= 2 * 0.1 * 0.45 = 0.09
    out = check(changed(2, 1.4), path, update=False, obtained_path=obtained_path, nodeid=NODEID)  # +0.08
    assert out.status == "foreign" and out.noise.variables["rep_change_cos"]["worst"] == 0.1
    assert not obtained_path.exists()
    with pytest.raises(BaselineError, match="rep_change_cos +layer=2 +0.2 +0.3 .*noise allows 0.2") as info:
        check(changed(2, 1.5), path, update=False, obtained_path=obtained_path, nodeid=NODEID)  # +0.10
    assert "not float noise" in str(info.value) and obtained_path.exists()


def test_stored_value_perturbed_beyond_noise_fails_on_other_numerics(paths):
    """A number that moved further than other numerics ever moved it is a change, not noise."""
    path, obtained_path = paths
    write_noise(path, rep_change_cos=0.1, rep_change_cos_seq=0.0, slope=0.0)
    baseline = other_numerics(result())
    baseline["slope"] = baseline["slope"] * 1.01  # slope never moved under other numerics
    dump(baseline, path)
    with pytest.raises(BaselineError, match="slope"):
        check(result(), path, update=False, obtained_path=obtained_path, nodeid=NODEID)


def test_other_numerics_are_never_held_tighter_than_the_baselines_own(paths):
    """A quantity measured not to move at all (noise 0) still gets the same-numerics tolerance."""
    path, obtained_path = paths
    dump(other_numerics(result()), path)
    write_noise(path, rep_change_cos=0.0, rep_change_cos_seq=0.0, slope=0.0)
    assert check(changed(2, 1.0005), path, update=False, obtained_path=obtained_path,  # within rtol 1e-3
                 nodeid=NODEID).status == "foreign"
    with pytest.raises(BaselineError, match="rep_change_cos"):
        check(changed(2, 1.002), path, update=False, obtained_path=obtained_path, nodeid=NODEID)


def test_a_variable_the_noise_never_measured_gets_the_largest_noise(paths):
    path, obtained_path = paths
    dump(other_numerics(result()), path)
    write_noise(path, rep_change_cos=0.5)  # slope unmeasured: allowed 2 * 0.5 * (0.3 + 0.3) = 0.6
    assert check(result(slope=0.85), path, update=False, obtained_path=obtained_path, nodeid=NODEID).status == "foreign"
    with pytest.raises(BaselineError, match="slope"):
        check(result(slope=0.95), path, update=False, obtained_path=obtained_path, nodeid=NODEID)


def _with_freeze(ds: xr.Dataset, *freezes: tuple[int, ...]) -> xr.Dataset:
    """`ds` as a concatenation of one run per `freezes` entry (its spec's frozen layers)."""
    runs = [ds.assign_attrs(spec=RunSpec(model="tiny-gpt2-64", freeze=f).to_json()) for f in freezes]
    return results.concat(runs)


def test_layers_derived_from_data_are_data_on_other_numerics(paths):
    """Paper C's selected layers come from d_l: on other numerics a near-tie may select others.
    That run is then another run (its numbers are not compared) and the move is reported; the
    other runs are compared within noise, and a field not declared derived stays identity."""
    path, obtained_path = paths
    write_noise(path, rep_change_cos=0.0, rep_change_cos_seq=0.0, slope=0.0)
    dump(other_numerics(_with_freeze(result(), (1, 2), (1, 3))), path)
    moved = _with_freeze(result(), (1, 2), (1, 4))
    moved["rep_change_cos"][1] *= 3  # the moved run's numbers are another run's
    out = check(moved, path, update=False, obtained_path=obtained_path, nodeid=NODEID, derived=("freeze",))
    assert out.status == "foreign"
    moves = [(m.variable, m.where, m.expected, m.obtained) for m in out.moves]
    assert moves == [("freeze", "run=1", "[1, 3]", "[1, 4]")]
    with pytest.raises(BaselineError, match="spec"):  # not declared derived: the run's identity changed
        check(moved, path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    unmoved_changed = _with_freeze(result(), (1, 2), (1, 4))
    unmoved_changed["rep_change_cos"][0] *= 3  # run 0 kept its layers: compared, and beyond noise
    with pytest.raises(BaselineError, match="rep_change_cos +run=0"):
        check(unmoved_changed, path, update=False, obtained_path=obtained_path, nodeid=NODEID, derived=("freeze",))


def test_layers_derived_from_data_are_identity_on_the_baselines_numerics(paths):
    path, obtained_path = paths
    dump(_with_freeze(result(), (1, 2), (1, 3)), path)
    with pytest.raises(BaselineError, match="freeze"):
        check(_with_freeze(result(), (1, 2), (1, 4)), path, update=False, obtained_path=obtained_path,
              nodeid=NODEID, derived=("freeze",))


def test_same_numerics_compare_numbers(paths):
    path, obtained_path = paths
    dump(result(), path)
    with pytest.raises(BaselineError, match="rep_change_cos"):
        check(changed(2, 1.5), path, update=False, obtained_path=obtained_path, nodeid=NODEID)


def test_update_rewrites_a_baseline_made_with_other_numerics(paths):
    path, obtained_path = paths
    dump(other_numerics(result()), path)
    assert check(result(), path, update=True, obtained_path=obtained_path, nodeid=NODEID).status == "changed"
    assert results.read(path).attrs["numerics"] == result().attrs["numerics"]


def test_mismatch_within_given_tolerance_passes(paths):
    path, obtained_path = paths
    dump(result(), path)
    assert check(changed(2, 1.01), path, update=False, obtained_path=obtained_path, nodeid=NODEID,
                 tolerances={"rep_change_cos": {"rtol": 0.02}}).status is None
    assert check(changed(2, 1.01), path, update=False, obtained_path=obtained_path, nodeid=NODEID,
                 default_tolerance={"rtol": 0.02}).status is None
    assert not obtained_path.exists()


def test_corrupt_baseline_fails_naming_the_file(paths):
    path, obtained_path = paths
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage, not netCDF")
    with pytest.raises(BaselineError, match=re.escape(f"baseline {path} is unusable")) as info:
        check(result(), path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    assert "--update-baselines" in str(info.value)
    assert path.read_bytes() == b"garbage, not netCDF"


def test_corrupt_baseline_is_rewritten_on_update(paths):
    path, obtained_path = paths
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage, not netCDF")
    assert check(result(), path, update=True, obtained_path=obtained_path, nodeid=NODEID).status == "changed"
    xr.testing.assert_identical(results.read(path), result())


def test_flipped_byte_in_baseline_is_unusable_naming_the_fix(paths):
    path, obtained_path = paths
    profile = np.array([0.10, 0.20, 0.30, 0.4321])  # 0.4321 occurs once in the file
    dump(result(profile), path)
    data = bytearray(path.read_bytes())
    data[data.index(np.float64(0.4321).tobytes())] ^= 0x01  # 1 ulp: within tolerance, only the checksum sees it
    path.write_bytes(bytes(data))
    with pytest.raises(BaselineError, match=re.escape(f"baseline {path} is unusable: ")) as info:
        check(result(profile), path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    msg = str(info.value)
    assert "fails its file checksum" in msg
    assert f"pytest '{NODEID}' --update-baselines" in msg and f"git checkout -- {path}" in msg
    assert path.read_bytes() == bytes(data) and not obtained_path.exists()


def test_baseline_without_checksum_is_unusable_and_rewritten_by_update(paths):
    path, obtained_path = paths
    path.parent.mkdir(parents=True)
    result().to_netcdf(path, engine="netcdf4")  # as depthcore wrote baselines before checksums
    with pytest.raises(BaselineError, match="has no checksum") as info:
        check(result(), path, update=False, obtained_path=obtained_path, nodeid=NODEID)
    assert f"pytest '{NODEID}' --update-baselines" in str(info.value)
    # it matches, but --update-baselines still rewrites it, now with a checksum
    assert check(result(), path, update=True, obtained_path=obtained_path, nodeid=NODEID).status == "changed"
    xr.testing.assert_identical(results.read(path), result())
    assert check(result(), path, update=True, obtained_path=obtained_path, nodeid=NODEID).status is None


def test_update_refuses_a_nan_result_and_keeps_the_baseline(paths):
    path, obtained_path = paths
    dump(result(), path)
    before = path.read_bytes()
    profile = PROFILE.copy()
    profile[0] = np.nan
    with pytest.raises(BaselineError, match="'rep_change_cos' has non-finite values"):
        check(result(profile), path, update=True, obtained_path=obtained_path, nodeid=NODEID)
    assert path.read_bytes() == before


def test_baseline_error_is_an_assertion_error():
    # pytest reports it as a test failure, not an error in the test's machinery
    assert issubclass(BaselineError, AssertionError)


# --- file names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("test_id", "name"),
    [
        ("test_x[tiny-gpt2-64/clm]", "test_x-tiny-gpt2-64_clm"),
        ("test_x", "test_x"),
        ("test_slope[a b:c*?]", "test_slope-a_b_c__"),
        ("test_y[1.5e-3-sgd]", "test_y-1.5e-3-sgd"),
    ],
)
def test_sanitise(test_id, name):
    assert sanitise(test_id) == name
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", baselines.sanitise(test_id))


def test_every_stored_baseline_of_a_tier_was_made_with_one_numerics():
    """A session pins, and judges verdicts, by its tier's numerics (pytest_plugin.baseline_numerics
    reads one file per tier): a baseline rewritten on a machine with other kernels would be held
    only to the numerics noise on the baselines' own machine, and its recorded verdicts with it."""
    root = Path(__file__).resolve().parent.parent / "baselines"
    for tier in sorted(p for p in root.glob("*/*") if p.is_dir()):
        made = {}
        for path in sorted(tier.rglob("*.nc")):
            with xr.open_dataset(path, engine="netcdf4") as ds:
                made.setdefault(ds.attrs.get("numerics", ""), []).append(path.relative_to(root).as_posix())
        if len(made) > 1:
            most = max(made, key=lambda k: len(made[k]))
            odd = "\n".join(f"  {f} ({k})" for k, files in made.items() if k != most for f in files)
            pytest.fail(f"baselines/{tier.relative_to(root).as_posix()}: {len(made[most])} files made with numerics "
                        f"{most}, these with others:\n{odd}\nfix: rewrite them with pytest bench --update-baselines "
                        f"in a session that computes with {most} (the baselines' machine, where the session "
                        "pins its kernels: docs/design.md#numerics)")
