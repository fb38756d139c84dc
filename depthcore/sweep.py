"""Grids of runs: a TOML grid file -> RunSpecs -> per-run results -> one concatenated Dataset.

docs/design.md "Results" (a sweep concatenates runs along `run`, spec fields as coords) and
"Scale" (several nodes: an existing engine behind `depthcore sweep`; nothing home-made for
scheduling). The grid file is TOML (`tomllib`):

    [base]                      # RunSpec fields every run shares
    objective = "clm"
    optimizer = "sgd"

    [grid]                      # lists; every combination is one run (itertools.product)
    model = ["tiny-gpt2-64", "tiny-neox-64"]
    condition = ["standard", "equal_step"]
    seed = [0, 1, 2]

    [[runs]]                    # optional: single extra runs, fields over [base]
    model = "minilm"
    objective = "mlm"

Validation happens before anything runs; an unknown key or a bad value is a `GridError`
whose message starts with `FILE:LINE:` and says the fix.

Execution is resumable: each finished run is written atomically to
`OUT/runs/<spec key>-<source hash>.nc` the moment it finishes (and the run cache has it
too), so Ctrl-C loses at most the run in progress and the next invocation computes only
the rest. The loop over runs is an *executor*, `executor(specs, on_done) -> datasets`;
`depthcore.executors.run_local` runs them one after another in this process. Another engine (Ray) plugs
in as another function of the same signature.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
import sys
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any, Callable, Protocol

import xarray as xr

from depthcore import results
from depthcore.config import RunSpec, SpecError

SECTIONS = ("base", "grid", "runs")
GRID_EXAMPLE = '[base]\nobjective = "clm"\n\n[grid]\nmodel = ["tiny-gpt2-64", "tiny-neox-64"]\ncondition = ["standard", "equal_step"]\nseed = [0, 1, 2]'


class GridError(ValueError):
    """A grid file cannot be run; the message starts with FILE:LINE: and says the fix."""


# --------------------------------------------------------------------------- parsing


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _code(line: str) -> str:
    """The line without its comment and without the contents of its strings (for bracket counting)."""
    out, quote = [], None
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        else:
            out.append(ch)
    return "".join(out)


def key_lines(text: str) -> dict[tuple[str, int, str], int]:
    """Line number (1-based) of every `key = ...` line, keyed by (section, table index, key).

    The section's header is recorded under key "" (e.g. ("grid", 0, "") is the `[grid]`
    line). Top-level keys have section "". `[[runs]]` tables are numbered 0, 1, … .
    """
    out: dict[tuple[str, int, str], int] = {}
    section, index, counts = "", 0, {}
    depth = 0  # inside a multi-line array: its lines hold no keys
    for n, line in enumerate(text.splitlines(), 1):
        code = _code(line)
        if depth == 0:
            m = _HEADER.match(line)
            if m:
                section = m.group(2).strip().strip("\"'")
                index = counts.get(section, -1) + 1 if m.group(1) == "[[" else 0
                counts[section] = index
                out.setdefault((section, index, ""), n)
                continue
            m = _KEY.match(line)
            if m:
                out.setdefault((section, index, m.group(1).strip("\"'")), n)
        depth = max(0, depth + code.count("[") - code.count("]"))
    return out


def _spec_fields() -> dict[str, Any]:
    return {f.name: f for f in fields(RunSpec)}


def _check_value(name: str, value: Any) -> None:
    """Validate one field on its own (RunSpec checks it); raise SpecError with the fix."""
    field = _spec_fields()[name]
    want = str(field.type)
    if name in ("freeze", "lora_targets"):
        if not isinstance(value, list):
            raise SpecError(f"{name} must be a list, e.g. {name} = [1, 2, 3]" if name == "freeze"
                            else f"{name} must be a list of module names, e.g. {name} = [\"q_proj\", \"v_proj\"]")
        if name == "freeze" and not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise SpecError(f"freeze must list 1-based layer numbers (integers), got {value!r}")
    elif want.startswith("bool"):
        if not isinstance(value, bool):
            raise SpecError(f"{name} must be true or false (TOML booleans, lower case), got {value!r}")
    elif want.startswith("str") and "float" not in want:
        if not isinstance(value, str) and not (value is None and "None" in want):
            raise SpecError(f"{name} must be a quoted string, e.g. {name} = \"{field.default or 'tiny-gpt2-64'}\"")
    elif want.startswith("int"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpecError(f"{name} must be an integer, e.g. {name} = {field.default}")
    elif want.startswith("float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SpecError(f"{name} must be a number, e.g. {name} = 1e-3")
    RunSpec.from_dict({"model": "x"} | {name: value})


def check_model(name: str, objective: str) -> None:
    """Fail before anything runs: the model exists, fits the objective, and its weights are here.

    Raises:
        zoo.UnknownModel, zoo.ObjectiveNotSupported, zoo.ModelNotCached (with the fetch command).
    """
    from depthcore import zoo

    info = zoo.model_info(name)  # UnknownModel lists the known names
    if objective not in info.objectives:
        need = "an encoder (e.g. tiny-bert-64, minilm)" if objective == "mlm" else "a decoder (e.g. tiny-gpt2-64)"
        raise zoo.ObjectiveNotSupported(
            f"{name} is {'an' if info.kind == 'encoder' else 'a'} {info.kind}; objective {objective!r} needs {need}; "
            f"{name} supports {', '.join(info.objectives)}")
    if info.source != "tiny" and not zoo.is_cached(name):  # tiny models are pretrained on first use
        if info.source == "package":
            zoo.load(name, objective)  # raises ModelNotCached with the pip command
        raise zoo.ModelNotCached(f"{name} is not in the local Hugging Face cache; depthcore never downloads. "
                                 f"Fetch it with: {zoo.fetch_command(name)}")


def parse_grid(text: str, source: str = "grid.toml") -> list[RunSpec]:
    """RunSpecs of a grid file's text, in order: the product of [grid] (last key fastest), then [[runs]].

    Raises:
        GridError: invalid TOML, an unknown section or RunSpec field, a bad value, a model
            that does not exist or does not fit the objective; `FILE:LINE:` first, the fix after.
    """
    from depthcore import zoo

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None) or (re.search(r"line (\d+)", str(e)) or [None, "?"])[1]
        raise GridError(f"{source}:{line}: invalid TOML ({e}); a grid looks like: "
                        + GRID_EXAMPLE.replace("\n", "  ")) from None
    lines = key_lines(text)
    known = sorted(_spec_fields())

    def where(section: str, key: str = "", index: int = 0) -> str:
        n = lines.get((section, index, key)) or lines.get((section, index, "")) or 1
        return f"{source}:{n}"

    def unknown(section: str, key: str, index: int = 0) -> GridError:
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"RunSpec fields are: {', '.join(known)}"
        name = f"[[{section}]]" if section == "runs" else f"[{section}]"
        return GridError(f"{where(section, key, index)}: unknown RunSpec field {key!r} in {name}; {hint}")

    for top, value in doc.items():
        if top not in SECTIONS:
            close = difflib.get_close_matches(top, SECTIONS, n=1)
            hint = f"did you mean [{close[0]}]?" if close else "use [base], [grid] and [[runs]]"
            raise GridError(f"{where(top) if (top, 0, '') in lines else where('', top)}: unknown section "
                            f"{top!r}; {hint}")
    base, grid, extra = doc.get("base", {}), doc.get("grid", {}), doc.get("runs", [])
    if not isinstance(base, dict) or not isinstance(grid, dict):
        raise GridError(f"{source}:1: base and grid must be tables ([base], [grid])")
    if not isinstance(extra, list):
        raise GridError(f"{where('runs')}: runs must be an array of tables: write [[runs]] (double brackets)")

    def check(section: str, key: str, value: Any, index: int = 0) -> None:
        if key not in known:
            raise unknown(section, key, index)
        try:
            _check_value(key, value)
            if key == "model":
                zoo.model_info(value)
        except (SpecError, zoo.UnknownModel) as e:
            raise GridError(f"{where(section, key, index)}: {key} = {value!r}: {e}") from None

    for key, value in base.items():
        check("base", key, value)
    for key, values in grid.items():
        if key in base:
            raise GridError(f"{where('grid', key)}: {key} is in both [base] and [grid]; keep it in one of them")
        if not isinstance(values, list) or not values:
            raise GridError(f"{where('grid', key)}: [grid] {key} must be a non-empty list of values, "
                            f"e.g. {key} = [{values!r}]")
        if key in ("freeze", "lora_targets") and not all(isinstance(v, list) for v in values):
            raise GridError(f"{where('grid', key)}: [grid] {key} is a list of lists here, e.g. {key} = [[], [4, 5, 6]]")
        for v in values:
            check("grid", key, v)
    for i, run in enumerate(extra):
        for key, value in run.items():
            check("runs", key, value, i)

    combos: list[tuple[dict, str, int]] = []  # (fields, section, index) for error locations
    if grid or not extra:
        for values in itertools.product(*grid.values()):
            combos.append(({**base, **dict(zip(grid, values))}, "grid", 0))
    combos += [({**base, **run}, "runs", i) for i, run in enumerate(extra)]

    specs: list[RunSpec] = []
    checked: set[tuple[str, str]] = set()
    for d, section, index in combos:
        def loc(key: str) -> str:
            if section == "runs" and (section, index, key) in lines:
                return where(section, key, index)
            return where("grid", key) if key in grid else where("base", key) if key in base else where(section, "", index)

        if "model" not in d:
            raise GridError(f"{loc('model')}: no model; add model = \"tiny-gpt2-64\" to [base], or a list to [grid]")
        try:
            spec = RunSpec.from_dict(d)
        except SpecError as e:
            m = re.search(r"RunSpec\.(\w+)", str(e))
            raise GridError(f"{loc(m.group(1) if m else '')}: {e}") from None
        try:
            if (spec.model, spec.objective) not in checked:
                check_model(spec.model, spec.objective)
                checked.add((spec.model, spec.objective))
        except zoo.ObjectiveNotSupported as e:
            raise GridError(f"{loc('objective')}: {e}; restrict the grid (e.g. a [[runs]] table per model)") from None
        except zoo.ModelNotCached as e:
            raise GridError(f"{loc('model')}: {' '.join(str(e).split())}") from None
        if spec not in specs:  # the same run twice is computed once
            specs.append(spec)
    return specs


def load_grid(path: str | Path) -> list[RunSpec]:
    """Read and validate a grid file (see the module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise GridError(f"{path}: no such grid file; a grid looks like: " + GRID_EXAMPLE.replace("\n", "  "))
    return parse_grid(path.read_text(), str(path))


# --------------------------------------------------------------------------- execution


class Executor(Protocol):
    def __call__(self, specs: list[RunSpec], on_done: Callable[[RunSpec, xr.Dataset], None]) -> list[xr.Dataset]:
        """Compute every spec (each through the run cache); call on_done as each finishes;
        return the datasets in the order of `specs`."""


def run_file(out: Path, spec: RunSpec) -> Path:
    """Where a sweep keeps one finished run: the run cache's file name (spec key + source hash)."""
    from depthcore.engine import run_path

    return out / "runs" / run_path(spec).name


def run_sweep(specs: list[RunSpec], out: str | Path, executor: Executor | None = None,
              progress: bool = True) -> xr.Dataset:
    """Compute a grid into `out/` (resumable) and write `out/sweep.nc`; return the concatenation.

    Runs already in `out/runs/` are read, not recomputed; the rest go to `executor`
    (default: `depthcore.executors.run_local`), each written to `out/runs/` atomically as it finishes.
    """
    from tqdm.auto import tqdm

    out = Path(out)
    done: dict[RunSpec, xr.Dataset] = {}
    for spec in specs:
        f = run_file(out, spec)
        if f.exists():
            try:
                done[spec] = results.read(f)
            except results.ResultError:
                f.unlink()  # half a file from a killed writer cannot happen (atomic), a foreign one can
    todo = [s for s in specs if s not in done]
    bar = tqdm(total=len(specs), initial=len(done), desc="sweep", unit="run", file=sys.stderr,
               disable=not progress, dynamic_ncols=True)
    if done and progress:
        bar.write(f"sweep: {len(done)} of {len(specs)} runs already in {out / 'runs'}; computing {len(todo)}",
                  file=sys.stderr)

    def on_done(spec: RunSpec, ds: xr.Dataset) -> None:
        results.write(ds, run_file(out, spec))
        done[spec] = ds
        bar.set_postfix_str(spec.label, refresh=False)
        bar.update(1)

    try:
        if todo:
            if executor is None:
                from depthcore.executors import run_local

                executor = functools.partial(run_local, progress=progress)
            executor(todo, on_done)
    finally:
        bar.close()
    ds = results.concat([done[s] for s in specs], provenance=True)
    results.write(ds, out / "sweep.nc")
    return ds
