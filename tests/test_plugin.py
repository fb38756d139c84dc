"""Tests for depthcore.pytest_plugin, run inside pytest with `pytester` (as pytest-regressions does).

Each test writes a small project, runs pytest on it (in-process, or in a fresh interpreter) and
reads the outcome and the terminal output. depthcore's own suite (a conftest loading the plugin,
an ini with `depthcore_suite = true`): options, markers, tier gating, `--depthcore-gpu` without
CUDA, the `baseline` fixture's create / pass / fail / corrupt paths, and the verdict table.
Another project (no conftest: the plugin from its pytest11 entry point): none of the suite's
session behaviour, and `depthcore_baseline` end to end on a `depthcore.diff` of two fine-tunes.
Both: `--update-baselines` fails the tests that wrote, and is refused over uncommitted baselines.
"""

from __future__ import annotations

import json
import re
import subprocess

import hypothesis  # noqa: F401  (its plugin imports it at the end of every inner run)
import netCDF4  # noqa: F401
import numpy  # noqa: F401
import pytest
import torch
import xarray  # noqa: F401

import depthcore
from depthcore import cache, numerics, results  # noqa: F401
from depthcore.noise import Noise
from depthcore.pytest_plugin import PIN_DECISION

# In-process pytester runs drop every module first imported during the inner run; C
# extensions (numpy, netCDF4, torch) cannot be imported twice in one process, so the
# modules the inner tests and the plugin use are imported here, once, for good. That includes
# the ~800 modules a first optimizer step imports (torch._dynamo, torch._inductor, which
# registers a TORCH_LIBRARY): the plugin's header fingerprint takes an AdamW step.
numerics.fingerprint()
pytest_plugins = ["pytester"]

BASELINE_TEST = """
    import pathlib

    import pytest

    from depthcore import results


    @pytest.mark.parametrize("model", ["tiny-gpt2-64/clm"])
    def test_profile(baseline, model):
        value = float(pathlib.Path(__file__).with_name("value.txt").read_text())
        ds = results.new_dataset(["h.0", "h.1", "h.2"], {"tier": "tiny", "model": model})
        results.put(ds, "rep_change_cos", "layer", [0.1, value, 0.3])
        results.put(ds, "slope", (), 0.1)
        baseline.check(ds)
"""
BASELINE_REL = "baselines/tiny/cpu/test_base/test_profile-tiny-gpt2-64_clm.nc"
OBTAINED_REL = ".depthcore-obtained/tiny/cpu/test_base/test_profile-tiny-gpt2-64_clm.nc"
NODEID = "test_base.py::test_profile[tiny-gpt2-64/clm]"


@pytest.fixture
def project(pytester, monkeypatch):
    """A pytester project that loads the plugin as depthcore's own suite does, with strict markers."""
    monkeypatch.setattr(cache, "_override", cache._override)  # --depthcore-cache sets a module global
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # inner runs load only depthcore's plugin
    pytester.makeconftest('pytest_plugins = ["depthcore.pytest_plugin"]')
    pytester.makeini("[pytest]\naddopts = --strict-markers -p no:cacheprovider\ndepthcore_suite = true\n")
    return pytester


@pytest.fixture
def base_project(project):
    project.makepyfile(test_base=BASELINE_TEST)
    (project.path / "value.txt").write_text("0.2")
    return project


def out(result) -> str:
    return result.stdout.str() + "\n" + result.stderr.str()


# --- options and markers ------------------------------------------------------------------


def test_options_are_in_the_depthcore_group(project):
    result = project.runpytest("--help")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["depthcore:", "*--update-baselines*", "*--force-update-baselines*",
                                 "*--depthcore-cache=DIR*", "*--depthcore-obtained=DIR*", "*--depthcore-gpu*",
                                 "*--depthcore-no-run-cache*"])


def test_markers_are_registered(project):
    result = project.runpytest("--markers")
    assert result.ret == 0
    result.stdout.fnmatch_lines_random([f"@pytest.mark.{m}: *" for m in
                                        ("tiny", "small", "medium", "large", "gpu", "perf", "slow")])


def test_tier_markers_pass_strict_markers(project):
    project.makepyfile("""
        import pytest

        @pytest.mark.tiny
        def test_tiny():
            pass

        @pytest.mark.slow
        def test_slow():
            pass

        @pytest.mark.tinyy
        def test_typo():
            pass
    """)
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED  # the collection error from the typo
    assert "'tinyy' not found in `markers` configuration option" in out(result)


# --- gating -------------------------------------------------------------------------------


GATED = """
    import pytest

    @pytest.mark.{marker}
    def test_gated(depthcore_device):
        assert depthcore_device == "cuda"

    def test_plain(depthcore_device):
        assert depthcore_device == "cpu"
"""


@pytest.mark.parametrize("marker", ["small", "medium", "large", "gpu"])
def test_gpu_tiers_are_skipped_without_gpu_naming_the_flag(project, marker):
    project.makepyfile(GATED.format(marker=marker))
    result = project.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines([f"SKIPPED [[]1[]] *: {marker} tier needs --gpu (pytest bench -m {marker} --gpu)"])


def test_gpu_without_cuda_is_a_usage_error(project, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # this machine's case, on any machine
    project.makepyfile(GATED.format(marker="small"))
    result = project.runpytest("--depthcore-gpu")
    assert result.ret == pytest.ExitCode.USAGE_ERROR == 4
    text = out(result)
    assert "--depthcore-gpu (--gpu) was given but torch.cuda.is_available() is False" in text
    assert "drop the flag to run the tiny tier on CPU" in text
    assert "passed" not in result.stdout.str()  # nothing ran


def test_gpu_with_cuda_runs_the_gpu_tiers(project, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    project.makepyfile(GATED.format(marker="small").replace('== "cpu"', '== "cuda"'))
    result = project.runpytest("--depthcore-gpu")
    result.assert_outcomes(passed=2)


PERF = """
    import pytest

    @pytest.mark.perf
    def test_speed():
        pass

    def test_unit():
        pass
"""


def test_perf_is_skipped_by_default(project):
    project.makepyfile(PERF)
    result = project.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED *perf benchmark: run with pytest bench -m perf --benchmark-only"])


def test_perf_runs_with_m_perf(project):
    project.makepyfile(PERF)
    result = project.runpytest("-m", "perf")
    result.assert_outcomes(passed=1, deselected=1)


# --- options reach the fixtures -----------------------------------------------------------


def test_depthcore_cache_sets_the_cache_root(project, tmp_path):
    where = tmp_path / "elsewhere"
    project.makepyfile(f"""
        from pathlib import Path
        from depthcore.cache import cache_root

        def test_root():
            assert cache_root() == Path({str(where)!r})
    """)
    project.runpytest("--depthcore-cache", str(where)).assert_outcomes(passed=1)
    assert where.is_dir()


@pytest.mark.parametrize(("args", "use_cache"), [((), True), (("--depthcore-no-run-cache",), False)])
def test_no_run_cache_reaches_the_run_store(project, args, use_cache):
    project.makepyfile(f"""
        def test_store(runs):
            assert runs.use_cache is {use_cache}
    """)
    project.runpytest(*args).assert_outcomes(passed=1)


# --- the baseline fixture -----------------------------------------------------------------


def test_missing_baseline_fails_with_the_update_command(base_project):
    result = base_project.runpytest()
    result.assert_outcomes(failed=1)
    text = out(result)
    assert f"no baseline at {base_project.path / BASELINE_REL}" in text
    assert f"create it with: pytest '{NODEID}' --update-baselines" in text
    assert "During handling of the above exception" not in text  # the message once, unchained
    assert not (base_project.path / "baselines").exists()


def test_update_creates_the_baseline_fails_and_lists_it(base_project):
    result = base_project.runpytest("--update-baselines")
    result.assert_outcomes(failed=1)  # by design: a rewrite never passes unnoticed
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert (base_project.path / BASELINE_REL).is_file()
    result.stdout.fnmatch_lines([f"*--update-baselines wrote this test's baselines:", f"  created  {BASELINE_REL}",
                                 "the test fails so that no rewrite passes unnoticed*"])
    result.stdout.fnmatch_lines(["*depthcore baselines written*", f"created  {BASELINE_REL}",
                                 "1 baseline file written: the tests that wrote them fail by design*"])

    # the next run, without the flag, compares and passes, writing nothing
    again = base_project.runpytest()
    again.assert_outcomes(passed=1)
    assert "depthcore baselines written" not in again.stdout.str()
    assert not (base_project.path / ".depthcore-obtained").exists()

    # an update that matches lists nothing either
    same = base_project.runpytest("--update-baselines")
    same.assert_outcomes(passed=1)
    assert same.ret == pytest.ExitCode.OK
    assert "depthcore baselines written" not in same.stdout.str()


def test_changed_value_fails_with_a_table_and_the_obtained_file(base_project):
    base_project.runpytest("--update-baselines").assert_outcomes(failed=1)
    (base_project.path / "value.txt").write_text("0.25")
    result = base_project.runpytest()
    result.assert_outcomes(failed=1)
    text = out(result)
    assert re.search(r"variable\s+where\s+expected\s+obtained\s+diff", text)
    assert re.search(r"rep_change_cos\s+layer=2\s+0\.2\s+0\.25\s+0\.05", text)
    assert f"obtained result written to {base_project.path / OBTAINED_REL}" in text
    assert f"pytest '{NODEID}' --update-baselines" in text
    assert (base_project.path / OBTAINED_REL).is_file()
    # the message once, without a chained exception or depthcore's own frames
    assert "During handling of the above exception" not in text
    assert "baselines.py" not in text

    # --update-baselines writes the change, says so and fails
    update = base_project.runpytest("--update-baselines")
    update.assert_outcomes(failed=1)
    update.stdout.fnmatch_lines([f"  changed  {BASELINE_REL}"])
    base_project.runpytest().assert_outcomes(passed=1)


def test_baseline_from_other_numerics_without_measured_noise_is_compared_for_structure_and_listed(base_project):
    base_project.runpytest("--update-baselines").assert_outcomes(failed=1)
    path = base_project.path / BASELINE_REL
    results.write(results.read(path).assign_attrs(numerics="0" * 16, numerics_info="another machine"), path)
    (base_project.path / "value.txt").write_text("0.25")  # a number that would fail on like numerics
    result = base_project.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*depthcore baselines made with other numerics*",
                                 "1 baselines were made with other numerics than this session's*0 were compared "
                                 "within the numerics noise*1 for structure only*", f"  {BASELINE_REL}: structure"])


JUDGED_TEST = """
    import pathlib

    from depthcore import results
    from depthcore.claims import Verdict

    RECORDED = {"verdict": "reproduced", "strict": "", "numbers": "slope +0.1000 [+0.0100, +0.1900]"}


    def test_claim(baseline, verdicts):
        lo = float(pathlib.Path(__file__).with_name("lo.txt").read_text())
        ds = results.new_dataset(["h.0", "h.1"], {"tier": "tiny", "model": "m"})
        results.put(ds, "slope", (), 0.1)
        baseline.check(ds)
        verdict = "reproduced" if lo > 0 else "not reproduced"
        verdicts.judge(Verdict("output_proximal", "m", verdict, "reproduced", numbers={"slope": (0.1, lo, 0.19)}),
                       RECORDED)
"""


@pytest.mark.parametrize("lo,outcome", [(-0.01, "passed"), (-0.2, "failed")])
def test_a_verdict_moved_within_numerics_noise_is_listed_not_failed(project, lo, outcome):
    """On other numerics, slope measured to move by up to 0.1 of (|value| + scale 0.1): the lower
    bound 0.01 -> -0.01 (0.02 / 0.11 = 0.18) is within twice that, numerics-sensitive; -0.2 is not."""
    project.makepyfile(test_judged=JUDGED_TEST)
    (project.path / "lo.txt").write_text("0.01")  # the recorded numbers, on the baseline's numerics
    project.runpytest("--update-baselines").assert_outcomes(failed=1)  # it wrote its baseline, by design
    rows = json.loads((project.path / ".depthcore-obtained" / "verdicts.json").read_text())
    assert [r["verdict"] for r in rows] == ["reproduced"]  # the test ran to its end: its verdict is recorded
    (project.path / "lo.txt").write_text(str(lo))
    path = project.path / "baselines/tiny/cpu/test_judged/test_claim.nc"
    results.write(results.read(path).assign_attrs(numerics="0" * 16, numerics_info="another machine"), path)
    quantity = {"scale": 0.1, "typical": 0.01, "worst": 0.1}
    (path.parent.parent / "numerics-noise.json").write_text(
        Noise(variables={"slope": quantity}, numbers={"slope": quantity}).to_json())
    result = project.runpytest()
    result.assert_outcomes(**{outcome: 1})
    text = out(result)
    if outcome == "passed":
        result.stdout.fnmatch_lines(["numerics-sensitive: 1 of 1 verdicts moved within numerics noise*",
                                     "  test_judged.py::test_claim: here not reproduced / -; sensitive: recorded "
                                     "reproduced / - (slope +0.1000 [+0.0100, +0.1900])"])
        rows = json.loads((project.path / ".depthcore-obtained" / "verdicts.json").read_text())
        assert rows[0]["verdict"] == "not reproduced" and rows[0]["numerics"].startswith("sensitive: recorded")
        assert "other numerics" in text  # the verdict table's column
    else:
        assert "VerdictChanged" in text and "beyond numerics noise: slope" in text


def test_session_runs_on_depthcore_threads(project, monkeypatch, keep_threads):
    project.makepyfile("import torch\ndef test_threads():\n    assert torch.get_num_threads() == 1\n")
    monkeypatch.setenv("DEPTHCORE_THREADS", "1")
    project.runpytest().assert_outcomes(passed=1)
    monkeypatch.setenv("DEPTHCORE_THREADS", "two")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "DEPTHCORE_THREADS='two' is not a thread count; set it to a positive integer" in out(result)


def test_header_names_the_numerics(project):
    project.makepyfile("def test_ok():\n    pass\n")
    project.runpytest().stdout.fnmatch_lines(["depthcore numerics: * (torch *threads*)"])


def test_corrupt_baseline_fails_naming_the_file(base_project):
    path = base_project.path / BASELINE_REL
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a netCDF file")
    result = base_project.runpytest()
    result.assert_outcomes(failed=1)
    text = out(result)
    assert f"baseline {path} is unusable" in text
    assert "During handling of the above exception" not in text  # the message once, unchained
    assert path.read_bytes() == b"not a netCDF file"


def test_gpu_tier_baselines_go_under_their_tier(project, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    project.makepyfile(test_base=BASELINE_TEST.replace('@pytest.mark.parametrize', '@pytest.mark.small\n    @pytest.mark.parametrize'))
    (project.path / "value.txt").write_text("0.2")
    project.runpytest("--depthcore-gpu", "--update-baselines").assert_outcomes(failed=1)
    assert (project.path / BASELINE_REL.replace("tiny/cpu", "small/cuda")).is_file()
    assert not (project.path / BASELINE_REL).exists()


# --- verdicts -----------------------------------------------------------------------------


def test_verdict_rows_appear_in_the_summary(project):
    project.makepyfile("""
        def test_claim_a(verdicts):
            verdicts.record(claim="depth-gradient", tier="tiny", model="tiny-gpt2-64", verdict="supported",
                            numbers="slope=0.12")

        def test_claim_b(verdicts):
            verdicts.record(claim="equal-step", tier="tiny", model="tiny-gpt2-64", verdict="refuted",
                            control_strength=0.5)
    """)
    result = project.runpytest()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "*depthcore verdicts*",
        "claim *tier *model *verdict *control_strength *numbers",
        "-*",
        "depth-gradient *tiny *tiny-gpt2-64 *supported *slope=0.12",
        "equal-step *tiny *tiny-gpt2-64 *refuted *0.5",
    ])


@pytest.mark.slow
def test_summary_gathers_what_xdist_workers_report(base_project):
    # under `pytest -n N` tests run in worker processes; their verdict rows and written baselines
    # travel to the controller in the test reports, and the controller prints the summary
    base_project.makepyfile(test_claims="""
        import pytest

        @pytest.mark.parametrize("model", ["m0", "m1", "m2", "m3"])
        def test_claim(verdicts, model):
            verdicts.record(claim="c", tier="tiny", model=model, verdict="reproduced", control_strength=0.25)
    """)
    result = base_project.runpytest_subprocess("-p", "xdist.plugin", "-n", "2", "--update-baselines")
    result.assert_outcomes(passed=4, failed=1)  # the test that wrote its baseline fails, by design
    result.stdout.fnmatch_lines(["*depthcore baselines written*", f"created  {BASELINE_REL}"])
    result.stdout.fnmatch_lines(["*depthcore verdicts*", "claim *tier *model *verdict *control_strength", "-*",
                                 "c *tiny *m0 *reproduced *0.25", "c *tiny *m1 *reproduced *0.25",
                                 "c *tiny *m2 *reproduced *0.25", "c *tiny *m3 *reproduced *0.25"])


def test_no_verdicts_no_section(project):
    project.makepyfile("def test_nothing():\n    pass\n")
    result = project.runpytest()
    result.assert_outcomes(passed=1)
    assert "depthcore verdicts" not in result.stdout.str()
    assert not (project.path / "baselines").exists()


# --- --update-baselines over uncommitted baselines ----------------------------------------


def git(path, *args):
    subprocess.run(["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   check=True, capture_output=True)


def test_suite_update_is_refused_over_uncommitted_baselines_unless_forced(base_project):
    # (a project outside git, as every other test here, may always update)
    git(base_project.path, "init", "-q")
    base_project.runpytest("--update-baselines").assert_outcomes(failed=1)  # baselines/ was clean: absent
    (base_project.path / "value.txt").write_text("0.25")
    refused = base_project.runpytest("--update-baselines")
    assert refused.ret == pytest.ExitCode.USAGE_ERROR
    text = out(refused)
    assert "--update-baselines refused: 1 baseline file with uncommitted changes" in text
    assert f"?? {BASELINE_REL}" in text and "--force-update-baselines" in text
    assert results.read(base_project.path / BASELINE_REL)["rep_change_cos"].values[1] == 0.2  # untouched

    forced = base_project.runpytest("--force-update-baselines")
    forced.assert_outcomes(failed=1)
    forced.stdout.fnmatch_lines([f"  changed  {BASELINE_REL}"])
    git(base_project.path, "add", "-A")
    git(base_project.path, "commit", "-q", "-m", "baselines")
    base_project.runpytest("--update-baselines").assert_outcomes(passed=1)  # committed: allowed, nothing to write
    (base_project.path / "baselines" / "constraints.txt").write_text("torch==0\n")  # anything under baselines/
    assert base_project.runpytest("--update-baselines").ret == pytest.ExitCode.USAGE_ERROR


# --- another project: the plugin from its entry point, no conftest ---------------------------


@pytest.fixture
def foreign(pytester, monkeypatch):
    """A project that is not depthcore: no conftest, every installed plugin from its entry point."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setattr(cache, "_override", cache._override)
    for key in numerics.PINNED:  # were the suite's pinning applied, these would be set again
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv(PIN_DECISION, "1")  # and at once: the decision is inherited
    # in-process runs find depthcore imported already, too late for pytest to rewrite its asserts
    pytester.makeini("[pytest]\naddopts = --strict-markers -p no:cacheprovider\n"
                     "filterwarnings = ignore::pytest.PytestAssertRewriteWarning\n"
                     "markers =\n    gpu: this project's own marker\n")
    return pytester


def test_another_project_gets_none_of_the_suites_session_behaviour(foreign, monkeypatch, keep_threads):
    threads = torch.get_num_threads()
    monkeypatch.setenv("DEPTHCORE_THREADS", str(threads + 1))
    foreign.makepyfile(f"""
        import pytest
        import torch

        from depthcore import numerics


        @pytest.mark.gpu  # its own marker: not depthcore's tier, never skipped for want of --gpu
        def test_numerics_are_its_own():
            assert torch.get_num_threads() == {threads}
            assert not numerics.pinned()


        def test_suite_fixture(runs):
            pass
    """)
    result = foreign.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    text = out(result)
    assert ("the 'runs' fixture belongs to depthcore's own suite (ini option depthcore_suite = true); in another "
            "project use depthcore_baseline and depthcore.testing") in text
    assert "depthcore numerics" not in text  # no header: no fingerprint computed
    assert "depthcore:" in foreign.runpytest("--help").stdout.str()  # its options are there
    markers = foreign.runpytest("--markers").stdout.str()
    assert "@pytest.mark.gpu: this project's own marker" in markers and "tiny tier" not in markers
    gpu = foreign.runpytest("--depthcore-gpu")
    assert gpu.ret == pytest.ExitCode.USAGE_ERROR
    assert "--depthcore-gpu applies only to depthcore's own suite (ini option depthcore_suite = true)" in out(gpu)


TUNE_TEST = """
    import pathlib

    from depthcore import results

    VALUE = float(pathlib.Path(__file__).with_name("value.txt").read_text())


    def result():
        ds = results.new_dataset(["h.0", "h.1", "h.2"], {"model": "m"})
        results.put(ds, "rep_change_cos", "layer", [0.1, VALUE, 0.3])
        results.put(ds, "accuracy", (), 0.5 + VALUE / 100)
        return ds


    def test_default(depthcore_baseline):
        depthcore_baseline.check(result())


    def test_rtol(depthcore_baseline):
        depthcore_baseline.check(result(), rtol=2e-3)


    def test_one_variable(depthcore_baseline):
        depthcore_baseline.check(result(), tolerances={"rep_change_cos": {"rtol": 2e-3}})


    def test_bad_tolerance(depthcore_baseline):
        depthcore_baseline.check(result(), tolerances={"rep_change_cos": {"rtool": 1}})
"""


def test_depthcore_baseline_tolerances(foreign):
    foreign.makepyfile(test_tune=TUNE_TEST)
    (foreign.path / "value.txt").write_text("0.2")
    created = foreign.runpytest("--update-baselines")
    created.assert_outcomes(failed=4)  # three wrote their baseline, one was refused its tolerance
    assert sorted(p.name for p in (foreign.path / "test_tune").iterdir()) == [
        "test_default.nc", "test_one_variable.nc", "test_rtol.nc"]
    assert "depthcore_baseline.check tolerances['rep_change_cos']: unknown tolerance 'rtool'; give rtol and/or " \
           "atol" in out(created)
    # 0.2 -> 0.2003: 3e-4 beyond 1e-6 + 1e-3 * 0.2; within 2e-3 * 0.2. accuracy 0.502 -> 0.502003 is
    # within the default atol 5e-3 of a counted fraction, and within rtol 2e-3 anyway
    (foreign.path / "value.txt").write_text("0.2003")
    result = foreign.runpytest("-k", "not bad")
    result.assert_outcomes(passed=2, failed=1)
    text = out(result)
    assert "test_tune.py::test_default" in text
    assert re.search(r"rep_change_cos\s+layer=2\s+0\.2\s+0\.2003\s+0\.0003", text)
    assert "accuracy" not in text.split("rep_change_cos", 1)[1].split("short test summary")[0]


def test_update_is_refused_over_uncommitted_baselines_beside_their_module(foreign):
    foreign.makepyfile(test_tune=TUNE_TEST)
    (foreign.path / "value.txt").write_text("0.2")
    git(foreign.path, "init", "-q")
    foreign.runpytest("--update-baselines", "-k", "default").assert_outcomes(failed=1, deselected=3)
    (foreign.path / "results").mkdir()
    (foreign.path / "results" / "run.nc").write_bytes(b"data of its own")  # not beside a test module
    refused = foreign.runpytest("--update-baselines", "-k", "default")
    assert refused.ret == pytest.ExitCode.USAGE_ERROR
    text = out(refused)
    assert "--update-baselines refused: 1 baseline file with uncommitted changes" in text
    assert "?? test_tune/test_default.nc" in text and "run.nc" not in text
    git(foreign.path, "add", "test_tune")
    git(foreign.path, "commit", "-q", "-m", "baseline")
    foreign.runpytest("--update-baselines", "-k", "default").assert_outcomes(passed=1, deselected=3)


FRESH_TEST = """
    import os
    import sys

    import xarray as xr

    from depthcore import numerics


    def test_my_result(depthcore_baseline):
        ds = xr.Dataset({"rep_change_cos": ("layer", [0.1, 0.2], {"units": "1", "long_name": "change"})},
                        coords={"layer": [1, 2]}, attrs={"depthcore_schema": 1})
        depthcore_baseline.check(ds)


    def test_numerics_are_its_own():
        assert "torch" not in sys.modules  # no fingerprint, no pinned kernels, no thread count set
        assert not any(key in os.environ for key in numerics.PINNED)
"""


def test_a_fresh_interpreter_loads_the_plugin_from_its_entry_point(foreign):
    foreign.makepyfile(test_fresh=FRESH_TEST)
    result = foreign.runpytest_subprocess("-p", "no:hypothesispytest", "-p", "no:benchmark")  # quicker to start
    result.assert_outcomes(passed=1, failed=1)
    path = foreign.path / "test_fresh" / "test_my_result.nc"
    assert f"no baseline at {path}; create it with: pytest 'test_fresh.py::test_my_result' --update-baselines" \
        in out(result)


FINETUNE_TEST = """
    import pathlib

    import depthcore

    MODELS = pathlib.Path({models!r})


    def test_my_finetune(depthcore_baseline):
        tuned = pathlib.Path(__file__).with_name("tuned.txt").read_text()
        ds = depthcore.diff(str(MODELS / "base"), str(MODELS / tuned), probe_file=MODELS / "probe.txt",
                            probe_size=2, seq_len=8, null_draws=1)
        depthcore_baseline.check(ds)
"""


@pytest.fixture(scope="module")
def finetunes(tmp_path_factory, tok, tiny_gpt2):
    """A random 4-layer GPT-2 and two fine-tunes of it, saved: its last block's MLP moved by 0.02
    and by 0.04 times one Gaussian draw; and a probe file. One diff here imports what the runs in
    this process need, before pytester's runs (which drop the modules they import)."""
    where = tmp_path_factory.mktemp("finetunes")
    noise = None
    for name, scale in (("base", 0.0), ("tuned", 0.02), ("tuned_more", 0.04)):
        model = tiny_gpt2(seed=0)
        with torch.no_grad():
            params = list(model.transformer.h[-1].mlp.parameters())
            noise = noise or [torch.randn(p.shape, generator=torch.Generator().manual_seed(i))
                              for i, p in enumerate(params)]
            for p, n in zip(params, noise):
                p.add_(scale * n)
        model.save_pretrained(where / name)
        tok.save_pretrained(where / name)
    (where / "probe.txt").write_text("\n".join(f"the fox {i} jumps over the lazy dog and runs away" for i in range(8)))
    depthcore.diff(str(where / "base"), str(where / "tuned"), probe_file=where / "probe.txt", probe_size=2,
                   seq_len=8, null_draws=1)
    return where


@pytest.mark.slow
def test_another_project_checks_its_finetune_against_a_baseline(foreign, finetunes):
    foreign.makepyfile(test_finetune=FINETUNE_TEST.format(models=str(finetunes)))
    (foreign.path / "tuned.txt").write_text("tuned")
    path = foreign.path / "test_finetune" / "test_my_finetune.nc"
    command = "pytest 'test_finetune.py::test_my_finetune' --update-baselines"

    # no baseline yet (a missing one fails as test_a_fresh_interpreter_... shows): --update-baselines
    # writes it, and fails naming it; the plugin came from its entry point (listed by distribution)
    update = foreign.runpytest("--update-baselines")
    update.assert_outcomes(failed=1)
    update.stdout.fnmatch_lines(["plugins: *depthcore-0.1.0*"])
    update.stdout.fnmatch_lines(["*--update-baselines wrote this test's baselines:",
                                 "  created  test_finetune/test_my_finetune.nc"])
    stored = results.read(path)
    assert stored.attrs["result"] == "diff" and stored["rep_change_cos"].values[-1] > 0

    # the next run compares and passes
    foreign.runpytest().assert_outcomes(passed=1)

    # another fine-tune fails with the table: the last layer's change, expected and obtained
    (foreign.path / "tuned.txt").write_text("tuned_more")
    changed = foreign.runpytest()
    changed.assert_outcomes(failed=1)
    text = out(changed)
    expected = stored["rep_change_cos"].values[-1]
    assert f"result differs from baseline {path}" in text
    assert re.search(rf"rep_change_cos\s+layer=4\s+{expected:.6g}\s+[0-9.]+\s+[0-9.]+", text)
    assert "rep_change_cos  layer=1" not in text  # the blocks below did not change in either
    obtained = foreign.path / ".depthcore-obtained" / "test_finetune" / "test_my_finetune.nc"
    assert f"obtained result written to {obtained}; if the change is intended: {command}" in text
    assert results.read(obtained)["rep_change_cos"].values[-1] > expected
