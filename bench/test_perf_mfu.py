"""Model FLOPs utilisation of depthcore's training loop on a 125M decoder (GPU only).

GPT-2 small's shape (12 layers, d_model 768, 12 heads, vocabulary 50257, 1024 positions),
built from its config with random weights, so nothing is downloaded; the cost of a step does
not depend on the weights. `train.finetune` runs it as the small tier does: bf16 autocast,
fused AdamW, the equal-step bookkeeping and per-layer logs every 5 steps, on random tokens
(batch 8 x 1024). Each round is one `finetune` call of STEPS steps after a warm-up call;
the step time is its wall time / STEPS, and the MFU per step is

    (6N + 12·L·H·Q·T) · tokens per step / step time / 989 TFLOP/s

(depthcore.perf: PaLM's estimate, H100 dense bf16 peak). N counts every parameter but the
position embeddings (nanoGPT's convention; the tied token embedding is the LM head's matmul).
Reported for eager and for `RunSpec(compile=True)` (torch.compile, inductor; the warm-up call
compiles), with a floor that only catches a broken GPU path (MIN_MFU); skips without CUDA.
"""

from __future__ import annotations

import statistics
import time

import pytest
import torch

from depthcore.config import RunSpec
from depthcore.layers import find_layers
from depthcore.perf import H100_BF16_PEAK, mfu
from depthcore.train import finetune

pytestmark = [pytest.mark.perf, pytest.mark.gpu]

MIN_MFU = 0.05  # a floor against a broken path (fp32, host syncs), not a target
STEPS, BATCH, SEQ = 20, 8, 1024
ROUNDS = 3


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
def test_mfu_of_a_125m_decoder(benchmark, compiled):
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA (pytest bench -m perf --gpu --benchmark-only)")
    if benchmark.disabled:
        pytest.skip("timings are off (--benchmark-disable); this test only measures")
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    cfg = GPT2Config(n_layer=12, n_embd=768, n_head=12, vocab_size=50257, n_positions=SEQ)
    model = GPT2LMHeadModel(cfg).cuda()
    n_params = sum(p.numel() for p in model.parameters()) - model.transformer.wpe.weight.numel()
    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(0, cfg.vocab_size, (STEPS * BATCH, SEQ), generator=gen)
    train = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids}
    spec = RunSpec(model="gpt2", steps=STEPS, batch_size=BATCH, seq_len=SEQ, device="cuda", dtype="bfloat16",
                   compile=compiled)
    layers = find_layers(model)
    finetune(model, layers, train, spec, lr=1e-5)  # warm-up: kernels, allocator, fused AdamW state
    step_s: list[float] = []

    def run():
        t0 = time.perf_counter()
        finetune(model, layers, train, spec, lr=1e-5)  # ends with a device sync
        step_s.append((time.perf_counter() - t0) / STEPS)

    benchmark.pedantic(run, rounds=ROUNDS, iterations=1)
    per_step = [mfu(BATCH * SEQ / s, n_params, cfg.n_layer, cfg.n_head, cfg.n_embd // cfg.n_head, SEQ)
                for s in step_s]
    value = statistics.median(per_step)
    benchmark.extra_info.update({"mfu": value, "mfu_per_round": per_step, "step_ms": [s * 1e3 for s in step_s],
                                 "n_params": n_params, "peak_flops": H100_BF16_PEAK,
                                 "device": torch.cuda.get_device_name(), "compiled": compiled})
    print(f"\n125M decoder ({'compiled' if compiled else 'eager'}) on {torch.cuda.get_device_name()}: MFU {value:.1%} per step "
          f"({statistics.median(step_s) * 1e3:.1f} ms/step, {BATCH}x{SEQ} tokens, N={n_params / 1e6:.1f}M)")
    assert value >= MIN_MFU, f"MFU {value:.1%} is below the {MIN_MFU:.0%} floor: look for fp32 or host syncs"
