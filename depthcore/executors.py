"""Run a list of RunSpecs: in this process, or as Ray tasks on a cluster (docs/design.md "Scale").

One function per executor, both ``(specs, on_done=None, ...) -> list[xarray.Dataset]`` in
the order of `specs`, calling ``on_done(spec, ds)`` as each run finishes: the
`depthcore.sweep.Executor` protocol. `make_executor` picks one by name and binds its options
(what ``depthcore sweep --executor {local,ray} [--address A]`` calls); `run_specs` runs a list
with one:

- `run_local`: one run after another through `depthcore.engine.cached_run`.
- `run_ray`: each distinct spec is one Ray task (``num_gpus=1`` for a CUDA spec, so Ray sets
  ``CUDA_VISIBLE_DEVICES`` and ``"cuda"`` is the task's own GPU; ``num_cpus=1`` otherwise).
  Tasks call `cached_run`, so results land in the run cache through its file lock and atomic
  writer; on several nodes the cache directory must be a shared filesystem (NFS, Lustre…)
  mounted at the same path, and every node needs depthcore installed (or pass
  ``runtime_env={"py_modules": [depthcore]}``) and its Hugging Face cache. A run already in
  the cache is read by the driver and never submitted. A task that fails for a reason that may
  pass (a crashed worker or node, CUDA OOM beside another job, an I/O error) is retried
  ``max_retries`` times; errors a retry cannot fix (a bad spec, a non-finite loss, a model
  absent from the cache) are not. Ray is an optional extra: ``pip install -e .[ray]``.

Both executors finish every run they can before raising `RunsFailed`, so a second call after
a fix recomputes only the failed runs. Nothing here schedules work itself: that is Ray's job.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import xarray as xr

from depthcore.config import RunSpec

EXECUTORS = ("local", "ray")
OnDone = Callable[[RunSpec, xr.Dataset], None]


class RunsFailed(RuntimeError):
    """Some runs of a batch failed; the others finished (and are in the run cache).

    Attributes:
        failures: spec -> the exception it raised.
        results: one entry per input spec, None where that spec failed.
    """

    def __init__(self, failures: dict[RunSpec, BaseException], results: list[xr.Dataset | None]):
        self.failures = failures
        self.results = results
        lines = [f"  {spec.label}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                 for spec, e in failures.items()]
        done = sum(r is not None for r in results)
        super().__init__(f"{len(failures)} run(s) failed ({done} of {len(results)} finished and are cached; "
                         "running the same specs again computes only the failed ones):\n" + "\n".join(lines))


def _unique(specs) -> list[RunSpec]:
    return list(dict.fromkeys(specs))


def _deterministic_errors() -> tuple[type[BaseException], ...]:
    """Errors that a retry cannot fix: the same spec on the same code fails the same way."""
    from depthcore import zoo
    from depthcore.config import SpecError
    from depthcore.layers import LayersNotFound
    from depthcore.train import NonFiniteLoss

    return (SpecError, NonFiniteLoss, zoo.ModelNotCached, zoo.UnknownModel, zoo.ObjectiveNotSupported, LayersNotFound)


def _check_specs(specs: Sequence[RunSpec]) -> list[RunSpec]:
    specs = list(specs)
    bad = [type(s).__name__ for s in specs if not isinstance(s, RunSpec)]
    if bad:
        raise TypeError(f"executors take a list of RunSpec; got {', '.join(sorted(set(bad)))} "
                        "(build them with RunSpec(...) or RunSpec.from_dict(...))")
    return specs


def run_local(specs: Sequence[RunSpec], on_done: OnDone | None = None, *, use_cache: bool = True,
              progress: bool = False) -> list[xr.Dataset]:
    """Run every spec in this process, one after another, through the run cache.

    Args:
        specs: the runs; a spec listed twice is computed once.
        on_done: called as ``on_done(spec, ds)`` when a distinct spec has finished.
        use_cache: read finished runs from the cache and write new ones there.
        progress: tqdm bars (over runs, and the fine-tuning steps of each).

    Returns:
        One Dataset per spec, in the order given.

    Raises:
        RunsFailed: after all the others have finished, if any run raised.
    """
    from depthcore.engine import cached_run

    specs = _check_specs(specs)
    unique = _unique(specs)
    done: dict[RunSpec, xr.Dataset] = {}
    failures: dict[RunSpec, BaseException] = {}
    it = unique
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(unique, desc="runs", unit="run")
    for spec in it:
        try:
            done[spec] = cached_run(spec, use_cache=use_cache, progress=progress)
        except KeyboardInterrupt:
            raise
        except Exception as e:  # noqa: BLE001 - reported together below, after the other runs
            failures[spec] = e
        else:
            if on_done is not None:
                on_done(spec, done[spec])
    return _collect(specs, done, failures)


def _collect(specs, done, failures) -> list[xr.Dataset]:
    results = [done.get(s) for s in specs]
    if failures:
        raise RunsFailed(failures, results)
    return results


def _ray_task(spec_json: str, cache_dir: str | None, use_cache: bool):
    """The body of one Ray task: `cached_run` in the worker; errors a retry cannot fix come back as values."""
    from depthcore.cache import set_cache_root
    from depthcore.engine import cached_run

    set_cache_root(cache_dir)
    spec = RunSpec.from_json(spec_json)
    try:
        return "ok", cached_run(spec, use_cache=use_cache)
    except _deterministic_errors() as e:  # returned, not raised: Ray would retry a raised one
        return "error", e


def ray_options(spec: RunSpec, max_retries: int = 3, num_cpus: float = 1) -> dict[str, Any]:
    """The Ray task options of one run: one GPU for a CUDA spec, else one CPU; retries.

    ``max_retries`` covers both a dead worker or node and (``retry_exceptions=True``) an
    exception raised in the task; deterministic errors are returned instead (`_ray_task`).
    """
    opts: dict[str, Any] = dict(max_retries=max_retries, retry_exceptions=True, num_cpus=num_cpus)
    if spec.device == "cuda":
        opts["num_gpus"] = 1
    return opts


def run_ray(specs: Sequence[RunSpec], on_done: OnDone | None = None, *, address: str | None = None,
            use_cache: bool = True, progress: bool = False, max_retries: int = 3, cache_dir: str | None = None,
            num_cpus: float = 1, runtime_env: dict | None = None) -> list[xr.Dataset]:
    """Run every spec as a Ray task; results go to the shared run cache and come back here.

    Args:
        specs: the runs; a spec listed twice is computed once.
        on_done: called as ``on_done(spec, ds)`` in the driver as each distinct spec finishes
            (in order of completion; runs read from the cache first).
        address: the cluster (``"auto"``, ``"ray://head:10001"``, ``"head:6379"``); None starts a
            local Ray on this machine. An existing ``ray.init`` connection is used as it is.
        use_cache: runs already in the cache are read here and not submitted; new ones are
            written there by the tasks (file lock + atomic write, `engine.cached_run`).
        progress: a tqdm bar over finished runs.
        max_retries: attempts after the first for a task that crashed or raised (see module doc).
        cache_dir: the run cache the workers use (default: this process's `cache_root()`);
            on several nodes a path on a shared filesystem that every node mounts the same way.
        num_cpus: CPUs reserved per task (GPU tasks also get one GPU).
        runtime_env: passed to ``ray.init`` when this call starts the connection.

    Returns:
        One Dataset per spec, in the order given.

    Raises:
        ImportError: Ray is not installed (``pip install -e .[ray]``).
        RunsFailed: after all the other tasks have finished, if any run failed for good.
    """
    try:
        import ray
    except ImportError as e:
        raise ImportError("the Ray executor needs Ray: pip install -e '.[ray]' (or pip install 'ray>=2.9'), "
                          "or use the local executor") from e
    from depthcore.cache import cache_root
    from depthcore.engine import cached_run, run_path

    specs = _check_specs(specs)
    unique = _unique(specs)
    cache_dir = str(cache_dir or cache_root())
    done: dict[RunSpec, xr.Dataset] = {}
    failures: dict[RunSpec, BaseException] = {}
    todo = []
    for spec in unique:
        if use_cache and run_path(spec).exists():  # finished before: read it here, never recompute
            try:
                done[spec] = cached_run(spec)
            except Exception:  # noqa: BLE001 - unreadable entry: let a task recompute it
                pass
            else:
                if on_done is not None:
                    on_done(spec, done[spec])
                continue
        todo.append(spec)

    started = False
    if todo and not ray.is_initialized():
        ray.init(address=address, runtime_env=runtime_env, include_dashboard=False, log_to_driver=False)
        started = True
    try:
        remote = ray.remote(_ray_task)
        refs = {remote.options(**ray_options(s, max_retries, num_cpus)).remote(s.to_json(), cache_dir, use_cache): s
                for s in todo}
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(unique), initial=len(done), desc="runs (ray)", unit="run")
        pending = list(refs)
        try:
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                ref = ready[0]
                spec = refs[ref]
                try:
                    status, value = ray.get(ref)
                except ray.exceptions.RayError as e:  # retries exhausted: task error, dead worker/node
                    failures[spec] = e
                else:
                    if status == "ok":
                        done[spec] = value
                        if on_done is not None:
                            on_done(spec, value)
                    else:
                        failures[spec] = value
                if bar is not None:
                    bar.update(1)
        except KeyboardInterrupt:
            for ref in pending:
                ray.cancel(ref)
            raise
        finally:
            if bar is not None:
                bar.close()
    finally:
        if started:
            ray.shutdown()
    return _collect(specs, done, failures)


def make_executor(executor: str = "local", *, address: str | None = None, use_cache: bool = True,
                  progress: bool = False, **options: Any) -> Callable[..., list[xr.Dataset]]:
    """The named executor with its options bound: a callable ``(specs, on_done=None) -> datasets``.

    What ``depthcore sweep`` needs to switch engines in one line::

        run = executors.make_executor(args.executor, address=args.address, progress=not args.quiet)
        datasets = run(specs, on_done)

    Args:
        executor: ``"local"`` (`run_local`) or ``"ray"`` (`run_ray`).
        address: the Ray cluster (``--address``); only for ``"ray"``.
        use_cache, progress: as in both executors.
        **options: further `run_ray` options (max_retries, cache_dir, num_cpus, runtime_env).
    """
    if executor == "local":
        if address is not None or options:
            extra = ["address"] * (address is not None) + sorted(options)
            raise ValueError(f"{', '.join(extra)} only apply to --executor ray; drop them or use --executor ray")
        return functools.partial(run_local, use_cache=use_cache, progress=progress)
    if executor == "ray":
        return functools.partial(run_ray, address=address, use_cache=use_cache, progress=progress, **options)
    raise ValueError(f"executor {executor!r} is not known; use one of {', '.join(map(repr, EXECUTORS))}")


def run_specs(specs: Sequence[RunSpec], executor: str = "local", on_done: OnDone | None = None,
              **options: Any) -> list[xr.Dataset]:
    """Run specs with the named executor (`make_executor` takes the options); one Dataset per spec, in order."""
    return make_executor(executor, **options)(specs, on_done)
