"""Rewrite bench/known.py from the verdicts of the last session (.depthcore-obtained/verdicts.json).

After an intended change, `pytest bench -m tiny --update-baselines` rewrites the baselines
and the verdicts file; this script then records every case whose verdict differs from the
paper's as a strict xfail whose reason is the measured verdict and numbers:

    python bench/record_known.py            # review `git diff bench/known.py` like code

Cases that reproduce are dropped from the table; cases not run in that session are kept.
"""

from __future__ import annotations

import json
import pprint
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(path: str = str(HERE.parent / ".depthcore-obtained" / "verdicts.json")) -> None:
    sys.path.insert(0, str(HERE))
    from known import KNOWN

    known = dict(KNOWN)
    for row in json.loads(Path(path).read_text()):
        key = row["test"].split("::")[-1]
        if "(paper:" in row["verdict"]:
            known[key] = f"measured: {row['verdict']}; {row['numbers']}"
        else:
            known.pop(key, None)
    text = (Path(HERE / "known.py").read_text().split("KNOWN = ")[0]
            + "KNOWN = " + pprint.pformat(dict(sorted(known.items())), width=110) + "\n")
    from depthcore.cache import atomic_path

    with atomic_path(HERE / "known.py") as tmp:
        tmp.write_text(text)
    print(f"bench/known.py: {len(known)} recorded non-reproductions")


if __name__ == "__main__":
    main(*sys.argv[1:])
