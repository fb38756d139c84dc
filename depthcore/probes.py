"""Paper B's two per-layer probes of a pretrained model: layer sensitivity and task position.

Paper B ("Freeze Deep, Train Shallow", LayerTracer) diagnoses the pretrained model with two
per-layer probes. Unlike `depthcore.metrics` (pure functions of tensors) they run the model
forwards: each takes the model, its block stack (`depthcore.layers.find_layers`) and a probe
batch dict (docs/design.md "Layer sensitivity", "Task position").

- `layer_sensitivity`  LS_l, output KL under per-layer weight noise
- `task_position`      TP_l, logit-lens accuracy per layer
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence

import numpy as np
import torch

from depthcore.metrics import Reference, kl_from_reference

LS_EPS = 0.05  # relative noise norm ||N_t||/||W_t|| per parameter tensor (paper B perturbs weights; the size is ours)


def _forward_inputs(batch: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: v for k, v in batch.items() if k in ("input_ids", "attention_mask", "token_type_ids")}


def _batches(probe: Mapping[str, torch.Tensor], batch_size: int, device) -> list[dict[str, torch.Tensor]]:
    n = probe["input_ids"].shape[0]
    return [{k: v[s:s + batch_size].to(device) for k, v in probe.items()} for s in range(0, n, batch_size)]


def _output_kl(clean: Reference, noisy: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if clean.logp.dim() == 2:  # one distribution per sequence (classification head)
        return kl_from_reference(clean, noisy)
    return kl_from_reference(clean, noisy, mask)


@torch.no_grad()
def layer_sensitivity(model: torch.nn.Module, layers: Sequence[torch.nn.Module], probe: Mapping[str, torch.Tensor],
                      eps: float = LS_EPS, seed: int = 0, batch_size: int = 16, device: str | torch.device = "cpu",
                      ) -> np.ndarray:
    """Layer sensitivity LS_l: output KL when one layer's weights get Gaussian noise of relative norm eps.

    Paper B ("Freeze Deep, Train Shallow": LayerTracer's Layer-wise Sensitivity), docs/design.md
    "Layer sensitivity": add Gaussian noise of relative norm eps to one layer's weights
    at a time and record the change of the model's output distribution on the probe set.
    Here, for layer l: every parameter tensor W_t of block l gets N_t = eps ||W_t||_F z/||z||_F,
    z ~ N(0, I) drawn from a generator seeded by (seed, l) (per tensor, so LayerNorm gains
    and biases are perturbed in proportion to their own size, not swamped by the matrices;
    an all-zero tensor gets none); the rest of the model is untouched. The change is
    KL(p_clean || p_noisy) of the model's own output head (`metrics.kl_divergence`): per real token
    for LM heads ("clm", "mlm": every real position's next-token / token distribution), per
    sequence for a classification head. Afterwards the layer's weights are restored
    bit-exactly (copied back from a saved clone), so the model is left as it was.

    Cost: one clean pass records every block's output; the noisy pass of layer l replays the
    recorded outputs of blocks 1..l-1 (their input is unchanged, so their output is too) and
    computes blocks l..L and the head, which gives the same numbers as L full passes (on
    SmolLM2, whose 49,152-token head runs in every pass, at about three quarters of their cost).

    Args:
        model: the model with its objective head, in eval mode (no dropout).
        layers: its block stack, l = 1..L (`find_layers(model)`).
        probe: {"input_ids", "attention_mask", ...} [N, T] tensors.
        eps: relative noise norm per tensor; 0 gives LS = 0 exactly.
        seed: seeds the noise; each layer's draw depends on (seed, l) only.
        batch_size: probe sequences per forward pass.
        device: where the probe batches go (the model's device).

    Returns:
        float64 array [N, L]: per probe sequence, mean over its real tokens of the KL
        (>= 0, nats). The per-layer LS is its mean over sequences.
    """
    if not eps >= 0:
        raise ValueError(f"layer_sensitivity: eps={eps!r} must be >= 0 (a relative noise norm, e.g. {LS_EPS})")
    batches = _batches(probe, batch_size, device)
    recorded = [(Reference.of(logits), outs) for logits, outs in (_record_blocks(model, layers, b) for b in batches)]
    out = np.zeros((probe["input_ids"].shape[0], len(layers)))
    for l, layer in enumerate(layers):
        params = [p for p in layer.parameters()]
        saved = [p.detach().clone() for p in params]
        gen = torch.Generator().manual_seed(int(seed) * 100_003 + l)
        try:
            for p in params:
                z = torch.randn(p.shape, generator=gen, dtype=torch.float64)
                zn, wn = float(torch.linalg.vector_norm(z)), float(torch.linalg.vector_norm(p.detach().double()))
                if zn > 0 and wn > 0:
                    p.add_((z * (eps * wn / zn)).to(p.device, p.dtype))
            rows = []
            for b, (clean, outs) in zip(batches, recorded):
                with _replaced(layers, {j: _replay(outs[j], fresh=j == l - 1) for j in range(l)}):
                    noisy = model(**_forward_inputs(b)).logits
                rows.append(_output_kl(clean, noisy, b["attention_mask"]).double().cpu())
            out[:, l] = torch.cat(rows).numpy()
        finally:
            for p, s in zip(params, saved):
                p.copy_(s)
    return out


def _record_blocks(model, layers, batch) -> tuple[torch.Tensor, list]:
    """(logits, [what block l returned, l = 1..L]) of one clean forward pass."""
    outs: list = [None] * len(layers)

    def keep(i):
        def hook(module, args, out):
            outs[i] = _snapshot(out)  # later blocks may update a carried state in place (RWKV)
        return hook

    handles = [layer.register_forward_hook(keep(i)) for i, layer in enumerate(layers)]
    try:
        logits = model(**_forward_inputs(batch)).logits.detach()
    finally:
        for h in handles:
            h.remove()
    return logits, outs


def _snapshot(out):
    """A copy of a block's output: tensors cloned, tuples, lists and dicts rebuilt."""
    if torch.is_tensor(out):
        return out.clone()
    if isinstance(out, (tuple, list)):
        return type(out)(_snapshot(o) for o in out)
    if isinstance(out, dict):
        return {k: _snapshot(v) for k, v in out.items()}
    return out


def _replay(out, fresh: bool = False):
    """A block forward that returns `out`, a recorded output, without computing.

    fresh: return a copy each time, for the block whose output the next computing block
    reads (it may update a carried state in place).
    """
    return lambda *args, **kwargs: _snapshot(out) if fresh else out


def _pass_through(out):
    """A block forward that returns its input h in place of its output (structure taken from `out`)."""
    def forward(*args, **kwargs):
        h = args[0] if args else kwargs["hidden_states"]
        if isinstance(out, tuple):
            return (h, *out[1:])
        if isinstance(out, list):
            return [h, *out[1:]]
        return h
    return forward


@contextlib.contextmanager
def _replaced(layers: Sequence[torch.nn.Module], forwards: dict):
    """Blocks (0-based index -> forward function) run the given function in place of their own forward."""
    saved = {i: layers[i].__dict__.get("forward") for i in forwards}
    try:
        for i, f in forwards.items():
            layers[i].forward = f
        yield
    finally:
        for i, f in saved.items():
            if f is None:
                del layers[i].forward
            else:
                layers[i].forward = f


def _correct(logits: torch.Tensor, batch: Mapping[str, torch.Tensor], objective: str) -> tuple[int, int]:
    labels = batch["labels"]
    if objective == "cls":
        return int((logits.argmax(-1) == labels).sum()), int(labels.numel())
    if objective == "clm":  # position t predicts token t+1 (the models' own label shift)
        pred, target = logits[:, :-1].argmax(-1), labels[:, 1:]
    else:  # "mlm": the masked positions (labels != -100) predict the original token
        pred, target = logits.argmax(-1), labels
    keep = target != -100
    return int(((pred == target) & keep).sum()), int(keep.sum())


@torch.no_grad()
def task_position(model: torch.nn.Module, layers: Sequence[torch.nn.Module], probe: Mapping[str, torch.Tensor],
                  objective: str, batch_size: int = 16, device: str | torch.device = "cpu") -> np.ndarray:
    """Task position TP_l: logit-lens accuracy of the model's own head applied to h_l.

    Paper B ("Freeze Deep, Train Shallow": LayerTracer's TaskParticle), docs/design.md "Task
    position": per layer, the accuracy on the target tokens/classes of the final norm +
    output head applied to h_l (the logit lens) — the depth at which task evidence appears.

    How: one clean pass records every block's output h_l. For layer l, blocks 1..l replay
    their recorded outputs and blocks l+1..L pass their input through unchanged, so h_l
    flows straight into whatever the model puts after its block stack: final norm + LM head
    for "clm"/"mlm" (BERT has no final norm; its MLM head's own transform + decoder is
    used), and for "cls" the model's pooling (last real token for decoders, BERT's [CLS]
    pooler) + classification head, so for "cls" TP is the accuracy of the classification
    head on the pooled h_l. No block computes after the first pass: TP costs one forward
    pass plus L applications of the embeddings, final norm and head.
    Targets: "clm" the next token at every position whose label is not -100 (padding never
    counts); "mlm" the masked positions (labels != -100); "cls" the class label. TP_L is the
    model's own accuracy, because no block is skipped.

    Args:
        model: the model with its objective head, eval mode.
        layers: its block stack (`find_layers(model)`).
        probe: {"input_ids", "attention_mask", "labels"}; labels [N, T] with -100 where no
            target ("clm", "mlm") or [N] class indices ("cls").
        objective: "clm", "mlm" or "cls".
        batch_size: probe sequences per forward pass.
        device: where the probe batches go.

    Returns:
        float64 array [L]: accuracy in [0, 1], pooled over all target tokens (or sequences).

    Raises:
        ValueError: unknown objective, or no target token in the probe set.
    """
    if objective not in ("clm", "mlm", "cls"):
        raise ValueError(f"task_position: objective {objective!r} is not known; use 'clm', 'mlm' or 'cls'")
    batches = _batches(probe, batch_size, device)
    recorded = [_record_blocks(model, layers, b)[1] for b in batches]
    out = np.zeros(len(layers))
    L = len(layers)
    for l in range(1, L + 1):
        hits = total = 0
        for b, outs in zip(batches, recorded):
            forwards = {j: _replay(outs[j], fresh=j == l - 1) if j < l else _pass_through(outs[j]) for j in range(L)}
            with _replaced(layers, forwards):
                c, n = _correct(model(**_forward_inputs(b)).logits, b, objective)
            hits, total = hits + c, total + n
        if total == 0:
            raise ValueError("task_position: the probe set has no target (every label is -100); "
                             "pass a split made by data.make_split, whose labels mark the targets")
        out[l - 1] = hits / total
    return out
