"""Stored baselines: compare a result Dataset with its netCDF baseline, or (re)write it.

Built like pytest-regressions' `perform_regression_check`: `compare` and `dump`
are separate; file names come from the sanitised test id; a missing baseline fails with
the command that creates it; tolerances are per variable (`tolerances=`) with a
`default_tolerance=`. Layout (docs/design.md "Baselines"):
`baselines/<tier>/<device>/<test module>/<sanitised test id>.nc`.
"""

from __future__ import annotations

import json

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import xarray as xr

from depthcore import noise as numerics_noise
from depthcore import results
from depthcore.cache import remove_stale_temps
from depthcore.config import RunSpec
from depthcore.noise import Noise

# Tolerances sit far above what the thread count moves (float summation order) and far below what
# another training seed or a changed metric or training default moves, so such a change fails.
# atol matters only for values near zero. Counted fractions (a few argmax flips) and ratios of
# small numbers move more and get their own tolerance below. The measurements behind these
# numbers are in docs/design.md "Baselines".
DEFAULT_TOLERANCE = {"rtol": 1e-3, "atol": 1e-6}
VARIABLE_TOLERANCE = {
    # fractions of probe tokens/sequences: a few argmax flips out of ~1,000 tokens
    "task_position": {"rtol": 0.0, "atol": 5e-3},
    "accuracy": {"rtol": 0.0, "atol": 5e-3},
    # ratios of small slopes to small means
    "rel_slope": {"rtol": 5e-3, "atol": 1e-6},
    "null_rel_slope": {"rtol": 5e-3, "atol": 1e-6},
}
MAX_ROWS = 25


class BaselineError(AssertionError):
    """A baseline is missing, unreadable or differs from the obtained result."""


@dataclass
class Row:
    variable: str
    where: str
    expected: object
    obtained: object
    diff: object


class Outcome(NamedTuple):
    """What `check` found: status "created"/"changed" (a file was written), None (matched on the
    same numerics), "foreign" (matched within the tier's numerics noise) or "structure" (other
    numerics, no noise measured: structure only); the noise the comparison allowed (None on the
    same numerics; verdicts are judged with it); the derived spec fields that moved."""

    status: str | None
    noise: Noise | None = None
    moves: tuple = ()


def sanitise(test_id: str) -> str:
    """'test_x[tiny-gpt2-64/clm]' -> 'test_x-tiny-gpt2-64_clm' (safe on every filesystem)."""
    test_id = test_id.replace("[", "-").replace("]", "")
    return re.sub(r"[^A-Za-z0-9_.-]", "_", test_id)


def _where(da: xr.DataArray, flat_index: int) -> str:
    idx = np.unravel_index(flat_index, da.shape) if da.ndim else ()
    parts = []
    for dim, i in zip(da.dims, idx):
        label = da[dim].values[i] if dim in da.coords else i
        parts.append(f"{dim}={label}")
    return ", ".join(parts) or "-"


# RunSpec fields compared through the data they shape, not as spec text: the diagnostics' sizes
# (a run that leaves them unset takes them from its model, and its `ls_seq` dimension and
# held-out losses carry them), so a spec that names the sizes a model's default gave compares equal.
SIZE_FIELDS = ("eval_size", "ls_size")


def canonical_spec(text: str, drop: tuple[str, ...] = ()) -> str:
    """A run's spec JSON as this version writes it, without the fields in `drop` and SIZE_FIELDS: a
    RunSpec field added after a baseline was written takes its default there (every new field's
    default reproduces the old runs)."""
    try:
        spec = RunSpec.from_json(text)
    except (ValueError, TypeError):  # not a spec this version can read (SpecError too): compared as written
        return text
    d = json.loads(spec.to_json())
    return json.dumps({k: v for k, v in d.items() if k not in drop + SIZE_FIELDS}, sort_keys=True)


def _spec_field(text: str, name: str) -> str:
    try:
        return json.dumps(json.loads(RunSpec.from_json(text).to_json()).get(name))
    except (ValueError, TypeError):
        return ""


def _derived_diffs(expected: xr.Dataset, obtained: xr.Dataset, derived: tuple[str, ...]) -> list[tuple[int, Row]]:
    if not derived or "spec" not in expected.variables or "spec" not in obtained.variables:
        return []
    e, o = np.asarray(expected["spec"].values).ravel(), np.asarray(obtained["spec"].values).ravel()
    return [(i, Row(name, _where(expected["spec"], i), a, b, "derived from data"))
            for i in range(min(e.size, o.size)) for name in derived
            for a, b in [(_spec_field(str(e[i]), name), _spec_field(str(o[i]), name))] if a != b]


def derived_moves(expected: xr.Dataset, obtained: xr.Dataset, derived: tuple[str, ...]) -> list[Row]:
    """Rows for each run whose spec fields derived from data (`derived`, e.g. paper C's selected
    layers in `freeze`) differ: the run is then another run, and its numbers are not comparable."""
    return [row for _, row in _derived_diffs(expected, obtained, derived)]


def compare(expected: xr.Dataset, obtained: xr.Dataset, tolerances: dict[str, dict] | None = None,
            default_tolerance: dict | None = None, noise: Noise | None = None,
            derived: tuple[str, ...] = ()) -> list[Row]:
    """Rows for every difference beyond tolerance (empty list: they agree).

    With `noise` (the baseline was made with other numerics), numbers are compared within the
    measured numerics noise instead of the tolerances, and the spec fields named in `derived`
    (quantities the bench derived from data, such as selected layers) are left out of the runs'
    identity: a run whose derived fields moved is compared for structure only (`derived_moves`
    lists it). Without `noise`, everything is compared as written.
    """
    tolerances = tolerances or {}
    default = {**DEFAULT_TOLERANCE, **(default_tolerance or {})}
    drop = derived if noise is not None else ()
    moved_runs = {i for i, _ in _derived_diffs(expected, obtained, drop)}
    rows: list[Row] = []
    for name in sorted(set(expected.variables) | set(obtained.variables)):
        if name not in obtained.variables:
            rows.append(Row(name, "-", "present", "missing", "variable removed"))
            continue
        if name not in expected.variables:
            rows.append(Row(name, "-", "missing", "present", "variable added"))
            continue
        e, o = expected[name], obtained[name]
        if e.attrs.get("units") == "s":
            continue  # wall-clock times are recorded, never reproducible, so never compared
        if e.dims != o.dims or e.shape != o.shape:
            rows.append(Row(name, "-", f"{e.dims}{e.shape}", f"{o.dims}{o.shape}", "shape differs"))
            continue
        if name in drop:
            continue  # a derived spec field as a run coordinate: listed by derived_moves
        if moved_runs and "run" in e.dims and name in expected.data_vars:
            keep = [r for r in range(e.sizes["run"]) if r not in moved_runs]
            e, o = e.isel(run=keep), o.isel(run=keep)
        ev, ov = np.asarray(e.values), np.asarray(o.values)
        if name == "spec":  # RunSpec JSON, one per run
            ev, ov = (np.vectorize(lambda t: canonical_spec(t, drop), otypes=[str])(v) for v in (ev, ov))
        if ev.dtype.kind not in "biuf" or ov.dtype.kind not in "biuf":
            bad = np.flatnonzero(ev.astype(str) != ov.astype(str))
            rows += [Row(name, _where(e, i), ev.flat[i], ov.flat[i], "differs") for i in bad[:MAX_ROWS]]
            continue
        tol = {**default, **VARIABLE_TOLERANCE.get(name, {}), **tolerances.get(name, {})}
        ok = np.isclose(ov.astype(float), ev.astype(float), rtol=tol["rtol"], atol=tol["atol"], equal_nan=True)
        if noise is not None and name in expected.data_vars:  # never stricter than on the baselines' numerics
            bad = np.intersect1d(noise.beyond_variable(name, ev, ov), np.flatnonzero(~ok))
            limit = noise.variable_limit(name)
            rows += [Row(name, _where(e, i), float(ev.flat[i]), float(ov.flat[i]),
                         f"{float(ov.flat[i] - ev.flat[i]):.3g} (noise allows {limit:.3g} of |e| + scale)")
                     for i in bad[:MAX_ROWS]]
            continue
        for i in np.flatnonzero(~ok)[:MAX_ROWS]:
            rows.append(Row(name, _where(e, i), float(ev.flat[i]), float(ov.flat[i]), float(ov.flat[i] - ev.flat[i])))
    return rows


def format_rows(rows: list[Row]) -> str:
    def fmt(x):
        return f"{x:.6g}" if isinstance(x, float) else str(x)

    table = [("variable", "where", "expected", "obtained", "diff")] + [
        (r.variable, r.where, fmt(r.expected), fmt(r.obtained), fmt(r.diff)) for r in rows]
    widths = [max(len(t[i]) for t in table) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(t, widths)) for t in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def dump(ds: xr.Dataset, path: Path) -> None:
    """Write a baseline atomically, refusing non-finite values (a NaN baseline can never fail)."""
    for name, var in ds.data_vars.items():
        vals = np.asarray(var.values)
        if vals.dtype.kind == "f" and not np.all(np.isfinite(vals)):
            raise BaselineError(f"refusing to write baseline {path}: variable {name!r} has non-finite values; "
                                "fix the run that produced it")
    remove_stale_temps(path)  # left by an --update-baselines killed mid-write; one test id writes one file
    results.write(ds, path)


def same_numerics(expected: xr.Dataset, obtained: xr.Dataset) -> bool:
    """Whether both were computed with the same floating point (numerics.fingerprint)."""
    theirs, mine = expected.attrs.get("numerics"), obtained.attrs.get("numerics")
    return theirs is None or mine is None or theirs == mine


def version_note(expected: xr.Dataset, obtained: xr.Dataset) -> str:
    """A line naming the packages whose versions differ from the baseline's, with the fix ("" if none)."""
    try:
        theirs, mine = (json.loads(ds.attrs.get("versions", "{}")) for ds in (expected, obtained))
    except ValueError:
        return ""
    diff = [f"{k} {theirs.get(k, '?')} (baseline) vs {mine.get(k, '?')} (here)"
            for k in sorted(set(theirs) | set(mine)) if k != "depthcore" and theirs.get(k) != mine.get(k)]
    if not diff:
        return ""
    return (f"packages differ: {'; '.join(diff)}. Model code and kernels change results: install the "
            "baselines' versions (pip install torch==2.13.0 -e '.[ray]' -c baselines/constraints.txt)\n")


def check(obtained: xr.Dataset, path: Path, *, update: bool, obtained_path: Path, nodeid: str,
          tolerances: dict[str, dict] | None = None, default_tolerance: dict | None = None,
          derived: tuple[str, ...] = ()) -> Outcome:
    """Compare `obtained` with the baseline at `path`, or write it when `update`.

    The baseline is read with `results.read`, so its checksum is verified (docs/design.md
    "Results"): a damaged baseline, or one without a checksum, is unusable (BaselineError naming
    the fix) and is rewritten by `update`.

    On the baseline's own numerics (numerics.fingerprint) everything is compared as written,
    within `tolerances`. On other numerics the numbers are compared within the tier's measured
    numerics noise (`noise.py`; structure, strings and spec exactly, but for the `derived` spec
    fields), and a tier without a noise file is compared for structure only.

    Returns an `Outcome`. Raises BaselineError with a table of differences and the obtained
    file's path on mismatch.
    """
    __tracebackhide__ = True
    exists = path.is_file()
    expected = None
    if exists:
        try:
            expected = results.read(path)
        except results.ResultError as e:
            if not update:
                raise BaselineError(f"baseline {path} is unusable: {e}\nfix: restore the committed file "
                                    f"(git checkout -- {path}) or rewrite it: pytest '{nodeid}' --update-baselines"
                                    ) from None
    # a baseline that matches is kept, unless it does not yet say what numerics made it; one that
    # does not read (damaged, or without the checksum of older depthcore versions) is rewritten
    if update:
        if (expected is not None and expected.attrs.get("numerics") == obtained.attrs.get("numerics")
                and not compare(expected, obtained, tolerances, default_tolerance)):
            return Outcome(None)
        dump(obtained, path)
        return Outcome("changed" if exists else "created")
    if expected is None:
        raise BaselineError(f"no baseline at {path}; create it with: pytest '{nodeid}' --update-baselines")
    if same_numerics(expected, obtained):
        status, noise = None, None
    else:  # a tier without a noise file: no number can be judged (an empty Noise allows anything)
        noise = numerics_noise.load(numerics_noise.for_baseline(path))
        status, noise = ("foreign", noise) if noise else ("structure", Noise())
    moves = tuple(derived_moves(expected, obtained, derived)) if noise is not None else ()
    rows = compare(expected, obtained, tolerances, default_tolerance, noise=noise, derived=derived)
    if rows:
        results.write(obtained, obtained_path)
        more = f"\n(first {MAX_ROWS} differences per variable shown)" if len(rows) >= MAX_ROWS else ""
        beyond = ("compared within the numerics noise measured for this tier "
                  f"({numerics_noise.for_baseline(path)}); a difference beyond it is not float noise\n"
                  if status == "foreign" else "")
        raise BaselineError(
            f"result differs from baseline {path}\n{format_rows(rows)}{more}\n{beyond}"
            f"numerics: baseline {expected.attrs.get('numerics_info', '?')}; "
            f"here {obtained.attrs.get('numerics_info', '?')}\n{version_note(expected, obtained)}"
            f"obtained result written to {obtained_path}; if the change is intended: "
            f"pytest '{nodeid}' --update-baselines"
        )
    return Outcome(status, noise, moves)
