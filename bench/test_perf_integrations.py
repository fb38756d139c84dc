"""What `DepthProfileCallback` at its defaults adds to a `transformers.Trainer` training.

Random-init models with the tiny zoo's tokenizer train `STEPS` steps of 8x64 BBC tokens
(AdamW, the Trainer's defaults otherwise), twice side by side: a plain Trainer, and the same
Trainer with ``DepthProfileCallback()`` at its defaults (the BBC probe, up to 32 sequences of
up to 128 tokens, and the interval, both derived from the measured costs:
`integrations.default_probe_size`, `integrations.default_every`). The two trainings
alternate (pytest-benchmark's ``setup`` runs the plain one right before each timed one with
the callback), and the cost is the median over rounds of the paired ratio of their
``trainer.train()`` times, as in bench/test_perf_control.py. The claim: the callback adds at
most 10% (``integrations.MAX_OVERHEAD``) to the training time.

The ratio asserted is of the process's CPU time (``time.process_time``); the wall-time ratio
is reported beside it. On one thread the two are the same on an idle machine, but on a shared
one the process got 40% of a core in trials, varying from one training to the next, and the
wall-time ratio of the same pair of trainings moved by more than the 10% being measured.

Two shapes, so the interval is seen to follow the model's cost rather than a table: GPT-2
(6 blocks, width 64) and Llama (6 blocks, width 128). Reported beside the ratio: the interval
chosen, the number of profiles, one profile's cost, a training step's time and the callback's
own account of its share (``profile_seconds / train_seconds``). One thread, as the other
timings (bench/conftest.py ``one_thread``).
"""

from __future__ import annotations

import statistics
import tempfile
import time

import pytest
import torch

from depthcore import data
from depthcore.integrations import MAX_OVERHEAD, DepthProfileCallback

pytestmark = [pytest.mark.perf]

STEPS = 150
ROUNDS, WARMUP = 3, 1
SEQ_LEN, BATCH = 64, 8


def gpt2(tok):
    from transformers import GPT2Config, GPT2LMHeadModel

    return GPT2LMHeadModel(GPT2Config(n_layer=6, n_embd=64, n_head=4, vocab_size=len(tok), n_positions=128,
                                      pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                                      eos_token_id=tok.eos_token_id))


def llama(tok):
    from transformers import LlamaConfig, LlamaForCausalLM

    return LlamaForCausalLM(LlamaConfig(num_hidden_layers=6, hidden_size=128, intermediate_size=512,
                                        num_attention_heads=4, num_key_value_heads=4, vocab_size=len(tok),
                                        max_position_embeddings=128, pad_token_id=tok.pad_token_id,
                                        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id))


MODELS = {"gpt2-6x64": gpt2, "llama-6x128": llama}


@pytest.mark.parametrize("name", MODELS)
def test_depth_profile_callback_adds_at_most_10_percent_to_a_training(benchmark, name, one_thread):
    if benchmark.disabled:
        pytest.skip("timings are off (--benchmark-disable); this test only measures")
    from transformers import Trainer, TrainingArguments

    tok = data.tiny_tokenizer()
    split = data.make_split("clm", tok, "train", seq_len=SEQ_LEN, n=STEPS * BATCH)
    dataset = [dict(zip(split, row)) for row in zip(*split.values())]
    times: dict[str, list[float]] = {"plain": [], "profiled": [], "plain_wall": [], "profiled_wall": []}
    callbacks: list[DepthProfileCallback] = []

    def training(profiled: bool):
        torch.manual_seed(0)
        model = MODELS[name](tok)
        callback = DepthProfileCallback() if profiled else None
        with tempfile.TemporaryDirectory() as out:
            args = TrainingArguments(output_dir=out, max_steps=STEPS, per_device_train_batch_size=BATCH,
                                     report_to=[], use_cpu=True, disable_tqdm=True, logging_strategy="no",
                                     save_strategy="no")
            trainer = Trainer(model=model, args=args, train_dataset=dataset, processing_class=tok,
                              callbacks=[callback] if callback else [])
            arm = "profiled" if profiled else "plain"
            wall, cpu = time.perf_counter(), time.process_time()
            trainer.train()
            times[arm].append(time.process_time() - cpu)
            times[arm + "_wall"].append(time.perf_counter() - wall)
        if callback:
            callbacks.append(callback)

    benchmark.pedantic(training, args=(True,), setup=lambda: training(False), rounds=ROUNDS,
                       warmup_rounds=WARMUP, iterations=1)
    times = {k: v[WARMUP:] for k, v in times.items()}
    ratio = statistics.median(p / q for p, q in zip(times["profiled"], times["plain"]))
    wall_ratio = statistics.median(p / q for p, q in zip(times["profiled_wall"], times["plain_wall"]))
    last = callbacks[-1]
    profile_cost = statistics.fmean(last._record_seconds)
    step = statistics.median(last._step_seconds[1:])
    probe = last._run_probe["input_ids"].shape
    info = {"ratio": ratio, "wall_ratio": wall_ratio, "every": last.every, "profiles": len(last._records),
            "probe_size": probe[0], "probe_tokens": probe[1], "profile_s": profile_cost, "step_s": step,
            "own_share": last.profile_seconds / last.train_seconds,
            "plain_cpu_s": statistics.median(times["plain"]), "profiled_cpu_s": statistics.median(times["profiled"]),
            "steps": STEPS, "rounds": ROUNDS, "threads": 1}
    benchmark.extra_info.update(info)
    print(f"\n{name}: Trainer with DepthProfileCallback() / plain, CPU time {ratio:.3f} "
          f"({info['profiled_cpu_s']:.2f} / {info['plain_cpu_s']:.2f} s), wall time {wall_ratio:.3f}; "
          f"probe {probe[0]}x{probe[1]}, every {last.every} steps, {len(last._records)} profiles of "
          f"{profile_cost:.3f} s, step {step * 1e3:.1f} ms (wall); the callback's own account {info['own_share']:.3f}")
    assert ratio <= 1 + MAX_OVERHEAD, (
        f"DepthProfileCallback at its defaults makes a {STEPS}-step training take {ratio:.3f}x the CPU time "
        f"(every {last.every}, {len(last._records)} profiles of {profile_cost:.3f} s, step {step:.4f} s); "
        f"the budget is {1 + MAX_OVERHEAD}x")
