"""Rewrite bench/known.py from the verdicts of the last session (.depthcore-obtained/verdicts.json).

After an intended change, `pytest bench -m tiny --update-baselines` rewrites the baselines
and the verdicts file (it exits non-zero by design when it rewrote a baseline: each case that
wrote one fails after recording its verdict); this script then records every case's verdict, stricter reading,
expected verdict and numbers. A case whose verdict differs from the paper's becomes a strict
xfail; a later change of any recorded verdict fails with the numbers of both:

    python bench/record_known.py            # review `git diff bench/known.py` like code

Cases not run in that session are kept, and so is a case's `fragile` mark (bench/measure_noise.py)
while its verdict and stricter reading are unchanged.

A finding is recorded only from a determined run: each verdict names one run of its cell
(`Verdict.spec`), which is computed once more, uncached, with the session's kernel pinning, and
must give the cached run's bits (every variable but wall-clock seconds). A case that fails the
check, or was judged on other numerics than this machine's, is listed and not recorded, and the
script exits 1.
"""

from __future__ import annotations

import json
import pprint
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_known(known: dict) -> None:
    """Rewrite bench/known.py atomically with `known` (sorted, reviewed like code)."""
    from depthcore.cache import atomic_path

    text = (Path(HERE / "known.py").read_text().split("KNOWN = ")[0]
            + "KNOWN = " + pprint.pformat(dict(sorted(known.items())), width=110) + "\n")
    with atomic_path(HERE / "known.py") as tmp:
        tmp.write_text(text)


def same_bits(a, b) -> list[str]:
    """The variables of two results of one spec whose values differ (wall-clock seconds excepted)."""
    import numpy as np

    names = sorted(set(a.variables) | set(b.variables), key=str)
    return [str(n) for n in names if not str(n).endswith("seconds")
            and (n not in a.variables or n not in b.variables
                 or not np.array_equal(a[n].values, b[n].values, equal_nan=a[n].dtype.kind == "f"))]


def determinism_failures(specs: set[str]) -> dict[str, str]:
    """spec JSON -> why, for each spec whose second, uncached run differs from its cached one (the
    caller has pinned the kernels and set the threads as the session did: `session_numerics`)."""
    from depthcore import engine
    from depthcore.config import RunSpec

    failures = {}
    for i, text in enumerate(sorted(specs), 1):
        spec = RunSpec.from_json(text)
        print(f"determinism check {i}/{len(specs)}: {spec.label}", flush=True)
        cached, again = engine.cached_run(spec), engine.run(spec)
        moved = same_bits(cached, again)
        if moved:
            failures[text] = f"{spec.label}: the same run twice differs in {', '.join(moved[:5])}"
    return failures


def session_numerics() -> str:
    """Pin the kernels and set the threads as a CPU pytest session does (pytest_plugin); the fingerprint."""
    from depthcore import numerics
    from depthcore.pytest_plugin import pins_for_baselines, threads

    if pins_for_baselines(HERE.parent):
        numerics.pin()  # before torch's first kernel
    import torch

    torch.set_num_threads(threads())
    return numerics.fingerprint()


def main(path: str = str(HERE.parent / ".depthcore-obtained" / "verdicts.json")) -> None:
    sys.path.insert(0, str(HERE))
    from known import KNOWN

    from depthcore.claims.verdict import outcome

    known = dict(KNOWN)
    rows = json.loads(Path(path).read_text())
    here = session_numerics()
    refused = {row["test"]: f"judged on numerics {row.get('fingerprint') or 'unknown'}, this machine's are {here}; "
                            "record on the machine that ran the session"
               for row in rows if row.get("fingerprint") != here}
    failures = determinism_failures({row["spec"] for row in rows if row["test"] not in refused and row.get("spec")})
    refused.update({row["test"]: failures[row["spec"]] for row in rows if row.get("spec") in failures})
    refused.update({row["test"]: "names no run (Verdict.spec) to check" for row in rows if not row.get("spec")})
    for row in rows:
        if row["test"] in refused:
            continue
        test = row["test"].split("::")[-1]
        entry = {k: str(row.get(k, "")) for k in ("verdict", "strict", "expected", "numbers")}
        old = known.get(test, {})
        if "fragile" in old and all(outcome(old[k]) == outcome(entry[k]) for k in ("verdict", "strict")):
            entry["fragile"] = old["fragile"]  # measured by bench/measure_noise.py for this verdict
        known[test] = entry
    write_known(known)
    failing = sum(1 for v in known.values() if v["expected"] and v["verdict"] != v["expected"])
    print(f"bench/known.py: {len(known)} recorded verdicts, {failing} of them differ from the paper's; "
          "re-measure which are fragile with bench/measure_noise.py")
    for test, why in sorted(refused.items()):
        print(f"not recorded: {test}: {why}")
    if refused:
        sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:])
