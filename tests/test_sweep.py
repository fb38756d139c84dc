"""depthcore.sweep: grid files (order, duplicates, errors that name the line, random text) and
`run_sweep` (executors, the finished runs kept in OUT/runs).

`engine.run` is replaced by `synthetic.fake_run` (a deterministic synthetic result), so nothing
trains; the run cache goes to a temp directory. The command around it: tests/test_cli.py.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic import GRID, fake_run

from depthcore import cache, engine, results, sweep
from depthcore.cache import set_cache_root
from depthcore.config import RunSpec

FUZZ = settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])  # 5 s: no hang


@pytest.fixture
def computed(monkeypatch, tmp_path) -> list[RunSpec]:
    """The specs `engine.run` computed, in order; it gives `fake_run(spec)`. The run cache: a temp directory."""
    calls = []
    monkeypatch.setattr(engine, "run", lambda spec, progress=False: calls.append(spec) or fake_run(spec))
    monkeypatch.setattr(cache, "_override", None)  # restored on teardown
    set_cache_root(tmp_path / "cache")
    return calls


# --------------------------------------------------------------------------- grid files


def test_grid_product_order_runs_and_duplicates():
    text = GRID + '\n[[runs]]\nmodel = "minilm"\nobjective = "mlm"\n\n[[runs]]\nmodel = "tiny-gpt2-64"\n'
    specs = sweep.parse_grid(text)
    assert len(specs) == 2 * 2 * 2 + 1  # the second [[runs]] repeats a grid run (seed 0, standard)
    assert specs[0] == RunSpec("tiny-gpt2-64", optimizer="sgd", condition="standard", seed=0)
    assert specs[1].seed == 1 and specs[2].condition == "equal_step"  # last key fastest
    assert specs[-1] == RunSpec("minilm", objective="mlm", optimizer="sgd")


def test_grid_freeze_lists():
    specs = sweep.parse_grid('[base]\nmodel = "tiny-gpt2-64"\n[grid]\nfreeze = [[], [4, 5, 6]]\n')
    assert [s.freeze for s in specs] == [(), (4, 5, 6)]


TYPOS = {
    "unknown-field": ('[base]\nmodel = "tiny-gpt2-64"\nobjectve = "clm"\n', 3, "did you mean 'objective'?"),
    "unknown-grid-field": (GRID.replace("seed = [0, 1]", "seeds = [0, 1]"), 9, "did you mean 'seed'?"),
    "bad-value": (GRID.replace('"equal_step"]', '"equal"]'), 8, "RunSpec.condition='equal' is not known"),
    "not-a-list": (GRID.replace("seed = [0, 1]", "seed = 0"), 9, "must be a non-empty list"),
    "unknown-section": (GRID.replace("[grid]", "[grdi]"), 6, "did you mean [grid]?"),
    "invalid-toml": (GRID.replace('optimizer = "sgd"', "optimizer = sgd"), 4, "invalid TOML"),
    "unknown-model": (GRID.replace("tiny-neox-64", "tiny-neox-65"), 7, "unknown model 'tiny-neox-65'"),
    "objective-mismatch": (GRID.replace('objective = "clm"', 'objective = "mlm"'), 3, "supports clm, cls"),
    "bool": (GRID + 'lora = ["yes"]\n', 10, "must be true or false"),
    "int": (GRID.replace("[grid]", "steps = 0\n\n[grid]"), 6, "positive integer"),
    "float": (GRID.replace("[grid]", 'lr = "fast"\n\n[grid]'), 6, "must be a number"),
    "combination": (GRID.replace("[grid]", "qlora = true\n\n[grid]"), 6, "qlora=True needs lora=True"),
    "both": (GRID.replace("[grid]", 'condition = "standard"\n\n[grid]'), 10, "in both [base] and [grid]"),
    "runs-field": (GRID + '\n[[runs]]\nmodel = "minilm"\n\n[[runs]]\nmodle = "minilm"\n', 15, "did you mean 'model'?"),
    "no-model": ('[grid]\nseed = [0, 1]\n', 1, "no model"),
    "multi-line-arrays": ('[base]\nmodel = "tiny-gpt2-64"  # [not a bracket\n[grid]\nseed = [\n  0,  # ]\n  1,\n]\n'
                          'condition = ["standard",\n  "equal"]\n', 8, "RunSpec.condition='equal' is not known"),
}


@pytest.mark.parametrize("text,line,message", TYPOS.values(), ids=TYPOS.keys())
def test_grid_errors_name_the_line(text, line, message):
    with pytest.raises(sweep.GridError) as e:
        sweep.parse_grid(text, "g.toml")
    assert str(e.value).startswith(f"g.toml:{line}: ") and message in str(e.value), str(e.value)


def test_key_lines_numbers_keys_and_headers_and_skips_multi_line_arrays():
    text = ('top = 1\n[base]  # comment\nmodel = "m"  # [not a header\n[grid]\nseed = [\n  0,  # ]\n  1,\n]\n'
            '"lr" = [1e-3]\n[[runs]]\nmodel = "a"\n[[runs]]\nmodel = "b"\n')
    assert sweep.key_lines(text) == {
        ("", 0, "top"): 1, ("base", 0, ""): 2, ("base", 0, "model"): 3, ("grid", 0, ""): 4, ("grid", 0, "seed"): 5,
        ("grid", 0, "lr"): 9, ("runs", 0, ""): 10, ("runs", 0, "model"): 11, ("runs", 1, ""): 12, ("runs", 1, "model"): 13,
    }


# --------------------------------------------------------------------------- random grid files
# Any text is a list of RunSpecs or a GridError with FILE:LINE.

KEYS = st.sampled_from(["model", "objective", "condition", "optimizer", "seed", "steps", "lr", "freeze", "lora",
                        "lora_targets", "domain", "stepz", "probe_size", "control_target"])
SCALARS = st.one_of(st.integers(-3, 100), st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.booleans(), st.sampled_from(["tiny-gpt2-64", "clm", "mlm", "cls", "standard", "equal_step",
                                                    "sgd", "adamw", "nope", "a/b", "", "q_proj"]))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.lists(st.lists(st.integers(-1, 8), max_size=3), max_size=2))


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v) if math.isfinite(v) else "0"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "[" + ", ".join(toml_value(x) for x in v) + "]"


@st.composite
def grid_texts(draw) -> str:
    lines = []
    for section in draw(st.lists(st.sampled_from(["base", "grid", "runs", "bsae"]), max_size=3, unique=True)):
        lines.append(f"[[{section}]]" if section == "runs" else f"[{section}]")
        for key, value in draw(st.dictionaries(KEYS, VALUES, max_size=4)).items():
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def _parse(text: str) -> None:
    try:
        specs = sweep.parse_grid(text, source="g.toml")
    except sweep.GridError as e:
        assert str(e).startswith("g.toml:"), str(e)
    else:
        assert all(isinstance(s, RunSpec) for s in specs)


@FUZZ
@given(grid_texts())
def test_grid_parser_on_random_grids_is_specs_or_a_grid_error(text):
    _parse(text)


@FUZZ
@given(st.text(max_size=300))
def test_grid_parser_on_random_text_is_specs_or_a_grid_error(text):
    _parse(text)


# --------------------------------------------------------------------------- run_sweep


def test_custom_executor(tmp_path, computed):
    seen = []

    def executor(specs, on_done):
        seen.extend(specs)
        out = [fake_run(s) for s in reversed(specs)][::-1]  # e.g. finished out of order
        for s, ds in zip(specs, out):
            on_done(s, ds)
        return out

    specs = sweep.parse_grid(GRID)
    ds = sweep.run_sweep(specs, tmp_path / "out", executor=executor, progress=False)
    assert seen == specs and ds.sizes["run"] == 8 and not computed


def test_run_sweep_reads_finished_runs_and_recomputes_a_foreign_file(tmp_path, computed):
    specs = sweep.parse_grid(GRID)
    first = sweep.run_sweep(specs, tmp_path / "out", progress=False)
    assert computed == specs and first.sizes["run"] == 8
    assert sorted(p.name for p in (tmp_path / "out" / "runs").iterdir()) == sorted(
        sweep.run_file(tmp_path / "out", s).name for s in specs)
    sweep.run_file(tmp_path / "out", specs[5]).write_text("not a result")  # e.g. another program's file
    set_cache_root(tmp_path / "other-cache")  # nothing from the run cache: only OUT/runs is there
    again = sweep.run_sweep(specs, tmp_path / "out", progress=False)
    assert computed == specs + [specs[5]]  # only the foreign file's run was computed again
    assert results.read(sweep.run_file(tmp_path / "out", specs[5])).attrs["label"] == specs[5].label
    assert list(again["spec"].values) == [s.to_json() for s in specs]
    assert again.identical(results.read(tmp_path / "out" / "sweep.nc"))
