"""Assertions for tests of fine-tunes, in any project (docs/your-finetune.md "In your own tests").

- `assert_profile_close(actual, expected, rtol=, atol=)`: two results (or one variable of each)
  agree layer by layer;
- `assert_verdict(result, claim, expected)`: depthcore's claims judge `result` as expected.

A failure says which variable, which layers, expected and obtained, as a table
(`baselines.format_rows`), like `xarray.testing`'s messages but per value.
"""

from __future__ import annotations

import re

import xarray as xr

from depthcore import baselines

RTOL, ATOL = baselines.DEFAULT_TOLERANCE["rtol"], baselines.DEFAULT_TOLERANCE["atol"]


def _dataset(x, name: str) -> xr.Dataset:
    if isinstance(x, xr.Dataset):
        return x
    if isinstance(x, xr.DataArray):
        return x.to_dataset(name=x.name or "profile")
    raise TypeError(f"assert_profile_close: {name} is a {type(x).__name__}; give an xarray Dataset (a depthcore "
                    "result such as depthcore.diff's) or a DataArray (one variable of it, e.g. ds['rep_change_cos'])")


def _with_layer_names(where: str, ds: xr.Dataset) -> str:
    """'layer=2' -> 'layer=2 (h.1)' where the result names its layers."""
    if "layer_name" not in ds.coords or "layer" not in ds.coords:
        return where
    names = dict(zip(ds["layer"].values.tolist(), ds["layer_name"].values.tolist()))
    return re.sub(r"layer=(\d+)", lambda m: f"{m[0]} ({names[int(m[1])]})" if int(m[1]) in names else m[0], where)


def assert_profile_close(actual, expected, rtol: float = RTOL, atol: float = ATOL) -> None:
    """Assert that two results agree: every variable and coordinate, value by value, within
    |actual - expected| <= atol + rtol * |expected| (timings, units "s", are not compared).

    Args:
        actual: the obtained result: an xarray Dataset (a depthcore result, e.g. `depthcore.diff`'s)
            or a DataArray (one variable, e.g. `ds["rep_change_cos"]`).
        expected: the same kind of object, what `actual` should be.
        rtol, atol: relative and absolute tolerance, for every variable (default 1e-3 and 1e-6,
            `baselines.DEFAULT_TOLERANCE`).

    Raises:
        AssertionError: naming each differing variable and where (layer, with its name), expected,
            obtained and the difference; a missing or added variable, or another shape, is a row.
    """
    __tracebackhide__ = True
    for key, value in (("rtol", rtol), ("atol", atol)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            raise ValueError(f"assert_profile_close: {key}={value!r} is not a tolerance; give a number >= 0")
    a, b = _dataset(actual, "actual"), _dataset(expected, "expected")
    tol = {"rtol": float(rtol), "atol": float(atol)}
    rows = baselines.compare(b, a, {name: tol for name in set(a.variables) | set(b.variables)}, tol)
    if not rows:
        return
    for row in rows:
        row.where = _with_layer_names(row.where, b)
    names = sorted({r.variable for r in rows})
    more = f"\n(first {baselines.MAX_ROWS} per variable shown)" if any(
        sum(r.variable == n for r in rows) >= baselines.MAX_ROWS for n in names) else ""
    raise AssertionError(f"profiles differ beyond rtol={rtol:g}, atol={atol:g} in {len(names)} variable"
                         f"{'s' if len(names) > 1 else ''} ({', '.join(map(str, names))}):\n"
                         f"{baselines.format_rows(rows)}{more}")


def verdicts_of(result: xr.Dataset) -> list:
    """The claims' verdicts (`depthcore.claims.Verdict`) on `result`, as depthcore judges it:
    a diff (`depthcore.diff`) by `diff.verdicts`; runs (one run, or runs concatenated along `run`,
    as a sweep or a baseline stores them) by `claims.verdicts` on their cells (`report.split_runs`)."""
    from depthcore import claims, diff, report

    if not isinstance(result, xr.Dataset):
        raise TypeError(f"assert_verdict: result is a {type(result).__name__}; give a depthcore result Dataset "
                        "(depthcore.diff's, a run's, or a sweep's sweep.nc read with depthcore.results.read)")
    return diff.verdicts(result) if diff.is_diff(result) else claims.verdicts(report.split_runs(result))


def _matches(verdict: str, expected: str) -> bool:
    """"inconclusive" matches "inconclusive (underpowered: ~4 seeds)"; a seed count is not an outcome."""
    from depthcore.claims.verdict import outcome

    return outcome(verdict) == outcome(expected) or verdict.split(" (")[0] == expected


def assert_verdict(result: xr.Dataset, claim: str, expected: str, strict: str | None = None) -> list:
    """Assert that depthcore judges `claim` on `result` as `expected`, in every cell it judges.

    Args:
        result: a depthcore result Dataset (`verdicts_of` says how each kind is judged).
        claim: the claim's name as `depthcore.claims` names it: "output_proximal",
            "local_vs_propagated", "equal_step", "lora_predicts_full", "lora_locus"
            (docs/design.md "Verdict rules").
        expected: the verdict by the paper's criterion, as the claim words it ("reproduced",
            "not reproduced", "learned near the output"...); "inconclusive" matches any
            inconclusive verdict.
        strict: the project's stricter reading, when given ("steeper than null"...).

    Returns:
        The claim's verdicts on `result`, one per cell.

    Raises:
        AssertionError: the claim is judged otherwise (a table of each differing cell: expected,
            obtained and the numbers behind the verdict), or not at all on this result (naming
            the claims that are).
    """
    __tracebackhide__ = True
    found = verdicts_of(result)
    mine = [v for v in found if v.claim == claim]
    if not mine:
        judged = ", ".join(sorted({v.claim for v in found})) or "none"
        raise AssertionError(f"no verdict of claim {claim!r} on this result; claims judged on it: {judged} "
                             "(a claim needs the runs of its cell: docs/design.md \"Verdict rules\")")
    want = [("verdict", expected)] + ([("stricter reading", strict)] if strict is not None else [])
    rows = []
    for v in mine:
        for what, value in want:
            got = v.verdict if what == "verdict" else v.strict
            if not _matches(got, value):
                cell = " ".join(x for x in (v.model, v.objective, v.optimizer) if x)
                rows.append([cell, what, value, got, v.numbers_text()])
    if rows:
        from depthcore.report import text_table

        raise AssertionError(f"claim {claim}: {len(rows)} of {len(mine) * len(want)} readings differ\n"
                             + text_table(["cell", "reading", "expected", "obtained", "numbers"], rows))
    return mine
