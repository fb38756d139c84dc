"""Fine-tuning throughput of depthcore's loop (train.finetune) against Hugging Face's Trainer.

Same model (tiny-gpt2-64 from the tiny zoo, two copies of the same weights), same
pre-tokenized causal-LM train split (batch 8 x 64 tokens), same number of steps, same recipe:
AdamW at the registry's learning rate, linear warmup over 10% of the steps then linear decay,
global grad-norm clipping at 1.0, no weight decay, fp32 on CPU. Trainer runs as shipped
(``optim="adamw_torch_fused"``, its default), with logging, saving, evaluation and tqdm off so
only its training loop is timed; ``trainer.train()`` is timed, depthcore's ``finetune()`` call
likewise (both include building their optimizer and schedule). The two alternate round by
round (pytest-benchmark's ``setup`` runs Trainer right before each timed depthcore run), and
the reported ratio is the median over rounds of the paired tokens/s ratio depthcore/Trainer:
on a shared CPU neighbouring runs share the machine's load. depthcore's run still does its
own extra work: the equal-step bookkeeping and the per-layer logs every 5 steps.

One thread, as in test_perf_control.py: with few shared cores, OpenMP barriers stall
whenever another process holds a core.
"""

from __future__ import annotations

import copy
import statistics
import time

import pytest
import torch

from depthcore import data, zoo
from depthcore.config import RunSpec
from depthcore.layers import find_layers
from depthcore.train import finetune

pytestmark = [pytest.mark.perf]

MIN_RATIO = 1.0  # depthcore's loop must be at least as fast as Trainer (tokens/s)
MODEL, STEPS, BATCH, SEQ = "tiny-gpt2-64", 30, 8, 64
ROUNDS, WARMUP = 5, 1


class _Rows(torch.utils.data.Dataset):
    """The pre-tokenized split as Trainer wants it: one dict of tensors per example."""

    def __init__(self, tensors: dict[str, torch.Tensor]):
        self.tensors = tensors

    def __len__(self) -> int:
        return next(iter(self.tensors.values())).shape[0]

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {k: v[i] for k, v in self.tensors.items()}


def test_finetune_throughput_at_least_trainers(benchmark, one_thread, tmp_path):
    if benchmark.disabled:
        pytest.skip("timings are off (--benchmark-disable); this test only measures")
    from transformers import PrinterCallback, Trainer, TrainingArguments
    from transformers.utils import logging as hf_logging

    base, tok, info = zoo.load(MODEL, "clm", seed=0)
    train = data.make_split("clm", tok, "train", seq_len=SEQ)
    spec = RunSpec(model=MODEL, steps=STEPS, batch_size=BATCH, seq_len=SEQ)
    lr = info.lr_for(spec.optimizer, spec.objective)
    args = TrainingArguments(
        output_dir=str(tmp_path), per_device_train_batch_size=BATCH, max_steps=STEPS, learning_rate=lr,
        warmup_steps=max(1, int(spec.warmup_frac * STEPS)), lr_scheduler_type="linear", weight_decay=0.0,
        max_grad_norm=spec.grad_clip, logging_strategy="no", save_strategy="no", eval_strategy="no",
        report_to="none", disable_tqdm=True, use_cpu=True, dataloader_num_workers=0, seed=spec.seed)
    rows = _Rows(train)
    tokens = STEPS * BATCH * SEQ
    times: dict[str, list[float]] = {"depthcore": [], "trainer": []}

    def run_trainer():
        model = copy.deepcopy(base)
        verbosity = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()  # its per-run notices, not what is measured
        try:
            trainer = Trainer(model=model, args=args, train_dataset=rows)
            trainer.remove_callback(PrinterCallback)  # it prints the end-of-training metrics
            t0 = time.perf_counter()
            trainer.train()
            times["trainer"].append(time.perf_counter() - t0)
        finally:
            hf_logging.set_verbosity(verbosity)

    def run_depthcore():
        model = copy.deepcopy(base)
        t0 = time.perf_counter()
        finetune(model, find_layers(model), train, spec, lr)
        times["depthcore"].append(time.perf_counter() - t0)

    benchmark.pedantic(run_depthcore, setup=run_trainer, rounds=ROUNDS, warmup_rounds=WARMUP, iterations=1)
    times = {k: v[WARMUP:] for k, v in times.items()}
    ratio = statistics.median(t / d for d, t in zip(times["depthcore"], times["trainer"]))
    tps = {k: tokens / statistics.median(v) for k, v in times.items()}
    benchmark.extra_info.update({"ratio": ratio, "rounds": ROUNDS, "steps": STEPS, "threads": 1,
                                 **{f"{k}_tokens_per_s": v for k, v in tps.items()}})
    print(f"\nthroughput depthcore/Trainer {ratio:.3f} ({tps['depthcore']:.0f} / {tps['trainer']:.0f} tokens/s, "
          f"{MODEL}, {STEPS} steps of {BATCH}x{SEQ})")
    assert ratio >= MIN_RATIO, (f"depthcore's loop runs at {ratio:.3f}x Trainer's tokens/s on {MODEL}; "
                                f"the budget is >= {MIN_RATIO}x")
