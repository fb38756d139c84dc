"""Tests for depthcore.results: the result schema, its netCDF round trip and atomic writes.

A result read back must be the result written (values, dims, coords and attrs); a file
that is not a current depthcore result must raise `ResultError` naming the file; a file
whose contents no longer match its checksum, or that has none, must too (docs/design.md
"Results"); and a write that fails at any point must leave the previous file byte-identical,
with no temp files beside it (docs/design.md "Results": "written atomically (temp file + rename)").
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from depthcore import results
from depthcore.results import SCHEMA_VERSION, VARIABLES, ResultError

PROPERTY = settings(max_examples=40, deadline=None)  # deadline off: netCDF I/O on 2 shared cores jitters
SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)
PER_LAYER = ["rep_change_cos", "rep_change_cka", "rel_update", "dW_mean", "dW_var", "semantic_deviation"]
PER_SEQ_LAYER = ["rep_change_cos_seq", "rep_change_local_seq", "null_rep_change_cos_seq"]
SCALARS = ["slope", "slope_lo", "slope_hi", "width", "width_frac", "final_loss", "accuracy"]


def small_result(L: int = 4, scale: float = 1.0) -> xr.Dataset:
    ds = results.new_dataset([f"h.{i}" for i in range(L)], {"spec": {"model": "m", "steps": 3}, "tier": "tiny"})
    results.put(ds, "rep_change_cos", "layer", scale * np.linspace(0.1, 0.4, L))
    results.put(ds, "rep_change_cos_seq", ("seq", "layer"), scale * np.arange(3 * L, dtype=float).reshape(3, L))
    results.put(ds, "slope", (), scale * 0.3)
    return ds


def no_temp_files(directory: Path, keep: set[str]) -> list[str]:
    """Names in `directory` other than `keep` (atomic writes leave none)."""
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


# --- round trip ---------------------------------------------------------------------------


@st.composite
def result_datasets(draw) -> xr.Dataset:
    L = draw(st.integers(1, 12))
    names = draw(st.lists(st.text(alphabet=SAFE, min_size=1, max_size=16), min_size=L, max_size=L))
    attrs = {"spec": {"model": draw(st.text(alphabet=SAFE, min_size=1, max_size=10)), "seed": draw(st.integers(0, 99))},
             "tier": draw(st.sampled_from(["tiny", "small"])), "params": draw(st.integers(1, 2**40)),
             "lr": draw(FINITE)}
    ds = results.new_dataset(names, attrs)
    for name in draw(st.lists(st.sampled_from(PER_LAYER), min_size=1, unique=True)):
        results.put(ds, name, "layer", draw(hnp.arrays(np.float64, L, elements=FINITE)))
    n_seq = draw(st.integers(1, 5))
    for name in draw(st.lists(st.sampled_from(PER_SEQ_LAYER), unique=True)):
        results.put(ds, name, ("seq", "layer"), draw(hnp.arrays(np.float64, (n_seq, L), elements=FINITE)))
    for name in draw(st.lists(st.sampled_from(SCALARS), unique=True)):
        results.put(ds, name, (), draw(FINITE))
    return ds


@PROPERTY
@given(result_datasets())
def test_write_then_read_is_identical(ds):
    with tempfile.TemporaryDirectory() as d:
        path = results.write(ds, Path(d) / "run.nc")
        back = results.read(path)
        assert no_temp_files(Path(d), {"run.nc"}) == []
    xr.testing.assert_identical(back, ds)
    # exact, not merely close: baselines compare read-back values with fresh ones
    for name in ds.data_vars:
        np.testing.assert_array_equal(back[name].values, ds[name].values)
    assert list(back["layer_name"].values) == list(ds["layer_name"].values)
    assert json.loads(back.attrs["spec"]) == json.loads(ds.attrs["spec"])


def test_new_dataset_coords():
    ds = results.new_dataset(["a", "b", "c", "d", "e"], {"tier": "tiny"})
    assert ds.sizes == {"layer": 5}
    np.testing.assert_array_equal(ds["layer"].values, [1, 2, 3, 4, 5])
    np.testing.assert_allclose(ds["depth"].values, [0, 0.25, 0.5, 0.75, 1.0])
    assert list(ds["layer_name"].values) == ["a", "b", "c", "d", "e"]
    assert ds.attrs["depthcore_schema"] == SCHEMA_VERSION
    one = results.new_dataset(["only"], {})
    np.testing.assert_array_equal(one["depth"].values, [0.0])


def test_put_attaches_units_and_long_name_from_variables():
    ds = small_result()
    for name in ("rep_change_cos", "rep_change_cos_seq", "slope"):
        assert (ds[name].attrs["units"], ds[name].attrs["long_name"]) == VARIABLES[name]
    assert ds["rep_change_cos_seq"].dims == ("seq", "layer")


@pytest.mark.parametrize("threads", [1, 2])
def test_fake_runs_are_what_new_dataset_and_put_build(threads):
    """tests/synthetic.py builds its runs on a fast path (provenance read once, one update): the
    same Dataset, variables, attrs, their order and dtypes as results.new_dataset plus results.put."""
    import torch
    from synthetic import fake_run

    from depthcore.config import RunSpec

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        fast = fake_run(RunSpec("tiny-gpt2-64", freeze=(1,), seed=3))
        provenance = ("depthcore_schema", "git_commit", "versions", "numerics", "numerics_info")
        own = {k: v for k, v in fast.attrs.items() if k not in provenance}  # the run's, not provenance
        plain = results.new_dataset(list(fast["layer_name"].values), own).assign_coords(
            seq=fast["seq"].values, step=fast["step"].values, log_step=fast["log_step"].values)
        for name in fast.data_vars:
            results.put(plain, name, fast[name].dims, fast[name].values)
    finally:
        torch.set_num_threads(before)
    xr.testing.assert_identical(fast, plain)
    assert list(fast.variables) == list(plain.variables) and list(fast.attrs) == list(plain.attrs)
    assert all(fast[k].dtype == plain[k].dtype for k in plain.variables)


def test_put_unknown_variable_raises():
    ds = small_result()
    with pytest.raises(ResultError, match=r"variable 'rep_change_cosine' is not in depthcore\.results\.VARIABLES"):
        results.put(ds, "rep_change_cosine", "layer", np.zeros(4))
    assert "rep_change_cosine" not in ds


def test_write_refuses_a_variable_without_units(tmp_path):
    ds = small_result()
    ds["stray"] = ("layer", np.zeros(4))
    with pytest.raises(ResultError, match=r"variable 'stray' lacks units/long_name"):
        results.write(ds, tmp_path / "run.nc")
    assert list(tmp_path.iterdir()) == []


# --- unreadable files raise ResultError naming the file -----------------------------------


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a netCDF file\n" * 10)


def _truncated(path: Path) -> None:
    results.write(small_result(L=12), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _no_schema(path: Path) -> None:
    xr.Dataset({"x": ("layer", np.arange(3.0))}, coords={"layer": [1, 2, 3]}).to_netcdf(path, engine="netcdf4")


def _other_schema(path: Path) -> None:
    ds = small_result()
    ds.attrs["depthcore_schema"] = SCHEMA_VERSION + 1
    ds.to_netcdf(path, engine="netcdf4")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_garbage, "is not a readable netCDF depthcore result"),
        (_truncated, "is not a readable netCDF depthcore result"),
        (_empty, "is not a readable netCDF depthcore result"),
        (_no_schema, r"is not a depthcore result \(no 'depthcore_schema' attribute\)"),
        (_other_schema, f"has depthcore schema {SCHEMA_VERSION + 1}, this depthcore reads {SCHEMA_VERSION}"),
    ],
    ids=["not-netcdf", "truncated", "empty", "no-schema-attr", "other-schema-version"],
)
def test_read_bad_file_raises_result_error_naming_it(tmp_path, make, message):
    path = tmp_path / "sub dir" / "run.nc"
    path.parent.mkdir()
    make(path)
    with pytest.raises(ResultError, match=message) as info:
        results.read(path)
    assert str(path) in str(info.value)


def test_read_missing_file_names_it(tmp_path):
    path = tmp_path / "nope.nc"
    with pytest.raises(ResultError, match=re.escape(f"{path}: no such result file")):
        results.read(path)


def test_read_returns_loaded_data_and_closes_the_file(tmp_path):
    path = results.write(small_result(), tmp_path / "run.nc")
    back = results.read(path)
    path.unlink()  # values must already be in memory
    np.testing.assert_allclose(back["rep_change_cos"].values, small_result()["rep_change_cos"].values)


# --- checksum: a changed byte never reads as a valid result --------------------------------

MARKER = 12345.678  # occurs once in a `marked_result` file, so its bytes can be found there


def marked_result() -> xr.Dataset:
    ds = small_result()
    values = np.arange(400.0).reshape(100, 4)
    values[50, 2] = MARKER
    results.put(ds, "rep_change_cos_seq", ("seq", "layer"), values)
    return ds


def flip_byte(path: Path, needle: bytes, offset: int = 0) -> None:
    """Flip the lowest bit of byte `offset` of the one occurrence of `needle` in the file."""
    data = bytearray(path.read_bytes())
    assert data.count(needle) == 1
    data[data.index(needle) + offset] ^= 0x01
    path.write_bytes(bytes(data))


def without_trailer(path: Path) -> Path:
    """The file as plain netCDF: its TRAILER cut off (as a file written before trailers, or cut short)."""
    data = path.read_bytes()
    path.write_bytes(data[:data.rindex(results.TRAILER)])
    return path


def test_damaged_file_fails_its_file_checksum_before_anything_parses_it(tmp_path, monkeypatch):
    path = results.write(marked_result(), tmp_path / "run.nc")
    assert path.read_bytes()[-83:].startswith(results.TRAILER)
    flip_byte(path, np.float64(MARKER).tobytes())
    with xr.open_dataset(path, engine="netcdf4") as f:  # other readers ignore the trailer
        assert f["rep_change_cos_seq"].values[50, 2] == np.nextafter(MARKER, np.inf)

    def parse(*args, **kwargs):
        raise AssertionError("a damaged file reached the netCDF parser")

    monkeypatch.setattr(xr, "open_dataset", parse)
    with pytest.raises(ResultError, match="fails its file checksum") as info:
        results.read(path)
    assert str(path) in str(info.value) and "delete it and recompute" in str(info.value)


def test_a_damaged_trailer_leaves_the_file_to_the_checksum_attr(tmp_path):
    path = results.write(small_result(), tmp_path / "run.nc")
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01  # a hex digit of the stored hash
    path.write_bytes(bytes(data))
    with pytest.raises(ResultError, match="fails its file checksum"):
        results.read(path)
    path.write_bytes(bytes(data[:-83]) + b"\ndepthcore-sha25x" + bytes(data[-66:]))  # no trailer any more
    xr.testing.assert_identical(results.read(path), results.read(results.write(small_result(), tmp_path / "b.nc")))


def test_flipped_data_byte_fails_the_checksum_naming_the_file(tmp_path):
    path = without_trailer(results.write(marked_result(), tmp_path / "run.nc"))
    flip_byte(path, np.float64(MARKER).tobytes())
    with xr.open_dataset(path, engine="netcdf4") as f:  # netCDF reads it as valid: one value moved by 1 ulp
        assert f["rep_change_cos_seq"].values[50, 2] == np.nextafter(MARKER, np.inf)
    with pytest.raises(ResultError, match="fails its checksum") as info:
        results.read(path)
    assert str(path) in str(info.value) and "delete it and recompute" in str(info.value)


def test_flipped_attribute_byte_fails_the_checksum(tmp_path):
    # HDF5 checksums the object headers that hold short attrs (a flip there fails to open, also a
    # ResultError naming the file); an attr over 64 KiB is kept outside them, unchecked but for ours
    note = ",".join(f"{i:06d}" for i in range(12_000))
    path = without_trailer(results.write(small_result().assign_attrs(note=note), tmp_path / "run.nc"))
    flip_byte(path, b"006000,006001", offset=5)
    with xr.open_dataset(path, engine="netcdf4") as f:
        assert "006001,006001" in f.attrs["note"]
    with pytest.raises(ResultError, match="fails its checksum") as info:
        results.read(path)
    assert str(path) in str(info.value)
    path = without_trailer(results.write(small_result(), tmp_path / "short.nc"))
    flip_byte(path, b"tiny", offset=1)
    with pytest.raises(ResultError, match=re.escape(str(path))):
        results.read(path)


def test_attribute_changed_in_place_fails_the_checksum(tmp_path):
    import netCDF4

    path = without_trailer(results.write(small_result(), tmp_path / "run.nc"))
    with netCDF4.Dataset(path, "a") as f:  # a valid netCDF edit, but no longer the result written
        f.variables["rep_change_cos"].setncattr("units", "nats")
    with pytest.raises(ResultError, match="fails its checksum"):
        results.read(path)


def test_file_without_checksum_is_refused_naming_the_fix(tmp_path):
    path = tmp_path / "old.nc"
    small_result().to_netcdf(path, engine="netcdf4")  # as depthcore wrote results before checksums
    with pytest.raises(ResultError, match="has no checksum") as info:
        results.read(path)
    msg = str(info.value)
    assert str(path) in msg and "delete it and recompute" in msg and "pytest --update-baselines" in msg


def test_concatenated_sweep_with_string_coords_verifies(tmp_path):
    runs = [results.new_dataset(["h.0", "h.1", "h.ü"], {"spec": {"model": model, "seed": seed, "lora": None}})
            for model in ("a", "bb") for seed in (0, 1)]
    for i, run in enumerate(runs):
        results.put(run, "rep_change_cos", "layer", np.arange(3.0) + i)
    ds = results.concat(runs)
    back = results.read(results.write(ds, tmp_path / "sweep.nc"))
    xr.testing.assert_identical(back, ds)
    # the strings come back as fixed-width chars decoded to another dtype, with the same checksum
    assert back["spec"].dtype != ds["spec"].dtype and back["layer_name"].dtype != ds["layer_name"].dtype
    assert results.checksum(back) == results.checksum(ds)
    assert "checksum" not in back.attrs and "checksum" not in ds.attrs  # write leaves its argument alone


@PROPERTY
@given(values=hnp.arrays(st.sampled_from([np.float64, np.float32]), hnp.array_shapes(min_dims=2, max_dims=2)),
       data=st.data())
def test_checksum_verifies_any_floats_and_changes_with_any_one_value(values, data):
    """Any float32/float64 values (NaN, inf, -0.0, subnormals): write -> read verifies, and
    changing any one value of what was read changes the checksum."""
    ds = results.new_dataset([f"h.{i}" for i in range(values.shape[1])], {})
    units, long_name = VARIABLES["rep_change_cos_seq"]
    ds["rep_change_cos_seq"] = (("seq", "layer"), values, {"units": units, "long_name": long_name})
    with tempfile.TemporaryDirectory() as d:
        back = results.read(results.write(ds, Path(d) / "run.nc"))  # verified there
    assert back["rep_change_cos_seq"].values.tobytes() == values.tobytes()  # NaN payloads and -0.0 too
    assert results.checksum(back) == results.checksum(ds)
    stored = back["rep_change_cos_seq"].values
    i = data.draw(st.integers(0, stored.size - 1))
    v = stored.flat[i]
    stored.flat[i] = np.nextafter(v, 0 * v) if np.isfinite(v) and v != 0 else 1.0  # 1 ulp, or a new value
    assert results.checksum(back) != results.checksum(ds)


# --- atomic write -------------------------------------------------------------------------


class DiskFull(OSError):
    pass


def _write_half_then_raise(self, path=None, *args, **kwargs):
    Path(path).write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 100)  # the start of a file, no more
    raise DiskFull(28, "No space left on device")


def _write_all_then_raise(real):
    def fake(self, path=None, *args, **kwargs):
        real(self, path, *args, **kwargs)  # a complete temp file, then a failure before the rename
        raise DiskFull(28, "No space left on device")
    return fake


def _interrupt_after_writing(real):
    def fake(self, path=None, *args, **kwargs):
        real(self, path, *args, **kwargs)
        raise KeyboardInterrupt  # not an Exception: cleanup must still run
    return fake


FAILURES = {
    "half-written": (lambda real: _write_half_then_raise, DiskFull),
    "complete-then-raise": (_write_all_then_raise, DiskFull),
    "interrupted": (_interrupt_after_writing, KeyboardInterrupt),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch, failure):
    path = tmp_path / "run.nc"
    results.write(small_result(), path)
    before = path.read_bytes()
    make_fake, error = FAILURES[failure]
    monkeypatch.setattr(xr.Dataset, "to_netcdf", make_fake(xr.Dataset.to_netcdf))
    with pytest.raises(error):
        results.write(small_result(scale=2.0), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert no_temp_files(tmp_path, {"run.nc"}) == []
    xr.testing.assert_identical(results.read(path), small_result())


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failed_first_write_leaves_nothing(tmp_path, monkeypatch, failure):
    make_fake, error = FAILURES[failure]
    monkeypatch.setattr(xr.Dataset, "to_netcdf", make_fake(xr.Dataset.to_netcdf))
    with pytest.raises(error):
        results.write(small_result(), tmp_path / "run.nc")
    assert no_temp_files(tmp_path, set()) == []


def test_successful_write_replaces_the_file(tmp_path):
    path = tmp_path / "run.nc"
    results.write(small_result(), path)
    results.write(small_result(scale=2.0), path)
    xr.testing.assert_identical(results.read(path), small_result(scale=2.0))
    assert no_temp_files(tmp_path, {"run.nc"}) == []


def test_every_variable_names_the_function_that_computes_it():
    import importlib
    import re

    assert set(results.COMPUTED_BY) == set(results.VARIABLES)
    for name, where in results.COMPUTED_BY.items():
        refs = re.findall(r"\b([a-z_]+)\.([A-Za-z_]+)\b", where)
        assert refs, f"{name}: {where!r} names no module.function"
        for module, attr in refs:
            assert hasattr(importlib.import_module(f"depthcore.{module}"), attr), f"{name}: {module}.{attr} does not exist"
