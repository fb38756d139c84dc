"""Paper B's two per-layer probes of a pretrained model: layer sensitivity and task position.

Paper B ("Freeze Deep, Train Shallow", LayerTracer) diagnoses the pretrained model with two
per-layer probes. Unlike `depthcore.metrics` (pure functions of tensors) they run the model
forwards: each takes the model, its block stack (`depthcore.layers.find_layers`) and a probe
batch dict (docs/design.md "Layer sensitivity LS", "Task position").

- `layer_sensitivity`  LS_l, output KL under per-layer weight noise
- `task_position`      TP_l, logit-lens accuracy per layer
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch

from depthcore.metrics import kl_divergence

LS_EPS = 0.05  # relative noise norm ||N_t||/||W_t|| per parameter tensor (paper B perturbs weights; the size is ours)


def _forward_inputs(batch: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: v for k, v in batch.items() if k in ("input_ids", "attention_mask", "token_type_ids")}


def _batches(probe: Mapping[str, torch.Tensor], batch_size: int, device) -> list[dict[str, torch.Tensor]]:
    n = probe["input_ids"].shape[0]
    return [{k: v[s:s + batch_size].to(device) for k, v in probe.items()} for s in range(0, n, batch_size)]


def _output_kl(clean: torch.Tensor, noisy: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if clean.dim() == 2:  # one distribution per sequence (classification head)
        return kl_divergence(clean, noisy)
    return kl_divergence(clean, noisy, mask)


@torch.no_grad()
def layer_sensitivity(model: torch.nn.Module, layers: Sequence[torch.nn.Module], probe: Mapping[str, torch.Tensor],
                      eps: float = LS_EPS, seed: int = 0, batch_size: int = 16, device: str | torch.device = "cpu",
                      ) -> np.ndarray:
    """Layer sensitivity LS_l: output KL when one layer's weights get Gaussian noise of relative norm eps.

    Paper B ("Freeze Deep, Train Shallow": LayerTracer's Layer-wise Sensitivity), docs/design.md
    "Layer sensitivity LS": add Gaussian noise of relative norm eps to one layer's weights
    at a time and record the change of the model's output distribution on the probe set.
    Here, for layer l: every parameter tensor W_t of block l gets N_t = eps ||W_t||_F z/||z||_F,
    z ~ N(0, I) drawn from a generator seeded by (seed, l) (per tensor, so LayerNorm gains
    and biases are perturbed in proportion to their own size, not swamped by the matrices;
    an all-zero tensor gets none); the rest of the model is untouched. The change is
    KL(p_clean || p_noisy) of the model's own output head (`kl_divergence`): per real token
    for LM heads ("clm", "mlm": every real position's next-token / token distribution), per
    sequence for a classification head. Afterwards the layer's weights are restored
    bit-exactly (copied back from a saved clone), so the model is left as it was.

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
    clean = [model(**_forward_inputs(b)).logits.detach() for b in batches]
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
            for b, c in zip(batches, clean):
                noisy = model(**_forward_inputs(b)).logits
                rows.append(_output_kl(c, noisy, b["attention_mask"]).double().cpu())
            out[:, l] = torch.cat(rows).numpy()
        finally:
            for p, s in zip(params, saved):
                p.copy_(s)
    return out


def _skip_blocks_after(layers: Sequence[torch.nn.Module], l: int):
    """Forward hooks making blocks l+1..L (0-based: index >= l) pass their input through unchanged."""
    handles = []

    def pre(module, args, kwargs):
        module._depthcore_in = args[0] if args else kwargs["hidden_states"]

    def post(module, args, kwargs, out):
        h = module.__dict__.pop("_depthcore_in")
        if isinstance(out, tuple):
            return (h, *out[1:])
        if isinstance(out, list):
            return [h, *out[1:]]
        return h

    for layer in layers[l:]:
        handles.append(layer.register_forward_pre_hook(pre, with_kwargs=True))
        handles.append(layer.register_forward_hook(post, with_kwargs=True))
    return handles


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
    position TP": per layer, the accuracy on the target tokens/classes of the final norm +
    output head applied to h_l (the logit lens) — the depth at which task evidence appears.

    How: for layer l, blocks l+1..L are made identities by forward hooks (each returns its
    input h_{l'-1} in place of its output), so h_l flows straight into whatever the model
    puts after its block stack: final norm + LM head for "clm"/"mlm" (BERT has no final
    norm; its MLM head's own transform + decoder is used), and for "cls" the model's
    pooling (last real token for decoders, BERT's [CLS] pooler) + classification head — so
    for "cls" TP is the accuracy of the classification head on the pooled h_l. The blocks
    still compute (their outputs are discarded), so TP costs L forward passes.
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
    out = np.zeros(len(layers))
    for l in range(1, len(layers) + 1):
        handles = _skip_blocks_after(layers, l)
        try:
            hits = total = 0
            for b in batches:
                c, n = _correct(model(**_forward_inputs(b)).logits, b, objective)
                hits, total = hits + c, total + n
        finally:
            for h in handles:
                h.remove()
        if total == 0:
            raise ValueError("task_position: the probe set has no target (every label is -100); "
                             "pass a split made by data.make_split, whose labels mark the targets")
        out[l - 1] = hits / total
    return out
