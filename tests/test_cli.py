"""The `depthcore` command: help texts, bad arguments (one line, exit 2), a grid file's error (the
grid parser itself: tests/test_sweep.py), sweep resume after Ctrl-C, run/report/demo end to end.

`engine.run` is replaced by `synthetic.fake_run` (a deterministic synthetic result), so nothing
trains; the run cache goes to a temp directory.
"""

import json

import pytest
import xarray as xr
from synthetic import GRID, fake_run

from depthcore import cli, demo, engine, results, stats, zoo
from depthcore.cache import set_cache_root
from depthcore.config import TIER_SEEDS, RunSpec

class FakeEngine:
    """Counts computed runs; raises KeyboardInterrupt at call number `interrupt_at` (1-based)."""

    def __init__(self):
        self.calls, self.interrupt_at = [], None

    def __call__(self, spec, progress=False):
        if self.interrupt_at is not None and len(self.calls) + 1 == self.interrupt_at:
            raise KeyboardInterrupt
        self.calls.append(spec)
        return fake_run(spec)


@pytest.fixture
def fake(monkeypatch, tmp_path):
    f = FakeEngine()
    monkeypatch.setattr(engine, "run", f)
    monkeypatch.setattr(stats, "N_BOOT", 200)
    set_cache_root(tmp_path / "cache")
    yield f
    set_cache_root(None)


def run_cli(capsys, *argv):
    try:
        rc = cli.main([str(a) for a in argv])
    except SystemExit as e:  # argparse: --help and its own errors
        rc = e.code
    out, err = capsys.readouterr()
    return rc, out, err


# --------------------------------------------------------------------------- help and bad arguments


@pytest.mark.parametrize("command", ["run", "diff", "sweep", "report", "demo", "zoo"])
def test_help_has_an_example(capsys, command):
    rc, out, _ = run_cli(capsys, command, "--help")
    assert rc == 0
    assert "example:" in out and f"depthcore {command}" in out.split("example:")[1]


BAD = {
    "missing-model": (["run"], "the following arguments are required: --model"),
    "bad-choice": (["run", "--model", "tiny-gpt2-64", "--condition", "equal"], "invalid choice: 'equal'"),
    "zero-steps": (["run", "--model", "tiny-gpt2-64", "--steps", "0"], "must be a positive integer"),
    "unknown-model": (["run", "--model", "tiny-gpt2-65"], "unknown model 'tiny-gpt2-65'"),
    "objective-mismatch": (["run", "--model", "tiny-gpt2-64", "--objective", "mlm"], "needs an encoder"),
    "not-nc": (["run", "--model", "tiny-gpt2-64", "-o", "out.txt"], "name it *.nc"),
    "spec-error": (["run", "--model", "tiny-gpt2-64", "--lr", "-1"], "must be positive"),
    "no-grid-file": (["sweep", "nope.toml"], "no such grid file"),
    "no-results": (["report", "nope"], "no such directory or .nc file"),
    "unknown-command": (["bogus"], "invalid choice: 'bogus'"),
    "unknown-tiny-to-pretrain": (["zoo", "pretrain", "tiny-foo-64"], "unknown model 'tiny-foo-64'"),
    "fsdp-without-torchrun": (["run", "--model", "tiny-gpt2-64", "--fsdp"], "torchrun --nproc-per-node N -m depthcore"),
    "zero-batch": (["run", "--model", "tiny-gpt2-64", "--batch-size", "0"], "--batch-size: '0' must be a positive"),
    "float-seq-len": (["run", "--model", "tiny-gpt2-64", "--seq-len", "6.5"], "--seq-len: '6.5' is not an integer"),
    "zero-probe": (["run", "--model", "tiny-gpt2-64", "--probe-size", "0"], "--probe-size: '0' must be a positive"),
    "warmup-one": (["run", "--model", "tiny-gpt2-64", "--warmup-frac", "1"], "RunSpec.warmup_frac=1.0 must be a fraction"),
    "warmup-nan": (["run", "--model", "tiny-gpt2-64", "--warmup-frac", "nan"], "RunSpec.warmup_frac=nan must be"),
    "negative-decay": (["run", "--model", "tiny-gpt2-64", "--weight-decay", "-0.1"], "RunSpec.weight_decay=-0.1 must be >= 0"),
    "inf-clip": (["run", "--model", "tiny-gpt2-64", "--grad-clip", "inf"], "RunSpec.grad_clip=inf must be >= 0"),
    "text-clip": (["run", "--model", "tiny-gpt2-64", "--grad-clip", "big"], "invalid float value: 'big'"),
    "save-model-in-use": (["run", "--model", "tiny-gpt2-64", "--save-model", "/"], "exists and is not an empty directory"),
    "save-model-fsdp": (["run", "--model", "tiny-gpt2-64", "--fsdp", "--save-model", "m"], "leave out --fsdp"),
    "diff-missing-tuned": (["diff", "tiny-gpt2-64"], "the following arguments are required: TUNED"),
    "diff-not-nc": (["diff", "tiny-gpt2-64", "tiny-gpt2-64", "-o", "d.txt"], "name it *.nc"),
    "diff-zero-draws": (["diff", "tiny-gpt2-64", "tiny-gpt2-64", "--null-draws", "0"], "must be a positive integer"),
    "diff-no-probe-file": (["diff", "tiny-gpt2-64", "tiny-gpt2-64", "--probe-file", "nope.txt"], "no such file"),
    "diff-unknown-model": (["diff", "tiny-gpt2-64", "tiny-gpt2-65"], "unknown model 'tiny-gpt2-65'"),
}


@pytest.mark.parametrize("argv,message", BAD.values(), ids=BAD.keys())
def test_bad_argument_one_line_exit_2(capsys, fake, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    rc, out, err = run_cli(capsys, *argv)
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("depthcore"), err
    assert message in err and "Traceback" not in err
    assert not fake.calls


def test_model_not_cached_prints_the_fetch_command(capsys, fake, tmp_path):
    if zoo.is_cached("pythia-160m"):
        pytest.skip("pythia-160m is in the local Hugging Face cache here")
    rc, _, err = run_cli(capsys, "run", "--model", "pythia-160m", "-o", tmp_path / "r.nc")
    assert rc == 2 and err.count("\n") == 1
    assert "hf download EleutherAI/pythia-160m" in err


def test_garbage_result_file(capsys, tmp_path):
    (tmp_path / "x.nc").write_text("not netcdf")
    rc, _, err = run_cli(capsys, "report", tmp_path / "x.nc", "-o", tmp_path / "rep")
    assert rc == 2 and err.count("\n") == 1 and "not a readable netCDF" in err


# --------------------------------------------------------------------------- grid files


def test_grid_error_through_the_cli(capsys, tmp_path, fake):
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID.replace("seed = [0, 1]", "seeds = [0, 1]"))
    rc, _, err = run_cli(capsys, "sweep", grid, "-o", tmp_path / "out")
    assert rc == 2 and err.count("\n") == 1
    assert f"{grid}:9: unknown RunSpec field 'seeds' in [grid]; did you mean 'seed'?" in err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- sweep


@pytest.mark.slow
def test_sweep_resumes_after_interrupt(capsys, tmp_path, fake):
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID)
    out = tmp_path / "out"
    fake.interrupt_at = 4  # Ctrl-C during the 4th run
    rc, _, err = run_cli(capsys, "sweep", grid, "-o", out, "-q")
    assert rc == 130 and "run the same command again to resume" in err
    assert len(fake.calls) == 3 and len(list((out / "runs").glob("*.nc"))) == 3
    assert not (out / "sweep.nc").exists()

    fake.interrupt_at, first = None, list(fake.calls)
    rc, out_text, _ = run_cli(capsys, "sweep", grid, "-o", out, "-q")
    assert rc == 0 and "8 runs" in out_text
    assert len(fake.calls) == 8 and not set(fake.calls[3:]) & set(first)  # only the rest was computed
    resumed = results.read(out / "sweep.nc")

    set_cache_root(tmp_path / "cache2")  # a fresh cache and folder: every run computed in one go
    rc, _, _ = run_cli(capsys, "sweep", grid, "-o", tmp_path / "fresh", "-q")
    assert rc == 0 and len(fake.calls) == 16
    xr.testing.assert_identical(resumed, results.read(tmp_path / "fresh" / "sweep.nc"))
    assert resumed.sizes["run"] == 8 and list(resumed["condition"].values[:4]) == ["standard", "standard",
                                                                                  "equal_step", "equal_step"]
    assert list(resumed["family"].values[::4]) == ["gpt2", "gpt_neox"]


def test_sweep_second_invocation_computes_nothing(capsys, tmp_path, fake):
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID)
    assert run_cli(capsys, "sweep", grid, "-o", tmp_path / "out", "-q")[0] == 0
    set_cache_root(tmp_path / "other-cache")  # finished runs also come from OUT/runs
    assert run_cli(capsys, "sweep", grid, "-o", tmp_path / "out", "-q")[0] == 0
    assert len(fake.calls) == 8


# --------------------------------------------------------------------------- run, report, demo


def test_run_prints_profile_and_writes_nc_and_png(capsys, tmp_path, fake):
    rc, out, _ = run_cli(capsys, "run", "--model", "tiny-gpt2-64", "--lora", "--domain", "tech", "--freeze", "1",
                         "-o", tmp_path / "r.nc")
    assert rc == 0
    assert fake.calls == [RunSpec("tiny-gpt2-64", lora=True, domain="tech", freeze=(1,))]
    assert "slope" in out and "held-out loss" in out and out.count("\n") >= 8  # table of 6 layers + summary
    assert "time 1.8 s: fine-tuning 1.2 s, layer sensitivity 0.5 s" in out
    assert results.read(tmp_path / "r.nc").attrs["label"] == "tiny-gpt2-64/clm/standard/adamw/tech/lora16/freeze1/s0"
    assert (tmp_path / "r.png").stat().st_size > 1000


def test_run_save_model_saves_the_fine_tuned_model_and_always_computes(capsys, tmp_path, fake, monkeypatch, tok,
                                                                       tiny_gpt2):
    def run_and_train(spec, progress=False, on_trained=None):  # engine.run: on_trained gets the fine-tuned model
        on_trained(tiny_gpt2(), tok)
        return fake(spec)

    monkeypatch.setattr(engine, "run", run_and_train)
    for i in range(2):  # the second run is cached, but a cached result has no model: computed again
        rc, out, _ = run_cli(capsys, "run", "--model", "tiny-gpt2-64", "--save-model", tmp_path / f"m{i}",
                             "-o", tmp_path / "r.nc")
        assert rc == 0 and f"the model in {tmp_path / f'm{i}'}" in out
        assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in (tmp_path / f"m{i}").iterdir()}
    assert len(fake.calls) == 2 and not list(tmp_path.glob(".m*.tmp"))


def test_run_settings_reach_the_spec(capsys, tmp_path, fake):
    rc, _, _ = run_cli(capsys, "run", "--model", "tiny-gpt2-64", "--batch-size", "2", "--seq-len", "32",
                       "--probe-size", "12", "--eval-size", "10", "--ls-size", "3", "--warmup-frac", "0",
                       "--weight-decay", "0.01", "--grad-clip", "0", "-o", tmp_path / "r.nc")
    assert rc == 0
    assert fake.calls == [RunSpec("tiny-gpt2-64", batch_size=2, seq_len=32, probe_size=12, eval_size=10, ls_size=3,
                                  warmup_frac=0.0, weight_decay=0.01, grad_clip=0.0)]


def test_report_command(capsys, tmp_path, fake):
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID)
    run_cli(capsys, "sweep", grid, "-o", tmp_path / "out", "-q")
    rc, out, _ = run_cli(capsys, "report", tmp_path / "out", "-o", tmp_path / "rep")
    assert rc == 0 and "output_proximal" in out and "equal_step" in out
    assert (tmp_path / "rep" / "index.html").exists() and (tmp_path / "rep" / "depth-profile.png").exists()


def test_report_shows_a_bench_sessions_verdicts_with_numerics_sensitive_cells(capsys, tmp_path, fake):
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID)
    run_cli(capsys, "sweep", grid, "-o", tmp_path / "out", "-q")
    row = {"claim": "output_proximal", "tier": "tiny", "model": "tiny-opt-64", "verdict": "reproduced",
           "strict": "larger than null, not steeper", "expected": "reproduced", "numbers": "shape_excess +0.154",
           "numerics": "sensitive: recorded reproduced / steeper than null (shape_excess +0.547)", "test": "t"}
    (tmp_path / "verdicts.json").write_text(json.dumps([row]))
    rc, out, _ = run_cli(capsys, "report", tmp_path / "out", "-o", tmp_path / "rep", "--verdicts",
                         tmp_path / "verdicts.json")
    assert rc == 0 and "other numerics" in out and "sensitive: recorded reproduced" in out
    assert "sensitive: recorded reproduced" in (tmp_path / "rep" / "index.html").read_text()
    (tmp_path / "bad.json").write_text("{not json")
    rc, _, err = run_cli(capsys, "report", tmp_path / "out", "-o", tmp_path / "rep2",
                         "--verdicts", tmp_path / "bad.json")
    assert rc == 2 and "not a verdicts.json of a bench session" in err


def test_demo_grid():
    specs = demo.demo_specs()
    assert len(specs) == len(set(specs))
    assert [s.model for s in specs].count("minilm") == 1
    for m in demo.CONTROL_MODELS:
        for c in ("standard", "equal_step"):
            plain = [s for s in specs if s.model == m and s.condition == c and not s.lora and not s.freeze]
            assert len(plain) == len(TIER_SEEDS["tiny"])
    assert sum(s.lora for s in specs) == 2 and sum(bool(s.freeze) for s in specs) == 2


@pytest.mark.slow
def test_demo_end_to_end_with_fake_runs(capsys, tmp_path, fake):
    rc, out, _ = run_cli(capsys, "demo", "-o", tmp_path / "demo", "-q")
    assert rc == 0 and len(fake.calls) == len(demo.demo_specs())
    for name in ("index.html", "depth-profile.png", "slope-forest.png", "lora-delta.png", "freeze.png",
                 "verdicts.txt", "sweep/sweep.nc"):
        assert (tmp_path / "demo" / name).exists(), name
    assert "lora_locus" in out


# --------------------------------------------------------------------------- zoo list

ZOO_ROWS = [
    {"name": "tiny-gpt2-64", "tier": "tiny", "params": 566272, "available": True, "fetch": None},
    {"name": "pythia-160m", "tier": "small", "params": 162322944, "available": False,
     "fetch": "hf download EleutherAI/pythia-160m"},
]


def test_zoo_list_is_an_aligned_table(capsys, monkeypatch):
    monkeypatch.setattr(zoo, "zoo_status", lambda: [dict(r) for r in ZOO_ROWS])
    rc, out, _ = run_cli(capsys, "zoo", "list")
    assert rc == 0
    header, rule, *rows = out.splitlines()
    assert header.split() == list(ZOO_ROWS[0]) and set(rule.replace(" ", "")) == {"-"}
    starts = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
    assert len(starts) == len(ZOO_ROWS[0])
    for line in [header] + rows:  # every cell starts at its column's offset
        assert all(line[s] != " " and (s == 0 or line[s - 1] == " ") for s in starts[:len(line.split())])
    assert rows[0].split() == ["tiny-gpt2-64", "tiny", "566272", "yes"]  # None is blank, True "yes"
    assert rows[1].split() == ["pythia-160m", "small", "162322944", "no", "hf", "download", "EleutherAI/pythia-160m"]
    assert all(line == line.rstrip() for line in out.splitlines())


def test_zoo_list_json_gives_the_rows(capsys, monkeypatch):
    monkeypatch.setattr(zoo, "zoo_status", lambda: [dict(r) for r in ZOO_ROWS])
    rc, out, _ = run_cli(capsys, "zoo", "list", "--json")
    assert rc == 0 and json.loads(out) == ZOO_ROWS


def test_zoo_json_is_for_list_only(capsys):
    rc, _, err = run_cli(capsys, "zoo", "pretrain", "--json")
    assert rc == 2 and err.count("\n") == 1 and "--json applies to `depthcore zoo list` only" in err
