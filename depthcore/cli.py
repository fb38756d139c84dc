"""The `depthcore` command: run, demo, zoo.

Bad arguments give one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLES = {
    "run": "example: depthcore run --model tiny-gpt2-64 --objective clm --condition equal_step -o out.nc",
    "demo": "example: depthcore demo -o demo/",
    "zoo": "example: depthcore zoo list",
}


class UsageError(Exception):
    """A bad argument: printed as one line, exit code 2."""


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


def cmd_run(args) -> int:
    from depthcore import results
    from depthcore.config import RunSpec
    from depthcore.engine import cached_run
    from depthcore.report import plot_profile

    fields = dict(model=args.model, objective=args.objective, condition=args.condition, optimizer=args.optimizer,
                  steps=args.steps, seed=args.seed, device=args.device, freeze=tuple(args.freeze or ()))
    if args.lr is not None:
        fields["lr"] = args.lr
    if args.lora:
        fields["lora"] = True
    spec = RunSpec(**fields)
    ds = cached_run(spec, use_cache=not args.no_cache, progress=True)
    out = Path(args.output)
    results.write(ds, out)
    plot_profile(ds, out.with_suffix(".png"))
    print(summary_line(ds))
    print(f"wrote {out} and {out.with_suffix('.png')}")
    return 0


def cmd_zoo(args) -> int:
    from depthcore import zoo

    if args.action == "list":
        rows = zoo.zoo_status()
        keys = list(rows[0]) if rows else []
        print("  ".join(keys))
        for r in rows:
            print("  ".join(str(r[k]) for k in keys))
    else:
        zoo.pretrain_all(args.names or None)
    return 0


def cmd_demo(args) -> int:
    from depthcore.demo import demo

    demo(Path(args.output))
    return 0


def parser() -> argparse.ArgumentParser:
    from depthcore.config import CONDITIONS, OBJECTIVES, OPTIMIZERS

    p = argparse.ArgumentParser(prog="depthcore", description="Depth profile of fine-tuning: run, demo, zoo.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="fine-tune and profile one model", epilog=EXAMPLES["run"])
    r.add_argument("--model", required=True, help="tiny-zoo name, registry name, cached hub id or local path")
    r.add_argument("--objective", default="clm", choices=OBJECTIVES)
    r.add_argument("--condition", default="standard", choices=CONDITIONS)
    r.add_argument("--optimizer", default="adamw", choices=OPTIMIZERS)
    r.add_argument("--lr", type=float, default=None)
    r.add_argument("--steps", type=int, default=40)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--freeze", type=int, nargs="*", help="1-based layer indices to freeze")
    r.add_argument("--lora", action="store_true", help="fine-tune LoRA adapters (r=16, alpha=32, attention)")
    r.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    r.add_argument("--no-cache", action="store_true", help="recompute even if the run is cached")
    r.add_argument("-o", "--output", default="depthcore-run.nc", help="netCDF result (a PNG plot goes beside it)")
    r.set_defaults(func=cmd_run)
    d = sub.add_parser("demo", help="tiny-tier demo: a small grid of runs, then a report", epilog=EXAMPLES["demo"])
    d.add_argument("-o", "--output", default="depthcore-demo", help="output folder")
    d.set_defaults(func=cmd_demo)
    z = sub.add_parser("zoo", help="list models or pretrain the tiny zoo", epilog=EXAMPLES["zoo"])
    z.add_argument("action", choices=("list", "pretrain"))
    z.add_argument("names", nargs="*", help="tiny-zoo names to pretrain (default: all)")
    z.set_defaults(func=cmd_zoo)
    return p


def main(argv: list[str] | None = None) -> int:
    from depthcore.config import SpecError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (SpecError, UsageError, FileNotFoundError) as e:
        print(f"depthcore: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("depthcore: interrupted; finished runs are in the cache and will be reused", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
