"""The `depthcore` command: run, diff, sweep, report, demo, zoo, numerics, calibrate.

Bad arguments give one line on stderr and exit code 2, never a traceback: argparse's own
errors, and the library's "you asked for something that cannot run" exceptions
(`config.SpecError`, `sweep.GridError`, `diff.DiffError`, `zoo.UnknownModel`, `zoo.ObjectiveNotSupported`,
`zoo.ModelNotCached` with its fetch command, `results.ResultError`). Ctrl-C exits 130 and
leaves every finished run in the run cache (and a sweep's `runs/`), so the same command resumes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXAMPLES = {
    "run": "example:\n  depthcore run --model tiny-gpt2-64 --objective clm --condition equal_step --optimizer sgd -o out.nc\n"
           "  depthcore run --model tiny-gpt2-64 --lora --lr 1e-3 --domain tech -o lora.nc",
    "sweep": "example:\n  depthcore sweep grid.toml -o results/\n\ngrid.toml:\n"
             "  [base]                 # RunSpec fields shared by every run\n  objective = \"clm\"\n  optimizer = \"sgd\"\n"
             "  [grid]                 # lists: every combination is a run\n"
             "  model = [\"tiny-gpt2-64\", \"tiny-neox-64\"]\n  condition = [\"standard\", \"equal_step\"]\n"
             "  seed = [0, 1, 2]\n  [[runs]]               # optional single runs, fields over [base]\n"
             "  model = \"minilm\"\n  objective = \"mlm\"\n\n"
             "Interrupt with Ctrl-C at any time: the same command resumes where it stopped.",
    "diff": "example:\n  depthcore run --model tiny-gpt2-64 --steps 20 --save-model ft/ -o ft.nc\n"
            "  depthcore diff tiny-gpt2-64 ft/ -o diff.nc          # then: depthcore report diff.nc -o report/\n"
            "  depthcore diff smollm2-135m my-adapter/ --probe-file my-texts.jsonl -o mine.nc",
    "report": "example:\n  depthcore report results/ -o report/\n  depthcore report a.nc b.nc -o report/",
    "demo": "example:\n  depthcore demo -o depthcore-demo/",
    "zoo": "example:\n  depthcore zoo list\n  depthcore zoo list --json      # one JSON list of rows, for scripts\n"
           "  depthcore zoo pretrain tiny-gpt2-64 tiny-neox-64",
    "numerics": "example:\n  depthcore numerics --threads 2        # compare the parts with another machine's",
    "calibrate": "example:\n  depthcore calibrate --sims 2000 --json calibration.json   # from the repository root",
}
EXECUTORS = ("local", "ray")  # where sweep runs its specs: depthcore.executors (ray: pip install -e '.[ray]')


class UsageError(Exception):
    """A bad argument: printed as one line, exit code 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but an error is one line (with where to find help), not the usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def summary_line(ds) -> str:
    s = ds
    parts = [ds.attrs.get("label", "")]
    if "slope" in s:
        parts.append(f"slope {float(s.slope):+.4f} [{float(s.slope_lo):+.4f}, {float(s.slope_hi):+.4f}]")
        parts.append(f"null {float(s.null_slope):+.4f}  rel {float(s.rel_slope):.2f} vs null {float(s.null_rel_slope):.2f}")
    parts.append(f"width {int(s.width)}/{s.sizes['layer']} (tau {float(s.tau):g})")
    parts.append(f"control strength {float(s.control_strength):.3f}")
    parts.append(f"held-out loss {float(s.heldout_loss_before):.3f} -> {float(s.heldout_loss):.3f}")
    return "  ".join(parts)


def time_line(ds) -> str:
    """Where the run's time went (seconds per phase, from when it was computed)."""
    import json

    seconds = json.loads(ds.attrs["seconds"])
    total = sum(seconds.values())
    line = f"time {total:.1f} s: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
    if "eval_size" in ds.attrs and "ls_size" in ds.attrs:  # the diagnostics' sizes (engine.sizes)
        line += f" (held-out losses on {ds.attrs['eval_size']} sequences, LS/TP on {ds.attrs['ls_size']})"
    return line


def profile_text(ds) -> str:
    """The per-layer profile as a small table (layer, depth, Δ_l, local Δ_l, null Δ_l, rel. update)."""
    cols = [("rep_change_cos", "delta"), ("rep_change_local", "local"), ("null_rep_change_cos", "null"),
            ("rel_update", "rel_update")]
    cols = [(v, h) for v, h in cols if v in ds]
    lines = ["layer  depth  " + "  ".join(f"{h:>10}" for _, h in cols)]
    for i, layer in enumerate(ds["layer"].values):
        lines.append(f"{int(layer):>5}  {float(ds['depth'][i]):.2f}   "
                     + "  ".join(f"{float(ds[v][i]):>10.4f}" for v, _ in cols))
    return "\n".join(lines)


def _quiet_transformers() -> None:
    """No "Loading weights" bar per model load: the CLI's own bars (pretrain, fine-tune, sweep) say enough."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def cmd_run(args) -> int:
    from depthcore import results
    from depthcore.config import RunSpec
    from depthcore.engine import cached_run
    from depthcore.report import plot_profile
    from depthcore.sweep import check_model

    fields = dict(model=args.model, objective=args.objective, condition=args.condition, optimizer=args.optimizer,
                  steps=args.steps, seed=args.seed, device=args.device, freeze=tuple(args.freeze or ()),
                  domain=args.domain, train_only_layers=args.train_only_layers, lora=args.lora,
                  compile=args.compile)
    for name in ("batch_size", "seq_len", "probe_size", "eval_size", "ls_size", "warmup_frac", "weight_decay",
                 "grad_clip"):
        if getattr(args, name) is not None:  # None: RunSpec's default
            fields[name] = getattr(args, name)
    if args.lr is not None:
        fields["lr"] = args.lr
    if args.lora_r is not None:
        fields["lora_r"] = args.lora_r
    spec = RunSpec(**fields)
    check_model(spec.model, spec.objective)
    out = Path(args.output)
    if out.suffix != ".nc":
        raise UsageError(f"-o {out}: the result is a netCDF file; name it *.nc (a .png goes beside it)")
    save = Path(args.save_model) if args.save_model else None
    if save is not None and args.fsdp:
        raise UsageError("--save-model saves an unsharded run's model; leave out --fsdp")
    if save is not None and (save.is_file() or (save.is_dir() and any(save.iterdir()))):
        raise UsageError(f"--save-model {save}: exists and is not an empty directory; give a new directory")
    _quiet_transformers()
    if args.fsdp:
        ds = sharded_run(spec)
        if ds is None:  # not rank 0: rank 0 writes the result
            return 0
    elif save is not None:  # a cached result has no model: compute the run, and cache its result too
        from depthcore.engine import run, run_path

        ds = run(spec, progress=True, on_trained=lambda model, tok: save_model(model, tok, save, spec.model))
        if not args.no_cache:
            results.write(ds, run_path(spec))
    else:
        ds = cached_run(spec, use_cache=not args.no_cache, progress=True)
    results.write(ds, out)
    plot_profile(ds, out.with_suffix(".png"))
    print(profile_text(ds))
    print(summary_line(ds))
    if "seconds" in ds.attrs:
        print(time_line(ds))
    print(f"wrote {out} and {out.with_suffix('.png')}" + (f"; the model in {save}/" if save is not None else ""))
    return 0


def save_model(model, tokenizer, path: Path, base: str) -> None:
    """Save a fine-tuned model with its tokenizer in Hugging Face format, into `path` whole or not at
    all (a temp directory renamed into place). A peft model saves its adapter, recording `base` (the
    model name the run was given) as its base, so `depthcore diff BASE path` applies it."""
    import shutil
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        if hasattr(model, "peft_config"):
            for config in model.peft_config.values():
                config.base_model_name_or_path = base
            model.save_pretrained(tmp, save_embedding_layers=False)  # "auto" looks `base` up on the hub
        else:
            model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        if path.is_dir():
            path.rmdir()  # empty (checked before the run)
        tmp.rename(path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def diff_summary(ds) -> str:
    """A diff's numbers in a few lines: slopes, width, losses, weight change by kind, effective rank."""
    lines = []
    if "slope" in ds:
        lines.append(f"slope {float(ds.slope):+.4f} [{float(ds.slope_lo):+.4f}, {float(ds.slope_hi):+.4f}]  "
                     f"null {float(ds.null_slope):+.4f} ({ds.sizes['null_draw']} draws)  excess "
                     f"{float(ds.excess_slope):+.4f} [{float(ds.excess_slope_lo):+.4f}, {float(ds.excess_slope_hi):+.4f}]"
                     f"  local slope {float(ds.local_slope):+.4f}")
    lines.append(f"width {int(ds.width)}/{ds.sizes['layer']} (tau {float(ds.tau):g})  probe loss "
                 f"{float(ds.probe_loss_base):.3f} -> {float(ds.probe_loss_tuned):.3f} "
                 f"({ds.attrs['probe_size']} sequences: {ds.attrs['probe']})")
    lines.append("||dW||/||W|| by kind: " + ", ".join(f"{k} {float(v):.3g}" for k, v in
                                                       zip(ds["kind"].values, ds["kind_rel_update"].values)))
    lines.append(f"effective rank of dW per layer, mean {float(ds.dW_erank.mean()):.1f} "
                 f"(a Gaussian matrix of the same shapes: {float(ds.dW_erank_gauss.mean()):.1f})")
    return "\n".join(lines)


def cmd_diff(args) -> int:
    from depthcore import diff, results
    from depthcore.cache import atomic_path
    from depthcore.report import plot_profile, verdict_table

    out = Path(args.output)
    if out.suffix != ".nc":
        raise UsageError(f"-o {out}: the result is a netCDF file; name it *.nc (a .png goes beside it)")
    _quiet_transformers()
    ds = diff.diff(args.base, args.tuned, objective=args.objective, probe_file=args.probe_file,
                   probe_size=args.probe_size, seq_len=args.seq_len, null_draws=args.null_draws, seed=args.seed,
                   device=args.device, progress=True)
    rows = [v.row() for v in diff.verdicts(ds)]
    results.write(ds, out)
    with atomic_path(out.with_suffix(".png")) as tmp:
        plot_profile(ds).savefig(tmp, format="png")
    print(profile_text(ds))
    print(diff_summary(ds))
    print(verdict_table(rows) if rows else "no verdict: BASE and TUNED give the same block outputs on the probe set")
    print(time_line(ds))
    print(f"wrote {out} and {out.with_suffix('.png')}; next: depthcore report {out} -o report/")
    return 0


def sharded_run(spec):
    """`engine.run(spec, sharded=True)` on the ranks torchrun started (nccl on CUDA, gloo on CPU); the
    Dataset on rank 0, None elsewhere. Not cached (depthcore.engine.run says why)."""
    import os

    import torch
    import torch.distributed as dist

    from depthcore.engine import run

    if "RANK" not in os.environ or "WORLD_SIZE" not in os.environ:
        raise UsageError("--fsdp shards the model over the processes torchrun starts; launch it as "
                         "`torchrun --nproc-per-node N -m depthcore run --fsdp ...`")
    if spec.device == "cuda":
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    dist.init_process_group("nccl" if spec.device == "cuda" else "gloo")
    try:
        return run(spec, progress=dist.get_rank() == 0, sharded=True)
    finally:
        dist.destroy_process_group()


def cmd_sweep(args) -> int:
    from depthcore import executors, sweep

    specs = sweep.load_grid(args.grid)
    out = Path(args.output)
    print(f"depthcore sweep: {len(specs)} runs from {args.grid} -> {out}/", file=sys.stderr)
    _quiet_transformers()
    try:
        try:
            executor = executors.make_executor(args.executor, address=args.address, progress=not args.quiet)
        except ValueError as e:
            raise UsageError(str(e)) from None
        ds = sweep.run_sweep(specs, out, executor=executor, progress=not args.quiet)
    except KeyboardInterrupt:
        done = len(list((out / "runs").glob("*.nc")))
        print(f"depthcore sweep: interrupted; {done} finished runs are in {out / 'runs'} (and the run cache); "
              f"run the same command again to resume", file=sys.stderr)
        return 130
    except executors.RunsFailed as e:
        print(f"depthcore sweep: {e}", file=sys.stderr)
        return 1
    print(f"wrote {out / 'sweep.nc'} ({ds.sizes['run']} runs along `run`) and {out / 'runs'}/; "
          f"next: depthcore report {out} -o report/")
    return 0


def cmd_report(args) -> int:
    from depthcore import report

    runs = report.load_runs(args.results)
    rows = None
    if args.verdicts:
        try:
            rows = json.loads(Path(args.verdicts).read_text())
        except ValueError as e:
            raise UsageError(f"--verdicts {args.verdicts}: not a verdicts.json of a bench session ({e})") from None
    index = report.write_report(runs, args.output, title=args.title, rows=rows)
    print((Path(args.output) / "verdicts.txt").read_text(), end="")
    print(f"wrote {index} ({len(runs)} runs)")
    return 0


def zoo_table(rows: list[dict]) -> str:
    """`depthcore zoo list`'s rows as an aligned table: yes/no for flags, blank for none."""
    from depthcore.report import text_table

    def cell(v) -> str:
        return "" if v is None else ("yes" if v else "no") if isinstance(v, bool) else str(v)

    keys = list(rows[0]) if rows else []
    return text_table(keys, [[cell(r[k]) for k in keys] for r in rows])


def cmd_zoo(args) -> int:
    from depthcore import tinyzoo, zoo

    if args.json and args.action != "list":
        raise UsageError("--json applies to `depthcore zoo list` only")
    if args.action == "list":
        rows = zoo.zoo_status()
        if args.json:
            print(json.dumps(rows, indent=1))
        else:
            print(zoo_table(rows))
    else:
        for name in args.names:
            tinyzoo.tiny_path(name)  # UnknownModel before anything is pretrained
        tinyzoo.pretrain_all(args.names or None)
    return 0


def cmd_numerics(args) -> int:
    import torch

    from depthcore import numerics

    if args.threads:
        torch.set_num_threads(args.threads)
    print(numerics.report(args.json))
    return 0


def cmd_demo(args) -> int:
    from depthcore.demo import demo

    _quiet_transformers()
    demo(Path(args.output), progress=not args.quiet)
    return 0


def cmd_calibrate(args) -> int:
    from depthcore import calibrate

    sims = args.sims or calibrate.SIMS
    try:
        rows = calibrate.calibrate(args.baselines, sims=sims, tiers=tuple(args.tier or ()) or None, seed=args.seed,
                                   workers=args.workers, rules=tuple(args.rule or ()) or None)
    except ValueError as e:  # an unknown --rule
        raise UsageError(str(e)) from None
    print(calibrate.table(rows))
    if args.json:
        calibrate.write_json(rows, args.json)
    worst = max(r["false_decision"] for r in rows)
    print(f"largest false-decision rate {worst:.3f} over {len(rows)} rules x tiers, {sims} cells each")
    return 0


def positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive integer")
    return v


def parser() -> argparse.ArgumentParser:
    from depthcore.config import CONDITIONS, OBJECTIVES, OPTIMIZERS

    fmt = argparse.RawDescriptionHelpFormatter
    p = ArgumentParser(prog="depthcore", description="Depth profile of fine-tuning: run, diff, sweep, report, demo, zoo, numerics, calibrate.",
                       epilog="example:\n  depthcore demo -o depthcore-demo/", formatter_class=fmt)
    sub = p.add_subparsers(dest="command", required=True)

    def command(name: str, func, help: str, description: str | None = None) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help, description=description, epilog=EXAMPLES[name], formatter_class=fmt)
        c.set_defaults(func=func)
        return c

    r = command("run", cmd_run, "fine-tune and profile one model",
                "Fine-tune one model, profile it (Δ_l per layer, null, local change), print the profile summary, "
                "write the result (.nc) and its plot (.png).")
    r.add_argument("--model", required=True, help="tiny-zoo name, registry name, cached hub id or local path")
    r.add_argument("--objective", default="clm", choices=OBJECTIVES)
    r.add_argument("--condition", default="standard", choices=CONDITIONS)
    r.add_argument("--optimizer", default="adamw", choices=OPTIMIZERS)
    r.add_argument("--lr", type=float, default=None, help="peak learning rate (default: the registry's)")
    r.add_argument("--steps", type=positive_int, default=40)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--batch-size", type=positive_int, default=None, help="sequences per step (default 8)")
    r.add_argument("--seq-len", type=positive_int, default=None, help="tokens per sequence (default 64)")
    r.add_argument("--probe-size", type=positive_int, default=None, help="probe sequences for the profile (default 48)")
    r.add_argument("--eval-size", type=positive_int, default=None,
                   help="held-out sequences per loss (default: as many as the model's cost allows, at most 64)")
    r.add_argument("--ls-size", type=positive_int, default=None,
                   help="probe sequences of layer sensitivity and task position (default: from the cost, at most 16)")
    r.add_argument("--warmup-frac", type=float, default=None,
                   help="linear warmup over this fraction of the steps, then linear decay (default 0.1)")
    r.add_argument("--weight-decay", type=float, default=None, help="AdamW weight decay (default 0)")
    r.add_argument("--grad-clip", type=float, default=None, help="max global gradient norm, 0 = off (default 1.0)")
    r.add_argument("--freeze", type=int, nargs="*", metavar="L", help="1-based layer indices to freeze")
    r.add_argument("--train-only-layers", action="store_true",
                   help="freeze embeddings, final norm and head too (only blocks train)")
    r.add_argument("--domain", default=None, help="BBC category to fine-tune on (default: all fine-tuning categories)")
    r.add_argument("--lora", action="store_true", help="fine-tune LoRA adapters (r=16, alpha=32, attention)")
    r.add_argument("--lora-r", type=positive_int, default=None, help="LoRA rank (default 16)")
    r.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    r.add_argument("--compile", action="store_true",
                   help="train through torch.compile (inductor; for CUDA, on CPU it needs a C++ compiler)")
    r.add_argument("--fsdp", action="store_true",
                   help="train sharded with FSDP over the processes of `torchrun --nproc-per-node N -m depthcore "
                        "run --fsdp ...` (models past one GPU); rank 0 profiles and writes. Never cached")
    r.add_argument("--no-cache", action="store_true", help="recompute even if the run is cached")
    r.add_argument("-o", "--output", default="depthcore-run.nc", help="netCDF result (a PNG plot goes beside it)")
    r.add_argument("--save-model", metavar="DIR", default=None,
                   help="also save the fine-tuned model and tokenizer (Hugging Face format; a LoRA run saves its "
                        "peft adapter) into DIR, a new directory, for `depthcore diff MODEL DIR`. The run is "
                        "computed even when cached, since a cached result holds no model")
    f = command("diff", cmd_diff, "profile a fine-tuned checkpoint against its base (no training)",
                "Compare two checkpoints of one architecture on a probe set, as a run compares its model before and "
                "after fine-tuning: Δ_l per layer, CKA, local change, the matched random null over several draws, "
                "weight change per layer and per kind with its effective rank, and the verdicts that apply to one "
                "pair. Writes the result (.nc, the schema of a run) and its plot (.png).")
    f.add_argument("base", metavar="BASE", help="tiny-zoo name, registry name, cached hub id or local directory")
    f.add_argument("tuned", metavar="TUNED", help="the fine-tuned model (the same kinds of name), or a peft "
                                                  "adapter directory for BASE")
    f.add_argument("--objective", default=None, choices=OBJECTIVES,
                   help="heads to load and whose probe loss to report (default: clm for decoders, mlm for encoders)")
    f.add_argument("--probe-file", default=None, metavar="FILE",
                   help="your own probe text: one document per line, or .jsonl with a \"text\" field (default: "
                        "BBC's probe split, as a run uses)")
    f.add_argument("--probe-size", type=positive_int, default=None,
                   help="probe sequences (default 48, fewer for models past ~65M parameters, at least 16)")
    f.add_argument("--seq-len", type=positive_int, default=64, help="tokens per probe sequence (default 64)")
    f.add_argument("--null-draws", type=positive_int, default=3, help="draws of the matched random null (default 3)")
    f.add_argument("--seed", type=int, default=0, help="initialises head weights neither checkpoint has")
    f.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    f.add_argument("-o", "--output", default="depthcore-diff.nc", help="netCDF result (a PNG plot goes beside it)")
    s = command("sweep", cmd_sweep, "run a grid of RunSpecs from a TOML file (resumable)",
                "Run every combination of a TOML grid; finished runs go to OUT/runs/ as they finish, all of them "
                "concatenated along `run` into OUT/sweep.nc.")
    s.add_argument("grid", help="grid file (TOML: [base], [grid], optional [[runs]])")
    s.add_argument("-o", "--output", default="results", help="output folder (default: results/)")
    s.add_argument("--executor", default="local", choices=EXECUTORS, help="where runs execute (default: local)")
    s.add_argument("--address", default=None, help="Ray cluster address (with --executor ray; default: start a local one)")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    t = command("report", cmd_report, "static HTML report (figures + verdict table) from results",
                "Depth-profile figures, slope forest plot, LoRA weight-delta profiles, freezing comparisons and the "
                "verdict table, as OUT/index.html + PNG files.")
    t.add_argument("results", nargs="+", help="a `depthcore sweep` output folder, or .nc result files")
    t.add_argument("-o", "--output", default="report", help="output folder (default: report/)")
    t.add_argument("--title", default="depthcore report", help="page title")
    t.add_argument("--verdicts", metavar="JSON", default=None,
                   help="show a bench session's verdicts (.depthcore-obtained/verdicts.json: judged against the "
                        "recorded findings, numerics-sensitive cells marked) instead of judging the runs again")
    d = command("demo", cmd_demo, "tiny-tier demo: a small grid of runs, then a report",
                "The tiny tier's main job, CPU and offline: tiny-gpt2-64 and tiny-neox-64 standard vs equal-step (3 "
                "seeds), freezing and LoRA runs, one MiniLM run; then the report. A few minutes cold, well under a "
                "minute warm.")
    d.add_argument("-o", "--output", default="depthcore-demo", help="output folder (default: depthcore-demo/)")
    d.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    z = command("zoo", cmd_zoo, "list models or pretrain the tiny zoo")
    z.add_argument("action", choices=("list", "pretrain"))
    z.add_argument("names", nargs="*", help="tiny-zoo names to pretrain (default: all at the base width)")
    z.add_argument("--json", action="store_true", help="list: one JSON list of rows instead of the table")
    n = command("numerics", cmd_numerics, "this machine's numerics fingerprint and each kernel family's hash",
                "The fingerprint that keys the zoo, the run cache and every baseline, what decides it (torch, "
                "kernels, threads, caps) and one hash per kernel family: two machines whose parts differ compute "
                "those kernels with other bits.")
    n.add_argument("--threads", type=positive_int, default=None, help="torch threads (default: torch's own)")
    n.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    c = command("calibrate", cmd_calibrate, "how often each verdict rule decides wrongly, on synthetic cells",
                "Draw synthetic cells around a known truth with the variance of the stored baselines' cells and "
                "judge them with each claim's own function: per rule and tier the false-decision rate at no effect "
                "(or on an equivalence margin), the coverage of its interval and the power at the effect the "
                "baselines measured.")
    c.add_argument("--sims", type=positive_int, default=None, help="synthetic cells per rule and scenario (default 2000)")
    c.add_argument("--json", metavar="PATH", default=None, help="also write the rows as a JSON list")
    c.add_argument("--baselines", default="baselines", help="the stored baselines (default: ./baselines)")
    c.add_argument("--tier", action="append", help="only this tier (repeatable; default: every stored tier)")
    c.add_argument("--rule", action="append", help="only this rule, as the table names it (repeatable)")
    c.add_argument("--seed", type=int, default=0, help="seed of the draws")
    c.add_argument("--workers", type=positive_int, default=None, help="processes (default: one per CPU core)")
    return p


def main(argv: list[str] | None = None) -> int:
    from depthcore import zoo
    from depthcore.config import SpecError
    from depthcore.diff import DiffError
    from depthcore.results import ResultError
    from depthcore.sweep import GridError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (SpecError, GridError, UsageError, ResultError, DiffError, zoo.UnknownModel, zoo.ObjectiveNotSupported,
            zoo.ModelNotCached, FileNotFoundError, ImportError) as e:
        message = " ".join(str(e).split())  # one line: ModelNotCached puts its fetch command on a second line
        print(f"depthcore {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("depthcore: interrupted; finished runs are in the run cache and will be reused", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
