"""The per-run result: an `xarray.Dataset` with named dims, and its netCDF I/O.

docs/design.md, "Results". Dims: `layer` (coords `layer` 1..L, `depth` (l-1)/(L-1), `layer_name`),
`seq` (probe sequences, for resampling), `ls_seq` (the first `ls_size` probe sequences,
paper B's layer sensitivity), `step` (every optimizer step) and `log_step` (every k steps).
Every variable carries `units` and `long_name` from `VARIABLES`, the one mapping that names
them; `COMPUTED_BY` names the function that computes each. Provenance (RunSpec JSON, model,
family, block type, params, tier, device, dtype, package versions, git commit) lives in `attrs`.

Files are netCDF, written atomically (temp file + fsync + rename); reading a file that is
not a depthcore result, or of another schema version, raises `ResultError` naming the file.
Every file carries a `checksum` attr of its contents (the function `checksum`), which `read`
verifies and then drops: a changed byte in the data is a `ResultError`, never a valid result.
After the netCDF bytes `write` appends a trailer with the SHA-256 of those bytes (`TRAILER`),
which `read` verifies before HDF5 parses anything: a damaged file is refused at once, never
handed to a parser that a damaged structure can send into a loop. (HDF5 ignores bytes past
the end it records, so the file stays plain netCDF for every other reader.)
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from depthcore.cache import atomic_path

SCHEMA_VERSION = 1
TRAILER = b"\ndepthcore-sha256:"  # then 64 hex digits of the SHA-256 of the bytes before it, and a newline

# name -> (units, long_name). "1" is dimensionless. Statistics named in one place.
VARIABLES: dict[str, tuple[str, str]] = {
    # per layer: representational change (docs/design.md "Representational change", "Local change")
    "rep_change_cos": ("1", "mean cosine distance 1-cos(h_pre, h_post) over probe tokens"),
    "rep_change_cos_seq": ("1", "per-sequence mean cosine distance, pre vs post fine-tuning"),
    "rep_change_cka": ("1", "linear CKA distance 1-CKA (unbiased HSIC, minibatch), pre vs post"),
    "rep_change_local": ("1", "local change: cosine distance of layer output, post vs pre layer on the same pre input"),
    "rep_change_local_seq": ("1", "per-sequence local change"),
    "null_rep_change_cos": ("1", "cosine distance under the matched random-direction null perturbation"),
    "null_rep_change_cos_seq": ("1", "per-sequence cosine distance under the null perturbation"),
    "semantic_deviation": ("1", "semantic deviation d_l = mean ||h_l - h_{l-1}||_2, pretrained model (paper C)"),
    "semantic_deviation_seq": ("1", "per-sequence semantic deviation d_l, pretrained model (paper C)"),
    # per layer: paper B's diagnostics of the pretrained model, on the first ls_size probe sequences (dim ls_seq)
    "sensitivity": ("nats", "pretrained LS_l: mean KL(clean || noisy) of the output, layer l's weights noised at sensitivity_eps (paper B)"),
    "sensitivity_seq": ("nats", "per-sequence layer sensitivity LS_l (paper B)"),
    "sensitivity_eps": ("1", "relative norm of the weight noise of the layer sensitivity, per parameter tensor"),
    "task_position": ("1", "pretrained TP_l: logit-lens accuracy of h_l through the model's own final norm and head (paper B)"),
    # per layer: weights (docs/design.md "Weight-delta statistics")
    "weight_norm": ("1", "Frobenius norm of the layer's parameters before fine-tuning"),
    "rel_update": ("1", "cumulative relative weight change ||W_post - W_pre|| / ||W_pre||"),
    "dW_mean": ("1", "mean of dW, averaged over the layer's weight matrices"),
    "dW_var": ("1", "variance of dW, averaged over the layer's weight matrices"),
    "dW_absmean": ("1", "mean |dW|, averaged over the layer's weight matrices"),
    "dW_absvar": ("1", "variance of |dW|, averaged over the layer's weight matrices"),
    "dW_relnorm": ("1", "||dW||_F / ||W||_F, averaged over the layer's weight matrices"),
    "dW_absmean_adapted": ("1", "full fine-tuning's mean |dW| on the weight matrices LoRA adapts (RunSpec.lora_targets)"),
    # per layer: raw LoRA adapter deltas, as the LoRA blog computed them (B starts at zero)
    **{f"{side}_dW_{stat}": ("1", f"{desc} of the raw LoRA {side} delta, averaged over the layer's adapters")
       for side in ("A", "B") for stat, desc in (("mean", "mean"), ("var", "variance"), ("absmean", "mean |.|"),
                                                   ("absvar", "variance of |.|"))},
    # depthcore diff (docs/design.md "Diff"): the matched null's draws (dim null_draw), the intrinsic rank
    # of the weight change (also in runs with RunSpec.delta_rank), the weight change by kind of
    # parameter (dim kind) and the pair's own losses
    "null_rep_change_cos_draws": ("1", "per-sequence cosine distance under each draw of the matched null"),
    "null_slope_draw": ("1/depth", "slope of each null draw's profile"),
    "excess_slope_lo": ("1/depth", "excess slope 95% interval lower bound (probe sequences and null draws)"),
    "excess_slope_hi": ("1/depth", "excess slope 95% interval upper bound (probe sequences and null draws)"),
    "dW_erank": ("1", "entropy effective rank exp(H(s/sum s)) of dW, mean over the layer's changed weight matrices"),
    "dW_erank_gauss": ("1", "entropy effective rank of Gaussian matrices of the changed matrices' shapes and norms (mean)"),
    "dW_erank_ratio_max": ("1", "largest erank(dW) / erank(Gaussian of its shape) over the layer's changed matrices"),
    "dW_rank90": ("1", "largest number of singular directions holding 90% of ||dW||_F^2 over the layer's changed matrices"),
    "dW_rank90_gauss": ("1", "the same of Gaussian matrices of the changed matrices' shapes (largest)"),
    "dW_lost_r": ("1", "largest share of ||dW||_F^2 outside its best rank-r approximation (r: RunSpec.lora_r; diff: 16)"),
    "kind_rel_update": ("1", "||W_tuned - W_base|| / ||W_base|| over all the model's parameters of a kind"),
    "probe_loss_base": ("nats", "BASE's own loss on the probe set"),
    "probe_loss_tuned": ("nats", "TUNED's own loss on the probe set"),
    # per layer: control diagnostics (docs/design.md "Control strength")
    "factor_mean": ("1", "mean over logged steps of r*/r_l (what the control did, or would have done)"),
    "factor_min": ("1", "min over logged steps of r*/r_l"),
    "factor_max": ("1", "max over logged steps of r*/r_l"),
    # step logs
    "loss": ("nats", "training loss per optimizer step"),
    "r_before": ("1", "relative update r_l = ||dW_l||/||W_l|| of the step, before the control"),
    "r_after": ("1", "relative update r_l of the step, after the control (= r_before when standard)"),
    "r_measured": ("1", "r_l of the step measured from the layer's weights before and after it, control included"),
    "grad_norm": ("1", "per-layer gradient norm"),
    "opt_m_norm": ("1", "per-layer norm of the optimizer's first moment (Adam m; SGD momentum buffer)"),
    "opt_v_norm": ("1", "per-layer norm of sqrt(v), Adam's second moment (0 for SGD)"),
    # scalars
    "slope": ("1/depth", "OLS slope of rep_change_cos on normalised depth"),
    "slope_lo": ("1/depth", "slope 95% CI lower bound (bootstrap over probe sequences)"),
    "slope_hi": ("1/depth", "slope 95% CI upper bound"),
    "rel_slope": ("1/depth", "relative slope: slope / mean_l rep_change_cos"),
    "null_slope": ("1/depth", "slope of the null-perturbation profile"),
    "null_rel_slope": ("1/depth", "relative slope of the null-perturbation profile"),
    "excess_slope": ("1/depth", "slope minus null slope"),
    "local_slope": ("1/depth", "slope of the local-change profile"),
    "rel_update_slope": ("1/depth", "slope of rel_update over normalised depth"),
    "width": ("layers", "number of layers with rep_change_cos >= tau"),
    "width_frac": ("1", "fraction of layers with rep_change_cos >= max/2"),
    "tau": ("1", "threshold used for width"),
    "saturated": ("1", "1 if any layer's rep_change_cos exceeds 0.7 (cosine saturates; read CKA beside it)"),
    "objective_distance": ("nats", "mean KL(target || model at init) under the objective's head"),
    "final_loss": ("nats", "mean training loss over the last 5 steps"),
    "heldout_loss": ("nats", "held-out loss on the fine-tuning domain after fine-tuning"),
    "heldout_loss_before": ("nats", "held-out loss on the fine-tuning domain before fine-tuning"),
    "old_heldout_loss": ("nats", "held-out loss on the pretraining domain after fine-tuning (forgetting)"),
    "old_heldout_loss_before": ("nats", "held-out loss on the pretraining domain before fine-tuning"),
    "accuracy": ("1", "held-out accuracy (classification objective)"),
    "control_strength": ("1", "mean over steps and layers of |log(r*/r_l)| (docs/design.md 'Control strength')"),
    "r_spread": ("1", "spread of r_l across layers, (max-min)/mean, averaged over logged steps"),
    "trainable_params": ("params", "number of trainable parameters"),
    "train_seconds": ("s", "wall time of the fine-tuning loop"),
    "backward_seconds": ("s", "wall time spent in backward passes"),
}


# name -> the function that computes it (module.function in depthcore), for going from a number in a
# result file to its code in one step. Where a run and `depthcore diff` compute a variable apart,
# both are named.
_PROFILE = "profile.capture (per sequence), engine.result_dataset / diff.dataset (mean over sequences)"
_SLOPE = "stats.fit_slope, in engine.result_dataset / diff.dataset"
COMPUTED_BY: dict[str, str] = {
    **dict.fromkeys(("rep_change_cos", "rep_change_cos_seq", "rep_change_local", "rep_change_local_seq",
                     "semantic_deviation", "semantic_deviation_seq"), _PROFILE),
    "rep_change_cka": "metrics.MinibatchCKA, in profile.capture",
    **dict.fromkeys(("null_rep_change_cos", "null_rep_change_cos_seq"),
                    "engine.null_model, then profile.capture (diff: the mean over diff's null draws)"),
    "null_rep_change_cos_draws": "engine.null_model per draw, then diff._null_seq",
    **dict.fromkeys(("sensitivity", "sensitivity_seq", "sensitivity_eps"), "probes.layer_sensitivity"),
    "task_position": "probes.task_position",
    "weight_norm": "engine.result_dataset",
    **dict.fromkeys(("rel_update", "dW_mean", "dW_var", "dW_absmean", "dW_absvar", "dW_relnorm"),
                    "metrics.weight_delta_stats (diff: diff.weight_change)"),
    "dW_absmean_adapted": "metrics.weight_delta_stats, in engine.result_dataset (RunSpec.delta_rank, full fine-tuning)",
    **{f"{side}_dW_{stat}": "metrics.lora_raw_delta_stats" for side in ("A", "B")
       for stat in ("mean", "var", "absmean", "absvar")},
    **dict.fromkeys(("dW_erank", "dW_erank_gauss", "dW_erank_ratio_max", "dW_rank90", "dW_rank90_gauss", "dW_lost_r"),
                    "metrics.delta_rank_stats, in engine.result_dataset (RunSpec.delta_rank) / diff.weight_change"),
    "kind_rel_update": "diff.weight_change",
    **dict.fromkeys(("null_slope_draw", "excess_slope_lo", "excess_slope_hi"), "diff.dataset"),
    **dict.fromkeys(("probe_loss_base", "probe_loss_tuned"), "profile.mean_loss, in diff.diff"),
    **dict.fromkeys(("factor_mean", "factor_min", "factor_max", "r_spread"), "control.control_factors"),
    "control_strength": "control.control_strength",
    **dict.fromkeys(("loss", "r_before", "r_after", "r_measured", "grad_norm", "opt_m_norm", "opt_v_norm",
                     "train_seconds", "backward_seconds"), "train.run_steps (its TrainLog)"),
    **dict.fromkeys(("slope", "slope_lo", "slope_hi"), "stats.bootstrap_slope, in engine.result_dataset / diff.dataset"),
    **dict.fromkeys(("rel_slope", "null_rel_slope"), "stats.relative_slope, in engine.result_dataset / diff.dataset"),
    **dict.fromkeys(("null_slope", "excess_slope"), _SLOPE),
    **dict.fromkeys(("local_slope", "rel_update_slope"), "stats.fit_slope, in engine.put_shape"),
    "width": "stats.width, in engine.put_shape",
    "width_frac": "stats.width_frac, in engine.put_shape",
    **dict.fromkeys(("tau", "saturated"), "engine.put_shape (config.TAU, config.SATURATION)"),
    **dict.fromkeys(("objective_distance", "heldout_loss", "heldout_loss_before", "old_heldout_loss",
                     "old_heldout_loss_before"), "profile.mean_loss, in engine._pre_diagnostics / engine.run"),
    "final_loss": "engine.result_dataset (mean of train.run_steps' last 5 losses)",
    "accuracy": "profile.accuracy",
    "trainable_params": "engine.run",
}

class ResultError(ValueError):
    """A file or Dataset is not a valid depthcore result; the message names it and the fix."""


def versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for pkg in ("depthcore", "torch", "transformers", "peft", "xarray", "numpy"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "not installed"
    out["python"] = platform.python_version()  # domain "python" is this interpreter's standard library
    return out


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
            cwd=Path(__file__).resolve().parent,
        ).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def new_dataset(layer_names: list[str], attrs: dict[str, Any]) -> xr.Dataset:
    """An empty result with the `layer` dim and its coords, and provenance attrs."""
    L = len(layer_names)
    depth = np.array([(l - 1) / (L - 1) for l in range(1, L + 1)]) if L > 1 else np.zeros(1)
    ds = xr.Dataset(coords={"layer": np.arange(1, L + 1), "depth": ("layer", depth),
                            "layer_name": ("layer", np.array(layer_names, dtype=str))})
    from depthcore import numerics

    ds.attrs.update({"depthcore_schema": SCHEMA_VERSION, "git_commit": git_commit(),
                     "versions": json.dumps(versions(), sort_keys=True),
                     "numerics": numerics.fingerprint(), "numerics_info": numerics.describe()})
    ds.attrs.update({k: (json.dumps(v) if isinstance(v, (dict, list, tuple)) else v) for k, v in attrs.items()})
    return ds


def variable(name: str, dims: tuple[str, ...] | str, data: Any) -> xr.Variable:
    """Variable `name` over `dims` (numbers as float64) with its units/long_name from `VARIABLES`.

    Raises:
        ResultError: `name` is not in `VARIABLES`.
    """
    if name not in VARIABLES:
        raise ResultError(f"variable {name!r} is not in depthcore.results.VARIABLES; add it there with units and long_name")
    units, long_name = VARIABLES[name]
    data = np.asarray(data)
    data = data.astype(np.float64) if data.dtype.kind in "biuf" else data
    return xr.Variable((dims,) if isinstance(dims, str) else tuple(dims), data, attrs=dict(units=units, long_name=long_name))


def put(ds: xr.Dataset, name: str, dims: tuple[str, ...] | str, data: Any) -> None:
    """Add variable `name` to `ds` (`variable`)."""
    ds[name] = variable(name, dims, data)


def validate(ds: xr.Dataset, source: str = "dataset") -> xr.Dataset:
    """Check `ds` is a depthcore result of this schema version; raise ResultError naming `source`."""
    version = ds.attrs.get("depthcore_schema")
    if version is None:
        raise ResultError(f"{source} is not a depthcore result (no 'depthcore_schema' attribute)")
    if int(version) != SCHEMA_VERSION:
        raise ResultError(
            f"{source} has depthcore schema {version}, this depthcore reads {SCHEMA_VERSION}; "
            "recompute it (or for a baseline: pytest --update-baselines)"
        )
    if "layer" not in ds.dims:
        raise ResultError(f"{source} has no 'layer' dimension (dims: {dict(ds.sizes)}), so it is no per-layer result; "
                          "recompute it (or for a baseline: pytest --update-baselines)")
    for name, var in ds.data_vars.items():
        if "units" not in var.attrs or "long_name" not in var.attrs:
            raise ResultError(f"{source}: variable {name!r} lacks units/long_name attrs")
    return ds


def _json_attrs(attrs: dict) -> str:
    # netCDF gives attrs back as numpy scalars or arrays, and a one-element list as a scalar
    return json.dumps({str(k): np.asarray(v).ravel().tolist() for k, v in attrs.items() if k != "checksum"},
                      sort_keys=True)


def checksum(ds: xr.Dataset) -> str:
    """The `checksum` attr of `ds`'s file: "sha256:<hex>" of a canonical form of its contents.

    docs/design.md "Results". Hashed: the Dataset's attrs other than `checksum`, then every
    variable and coordinate in name order: a JSON header [name, is coordinate, dims, dtype, shape,
    attrs] and its values (numbers: raw little-endian bytes in C order; strings: a JSON list, as
    netCDF gives fixed-width chars back as str of another numpy dtype). Attrs are JSON, sorted by
    name, each value as a flat list. The same for a Dataset `write` is given and the one `read` returns.

    Args:
        ds: a result Dataset (its own `checksum` attr, if any, is ignored).

    Returns:
        "sha256:" and 64 hex digits.
    """
    h = hashlib.sha256(_json_attrs(ds.attrs).encode())
    for name in sorted(ds.variables, key=str):
        var = ds.variables[name]
        values = np.asarray(var.values)
        text = values.dtype.kind in "OUS"
        dtype = "str" if text else values.dtype.newbyteorder("<")
        h.update(json.dumps([str(name), name in ds.coords, [str(d) for d in var.dims], str(dtype),
                             list(values.shape), _json_attrs(var.attrs)]).encode())
        h.update(json.dumps([str(v) for v in values.flat]).encode() if text
                 else np.ascontiguousarray(values, dtype=dtype).tobytes())
    return "sha256:" + h.hexdigest()


def write(ds: xr.Dataset, path: str | os.PathLike) -> Path:
    """Validate and write `ds` to netCDF atomically, with its `checksum`; the old file survives any failure.

    Args:
        ds: a valid result (`validate`); it is not modified.
        path: the file to (re)place.

    Returns:
        `path` as a Path.
    """
    validate(ds, str(path))
    path = Path(path)
    with atomic_path(path) as tmp:
        ds.assign_attrs(checksum=checksum(ds)).to_netcdf(tmp, engine="netcdf4", encoding=_fixed_width_strings(ds))
        body = tmp.read_bytes()
        with open(tmp, "ab") as f:
            f.write(TRAILER + hashlib.sha256(body).hexdigest().encode() + b"\n")
    return path


def _check_trailer(path: Path) -> None:
    """Raise ResultError when the file ends in a TRAILER whose hash its bytes do not match. A file
    without one (cut short, or written before trailers) is left to the parser and the checksum attr."""
    data = path.read_bytes()
    size = len(TRAILER) + 64 + 1
    tail = data[-size:]
    if len(data) < size or not tail.startswith(TRAILER):
        return
    stored = tail[len(TRAILER):-1].decode("ascii", "replace")
    if hashlib.sha256(data[:-size]).hexdigest() != stored:
        raise ResultError(f"{path} fails its file checksum (SHA-256 of its bytes differs from the one written "
                          "with it): it was damaged or changed after it was written; delete it and recompute "
                          "(or for a baseline: pytest --update-baselines)")


def _fixed_width_strings(ds: xr.Dataset) -> dict[str, dict]:
    """Store string variables (layer_name, a sweep's spec) as fixed-width char arrays.

    netCDF4's default for strings is HDF5 variable-length data, whose heap pointers a
    damaged file can point anywhere: reading one such file took 20 s and 3.6 GB (found by
    tests/test_reliability.py's fuzz test). Fixed-width chars read back the same values.
    """
    out = {}
    for name, var in ds.variables.items():
        kind = var.dtype.kind
        if kind == "U" or (kind == "O" and var.size and all(isinstance(v, str) for v in var.values.flat)):
            if var.size and max(len(v) for v in var.values.flat) > 0:
                out[name] = {"dtype": "S1"}
    return out


def read(path: str | os.PathLike) -> xr.Dataset:
    """Read, verify and validate a result file, fully loaded (the file is closed on return).

    Args:
        path: a file written by `write`.

    Returns:
        The Dataset that was written (without the `checksum` attr, which is verified here).

    Raises:
        ResultError: naming the file, the problem and the fix: no file, file checksum mismatch
            (damaged), not netCDF, checksum mismatch (damaged), no checksum (written by an older depthcore), not a result of
            this schema.
    """
    path = Path(path)
    if not path.is_file():
        raise ResultError(f"{path}: no such result file")
    _check_trailer(path)
    try:
        with xr.open_dataset(path, engine="netcdf4") as f:
            ds = f.load()
    except Exception as e:  # netCDF4 raises OSError/RuntimeError/ValueError for garbage
        raise ResultError(
            f"{path} is not a readable netCDF depthcore result ({type(e).__name__}: {e}); "
            "delete it and recompute (or for a baseline: pytest --update-baselines)"
        ) from None
    # a damaged file is named as such before anything else; a file without a checksum is first
    # checked for being a depthcore result of this schema at all, which says more
    stored = ds.attrs.pop("checksum", None)
    if stored is not None and stored != (actual := checksum(ds)):
        raise ResultError(
            f"{path} fails its checksum (stored {stored}, contents {actual}): it was damaged or "
            "changed after it was written; delete it and recompute (or for a baseline: pytest --update-baselines)"
        )
    validate(ds, str(path))
    if stored is None:
        raise ResultError(
            f"{path} has no checksum (written by a depthcore older than result checksums, or not by "
            "depthcore.results.write), so its data cannot be verified; delete it and recompute "
            "(or for a baseline: pytest --update-baselines)"
        )
    return ds


def spec_of(ds: xr.Dataset) -> dict[str, Any]:
    """The RunSpec fields a result was produced with (from its provenance attrs)."""
    return json.loads(ds.attrs["spec"])


RUN_COORDS = ("model", "objective", "condition", "optimizer", "seed", "lr", "domain", "mask_rate", "lora", "freeze")
# Provenance attrs of a run that differ between runs and would be dropped by `concat`; with
# provenance=True (a sweep's file) they are kept as `run` coords, so a report can split it back.
PROVENANCE_COORDS = ("label", "family", "block_type", "kind", "tier")


def concat(runs: list[xr.Dataset], provenance: bool = False) -> xr.Dataset:
    """Concatenate runs along a new `run` dim, with the spec fields that vary as `run` coords.

    Attributes that differ between runs (spec, label, timings) are dropped from the
    combined attrs; each run's full spec stays available as the `spec` coord. With
    `provenance`, PROVENANCE_COORDS are kept as `run` coords too (`depthcore sweep`'s
    sweep.nc); a baseline is the plain form.
    """
    if not runs:
        raise ResultError("no runs to concatenate")
    specs = [spec_of(r) for r in runs]
    coords = {"spec": ("run", np.array([r.attrs["spec"] for r in runs], dtype=str))}
    for key in RUN_COORDS:
        vals = [s.get(key) for s in specs]
        vals = [json.dumps(v) if isinstance(v, (list, tuple, type(None), bool)) else v for v in vals]
        coords[key] = ("run", np.array(vals))
    if provenance:
        coords |= {k: ("run", [str(r.attrs.get(k, "")) for r in runs]) for k in PROVENANCE_COORDS}
    ds = xr.concat(runs, dim="run", combine_attrs="drop_conflicts", coords="minimal", compat="override")
    ds = ds.assign_coords(run=np.arange(len(runs)), **coords)
    for k in PROVENANCE_COORDS if provenance else ():
        ds.attrs.pop(k, None)
    ds.attrs["depthcore_schema"] = SCHEMA_VERSION
    return ds
