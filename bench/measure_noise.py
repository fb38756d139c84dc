"""Measure a tier's numerics noise and its fragile verdicts from a run under other numerics.

On one machine, run the tier once more under other numerics into a copy of the checkout (the
native kernels, or another thread count), writing baselines and verdicts there:

    git worktree add /tmp/other HEAD && cd /tmp/other
    DEPTHCORE_NATIVE_NUMERICS=1 DEPTHCORE_CACHE=/tmp/other-cache pytest bench -m tiny --update-baselines
    cd - && python bench/measure_noise.py tiny /tmp/other      # several OTHER dirs: the largest noise of all
    python bench/measure_noise.py tiny /tmp/other --merge       # also keep what the stored file measured

`--merge` adds a measurement to the stored one (another machine's numerics against the same
baselines): per quantity the larger noise of the two, and the fragile marks of both.

This compares every stored baseline of the tier with the other run's (`noise.deviation`; runs
whose spec differs, such as paper C's layers selected from a near-tie, are another run and left
out) and every recorded verdict's numbers with the other run's, and writes

- `baselines/<tier>/cpu/numerics-noise.json`: per variable and per verdict number, the largest
  deviation measured (the tolerance on foreign numerics is noise.MARGIN times it);
- `bench/known.py`: each case whose verdict or stricter reading differed gets `fragile`, the
  other numerics' verdict and numbers (cleared on cases that agreed).

It prints the summary docs/results.md keeps.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from depthcore.claims.verdict import outcome

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# printed in the summary for docs/results.md
DOC_QUANTITIES = ("rep_change_cos", "rep_change_local", "slope", "heldout_loss", "semantic_deviation", "sensitivity",
                  "task_position", "control_strength", "excess_slope", "shape_excess", "controlled_slope",
                  "spearman_BA~dW", "low_minus_high", "first_minus_all_blocks", "selected_minus_first_n")


def variable_pairs(mine: Path, others: list[Path]) -> tuple[dict, list[str], int, set[str]]:
    """{variable: {file: (expected, obtained)}} over every baseline file of the tier, the fingerprints,
    the number of file pairs, and the files some of whose runs' specs differ (layers selected from
    data moved): those runs are other runs and are left out."""
    from depthcore import results
    from depthcore.baselines import canonical_spec

    pairs: dict[str, dict[str, tuple]] = {}
    prints, files, moved = set(), 0, set()
    for path in sorted(mine.rglob("*.nc")):
        expected = results.read(path)
        for other in others:
            twin = other / path.relative_to(mine)
            if not twin.is_file():
                continue
            obtained = results.read(twin)
            if obtained.attrs.get("numerics") == expected.attrs.get("numerics"):
                continue  # not rewritten under the other numerics (a run stopped early): nothing measured
            prints |= {expected.attrs.get("numerics"), obtained.attrs.get("numerics")}
            files += 1
            keep = slice(None)
            if "spec" in expected.variables and "run" in expected.dims:
                same = [canonical_spec(str(a)) == canonical_spec(str(b))
                        for a, b in zip(expected["spec"].values, obtained["spec"].values)]
                keep = np.flatnonzero(same)
                if not all(same):
                    moved.add(path.stem)
            for name, var in expected.data_vars.items():
                if var.attrs.get("units") == "s" or var.dtype.kind not in "biuf" or name not in obtained:
                    continue
                e, o = var, obtained[name]
                if "run" in var.dims:
                    e, o = e.isel(run=keep), o.isel(run=keep)
                if e.size:
                    cell = pairs.setdefault(name, {}).setdefault(path.relative_to(mine).as_posix(), ([], []))
                    cell[0].extend(np.ravel(e.values))
                    cell[1].extend(np.ravel(o.values))
    return pairs, sorted(p for p in prints if p), files, moved


def number_pairs(known: dict, other_rows: list[dict], moved: set[str]) -> tuple[dict, dict[str, str]]:
    """{verdict number: {test: (recorded, obtained)}} and the fragile cases (verdict or stricter reading
    differ). A verdict over runs whose data-derived spec moved (`moved`: baseline file stems) judges
    other runs: fragile if it differs, but its numbers are not numerics noise."""
    from depthcore import noise
    from depthcore.baselines import sanitise

    pairs: dict[str, dict[str, tuple]] = {}
    fragile = {}
    for row in other_rows:
        test = row["test"].split("::")[-1]
        rec = known.get(test)
        if rec is None:
            continue
        obtained, recorded = (tuple(map(outcome, (r["verdict"], r.get("strict", "")))) for r in (row, rec))
        if obtained != recorded:  # outcomes: an inconclusive cell's seed count is a number, not the verdict
            fragile[test] = f"other numerics: {row['verdict']} / {row.get('strict') or '-'} ({row['numbers']})"
        if sanitise(test) in moved:
            continue
        r, o = noise.parse_numbers(rec["numbers"]), noise.parse_numbers(row["numbers"])
        for key in r.keys() & o.keys():
            if not isinstance(r[key], str) and not isinstance(o[key], str) and len(r[key]) == len(o[key]):
                cell = pairs.setdefault(key, {}).setdefault(test, ([], []))
                cell[0].extend(r[key])
                cell[1].extend(o[key])
    return pairs, fragile


def main(tier: str, *others: str, merge: bool = False) -> None:
    sys.path.insert(0, str(HERE))
    from known import KNOWN
    from record_known import write_known

    from depthcore import noise

    mine = ROOT / "baselines" / tier / "cpu"
    other_dirs = [Path(o) / "baselines" / tier / "cpu" for o in others]
    variables, prints, files, moved = variable_pairs(mine, other_dirs)
    verdict_files = [Path(o) / ".depthcore-obtained" / "verdicts.json" for o in others]
    rows = [r for f in verdict_files if f.is_file() for r in json.loads(f.read_text()) if r.get("tier") == tier]
    if not rows:  # a run stopped before its summary: variables only; verdict numbers then take the largest noise
        print(f"no verdicts of the {tier} tier in {', '.join(map(str, verdict_files))}: verdict numbers not measured")
    numbers, fragile = number_pairs(KNOWN, rows, moved)
    measured = noise.Noise.measure(
        variables, numbers, between=prints,
        how=f"bench/measure_noise.py over {files} baseline files and {len(rows)} verdicts of the {tier} tier: the "
            "stored baselines against the same tier run under other numerics on one machine")
    from depthcore.cache import atomic_path

    stored = noise.load(mine / noise.FILE) if merge else None
    if stored is not None:
        measured = stored.merge(measured)
    with atomic_path(mine / noise.FILE) as tmp:
        tmp.write_text(measured.to_json() + "\n")
    known = dict(KNOWN)
    judged = {r["test"].split("::")[-1] for r in rows}
    for test in judged & known.keys():
        entry = {k: v for k, v in known[test].items() if k != "fragile" or merge}
        if test in fragile:
            entry["fragile"] = fragile[test] if "fragile" not in entry else f"{entry['fragile']}; {fragile[test]}"
        known[test] = entry
    write_known(known)
    print(f"{tier}: {files} baseline files, {len(rows)} verdicts, numerics {' vs '.join(prints)}; "
          f"layers selected from data moved in {len(moved)} files: {', '.join(sorted(moved))}")
    print("quantity: typical (median over cells of each cell's largest deviation) / worst cell")
    for name, group in (("variables", measured.variables), ("verdict numbers", measured.numbers)):
        typical = np.array([v["typical"] for v in group.values()] or [np.nan])
        print(f"{name} ({len(group)}): typical deviation, median over quantities {np.median(typical):.3g}; "
              + "; ".join(f"{k} {v['typical']:.3g}/{v['worst']:.3g}" for k, v in group.items()
                          if k in DOC_QUANTITIES))
    print(f"fragile verdicts: {len(fragile)} of {len(judged & KNOWN.keys())}")
    for test, text in sorted(fragile.items()):
        print(f"  {test}: recorded {KNOWN[test]['verdict']} / {KNOWN[test]['strict'] or '-'}; {text}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--merge"]
    if len(args) < 2:
        sys.exit("usage: python bench/measure_noise.py TIER OTHER_CHECKOUT [OTHER_CHECKOUT ...] [--merge]")
    main(*args, merge="--merge" in sys.argv[1:])
