"""Choose the learning rate of every freezing arm of papers B and C by one rule (grid.FREEZE_LR).

For each model of grid.FREEZE_MODELS[tier] and each arm of grid.FREEZE_ARMS: fine-tune (AdamW,
the tier's freezing settings, "clm" on grid.FREEZE_DOMAIN, the arm's blocks only) at every rate
of grid.FREEZE_LR_GRID for each training seed of the tier, and score a rate by the mean over
seeds of the new domain's loss on the whole probe split, a validation split (the claims judge
the held-out split). The rate with the lowest mean is the arm's; while it lies at an edge of the
rates tried, the next rate past that edge is tried too, so every chosen rate is interior.
Arms that train the same blocks share their runs. No profiling.

    python bench/choose_rates.py                      # tiny tier
    python bench/choose_rates.py tiny --threads 1     # train on 1 thread (a busy machine)
    python bench/choose_rates.py small                # GPU tiers: CUDA and the models in the HF cache

The models are those the bench uses: the script takes a bench session's kernels (pinned where
the session would pin them) and threads (DEPTHCORE_THREADS, default 2), the numerics the tiny
zoo is keyed by, and loads the zoo on that many threads whatever `--threads` says; fewer
training threads change the losses only by float rounding. Prints a table per model (mean loss per arm and rate, the chosen rate marked *) and
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
from record_known import session_numerics  # noqa: E402

from depthcore import data, profile, zoo  # noqa: E402
from depthcore.config import TIER_SEEDS, RunSpec  # noqa: E402
from depthcore.layers import find_layers  # noqa: E402
from depthcore.train import NonFiniteLoss, finetune  # noqa: E402

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


def beyond(rates: list[float], lower: bool) -> float:
    """The next rate past the low or high edge of `rates` (ascending, on the grid's 1-3-10 pattern)."""
    return rates[1] / 10 if lower else rates[-2] * 10


def interior_best(loss) -> tuple[float, dict[float, float]]:
    """The rule: the rate of lowest `loss(lr)` over grid.FREEZE_LR_GRID, the grid extended one
    rate at a time past whichever edge holds the lowest until the lowest is interior. A rate at
    which training diverges (NonFiniteLoss) scores inf. Returns (rate, {rate: loss})."""
    scores: dict[float, float] = {}
    rates = sorted(grid.FREEZE_LR_GRID)
    while True:
        for lr in rates:
            if lr not in scores:
                try:
                    scores[lr] = loss(lr)
                except NonFiniteLoss:
                    scores[lr] = float("inf")
        best = min(rates, key=lambda lr: scores[lr])
        if best not in (rates[0], rates[-1]):
            return best, scores
        rates = sorted(rates + [beyond(rates, lower=best == rates[0])])


def choose(tier: str, model: str) -> dict[str, float]:
    """The chosen rate per arm of one model; prints each arm's mean validation loss per rate."""
    L = grid.n_layers(model)
    seeds = TIER_SEEDS[tier]
    deviation = pretrained_deviation(grid.freeze_arm(tier, model, "all_blocks", L, 0))
    done: dict[tuple, float] = {}  # (frozen blocks, lr, seed) -> loss: arms that train the same blocks share runs
    chosen = {}
    print(f"\n{model} (L = {L}, d_l = {np.round(deviation, 3).tolist()}): validation loss, mean over seeds {seeds}")
    for arm in grid.FREEZE_ARMS:
        def loss(lr: float) -> float:
            losses = []
            for s in seeds:
                spec = grid.freeze_arm(tier, model, arm, L, s, deviation).replace(lr=lr)
                key = (spec.freeze, lr, s)
                if key not in done:
                    done[key] = validation_loss(spec)
                losses.append(done[key])
            return float(np.mean(losses))

        chosen[arm], scores = interior_best(loss)
        blocks = "per seed" if arm == "random_k" else "-".join(map(str, grid.arm_layers(arm, L, deviation)))
        print(f"{arm:<12} {blocks:<10} " + "  ".join(f"{lr:g}: {m:.4f}{'*' if lr == chosen[arm] else ''}"
                                                   for lr, m in sorted(scores.items())), flush=True)
    return chosen


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tier", nargs="?", default="tiny", choices=sorted(grid.FREEZE_MODELS))
    parser.add_argument("--threads", type=int, default=ZOO_THREADS, help="torch threads for fine-tuning")
    args = parser.parse_args(argv)
    fingerprint = session_numerics()  # the bench session's kernels and threads: its zoo and its numbers
    print(f"numerics {fingerprint} ({ZOO_THREADS} threads), fine-tuning on {args.threads} threads")
    torch.set_num_threads(args.threads)
    rates = {model: choose(args.tier, model) for model in grid.FREEZE_MODELS[args.tier]}
    print("\nFREEZE_LR entries for bench/grid.py:")
    for model, arms in rates.items():
        print(f"    {model!r}: {{" + ", ".join(f"{a!r}: {lr:g}" for a, lr in arms.items()) + "},")


if __name__ == "__main__":
    main()
