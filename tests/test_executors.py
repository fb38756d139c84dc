"""depthcore.executors: the local executor, and Ray tasks on a local 2-CPU cluster giving the serial results.

The model is a random 4-layer GPT-2 (hidden 32) saved as a local checkpoint directory, so
Ray's worker processes load it through `depthcore.zoo` like any other model (a monkeypatched
zoo would not reach them). The Ray tests skip when Ray is not installed (`pip install -e .[ray]`).
"""

from __future__ import annotations

import os
import re
import sys

import pytest
import torch
import xarray as xr
from transformers import GPT2Config, GPT2LMHeadModel

from depthcore import data, engine, executors
from depthcore.cache import set_cache_root
from depthcore.config import RunSpec, SpecError

SMALL = dict(steps=4, batch_size=4, seq_len=32, probe_size=8, log_every=2, lr=1e-3)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> str:
    tok = data.tiny_tokenizer()
    torch.manual_seed(0)
    cfg = GPT2Config(n_layer=4, n_embd=32, n_head=2, vocab_size=len(tok), n_positions=64,
                     pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                     resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    path = tmp_path_factory.mktemp("ckpt") / "tiny-gpt2-32"
    GPT2LMHeadModel(cfg).save_pretrained(path)
    tok.save_pretrained(path)
    return str(path)


@pytest.fixture
def cache(tmp_path):
    set_cache_root(tmp_path / "cache")
    yield tmp_path / "cache"
    set_cache_root(None)


def specs_of(checkpoint: str) -> list[RunSpec]:
    base = RunSpec(checkpoint, **SMALL)
    return [base, base.replace(condition="equal_step"), base.replace(seed=1, optimizer="sgd", lr=0.1)]


def without_times(ds: xr.Dataset) -> xr.Dataset:
    return ds.drop_vars([v for v in ds.data_vars if ds[v].attrs.get("units") == "s"])


def assert_same_runs(got: list[xr.Dataset], want: list[xr.Dataset]) -> None:
    __tracebackhide__ = True
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.attrs["spec"] == w.attrs["spec"]
        xr.testing.assert_allclose(without_times(g), without_times(w), rtol=1e-5, atol=1e-7)


def test_run_specs_rejects_unknown_executor_and_misplaced_options():
    with pytest.raises(ValueError, match="executor 'dask' is not known; use one of 'local', 'ray'"):
        executors.run_specs([], executor="dask")
    with pytest.raises(ValueError, match="address only apply to --executor ray"):
        executors.run_specs([], executor="local", address="auto")
    with pytest.raises(TypeError, match="list of RunSpec; got dict"):
        executors.run_local([{"model": "x"}])


def test_ray_options_one_gpu_per_cuda_run():
    cpu = executors.ray_options(RunSpec("m"), max_retries=2)
    assert cpu == dict(max_retries=2, retry_exceptions=True, num_cpus=1)
    gpu = executors.ray_options(RunSpec("m", device="cuda", dtype="bfloat16"))
    assert gpu["num_gpus"] == 1 and gpu["max_retries"] == 3


@pytest.mark.slow
def test_local_runs_in_order_once_and_reports_failures_after_the_rest(checkpoint, cache):
    good = RunSpec(checkpoint, **SMALL)
    bad = good.replace(freeze=(9,))  # 4 layers: a SpecError
    finished = []
    with pytest.raises(executors.RunsFailed, match=r"1 run\(s\) failed \(2 of 3 finished") as info:
        executors.run_local([good, bad, good], lambda spec, ds: finished.append(spec))
    assert finished == [good]
    err = info.value
    assert isinstance(err.failures[bad], SpecError)
    assert err.results[1] is None and err.results[0] is err.results[2]  # one computation for the duplicate
    assert engine.run_path(good).exists() and not engine.run_path(bad).exists()


# --------------------------------------------------------------------------- Ray

@pytest.fixture(scope="module")
def ray_cluster():
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install -e '.[ray]'")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_gives_the_serial_results_and_never_recomputes(ray_cluster, checkpoint, cache):
    specs = specs_of(checkpoint)
    serial = executors.run_local(specs, use_cache=False)
    finished = []
    run = executors.make_executor("ray", max_retries=1)  # what `depthcore sweep --executor ray` builds
    got = run(specs + specs[:1], lambda spec, ds: finished.append(spec))  # one task per distinct spec
    assert sorted(finished, key=specs.index) == specs
    assert_same_runs(got, serial + serial[:1])
    written = {p: p.stat().st_mtime_ns for p in (cache / "runs").glob("*.nc")}
    assert len(written) == 3  # one entry per distinct spec, written by the tasks (atomic writer)
    again = executors.run_ray(specs)  # all cached: nothing recomputed, nothing rewritten
    assert_same_runs(again, serial)
    assert {p: p.stat().st_mtime_ns for p in (cache / "runs").glob("*.nc")} == written
    assert [float(d["train_seconds"]) for d in again] == [float(d["train_seconds"]) for d in got[:3]]


@pytest.mark.slow
def test_ray_does_not_retry_a_bad_spec_and_finishes_the_others(ray_cluster, checkpoint, cache):
    good = RunSpec(checkpoint, **SMALL).replace(seed=2)
    bad = good.replace(freeze=(9,))
    with pytest.raises(executors.RunsFailed, match=r"freeze layers \[9\] out of range") as info:
        executors.run_ray([bad, good])
    assert isinstance(info.value.failures[bad], SpecError)
    assert info.value.results[1] is not None
    # the worker's own cache key (its source hash is computed in the worker process)
    assert list((cache / "runs").glob(f"{good.key()}-*.nc")) and not list((cache / "runs").glob(f"{bad.key()}-*.nc"))


def _die_at_first_step(marker: str) -> None:
    """Ray worker setup hook: the first worker to finish an optimizer step SIGKILLs itself
    (a worker lost mid-run, as on a dead node); workers started after that run normally."""
    import os
    import signal

    from torch.optim.optimizer import register_optimizer_step_post_hook

    def after_step(optimizer, args, kwargs):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)

    register_optimizer_step_post_hook(after_step)


@pytest.mark.slow
def test_ray_retries_a_run_whose_worker_was_killed(ray_cluster, checkpoint, cache, tmp_path):
    ray = ray_cluster
    spec = RunSpec(checkpoint, **{**SMALL, "seed": 3})
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as in the Ray worker (num_cpus=1)
    try:
        serial = executors.run_local([spec], use_cache=False)
    finally:
        torch.set_num_threads(threads)
    marker = str(tmp_path / "worker-killed")

    def setup_hook():
        _die_at_first_step(marker)

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the hook is shipped to the workers
    ray.shutdown()
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 runtime_env={"worker_process_setup_hook": setup_hook})
        got = executors.run_ray([spec], max_retries=2)
    finally:
        ray.shutdown()
        ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)  # the module's cluster, as it was
    assert os.path.exists(marker)  # a worker died at its first optimizer step, so the result came from a retry
    assert_same_runs(got, serial)  # computed again from scratch, identically
    # one whole entry, keyed with the worker's own numerics (1 thread there), and no temp file left
    left = [p.name for p in (cache / "runs").iterdir() if not p.name.endswith(".lock")]
    assert len(left) == 1 and left[0].startswith(spec.key()) and left[0].endswith(".nc"), left


XDIST_TESTS = '''
import json, os, pathlib

import pytest

from depthcore.config import RunSpec

SPECS = [RunSpec.from_json(s) for s in json.loads(os.environ["DEPTHCORE_TEST_SPECS"])]


@pytest.mark.parametrize("i", range(2 * len(SPECS)))  # every spec asked for twice
def test_run(runs, verdicts, i):
    spec = SPECS[i % len(SPECS)]
    ds = runs.get(spec)
    got = {"spec": spec.to_json(), "worker": os.environ["PYTEST_XDIST_WORKER"], "train_seconds": float(ds["train_seconds"])}
    (pathlib.Path(os.environ["DEPTHCORE_TEST_OUT"]) / f"{i}.json").write_text(json.dumps(got))
    verdicts.record(claim="xdist", tier="tiny", model=f"run{i}", verdict="computed")
'''


@pytest.mark.slow
def test_xdist_workers_compute_each_run_once_and_give_the_serial_results(checkpoint, cache, tmp_path):
    # `pytest -n 2` as `pytest bench -m small --gpu -n N` runs it: two worker processes share the run
    # cache under file locks; the verdict rows they record reach the controller's summary
    import json
    import subprocess

    specs = specs_of(checkpoint)
    serial = executors.run_local(specs, use_cache=False)
    project, out = tmp_path / "project", tmp_path / "out"
    project.mkdir()
    out.mkdir()
    (project / "conftest.py").write_text('pytest_plugins = ["depthcore.pytest_plugin"]\n')
    (project / "pytest.ini").write_text("[pytest]\ndepthcore_suite = true\n")  # the suite's threads and pinning
    (project / "test_xdist.py").write_text(XDIST_TESTS)
    env = {**os.environ, "DEPTHCORE_CACHE": str(cache), "DEPTHCORE_TEST_OUT": str(out),
           "DEPTHCORE_TEST_SPECS": json.dumps([s.to_json() for s in specs]), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "xdist.plugin", "-n", "2", "-p", "no:cacheprovider",
                           "-q", str(project)], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "6 passed" in proc.stdout
    done = [json.loads(p.read_text()) for p in sorted(out.glob("*.json"))]
    assert {d["worker"] for d in done} == {"gw0", "gw1"}  # both workers ran tests
    seconds = {}
    for d in done:  # a run read back from the cache carries its computation's timing
        seconds.setdefault(d["spec"], set()).add(d["train_seconds"])
    assert len(seconds) == 3 and all(len(s) == 1 for s in seconds.values())  # each spec computed once
    assert len(list((cache / "runs").glob("*.nc"))) == 3
    assert_same_runs([engine.cached_run(s) for s in specs], serial)
    for i in range(6):  # every worker's rows are in the controller's verdict table
        assert re.search(rf"^xdist +tiny +run{i} +computed", proc.stdout, re.M), proc.stdout
