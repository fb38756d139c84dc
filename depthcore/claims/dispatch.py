"""Which claims the runs at hand can judge: runs grouped into cells (same spec apart from the
training seed), arms paired by seed, each cell handed to its claim."""

from __future__ import annotations

import json

import xarray as xr

from depthcore.claims.lora import delta_rank, lora_locus, lora_predicts_full
from depthcore.claims.paper_a import control_comparable, equal_step, local_vs_propagated, output_proximal
from depthcore.claims.verdict import Verdict
from depthcore.config import RunSpec
from depthcore.criteria import expected_under_control
from depthcore.results import spec_of


def cell_key(run: xr.Dataset, *drop: str, **override) -> str:
    """The spec as JSON, less the fields in `drop` and with `override` applied: equal keys, one cell."""
    return json.dumps({k: v for k, v in (spec_of(run) | override).items() if k not in drop}, sort_keys=True)


def cells(runs: list[xr.Dataset], *drop: str) -> list[list[xr.Dataset]]:
    """Groups of runs with the same spec apart from `seed` (and the fields in `drop`), in first-seen order,
    each sorted by seed; a cell's runs are the training seeds of one condition."""
    groups: dict[str, list[xr.Dataset]] = {}
    for r in runs:
        groups.setdefault(cell_key(r, "seed", *drop), []).append(r)
    return [sorted(g, key=lambda r: spec_of(r)["seed"]) for g in groups.values()]


def is_plain(run: xr.Dataset) -> bool:
    """Full fine-tuning of the whole model: no LoRA, no frozen layers."""
    s = spec_of(run)
    return not s["lora"] and not s["freeze"] and not s["train_only_layers"]


def cell_label(run: xr.Dataset) -> str:
    """RunSpec.label without the seed: 'tiny-gpt2-64/clm/standard/adamw'."""
    return RunSpec.from_dict(spec_of(run)).label.rsplit("/s", 1)[0]


def _paired(a: list[xr.Dataset], b: list[xr.Dataset]) -> tuple[list[xr.Dataset], list[xr.Dataset]]:
    """The runs of two cells at the training seeds both have, each in seed order."""
    seeds = {spec_of(r)["seed"] for r in a} & {spec_of(r)["seed"] for r in b}
    return [r for r in a if spec_of(r)["seed"] in seeds], [r for r in b if spec_of(r)["seed"] in seeds]


def verdicts(runs: list[xr.Dataset]) -> list[Verdict]:
    """The claims that the runs at hand can judge, each on its cell (same spec apart from seed).

    - output_proximal, then local_vs_propagated: every standard full-fine-tuning cell; then
      delta_rank where its runs store the rank of their weight change (at least two seeds);
    - equal_step, then control_comparable: every equal_step cell with a standard cell that
      differs only in condition, paired by seed (seeds present in both);
    - lora_predicts_full: every LoRA cell with a standard full-fine-tuning cell of the same
      spec apart from LoRA, the learning rate and delta_rank, that stores its change on LoRA's
      matrices (RunSpec.delta_rank), paired by seed (at least two seeds);
    - lora_locus: LoRA runs of one model x objective x optimizer (across domains, learning
      rates and seeds), when there are at least two.
    """
    out = []
    plain = [r for r in runs if is_plain(r)]
    by_key = {cell_key(c[0], "seed"): c for c in cells(plain)}
    for cell in cells(plain):
        if cell[0].attrs["condition"] == "standard":
            out += [output_proximal(cell), local_vs_propagated(cell)]
            if len(cell) >= 2 and all("dW_erank" in r.variables for r in cell):
                out.append(delta_rank(cell))
            continue
        std, ctrl = _paired(by_key.get(cell_key(cell[0], "seed", condition="standard"), []), cell)
        if ctrl:
            expected = expected_under_control(cell[0].attrs.get("block_type", ""), cell[0].attrs["objective"])
            out += [equal_step(std, ctrl, expected), control_comparable(std, ctrl)]
    lora = [r for r in runs if spec_of(r)["lora"]]
    full = {cell_key(c[0], "seed", "lr", "delta_rank"): c for c in cells(plain)
            if c[0].attrs["condition"] == "standard" and all("dW_absmean_adapted" in r.variables for r in c)}
    for cell in cells(lora):
        adapted, reference = _paired(cell, full.get(cell_key(cell[0], "seed", "lr", "delta_rank", lora=False), []))
        if len(adapted) >= 2:
            out.append(lora_predicts_full(adapted, reference))
    for cell in cells(lora, "domain", "lr"):
        if len(cell) >= 2:
            out.append(lora_locus(cell))
    return out
