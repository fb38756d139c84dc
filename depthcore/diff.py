"""`depthcore diff BASE TUNED`: the depth profile of a fine-tune that was made elsewhere.

docs/design.md "Diff". No training: BASE and TUNED are two checkpoints of one architecture
(anything `depthcore run --model` takes; TUNED may also be a peft adapter directory, applied
to BASE). On a probe set (BBC's probe split, as a run uses, or the user's own text) the pair is
profiled exactly as a run profiles its pretrained and fine-tuned models (`profile.capture`,
pre = BASE, post = TUNED, the matched null of `engine.null_model`, several draws of it), and
the weights are compared per layer and per kind of parameter, with the effective rank of
each layer's ΔW beside that of a Gaussian matrix of the same shape. The result is a Dataset
in a run's schema (`results.VARIABLES`), judged by the claim functions a run's cell uses
(`verdicts`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
import types
from pathlib import Path

import numpy as np
import xarray as xr

from depthcore import claims, results, stats
from depthcore.config import RunSpec, model_name

NULL_DRAWS = 3  # draws of the matched null: the null level of the excess slope's interval
# The default probe size is the run's (48 sequences), fewer for a large model: the probe passes
# cost about probe tokens x parameters, capped at PROBE_BUDGET (parameter-tokens per model pass),
# never below MIN_PROBE sequences.
PROBE_SIZE, MIN_PROBE = 48, 16
PROBE_BUDGET = 2.0e11
SEQ_LEN = 64
KINDS = ("attention", "mlp", "norm", "embedding", "other")
# Leaf names of feed-forward projections beside `layers.MLP_NAME` (which names a block's MLP
# module itself): OPT's fc1/fc2 sit in the block, BERT's FFN output is `output.dense` (its
# attention's, `attention.output`, is attention's by its path).
MLP_LEAVES = {"output", "fc2", "fc_out", "c_fc", "c_proj", "gate_proj", "up_proj", "down_proj", "dense_h_to_4h",
              "dense_4h_to_h"}
ADAPTER_CONFIG = "adapter_config.json"


class DiffError(ValueError):
    """BASE and TUNED cannot be compared, or the probe text cannot be used; the message says why and the fix."""


# --------------------------------------------------------------------------- inputs


def default_probe_size(params: int, seq_len: int = SEQ_LEN) -> int:
    """Probe sequences of a diff by default: PROBE_SIZE, fewer where a model pass over them would
    exceed PROBE_BUDGET parameter-tokens, at least MIN_PROBE."""
    return int(max(MIN_PROBE, min(PROBE_SIZE, PROBE_BUDGET // max(1, params * seq_len))))


def read_probe_file(path: str | Path) -> list[str]:
    """Documents of a probe file: one per line, or for `*.jsonl` one JSON object per line with a
    "text" field. Blank lines are skipped.

    Raises:
        DiffError: no such file, no document in it, or a JSONL line without a text.
    """
    path = Path(path)
    if not path.is_file():
        raise DiffError(f"--probe-file {path}: no such file; give a text file with one document per line, "
                        "or a .jsonl file with a \"text\" field per line")
    docs = []
    for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        if path.suffix == ".jsonl":
            try:
                text = json.loads(line).get("text")
            except (ValueError, AttributeError):
                text = None
            if not isinstance(text, str):
                raise DiffError(f"--probe-file {path}:{i}: not a JSON object with a \"text\" string; each line of a "
                                ".jsonl probe file is one document, {\"text\": \"...\"}")
            line = text
        if line.strip():
            docs.append(line.strip())
    if not docs:
        raise DiffError(f"--probe-file {path}: no document in it (blank); give one document per line")
    return docs


def probe_from_text(docs: list[str], tok, objective: str, n: int, seq_len: int) -> dict:
    """The probe tensors of the user's documents, chunked like BBC's probe split (one chunk per
    document first); labels for the objective's loss ("clm", "mlm"; "cls" needs BBC's labels)."""
    import torch

    from depthcore import data

    if objective == "cls":
        raise DiffError("--probe-file has no class labels, so it cannot serve --objective cls; use --objective clm "
                        "(decoders) or mlm (encoders), or leave out --probe-file for BBC's labelled probe set")
    ids = list(tok(docs, add_special_tokens=True, verbose=False)["input_ids"])
    seqs = data._doc_chunks(ids, seq_len)[:n]
    if not seqs:
        raise DiffError(f"the probe documents give no sequence of at least {data.MIN_TAIL} tokens; give longer "
                        "documents")
    input_ids, mask = data._pad(seqs, seq_len, tok.pad_token_id)
    if objective == "clm":
        return {"input_ids": input_ids, "attention_mask": mask, "labels": input_ids.masked_fill(mask == 0, -100)}
    gen = torch.Generator().manual_seed(0)  # fixed masks: the same probe for every diff of this text
    input_ids, labels = data.mask_tokens(input_ids, mask, tok, gen)
    return {"input_ids": input_ids, "attention_mask": mask, "labels": labels}


def is_adapter(path: str) -> bool:
    return (Path(path).expanduser() / ADAPTER_CONFIG).is_file()


def _where(info) -> str:
    """Where a model's weights were read from: a hub id with its cached revision, or a directory."""
    from depthcore import tinyzoo, zoo

    if info.source == "tiny":
        return str(tinyzoo.tiny_path(info.name))
    if info.source == "hub":
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(info.hf_id, "config.json")
        revision = Path(cached).parent.name if isinstance(cached, str) else "unknown"
        return f"{info.hf_id}@{revision}"
    return str(zoo.package_path(info.name)) if info.source == "package" else str(Path(info.hf_id).resolve())


def weights_hash(model) -> str:
    """"sha256:<hex>" of the model's parameters and buffers (names, shapes, bytes), in name order."""
    import torch

    h = hashlib.sha256()
    for name, t in sorted(model.state_dict().items()):
        t = t.detach().cpu().contiguous()
        h.update(json.dumps([name, str(t.dtype), list(t.shape)]).encode())
        h.update(t.view(-1).view(torch.uint8).numpy().tobytes())
    return "sha256:" + h.hexdigest()


def _shape_text(model) -> str:
    from depthcore.layers import find_layers

    width = getattr(model.config, "hidden_size", None) or getattr(model.config, "d_model", "?")
    return f"{len(find_layers(model))} blocks of {width}"


def check_pair(pre, post, base: str, tuned: str) -> None:
    """Same architecture and the same parameter names and shapes, else a DiffError naming the first difference."""
    from depthcore.layers import find_layers

    a, b = pre.config.model_type, post.config.model_type
    if a != b:
        raise DiffError(f"BASE ({base}) is a {a} model, TUNED ({tuned}) a {b} model; a diff compares two checkpoints "
                        "of one architecture")
    if len(find_layers(pre)) != len(find_layers(post)) or _shape_text(pre) != _shape_text(post):
        raise DiffError(f"BASE ({base}) has {_shape_text(pre)}, TUNED ({tuned}) {_shape_text(post).replace(' blocks', '', 1)}; "
                        "a diff compares two checkpoints of one architecture")
    sa = {n: tuple(p.shape) for n, p in pre.named_parameters()}
    sb = {n: tuple(p.shape) for n, p in post.named_parameters()}
    for name in sa.keys() | sb.keys():
        if sa.get(name) != sb.get(name):
            raise DiffError(f"BASE ({base}) and TUNED ({tuned}) differ in parameter {name}: "
                            f"{sa.get(name, 'absent')} vs {sb.get(name, 'absent')}; a diff compares two checkpoints "
                            "of one architecture")


def _apply_adapter(pre, adapter: str, base: str, base_info) -> object:
    """BASE with the peft adapter in `adapter` merged into it (a copy; `pre` is unchanged)."""
    from peft import PeftModel

    config = json.loads((Path(adapter).expanduser() / ADAPTER_CONFIG).read_text())
    recorded = config.get("base_model_name_or_path") or ""
    names = {base, base_info.name, base_info.hf_id or "", str(Path(_where(base_info)))}
    same = recorded in names or (Path(recorded).expanduser().is_dir()
                                 and Path(recorded).expanduser().resolve() == Path(_where(base_info)).resolve())
    if recorded and not same:
        raise DiffError(f"TUNED ({adapter}) is a peft adapter for {recorded!r}, not for BASE {base!r}; give that model "
                        "as BASE")
    try:
        return PeftModel.from_pretrained(copy.deepcopy(pre), str(Path(adapter).expanduser())).merge_and_unload()
    except (ValueError, RuntimeError, KeyError) as e:
        raise DiffError(f"TUNED ({adapter}) is a peft adapter that does not fit BASE ({base}): "
                        f"{' '.join(str(e).split())[:300]}") from None


def load_pair(base: str, tuned: str, objective: str | None, device: str = "cpu", seed: int = 0):
    """(BASE model, TUNED model, BASE's tokenizer, TUNED's tokenizer, BASE's ModelInfo, objective, adapter dir or "").

    Checks what can be checked before loading weights first: both names resolve, hub models are
    cached, an adapter names BASE. Both models load with the same seed, so head weights that
    neither checkpoint holds are initialised alike."""
    from depthcore import zoo

    from depthcore.sweep import check_model

    base_info = zoo.model_info(base)
    objective = objective or base_info.objectives[0]
    adapter = tuned if is_adapter(tuned) else ""
    for name in (base,) if adapter else (base, tuned):
        check_model(name, objective)  # known, fits the objective, and in the local cache (else the fetch command)
    pre, tok, _ = zoo.load(base, objective, device=device, seed=seed)
    if adapter:
        post = _apply_adapter(pre, adapter, base, base_info)
        where = Path(adapter).expanduser()
        tuned_tok = tok
        if (where / "tokenizer_config.json").is_file():
            from transformers import AutoTokenizer

            tuned_tok = AutoTokenizer.from_pretrained(str(where), local_files_only=True)
            if tuned_tok.pad_token is None:
                tuned_tok.pad_token = tuned_tok.eos_token or tuned_tok.unk_token
    else:
        post, tuned_tok, _ = zoo.load(tuned, objective, device=device, seed=seed)
    check_pair(pre, post, base, tuned)
    return pre.eval(), post.eval(), tok, tuned_tok, base_info, objective, adapter


def make_probe(tok, tuned_tok, objective: str, n: int, seq_len: int, docs: list[str] | None,
               base: str, tuned: str) -> dict:
    """The probe set (BBC's probe split, or `docs`), which both tokenizers must give alike."""
    from depthcore import data

    def build(t):
        if docs is None:
            return data.make_split(objective, t, "probe", n=n, seq_len=seq_len)
        return probe_from_text(docs, t, objective, n, seq_len)

    probe = build(tok)
    other = build(tuned_tok)
    if probe["input_ids"].shape != other["input_ids"].shape or not bool((probe["input_ids"] == other["input_ids"]).all()):
        raise DiffError(f"BASE ({base}) and TUNED ({tuned}) tokenize the probe text differently (vocabularies of "
                        f"{len(tok)} and {len(tuned_tok)} tokens); a diff needs TUNED saved with BASE's tokenizer")
    return probe


# --------------------------------------------------------------------------- weights


def param_kind(module_path: str, module, block_paths: tuple[str, ...]) -> str:
    """The kind of a module's own parameters: "embedding", "norm", and inside a block "attention"
    or "mlp" by module name; anything else (heads, poolers, SSM mixers) "other"."""
    from torch import nn

    if isinstance(module, nn.Embedding):
        return "embedding"
    if "norm" in type(module).__name__.lower():
        return "norm"
    if not any(module_path == b or module_path.startswith(b + ".") for b in block_paths):
        return "other"
    from depthcore.layers import ATTENTION_NAME, MLP_NAME

    parts = module_path.lower().split(".")
    if any(ATTENTION_NAME.search(p) for p in parts):
        return "attention"
    if any(p in MLP_LEAVES or MLP_NAME.search(p) for p in parts):
        return "mlp"
    return "other"


def weight_change(pre, post, states: tuple[list, list] | None = None) -> dict:
    """Per layer: the weight-delta statistics of a run (`metrics.weight_delta_stats`: `rel_update`
    over all the layer's tensors, `dW_*` over the weight matrices that changed, all of them when
    none did), `weight_norm`, and the intrinsic rank of the changed matrices' ΔW against Gaussian
    matrices of the same shapes (`metrics.delta_rank_stats`: `dW_erank`, `dW_rank90`, …; 0 when
    none changed). Per kind of parameter over the whole model (`param_kind`): ||ΔW|| / ||W||.
    `states`: the layers' parameters of both (`engine.layer_state`), when already copied."""
    import torch

    from depthcore import metrics
    from depthcore.engine import layer_state
    from depthcore.layers import find_layers, layer_names

    out = {k: [] for k in ("rel_update", *metrics.DELTA_STATS, "weight_norm", *metrics.DELTA_RANK_STATS)}
    memo: dict = {}
    if states is None:
        states = layer_state(find_layers(pre)), layer_state(find_layers(post))
    for before, after in zip(*states):
        out["rel_update"].append(metrics.weight_delta_stats(before, after)["rel_update"])
        changed = [n for n, w in before.items() if w.dim() >= 2 and not torch.equal(w, after[n])]
        matrices = changed or [n for n, w in before.items() if w.dim() >= 2]
        stats_ = metrics.weight_delta_stats({n: before[n] for n in matrices}, {n: after[n] for n in matrices})
        for k in metrics.DELTA_STATS:
            out[k].append(stats_[k])
        out["weight_norm"].append(float(torch.linalg.vector_norm(torch.cat([t.flatten() for t in before.values()]))))
        for k, v in metrics.delta_rank_stats(before, after, RunSpec.lora_r, memo).items():  # LoRA's default rank
            out[k].append(v)
    blocks = tuple(layer_names(pre))
    d_sq, w_sq, seen = dict.fromkeys(KINDS, 0.0), dict.fromkeys(KINDS, 0.0), set()
    present = set()
    post_params = dict(post.named_parameters(remove_duplicate=False))
    for path, module in pre.named_modules():
        kind = param_kind(path, module, blocks)
        for name, p in module.named_parameters(recurse=False):
            if id(p) in seen:  # tied weights (an LM head sharing the embedding) count once
                continue
            seen.add(id(p))
            full = f"{path}.{name}" if path else name
            w0 = p.detach().double().cpu()
            d = post_params[full].detach().double().cpu() - w0
            d_sq[kind] += float(d.pow(2).sum())
            w_sq[kind] += float(w0.pow(2).sum())
            present.add(kind)
    kinds = [k for k in KINDS if k in present]
    out["kinds"] = kinds
    out["kind_rel_update"] = [float(np.sqrt(d_sq[k] / w_sq[k])) if w_sq[k] > 0 else
                              (0.0 if d_sq[k] == 0 else float("inf")) for k in kinds]
    return out


# --------------------------------------------------------------------------- profile


def _null_seq(pre, null, probe: dict, device: str, batch_size: int = 16) -> np.ndarray:
    """[N, L] Δ_l of `null` against `pre` (`profile.capture`'s null pass, without the others)."""
    import torch

    from depthcore import metrics, profile
    from depthcore.layers import find_layers

    pre_layers, null_layers = find_layers(pre), find_layers(null)
    out = []
    with torch.no_grad():
        for start in range(0, probe["input_ids"].shape[0], batch_size):
            batch = {k: v[start:start + batch_size].to(device) for k, v in profile.model_inputs(probe).items()}
            h_pre, h_null = [], []
            with profile.hooks(pre_layers, outputs=h_pre, stop=True):
                profile.run_blocks(pre, batch)
            with profile.hooks(null_layers, outputs=h_null, stop=True):
                profile.run_blocks(null, batch)
            out.append(torch.stack([metrics.cosine_change(a, b, batch["attention_mask"])
                                    for a, b in zip(h_pre, h_null)], 1))
    return torch.cat(out).double().cpu().numpy()


def _rel_slope(profile_, depth) -> float:
    """`stats.relative_slope`, NaN where the profile is all zero (nothing changed)."""
    return float("nan") if float(np.mean(profile_)) == 0.0 else stats.relative_slope(profile_, depth)


def diff(base: str, tuned: str, *, objective: str | None = None, probe_file: str | Path | None = None,
         probe_size: int | None = None, seq_len: int = SEQ_LEN, null_draws: int = NULL_DRAWS, seed: int = 0,
         device: str = "cpu", progress: bool = False) -> xr.Dataset:
    """Profile TUNED against BASE; a result Dataset in a run's schema (docs/design.md "Diff").

    Args:
        base, tuned: anything `depthcore run --model` takes; `tuned` may be a peft adapter
            directory (it has adapter_config.json) for `base`.
        objective: the heads both load with and whose loss is reported ("clm", "mlm", "cls");
            default the base's language-model objective.
        probe_file: the user's documents (`read_probe_file`) instead of BBC's probe split.
        probe_size: probe sequences (default `default_probe_size` of BASE's parameter count).
        seq_len: tokens per probe sequence.
        null_draws: draws of the matched null (`engine.null_model` with seeds 0..null_draws-1).
        seed: initialises head weights neither checkpoint has, alike in both.

    Raises:
        DiffError: different architectures or shapes, tokenizers, an adapter for another
            base, an unusable probe file (all before anything is computed).
        zoo.UnknownModel, zoo.ModelNotCached, zoo.ObjectiveNotSupported: as `zoo.load`.
    """
    import torch

    from depthcore import engine, profile, zoo
    from depthcore.layers import find_layers, layer_names

    if null_draws < 1:
        raise DiffError(f"null_draws={null_draws}: the matched null needs at least one draw")
    if seq_len < 2:
        raise DiffError(f"seq_len={seq_len}: a probe sequence needs at least 2 tokens")
    docs = read_probe_file(probe_file) if probe_file is not None else None
    torch.manual_seed(seed)
    phase = engine.Phases()
    with phase("load"):
        pre, post, tok, tuned_tok, info, objective, adapter = load_pair(base, tuned, objective, device, seed)
    n = probe_size or default_probe_size(info.params or sum(p.numel() for p in pre.parameters()), seq_len)
    with phase("data"):
        probe = make_probe(tok, tuned_tok, objective, n, seq_len, docs, base, tuned)
    with phase("weights"):
        pre_state, post_state = engine.layer_state(find_layers(pre)), engine.layer_state(find_layers(post))
        weights = weight_change(pre, post, (pre_state, post_state))
    with phase("profile capture (pre, post, local, null passes)"):
        prof = profile.capture(pre, post, probe, null=engine.null_model(pre, pre_state, post_state, 0),
                               device=device, progress=progress)
    with phase("further null draws"):
        draws = [prof.null_seq] + [_null_seq(pre, engine.null_model(pre, pre_state, post_state, k), probe, device)
                                   for k in range(1, null_draws)]
    with phase("probe losses"):
        losses = (profile.mean_loss(pre, probe, device=device), profile.mean_loss(post, probe, device=device))
    with phase("hashes"):
        hashes = weights_hash(pre), weights_hash(post)
    source = "bbc probe split" if docs is None else f"{Path(probe_file).resolve()} (sha256:" \
        f"{hashlib.sha256(Path(probe_file).read_bytes()).hexdigest()})"
    attrs = dict(result="diff", label=f"diff {model_name(base)} -> {model_name(tuned)}",
                 model=f"{model_name(base)} -> {model_name(tuned)}", base=base, tuned=tuned, base_where=_where(info),
                 tuned_where=str(Path(adapter).expanduser().resolve()) if adapter
                 else _where(zoo.model_info(tuned)), tuned_adapter=int(bool(adapter)),
                 base_weights=hashes[0], tuned_weights=hashes[1], hf_id=info.hf_id or "", family=info.family,
                 block_type=info.block_type, kind=info.kind, params=int(info.params), tier=info.tier,
                 objective=objective, optimizer="", condition="", device=device, probe=source, probe_size=int(n),
                 seq_len=int(seq_len), null_draws=int(null_draws), seed=int(seed))
    ds = dataset(layer_names(pre), attrs, prof, np.stack(draws), weights, losses, seed)
    seconds = {k: round(v, 3) for k, v in phase.seconds.items()}
    ds.attrs["seconds"] = json.dumps(seconds)
    return ds


def dataset(names: list[str], attrs: dict, prof, draws: np.ndarray, weights: dict, losses: tuple[float, float],
            seed: int = 0) -> xr.Dataset:
    """The diff's result Dataset: a run's variables where the quantity is a run's, and the diff's own."""
    from depthcore.metrics import DELTA_RANK_STATS, DELTA_STATS

    from depthcore import engine

    ds = results.new_dataset(names, attrs)
    ds = ds.assign_coords(seq=np.arange(prof.cos_seq.shape[0]), null_draw=np.arange(draws.shape[0]),
                          kind=np.array(weights["kinds"], dtype=str))
    depth = ds["depth"].values
    put = lambda name, dims, value: results.put(ds, name, dims, value)  # noqa: E731
    null_seq = draws.mean(0)
    put("rep_change_cos_seq", ("seq", "layer"), prof.cos_seq)
    put("rep_change_cos", "layer", prof.cos_seq.mean(0))
    put("rep_change_cka", "layer", prof.cka)
    put("rep_change_local_seq", ("seq", "layer"), prof.local_seq)
    put("rep_change_local", "layer", prof.local_seq.mean(0))
    put("null_rep_change_cos_draws", ("null_draw", "seq", "layer"), draws)
    put("null_rep_change_cos_seq", ("seq", "layer"), null_seq)
    put("null_rep_change_cos", "layer", null_seq.mean(0))
    put("semantic_deviation", "layer", prof.semantic_seq.mean(0))
    put("semantic_deviation_seq", ("seq", "layer"), prof.semantic_seq)
    for key in ("rel_update", *DELTA_STATS, "weight_norm", *DELTA_RANK_STATS):
        put(key, "layer", weights[key])
    put("kind_rel_update", "kind", weights["kind_rel_update"])
    if len(names) > 1:
        slope, lo, hi = stats.bootstrap_slope(prof.cos_seq, depth, seed=seed)
        put("slope", (), slope)
        put("slope_lo", (), lo)
        put("slope_hi", (), hi)
        put("rel_slope", (), _rel_slope(prof.cos_seq.mean(0), depth))
        null_slopes = stats.fit_slope(draws.mean(1), depth)
        put("null_slope_draw", "null_draw", null_slopes)
        put("null_slope", (), float(np.mean(null_slopes)))
        put("null_rel_slope", (), _rel_slope(null_seq.mean(0), depth))
        excess = stats.profile_ci(np.stack([prof.cos_seq] * len(draws)), depth, minus=draws)
        put("excess_slope", (), slope - float(np.mean(null_slopes)))
        put("excess_slope_lo", (), excess[1])
        put("excess_slope_hi", (), excess[2])
    engine.put_shape(ds, prof)
    put("probe_loss_base", (), losses[0])
    put("probe_loss_tuned", (), losses[1])
    return ds


# --------------------------------------------------------------------------- verdicts


def is_diff(ds: xr.Dataset) -> bool:
    return ds.attrs.get("result") == "diff"


def _as_run(ds: xr.Dataset, draw: int) -> xr.Dataset:
    """The diff as one "seed" of a run's cell whose null is draw `draw`: what the claim functions read."""
    run = ds[["rep_change_cos_seq", "rep_change_cos", "rep_change_local_seq", "rep_change_local"]].copy()
    run["null_rep_change_cos_seq"] = ds["null_rep_change_cos_draws"].isel(null_draw=draw, drop=True)
    run["heldout_loss_before"] = ds["probe_loss_base"]
    run["heldout_loss"] = ds["probe_loss_tuned"]
    run.attrs = dict(ds.attrs)
    return run


def _reword(v, drop: tuple[str, ...] = ()):
    """A run's verdict read for a diff: its losses are the probe set's, its "seeds" are null draws."""
    names = {"heldout_before": "probe_loss_base", "heldout_after": "probe_loss_tuned", "seeds": "null_draws"}
    v.numbers = {names.get(k, k): x for k, x in v.numbers.items() if k not in drop}
    v.verdict, v.strict = (s.replace(" seeds)", " null draws)") for s in (v.verdict, v.strict))
    return v


def verdicts(ds: xr.Dataset) -> list:
    """The verdicts that apply to one pair, by the functions that judge a run's cell: paper A's
    output-proximal claim with its stricter reading against the matched null (steeper than
    null), whose seed level is the null draws, and local vs propagated on the pair itself.

    None when nothing changed on the probe set (a zero diff has no profile to judge), and no
    output-proximal row when the blocks did not change (the matched null is then zero)."""
    if not float(ds["rep_change_cos"].max()) > 0 or ds.sizes["layer"] < 2:
        return []
    runs = [_as_run(ds, k) for k in range(ds.sizes["null_draw"])]
    out = []
    if float(ds["null_rep_change_cos_draws"].mean(("seq", "layer")).min()) > 0:
        out.append(_reword(claims.output_proximal(runs)))
    out.append(_reword(claims.local_vs_propagated(runs[:1]), drop=("seeds",)))
    return out


class _CallableModule(types.ModuleType):
    """`depthcore.diff(base, tuned)` calls `diff`: importing this module makes `depthcore.diff` the
    module (Python sets a package's attribute to its submodule), so the module itself is callable."""

    def __call__(self, *args, **kwargs) -> xr.Dataset:
        return diff(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
