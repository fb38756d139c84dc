"""bench/known.py against the bench: every case of a recorded tier that judges a verdict has a
recorded finding, and every recorded finding belongs to a case that exists."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COLLECT = """
import json, sys
import pytest

class Cases:
    def __init__(self):
        self.ids = []

    def pytest_collection_modifyitems(self, items):
        self.ids = [(i.name, [m.name for m in i.iter_markers()]) for i in items if "recorded" in i.fixturenames]

cases = Cases()
code = pytest.main(["bench", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "tiny or real"], plugins=[cases])
print("CASES " + json.dumps(cases.ids))
sys.exit(int(code))
"""


def test_every_judged_case_is_recorded_and_every_record_is_a_case():
    out = subprocess.run([sys.executable, "-c", COLLECT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    cases = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("CASES "))[6:])
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from known import KNOWN
    finally:
        sys.path.remove(str(ROOT / "bench"))
    judged = {name for name, markers in cases if {"tiny", "real"} & set(markers)}
    assert len(judged) > 100  # the collection saw the bench
    assert sorted(judged - set(KNOWN)) == [], "cases with no recorded finding (bench/record_known.py)"
    assert sorted(set(KNOWN) - judged) == [], "recorded findings of cases that no longer exist"
