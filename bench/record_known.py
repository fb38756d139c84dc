"""Rewrite bench/known.py from the verdicts of the last session (.depthcore-obtained/verdicts.json).

After an intended change, `pytest bench -m tiny --update-baselines` rewrites the baselines
and the verdicts file; this script then records every case's verdict, stricter reading,
expected verdict and numbers. A case whose verdict differs from the paper's becomes a strict
xfail; a later change of any recorded verdict fails with the numbers of both:

    python bench/record_known.py            # review `git diff bench/known.py` like code

Cases not run in that session are kept, and so is a case's `fragile` mark (bench/measure_noise.py)
while its verdict and stricter reading are unchanged.
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


def main(path: str = str(HERE.parent / ".depthcore-obtained" / "verdicts.json")) -> None:
    sys.path.insert(0, str(HERE))
    from known import KNOWN

    from depthcore.claims.verdict import outcome

    known = dict(KNOWN)
    for row in json.loads(Path(path).read_text()):
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


if __name__ == "__main__":
    main(*sys.argv[1:])
