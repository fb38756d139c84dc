"""Tests for depthcore.cache and the run cache built on it (`engine.run_path`, `engine.cached_run`).

The run cache may only serve a result computed from the same spec by the same source: a
changed source hash recomputes, a truncated file is recomputed and never served, and two
concurrent callers compute a run once (the second waits on the lock, then reads). The
real `engine.run` fine-tunes a model; here a counting fake stands in for it.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from depthcore import cache, numerics, results
from depthcore.cache import atomic_path, cache_root, set_cache_root, source_hash
from depthcore.config import RunSpec

PACKAGE = Path(cache.__file__).resolve().parent
SPEC = RunSpec(model="tiny-gpt2-64", steps=3)


@pytest.fixture(autouse=True)
def isolated_cache_root(monkeypatch, tmp_path):
    """No override and no $DEPTHCORE_CACHE; whatever a test sets is undone afterwards."""
    monkeypatch.setattr(cache, "_override", None)  # restores the session's override on teardown
    monkeypatch.delenv("DEPTHCORE_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


# --- cache_root ---------------------------------------------------------------------------


def test_default_is_under_home(tmp_path):
    root = cache_root()
    assert root == tmp_path / "home" / ".cache" / "depthcore"
    assert root.is_dir()


def test_env_var_sets_the_root(monkeypatch, tmp_path):
    monkeypatch.setenv("DEPTHCORE_CACHE", str(tmp_path / "from-env"))
    assert cache_root() == tmp_path / "from-env"
    assert (tmp_path / "from-env").is_dir()


def test_set_cache_root_beats_the_env_var_and_none_restores_it(monkeypatch, tmp_path):
    monkeypatch.setenv("DEPTHCORE_CACHE", str(tmp_path / "from-env"))
    set_cache_root(tmp_path / "from-option")
    assert cache_root() == tmp_path / "from-option"
    set_cache_root(None)
    assert cache_root() == tmp_path / "from-env"


def test_set_cache_root_expands_user(tmp_path):
    set_cache_root("~/depthcore-cache")
    assert cache_root() == tmp_path / "home" / "depthcore-cache"


@pytest.mark.parametrize("where", ["under-a-file", "is-a-file"])
def test_unwritable_root_is_a_clear_os_error(tmp_path, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory")
    root = blocker / "cache" if where == "under-a-file" else blocker
    set_cache_root(root)
    with pytest.raises(OSError, match=r"cannot create the depthcore cache at .*blocker") as info:
        cache_root()
    msg = str(info.value)
    assert str(root) in msg
    assert "point DEPTHCORE_CACHE or --depthcore-cache at a writable directory" in msg


# --- source_hash --------------------------------------------------------------------------


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of depthcore's sources that `source_hash` hashes instead of the real ones."""
    copy = tmp_path / "pkg" / "depthcore"
    copy.mkdir(parents=True)
    for f in PACKAGE.glob("*.py"):
        shutil.copy(f, copy / f.name)
    monkeypatch.setattr(cache, "__file__", str(copy / "cache.py"))
    source_hash.cache_clear()
    yield copy
    source_hash.cache_clear()


def new_process():
    """source_hash is computed once per process (the code a process runs is the code it
    imported); an edit takes effect in the next process, simulated here by clearing it."""
    source_hash.cache_clear()


def test_source_hash_is_stable():
    assert source_hash() == source_hash()
    assert source_hash("config", "results") == source_hash("config", "results")
    assert len(source_hash("config")) == 16


def test_source_hash_depends_on_the_listed_modules_only(package_copy):
    before_all, before_cfg, before_res = source_hash(), source_hash("config"), source_hash("results")
    with open(package_copy / "config.py", "a") as f:
        f.write("\n# an edit\n")
    assert source_hash("config") == before_cfg  # not within this process
    new_process()
    assert source_hash("config") != before_cfg
    assert source_hash() != before_all
    assert source_hash("results") == before_res  # an unlisted module's edit does not invalidate


def test_source_hash_changes_when_a_module_is_added(package_copy):
    before = source_hash()
    (package_copy / "newmodule.py").write_text("X = 1\n")
    new_process()
    assert source_hash() != before


def test_source_hash_covers_file_names(package_copy):
    # the same text under another module name is another source
    assert source_hash("config") != source_hash("results")
    (package_copy / "a.py").write_text("X = 1\n")
    (package_copy / "b.py").write_text("X = 1\n")
    assert source_hash("a") != source_hash("b")


def test_source_hash_of_a_missing_module_is_an_error(package_copy):
    with pytest.raises(FileNotFoundError):
        source_hash("no_such_module")


# --- atomic_path and lock -----------------------------------------------------------------


def test_atomic_path_renames_on_success(tmp_path):
    dest = tmp_path / "sub" / "f.txt"
    with atomic_path(dest) as tmp:
        assert tmp.parent == dest.parent and tmp != dest
        tmp.write_text("new")
        assert not dest.exists()
    assert dest.read_text() == "new"
    assert [p.name for p in dest.parent.iterdir()] == ["f.txt"]


def test_atomic_path_keeps_the_old_file_on_error(tmp_path):
    dest = tmp_path / "f.txt"
    dest.write_text("old")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_path(dest) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert dest.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_lock_excludes_another_holder(tmp_path):
    import filelock

    target = tmp_path / "runs" / "x.nc"
    with cache.lock(target):
        assert (tmp_path / "runs" / "x.nc.lock").exists()
        with pytest.raises(filelock.Timeout):
            cache.lock(target, timeout=0).acquire()
    with cache.lock(target, timeout=0):
        pass


# --- the run cache ------------------------------------------------------------------------


def fake_result(spec: RunSpec) -> xr.Dataset:
    ds = results.new_dataset(["h.0", "h.1", "h.2"], {"spec": spec.to_json(), "tier": "tiny"})
    results.put(ds, "rep_change_cos", "layer", np.array([0.1, 0.2, 0.3]) * (1 + spec.seed))
    results.put(ds, "slope", (), 0.2 * (1 + spec.seed))
    return ds


class FakeRun:
    """Stands in for `engine.run`: counts calls and returns a small valid result."""

    def __init__(self, before_return=None):
        self.calls: list[RunSpec] = []
        self.before_return = before_return

    def __call__(self, spec, progress=False):
        self.calls.append(spec)
        if self.before_return:
            self.before_return()
        return fake_result(spec)


@pytest.fixture
def engine(monkeypatch, tmp_path):
    from depthcore import engine

    set_cache_root(tmp_path / "cache")
    return engine


@pytest.fixture
def fake(engine, monkeypatch) -> FakeRun:
    fake = FakeRun()
    monkeypatch.setattr(engine, "run", fake)
    return fake


def test_run_path_is_under_the_cache_root_and_keyed(engine, tmp_path):
    path = engine.run_path(SPEC)
    assert path.parent == tmp_path / "cache" / "runs"
    assert path.name == (f"{SPEC.key()}-{source_hash(*engine.RESULT_MODULES)}-{engine.library_hash()}-"
                         f"{numerics.fingerprint()[:8]}.nc")
    assert engine.run_path(SPEC.replace(seed=1)) != path


def test_a_library_upgrade_is_another_entry(engine, fake, monkeypatch):
    import importlib.metadata

    engine.cached_run(SPEC)
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "99.0" if name == "transformers" else real(name))
    engine.library_hash.cache_clear()
    try:
        engine.cached_run(SPEC)
    finally:
        monkeypatch.undo()
        engine.library_hash.cache_clear()
    assert len(fake.calls) == 2
    assert "packagezoo" in engine.RESULT_MODULES and "peft" in engine.RESULT_LIBRARIES


def test_other_numerics_are_another_entry(engine, fake, monkeypatch):
    engine.cached_run(SPEC)
    monkeypatch.setattr(numerics, "fingerprint", lambda: "fedcba9876543210")  # a machine with other bits
    engine.cached_run(SPEC)
    assert len(fake.calls) == 2


def test_first_call_computes_second_reads(engine, fake):
    first = engine.cached_run(SPEC)
    assert fake.calls == [SPEC]
    assert engine.run_path(SPEC).is_file()
    second = engine.cached_run(SPEC)
    assert fake.calls == [SPEC]
    xr.testing.assert_identical(second, first)
    xr.testing.assert_identical(second, fake_result(SPEC))


def test_another_spec_is_another_entry(engine, fake):
    a = engine.cached_run(SPEC)
    b = engine.cached_run(SPEC.replace(seed=1))
    assert fake.calls == [SPEC, SPEC.replace(seed=1)]
    assert float(b["slope"]) == pytest.approx(2 * float(a["slope"]))


def test_source_change_recomputes(engine, fake, monkeypatch):
    engine.cached_run(SPEC)
    old_path = engine.run_path(SPEC)
    monkeypatch.setattr(engine, "source_hash", lambda *modules: "0123456789abcdef")
    assert engine.run_path(SPEC) != old_path
    engine.cached_run(SPEC)
    assert len(fake.calls) == 2
    engine.cached_run(SPEC)
    assert len(fake.calls) == 2  # the new entry is then served


def test_edit_to_a_result_module_recomputes(engine, fake, package_copy):
    # a real text change in one of RESULT_MODULES, through source_hash itself
    engine.cached_run(SPEC)
    with open(package_copy / f"{engine.RESULT_MODULES[0]}.py", "a") as f:
        f.write("\n# an edit\n")
    new_process()
    engine.cached_run(SPEC)
    assert len(fake.calls) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_damaged_cache_file_is_recomputed_never_served(engine, fake, damage):
    engine.cached_run(SPEC)
    path = engine.run_path(SPEC)
    data = path.read_bytes()
    path.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"not netCDF" * 50, "empty": b""}[damage])
    again = engine.cached_run(SPEC)
    assert len(fake.calls) == 2
    xr.testing.assert_identical(again, fake_result(SPEC))
    xr.testing.assert_identical(results.read(path), fake_result(SPEC))  # the entry is whole again


def test_cache_file_of_another_schema_is_recomputed(engine, fake):
    path = engine.run_path(SPEC)
    stale = fake_result(SPEC.replace(seed=5))
    stale.attrs["depthcore_schema"] = results.SCHEMA_VERSION + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    stale.to_netcdf(path, engine="netcdf4")
    xr.testing.assert_identical(engine.cached_run(SPEC), fake_result(SPEC))
    assert len(fake.calls) == 1


def test_use_cache_false_always_computes_and_writes_nothing(engine, fake, tmp_path):
    for _ in range(3):
        xr.testing.assert_identical(engine.cached_run(SPEC, use_cache=False), fake_result(SPEC))
    assert len(fake.calls) == 3
    assert not engine.run_path(SPEC).exists()
    # and a cached entry is not read either
    engine.cached_run(SPEC)
    engine.cached_run(SPEC, use_cache=False)
    assert len(fake.calls) == 5


def test_concurrent_callers_compute_once(engine, monkeypatch):
    """Two threads ask for the same run; the first computes while the second waits on the lock.

    The fake run does not return until the second thread has tried to take the lock, so
    without the lock both would compute.
    """
    real_lock = engine.lock
    attempts: list[int] = []
    second_waiting = threading.Event()

    class SpyLock:
        def __init__(self, path):
            self.inner = real_lock(path)

        def __enter__(self):
            attempts.append(1)
            if len(attempts) == 2:
                second_waiting.set()
            return self.inner.__enter__()

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)

    fake = FakeRun(before_return=lambda: second_waiting.wait(timeout=30))
    monkeypatch.setattr(engine, "run", fake)
    monkeypatch.setattr(engine, "lock", SpyLock)
    out: dict[int, xr.Dataset] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(i):
        try:
            start.wait(timeout=30)
            out[i] = engine.cached_run(SPEC)
        except BaseException as e:  # surfaced below; a thread's exception is otherwise lost
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert second_waiting.is_set(), "the second caller never reached the lock"
    assert len(fake.calls) == 1
    xr.testing.assert_identical(out[0], out[1])


def test_no_module_that_shapes_a_result_reads_the_verdict_thresholds(engine):
    """criteria.py is outside the run-cache key: changing a verdict's threshold re-judges the stored
    runs instead of recomputing them, which holds only while no result module reads it."""
    import ast

    package = Path(engine.__file__).parent
    assert "criteria" not in engine.RESULT_MODULES
    for module in engine.RESULT_MODULES:
        tree = ast.parse((package / f"{module}.py").read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | \
                   {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert "depthcore.criteria" not in imported, f"{module}.py reads depthcore.criteria"
        assert not any(isinstance(n, ast.ImportFrom) and n.module == "depthcore" and
                       any(a.name == "criteria" for a in n.names) for n in ast.walk(tree)), module
