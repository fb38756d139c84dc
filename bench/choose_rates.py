"""Choose the learning rate of every freezing arm of papers B and C by one rule (grid.FREEZE_LR).

For each model of grid.FREEZE_MODELS[tier] and each arm of grid.FREEZE_ARMS: fine-tune (AdamW,
the tier's BASE settings, "clm" on grid.FREEZE_DOMAIN, the arm's blocks only) at every rate of
grid.FREEZE_LR_GRID for each training seed of the tier, and score a rate by the mean over seeds
of the new domain's loss on the whole probe split, a validation split (the claims judge the
held-out split). The rate with the lowest mean is the arm's. Arms that train the same blocks
share their runs. No profiling: a tiny run is a few seconds, the tiny tier 10-15 minutes.

    python bench/choose_rates.py                      # tiny tier
    python bench/choose_rates.py tiny --threads 1     # train on 1 thread (a busy machine)
    python bench/choose_rates.py small                # GPU tiers: CUDA and the models in the HF cache

The models are those the bench uses: the tiny zoo is keyed by the numerics of the thread
count it was pretrained on (DEPTHCORE_THREADS, default 2), so it is loaded on that many
threads whatever `--threads` says; fewer training threads change the losses only by float
rounding. Prints a table per model (mean loss per arm and rate, the chosen rate marked *) and
the FREEZE_LR entries for bench/grid.py.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

import grid  # noqa: E402

from depthcore import data, numerics, profile, zoo  # noqa: E402
from depthcore.config import TIER_SEEDS, RunSpec  # noqa: E402
from depthcore.layers import find_layers  # noqa: E402
from depthcore.train import finetune  # noqa: E402

ZOO_THREADS = int(os.environ.get("DEPTHCORE_THREADS", "2"))


def load(model: str, seed: int, device: str):
    """zoo.load on the bench's thread count (the zoo's cache key), then back to the training threads."""
    threads = torch.get_num_threads()
    torch.set_num_threads(ZOO_THREADS)
    try:
        return zoo.load(model, "clm", device=device, seed=seed)
    finally:
        torch.set_num_threads(threads)


@functools.lru_cache(maxsize=None)
def splits(model: str, seq_len: int, domain: str, probe_size: int) -> tuple[dict, dict, dict]:
    """(train, validation = the whole probe split, the engine's probe set) of the domain."""
    tok = load(model, 0, "cpu")[1]
    split = dict(seq_len=seq_len, domain=domain)
    probe = data.make_split("clm", tok, split="probe", **split)
    return (data.make_split("clm", tok, split="train", **split), probe,
            data.make_split("clm", tok, split="probe", n=probe_size, **split))


def pretrained_deviation(spec: RunSpec) -> np.ndarray:
    """d_l [L] of the pretrained model on the run's probe set, as the engine stores it."""
    pre = load(spec.model, 0, spec.device)[0]
    probe = splits(spec.model, spec.seq_len, spec.domain, spec.probe_size)[2]
    return profile.capture(pre, pre, probe, device=spec.device).semantic_seq.mean(0)


def validation_loss(spec: RunSpec) -> float:
    """Fine-tune as engine.run does (seed, frozen parameters, data, schedule) and return the
    loss on the validation split."""
    train, validation, _ = splits(spec.model, spec.seq_len, spec.domain, spec.probe_size)
    torch.manual_seed(spec.seed)
    model = load(spec.model, spec.seed, spec.device)[0]
    layers = find_layers(model)
    trained = {id(p) for i, layer in enumerate(layers, 1) if i not in spec.freeze for p in layer.parameters()}
    for p in model.parameters():
        p.requires_grad_(id(p) in trained)  # train_only_layers: embeddings, final norm and head frozen too
    finetune(model, layers, train, spec, spec.lr)
    return profile.mean_loss(model, validation, device=spec.device)


def choose(tier: str, model: str) -> dict[str, float]:
    """The chosen rate per arm of one model; prints the table of mean validation losses."""
    L = grid.n_layers(model)
    seeds = TIER_SEEDS[tier]
    deviation = pretrained_deviation(grid.freeze_arm(tier, model, "all_blocks", L, 0))
    done: dict[tuple, float] = {}  # (frozen blocks, lr, seed) -> loss: arms that train the same blocks share runs
    chosen = {}
    print(f"\n{model} (L = {L}, d_l = {np.round(deviation, 3).tolist()}): validation loss, mean over seeds {seeds}")
    print(f"{'arm':<12} {'blocks':<10}" + "".join(f"{lr:>10g}" for lr in grid.FREEZE_LR_GRID))
    for arm in grid.FREEZE_ARMS:
        means = []
        for lr in grid.FREEZE_LR_GRID:
            losses = []
            for s in seeds:
                spec = grid.freeze_arm(tier, model, arm, L, s, deviation).replace(lr=lr)
                key = (spec.freeze, lr, s)
                if key not in done:
                    done[key] = validation_loss(spec)
                losses.append(done[key])
            means.append(float(np.mean(losses)))
        best = int(np.argmin(means))
        chosen[arm] = grid.FREEZE_LR_GRID[best]
        blocks = "per seed" if arm == "random_k" else "-".join(map(str, grid.arm_layers(arm, L, deviation)))
        print(f"{arm:<12} {blocks:<10}" + "".join(f"{m:>9.4f}{'*' if i == best else ' '}" for i, m in enumerate(means)),
              flush=True)
    return chosen


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tier", nargs="?", default="tiny", choices=sorted(grid.FREEZE_MODELS))
    parser.add_argument("--threads", type=int, default=ZOO_THREADS, help="torch threads for fine-tuning")
    args = parser.parse_args(argv)
    torch.set_num_threads(ZOO_THREADS)
    print(f"numerics {numerics.fingerprint()} ({ZOO_THREADS} threads), fine-tuning on {args.threads} threads")
    torch.set_num_threads(args.threads)
    rates = {model: choose(args.tier, model) for model in grid.FREEZE_MODELS[args.tier]}
    print("\nFREEZE_LR entries for bench/grid.py:")
    for model, arms in rates.items():
        print(f"    {model!r}: {{" + ", ".join(f"{a!r}: {lr:g}" for a, lr in arms.items()) + "},")


if __name__ == "__main__":
    main()
