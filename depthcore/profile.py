"""Depth profiles: run models over the probe set with hooks on the block stack.

docs/design.md "Definitions". The layer output h_l is the output of block l taken by a forward
hook (not `hidden_states[l]`, which in GPT-2-style models has the final norm folded into
its last entry); h_0 is the input of block 1. One capture pass per model state, with all
metrics computed batch by batch so no activations outlive their batch:

- pretrained model: h_0..h_L and each block's input (for the local change) -> semantic
  deviation d_l (paper C) and the reference for every comparison;
- fine-tuned model: h_l -> cosine change per sequence (Δ_l) and minibatch CKA distance;
- fine-tuned model again, each block fed the *pretrained* model's input h_{l-1}^pre
  (a pre-hook substitutes it) -> local change Δ_l^local, all layers in one pass;
- null model (pretrained + matched random directions) -> null Δ_l.

Each pass stops right after block L (`_StopAfterLastBlock`, raised by the last block's
forward hook): nothing past the block stack (final norm, pooler, LM or classification
head) feeds a profile, and a vocabulary-sized head is a third to a half of a small model's
forward (tiny-gpt2-64, MiniLM). The blocks compute exactly what they compute in a full
forward, so the profile is unchanged bit for bit.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from depthcore import metrics
from depthcore.layers import find_layers


def _hidden_of(args, kwargs) -> torch.Tensor:
    return args[0] if args else kwargs["hidden_states"]


def _output_of(out) -> torch.Tensor:
    return out[0] if isinstance(out, (tuple, list)) else out


class _StopAfterLastBlock(Exception):
    """Raised by the last block's forward hook under `hooks(..., stop=True)`; `run_blocks` catches it."""


@contextlib.contextmanager
def hooks(layers: list[nn.Module], outputs: list | None = None, inputs: list | None = None,
          substitute: list[torch.Tensor] | None = None, stop: bool = False):
    """Record block outputs (and inputs) into the given lists; optionally replace block inputs.

    With `stop=True` the last block's hook raises `_StopAfterLastBlock` once its output is
    recorded, so the forward skips everything after the block stack; call the model through
    `run_blocks`, which catches it.
    """
    handles = []
    last = len(layers) - 1
    for i, layer in enumerate(layers):
        def pre(module, args, kwargs, i=i):
            if inputs is not None:
                inputs.append(_hidden_of(args, kwargs).detach())
            if substitute is not None:
                h = substitute[i]
                if args:
                    return (h, *args[1:]), kwargs
                return args, {**kwargs, "hidden_states": h}
            return None

        def post(module, args, kwargs, out, i=i):
            if outputs is not None:
                outputs.append(_output_of(out).detach())
            if stop and i == last:
                raise _StopAfterLastBlock

        handles.append(layer.register_forward_pre_hook(pre, with_kwargs=True))
        handles.append(layer.register_forward_hook(post, with_kwargs=True))
    try:
        yield
    finally:
        for h in handles:
            h.remove()


def run_blocks(model: nn.Module, batch: dict[str, torch.Tensor]) -> None:
    """Forward `batch` through `model` up to its last block (inside `hooks(..., stop=True)`)."""
    try:
        model(**batch)
    except _StopAfterLastBlock:
        pass


def model_inputs(batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: v for k, v in batch.items() if k in ("input_ids", "attention_mask", "token_type_ids")}


@dataclass
class Profile:
    cos_seq: np.ndarray  # [N, L] Δ_l per probe sequence
    cka: np.ndarray  # [L] 1 - CKA
    local_seq: np.ndarray  # [N, L]
    null_seq: np.ndarray | None  # [N, L]
    semantic_seq: np.ndarray  # [N, L] d_l per sequence (pretrained model)


@torch.no_grad()
def capture(pre: nn.Module, post: nn.Module, probe: dict[str, torch.Tensor], *, null: nn.Module | None = None,
            batch_size: int = 16, device: str = "cpu", progress: bool = False) -> Profile:
    """Profile `post` against `pre` (and `null` against `pre`) over the probe set
    (`progress`: a tqdm bar over probe batches)."""
    pre_layers, post_layers = find_layers(pre), find_layers(post)
    null_layers = find_layers(null) if null is not None else None
    L = len(pre_layers)
    cka = [metrics.MinibatchCKA() for _ in range(L)]
    cos, local, nul, sem = [], [], [], []
    n = probe["input_ids"].shape[0]
    starts = range(0, n, batch_size)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="profile", unit="batch", leave=False)
    for start in starts:
        batch = {k: v[start:start + batch_size].to(device) for k, v in model_inputs(probe).items()}
        mask = batch["attention_mask"]
        h_pre, x_pre = [], []
        with hooks(pre_layers, outputs=h_pre, inputs=x_pre, stop=True):
            run_blocks(pre, batch)
        h_post = []
        with hooks(post_layers, outputs=h_post, stop=True):
            run_blocks(post, batch)
        h_loc = []
        with hooks(post_layers, outputs=h_loc, substitute=x_pre, stop=True):
            run_blocks(post, batch)
        cos.append(torch.stack([metrics.cosine_change(h_pre[l], h_post[l], mask) for l in range(L)], 1))
        local.append(torch.stack([metrics.cosine_change(h_pre[l], h_loc[l], mask) for l in range(L)], 1))
        prev = [x_pre[0]] + h_pre[:-1]
        sem.append(torch.stack([metrics.semantic_deviation(prev[l], h_pre[l], mask) for l in range(L)], 1))
        real = mask.bool()
        for l in range(L):
            cka[l].update(h_pre[l][real], h_post[l][real])
        if null is not None:
            h_null = []
            with hooks(null_layers, outputs=h_null, stop=True):
                run_blocks(null, batch)
            nul.append(torch.stack([metrics.cosine_change(h_pre[l], h_null[l], mask) for l in range(L)], 1))

    def cat(xs):
        return torch.cat(xs).double().cpu().numpy()

    return Profile(cos_seq=cat(cos), cka=1.0 - np.array([c.value() for c in cka]), local_seq=cat(local),
                   null_seq=cat(nul) if nul else None, semantic_seq=cat(sem))


def _masked_lm_parts(model: nn.Module) -> tuple[nn.Module, nn.Module] | None:
    """(encoder, head) of a BERT-style masked LM, wrapped by peft or not; None for anything else."""
    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    if not type(inner).__name__.endswith("ForMaskedLM"):
        return None
    encoder = getattr(inner, inner.base_model_prefix, None)
    head = next((getattr(inner, n) for n in ("cls", "lm_head") if hasattr(inner, n)), None)
    return None if encoder is None or head is None else (encoder, head)


def objective_loss(model: nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """The model's own loss on `batch` (its objective head; `labels` in the batch).

    A masked LM's head runs at the masked positions only: the same mean cross-entropy as the
    model's `.loss`, without the logits of the unmasked ~85% (MiniLM's 30,522-token head costs
    as much as its six blocks when it runs at every position).
    """
    parts = _masked_lm_parts(model) if "labels" in batch else None
    if parts is None:
        return model(**batch).loss
    encoder, head = parts
    labels = batch["labels"]
    hidden = encoder(**{k: v for k, v in batch.items() if k != "labels"})[0]
    masked = labels != -100
    return nn.functional.cross_entropy(head(hidden[masked]), labels[masked])


@torch.no_grad()
def mean_loss(model: nn.Module, data: dict[str, torch.Tensor], batch_size: int = 16, device: str = "cpu") -> float:
    """Example-weighted mean of the model's own loss (its objective head) over `data`.

    At initialisation this is the objective distance of docs/design.md: for one-hot targets
    KL(p_target || p_θ0) equals the cross-entropy, since the target's entropy is 0.
    """
    total, count = 0.0, 0
    n = data["input_ids"].shape[0]
    for start in range(0, n, batch_size):
        batch = {k: v[start:start + batch_size].to(device) for k, v in data.items()}
        b = batch["input_ids"].shape[0]
        total += float(objective_loss(model, batch)) * b
        count += b
    return total / count


@torch.no_grad()
def accuracy(model: nn.Module, data: dict[str, torch.Tensor], batch_size: int = 16, device: str = "cpu") -> float:
    """Classification accuracy (labels [N])."""
    correct, n = 0, data["input_ids"].shape[0]
    for start in range(0, n, batch_size):
        batch = {k: v[start:start + batch_size].to(device) for k, v in data.items()}
        logits = model(**model_inputs(batch)).logits
        correct += int((logits.argmax(-1) == batch["labels"]).sum())
    return correct / n
