"""Tests for depthcore.pytest_plugin, run inside pytest with `pytester` (as pytest-regressions does).

Each test writes a small project (a conftest loading the plugin, a strict-markers ini and
a test module), runs pytest on it in-process and reads the outcome and the terminal
output: options, markers, tier gating, `--gpu` without CUDA, the `baseline` fixture's
create / pass / fail / corrupt paths, and the verdict table.
"""

from __future__ import annotations

import json
import re

import netCDF4  # noqa: F401
import numpy  # noqa: F401
import pytest
import torch
import xarray  # noqa: F401

from depthcore import cache, numerics, results  # noqa: F401
from depthcore.noise import Noise

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
    """A pytester project that loads the plugin, with strict markers."""
    monkeypatch.setattr(cache, "_override", cache._override)  # --depthcore-cache sets a module global
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # inner runs load only depthcore's plugin
    pytester.makeconftest('pytest_plugins = ["depthcore.pytest_plugin"]')
    pytester.makeini("[pytest]\naddopts = --strict-markers -p no:cacheprovider\n")
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
    result.stdout.fnmatch_lines(["depthcore:", "*--gpu*", "*--update-baselines*", "*--depthcore-cache=DIR*",
                                 "*--no-run-cache*"])


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
    result = project.runpytest("--gpu")
    assert result.ret == pytest.ExitCode.USAGE_ERROR == 4
    text = out(result)
    assert "--gpu was given but torch.cuda.is_available() is False" in text
    assert "drop --gpu to run the tiny tier on CPU" in text
    assert "passed" not in result.stdout.str()  # nothing ran


def test_gpu_with_cuda_runs_the_gpu_tiers(project, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    project.makepyfile(GATED.format(marker="small").replace('== "cpu"', '== "cuda"'))
    result = project.runpytest("--gpu")
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


@pytest.mark.parametrize(("args", "use_cache"), [((), True), (("--no-run-cache",), False)])
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


def test_update_creates_the_baseline_and_lists_it(base_project):
    result = base_project.runpytest("--update-baselines")
    result.assert_outcomes(passed=1)
    assert (base_project.path / BASELINE_REL).is_file()
    result.stdout.fnmatch_lines(["*depthcore baselines written*", f"created  {BASELINE_REL}"])

    # the next run, without the flag, compares and passes, writing nothing
    again = base_project.runpytest()
    again.assert_outcomes(passed=1)
    assert "depthcore baselines written" not in again.stdout.str()
    assert not (base_project.path / ".depthcore-obtained").exists()

    # an update that matches lists nothing either
    same = base_project.runpytest("--update-baselines")
    same.assert_outcomes(passed=1)
    assert "depthcore baselines written" not in same.stdout.str()


def test_changed_value_fails_with_a_table_and_the_obtained_file(base_project):
    base_project.runpytest("--update-baselines").assert_outcomes(passed=1)
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

    # --update-baselines accepts the change and says so
    update = base_project.runpytest("--update-baselines")
    update.assert_outcomes(passed=1)
    update.stdout.fnmatch_lines([f"changed  {BASELINE_REL}"])
    base_project.runpytest().assert_outcomes(passed=1)


def test_baseline_from_other_numerics_without_measured_noise_is_compared_for_structure_and_listed(base_project):
    base_project.runpytest("--update-baselines").assert_outcomes(passed=1)
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
    project.runpytest("--update-baselines").assert_outcomes(passed=1)
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
    project.runpytest("--gpu", "--update-baselines").assert_outcomes(passed=1)
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
    result.assert_outcomes(passed=5)
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
