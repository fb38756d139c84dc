"""bench/known.py against the bench: every case of a recorded tier that judges a verdict has a
recorded finding, and every recorded finding belongs to a case that exists."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.slow
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


def test_the_bench_names_its_models_without_their_packages(monkeypatch):
    # README's test install has no real-tier package: collecting the bench must not look them up
    from depthcore import packagezoo
    from depthcore.config import ModelNotCached

    def absent():
        raise ModelNotCached("not installed")

    monkeypatch.setattr(packagezoo, "gguf_file", absent)
    monkeypatch.setattr(packagezoo, "minilm_path", absent)
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import grid

    real = grid.models.__wrapped__("real")  # not an earlier call's cached answer
    assert (real["smollm2-135m"].block_type, real["smollm2-135m"].kind, real["minilm"].kind) == \
        ("sequential", "decoder", "encoder")
    assert grid.objectives("tiny", "minilm") == ("mlm", "cls") and len(grid.models("small")) == len(grid.SMALL)


def _record_known(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import record_known

    return record_known


def test_same_bits_names_what_moved_and_ignores_wall_clock_seconds(monkeypatch):
    import numpy as np
    import xarray as xr

    same_bits = _record_known(monkeypatch).same_bits
    a = xr.Dataset({"slope": ((), 0.5), "train_seconds": ((), 1.0), "profile": (("layer",), np.array([0.1, np.nan]))})
    assert same_bits(a, a.copy(deep=True)) == []
    b = a.assign(train_seconds=2.0)
    assert same_bits(a, b) == []
    c = a.assign(slope=np.nextafter(0.5, 1.0))
    assert same_bits(a, c) == ["slope"]
    assert same_bits(a, a.drop_vars("profile")) == ["profile"]


def test_record_known_records_only_determined_runs_of_this_machines_numerics(tmp_path, monkeypatch, capsys):
    rk = _record_known(monkeypatch)
    here = "f" * 16
    rows = [dict(test="bench/t.py::test_a[tiny-m]", verdict="reproduced", strict="", expected="reproduced",
                 numbers="n 1", spec='{"seed": 0}', fingerprint=here),
            dict(test="bench/t.py::test_b[tiny-m]", verdict="reproduced", strict="", expected="reproduced",
                 numbers="n 2", spec='{"seed": 1}', fingerprint=here),
            dict(test="bench/t.py::test_c[tiny-m]", verdict="reproduced", strict="", expected="reproduced",
                 numbers="n 3", spec='{"seed": 2}', fingerprint="0" * 16)]
    path = tmp_path / "verdicts.json"
    path.write_text(json.dumps(rows))
    written, checked = {}, []

    def failures(specs):
        checked.append(sorted(specs))
        return {'{"seed": 1}': "m/s1: the same run twice differs in slope"}

    monkeypatch.setattr(rk, "session_numerics", lambda: here)
    monkeypatch.setattr(rk, "determinism_failures", failures)
    monkeypatch.setattr(rk, "write_known", written.update)
    monkeypatch.setitem(sys.modules, "known", type(sys)("known"))
    sys.modules["known"].KNOWN = {}
    try:
        rk.main(str(path))
    except SystemExit as e:
        assert e.code == 1
    else:
        raise AssertionError("refused cases must fail the script")
    assert checked == [['{"seed": 0}', '{"seed": 1}']]  # the foreign-numerics row is not re-run
    assert set(written) == {"test_a[tiny-m]"}
    out = capsys.readouterr().out
    assert "not recorded: bench/t.py::test_b[tiny-m]: m/s1: the same run twice differs in slope" in out
    assert "not recorded: bench/t.py::test_c[tiny-m]: judged on numerics 0000000000000000" in out
