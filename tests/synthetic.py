"""Synthetic run results (and a grid file) for tests of the CLI, sweeps and the report: no model, no training.

`fake_run(spec)` returns a valid depthcore result Dataset whose numbers are a deterministic
function of the spec (so two invocations give identical files): a profile rising with depth,
steeper under "standard" than under "equal_step", a flat small null, and the scalars and
logs the report and the claims read. Keyword options replace what a claim reads, so that a
test can place a statistic where it wants it (per-sequence profiles [N, L], scalars).
"""

import functools
import json
import zlib

import numpy as np

from depthcore import numerics, results
from depthcore.config import RunSpec, model_name

FAMILY = {"gpt2": ("gpt2", "sequential", "decoder"), "neox": ("gpt_neox", "parallel", "decoder"),
          "bert": ("bert", "sequential", "encoder"), "minilm": ("bert", "sequential", "encoder")}
L, N, STEPS = 6, 12, 4

# A grid file of 8 runs (depthcore/sweep.py): 2 models x 2 conditions x 2 seeds.
GRID = """\
# a small grid
[base]
objective = "clm"
optimizer = "sgd"

[grid]
model = ["tiny-gpt2-64", "tiny-neox-64"]
condition = ["standard", "equal_step"]
seed = [0, 1]
"""


def fake_run(spec: RunSpec, progress: bool = False, *, profile=None, null=None, local=None, slope=None,
             distance=None, width=None, control_strength=None):
    """A synthetic result of `spec`.

    Args:
        spec: The run's spec (its seed, condition, model... become the attrs).
        progress: Ignored (the signature of `engine.run`).
        profile: Per-sequence Δ_l [N, L] (`rep_change_cos_seq`); sets N and L.
        null: Per-sequence null profile [N, L] (`null_rep_change_cos_seq`).
        local: Per-sequence local change [N, L] (`rep_change_local_seq`); default profile / 2.
        slope, distance, width, control_strength: The scalars `slope`, `objective_distance`,
            `width`, `control_strength`.
    """
    rng = np.random.default_rng(zlib.crc32(spec.to_json().encode()))
    family, block, kind = next((v for k, v in FAMILY.items() if k in spec.model), ("gpt2", "sequential", "decoder"))
    attrs = dict(spec=spec.to_json(), label=spec.label, model=model_name(spec.model), hf_id=spec.model, family=family, block_type=block,
                 kind=kind, params=1000, tier="tiny", device="cpu", dtype="float32", lr=spec.lr or 1e-3,
                 optimizer=spec.optimizer, condition=spec.condition, objective=spec.objective,
                 seconds='{"fine-tuning": 1.25, "layer sensitivity": 0.5}')
    n, layers = np.shape(profile) if profile is not None else (N, L)
    ds = _new_dataset(layers, n, attrs)
    depth = ds["depth"].values
    steep = 0.2 if spec.condition == "standard" else 0.05
    cos = 0.02 + steep * depth + 0.01 * rng.random((n, layers))
    null = 0.001 + 0.001 * rng.random((n, layers)) if null is None else np.asarray(null)
    cos = cos if profile is None else np.asarray(profile)
    local = cos / 2 if local is None else np.asarray(local)
    items = []
    put = lambda name, dims, value: items.append((name, dims, value))  # noqa: E731
    put("rep_change_cos_seq", ("seq", "layer"), cos)
    put("rep_change_cos", "layer", cos.mean(0))
    put("rep_change_local_seq", ("seq", "layer"), local)
    put("rep_change_local", "layer", local.mean(0))
    put("null_rep_change_cos_seq", ("seq", "layer"), null)
    put("null_rep_change_cos", "layer", null.mean(0))
    put("rel_update", "layer", 0.01 * (1 + depth))
    put("dW_absmean", "layer", (1e-4 if spec.lora else 1e-3) * (1 + rng.random(layers)))
    r = 0.01 * (1 + rng.random((3, layers)))
    put("r_before", ("log_step", "layer"), r)
    put("r_after", ("log_step", "layer"), r if spec.condition == "standard" else np.full((3, layers), r.mean()))
    put("loss", "step", np.linspace(4, 3, STEPS))
    slope = float(np.polyfit(depth, cos.mean(0), 1)[0]) if slope is None else slope
    for name, value in (("slope", slope), ("slope_lo", slope - 0.02), ("slope_hi", slope + 0.02),
                        ("rel_slope", 1.0), ("null_slope", 0.0), ("null_rel_slope", 0.1), ("tau", 0.02),
                        ("width", 4 if width is None else width), ("width_frac", 0.5),
                        ("control_strength", 0.3 if control_strength is None else control_strength),
                        ("r_spread", 0.5),
                        ("final_loss", 3.0), ("heldout_loss_before", 4.0),
                        ("heldout_loss", 3.5 + 0.1 * len(spec.freeze) + 0.01 * spec.seed),
                        ("old_heldout_loss_before", 3.0), ("old_heldout_loss", 3.2 - 0.02 * len(spec.freeze)),
                        ("objective_distance", 5.0 if distance is None else distance),
                        ("trainable_params", 1000 - 100 * len(spec.freeze))):
        put(name, (), value)
    return _put_all(ds, items)


# Building a run the plain way (results.new_dataset, then one results.put per variable) takes ~30 ms:
# a git subprocess and package metadata for the provenance, and an xarray merge per variable. The
# tests build thousands, so `fake_run` reads the provenance once per process (and per numerics, which
# the thread count changes) and adds its variables in one update (tests/test_results.py checks that
# the Dataset is identical to the plain way's).


def _coords(n: int) -> dict:
    return dict(seq=np.arange(n), step=np.arange(1, STEPS + 1), log_step=np.array([1, 2, 4]))


@functools.cache
def _template(layers: int, n: int, fingerprint: str, numerics_info: str):
    """`results.new_dataset` of `layers` layers with no run attrs (provenance only), and the coords of `n` sequences."""
    return results.new_dataset([f"h.{i}" for i in range(layers)], {}).assign_coords(_coords(n))


def _new_dataset(layers: int, n: int, attrs: dict):
    """`results.new_dataset([h.0, h.1, ...], attrs)` with fake_run's coords, its provenance read once per process."""
    ds = _template(layers, n, numerics.fingerprint(), numerics.describe()).copy(deep=True)
    ds.attrs.update({k: (json.dumps(v) if isinstance(v, (dict, list, tuple)) else v) for k, v in attrs.items()})
    return ds


def _put_all(ds, items):
    """`results.put(ds, name, dims, value)` for each item, as one update of `ds` (not one merge each)."""
    ds.update({name: results.variable(name, dims, value) for name, dims, value in items})
    return ds


def edge(pred, lo, hi, iters=45):
    """Bisect a parameter t until pred(t) changes within a tiny bracket; return (t with pred False, t with pred True)."""
    f_lo, f_hi = pred(lo), pred(hi)
    assert f_lo != f_hi, "the bracket must contain the boundary"
    false, true = (lo, hi) if f_hi else (hi, lo)
    for _ in range(iters):
        mid = (false + true) / 2
        false, true = (false, mid) if pred(mid) else (mid, true)
    return false, true
