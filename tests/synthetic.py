"""Synthetic run results for tests of the CLI and the report: no model, no training.

`fake_run(spec)` returns a valid depthcore result Dataset whose numbers are a deterministic
function of the spec (so two invocations give identical files): a profile rising with depth,
steeper under "standard" than under "equal_step", a flat small null, and the scalars and
logs the report and the claims read.
"""

import zlib

import numpy as np

from depthcore import results
from depthcore.config import RunSpec, model_name

FAMILY = {"gpt2": ("gpt2", "sequential", "decoder"), "neox": ("gpt_neox", "parallel", "decoder"),
          "bert": ("bert", "sequential", "encoder"), "minilm": ("bert", "sequential", "encoder")}
L, N, STEPS = 6, 12, 4


def fake_run(spec: RunSpec, progress: bool = False):
    rng = np.random.default_rng(zlib.crc32(spec.to_json().encode()))
    family, block, kind = next((v for k, v in FAMILY.items() if k in spec.model), ("gpt2", "sequential", "decoder"))
    attrs = dict(spec=spec.to_json(), label=spec.label, model=model_name(spec.model), hf_id=spec.model, family=family, block_type=block,
                 kind=kind, params=1000, tier="tiny", device="cpu", dtype="float32", lr=spec.lr or 1e-3,
                 optimizer=spec.optimizer, condition=spec.condition, objective=spec.objective)
    ds = results.new_dataset([f"h.{i}" for i in range(L)], attrs)
    ds = ds.assign_coords(seq=np.arange(N), step=np.arange(1, STEPS + 1), log_step=np.array([1, 2, 4]))
    depth = ds["depth"].values
    steep = 0.2 if spec.condition == "standard" else 0.05
    cos = 0.02 + steep * depth + 0.01 * rng.random((N, L))
    null = 0.001 + 0.001 * rng.random((N, L))
    put = lambda name, dims, value: results.put(ds, name, dims, value)  # noqa: E731
    put("rep_change_cos_seq", ("seq", "layer"), cos)
    put("rep_change_cos", "layer", cos.mean(0))
    put("rep_change_local_seq", ("seq", "layer"), cos / 2)
    put("rep_change_local", "layer", cos.mean(0) / 2)
    put("null_rep_change_cos_seq", ("seq", "layer"), null)
    put("null_rep_change_cos", "layer", null.mean(0))
    put("rel_update", "layer", 0.01 * (1 + depth))
    put("dW_absmean", "layer", (1e-4 if spec.lora else 1e-3) * (1 + rng.random(L)))
    r = 0.01 * (1 + rng.random((3, L)))
    put("r_before", ("log_step", "layer"), r)
    put("r_after", ("log_step", "layer"), r if spec.condition == "standard" else np.full((3, L), r.mean()))
    put("loss", "step", np.linspace(4, 3, STEPS))
    slope = float(np.polyfit(depth, cos.mean(0), 1)[0])
    for name, value in (("slope", slope), ("slope_lo", slope - 0.02), ("slope_hi", slope + 0.02),
                        ("rel_slope", 1.0), ("null_slope", 0.0), ("null_rel_slope", 0.1), ("tau", 0.02),
                        ("width", 4), ("width_frac", 0.5), ("control_strength", 0.3), ("r_spread", 0.5),
                        ("final_loss", 3.0), ("heldout_loss_before", 4.0),
                        ("heldout_loss", 3.5 + 0.1 * len(spec.freeze) + 0.01 * spec.seed),
                        ("old_heldout_loss_before", 3.0), ("old_heldout_loss", 3.2 - 0.02 * len(spec.freeze)),
                        ("objective_distance", 5.0), ("trainable_params", 1000 - 100 * len(spec.freeze))):
        put(name, (), value)
    return ds
