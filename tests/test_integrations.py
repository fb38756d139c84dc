"""Tests for depthcore.integrations: the depth profile and the equal-step control in a real
`transformers.Trainer`, on random-init tiny GPT-2s, in memory, on CPU.

The Trainer tests train a few steps for real (TrainingArguments with `use_cpu=True`,
`report_to=[]`, checkpoints only under tmp_path). What they measure is measured from the
weights around each optimizer step (a callback of the test's own), not read from EqualStep's
log. The callback's numerics are checked by result: a training with it gives the same weights,
bit for bit, as one without it, with dropout on (a profile drawing from the global generator
would change the masks).
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainerCallback, TrainerState, TrainingArguments

from depthcore import integrations, results
from depthcore.integrations import CALIBRATION_STEPS, DepthProfileCallback, EqualStep, default_every
from depthcore.layers import find_layers

ROOT = Path(__file__).resolve().parent.parent
STEPS = 6


def gpt2(tok, dropout: float = 0.0, seed: int = 0) -> GPT2LMHeadModel:
    torch.manual_seed(seed)
    cfg = GPT2Config(n_layer=4, n_embd=32, n_head=2, vocab_size=len(tok), n_positions=64,
                     pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                     resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout)
    return GPT2LMHeadModel(cfg)


@pytest.fixture(scope="module")
def dataset(tok):
    ids = torch.randint(3, len(tok), (24, 32), generator=torch.Generator().manual_seed(0))
    return [{"input_ids": x, "attention_mask": torch.ones_like(x), "labels": x} for x in ids]


def train(model, dataset, out: Path, steps: int = STEPS, optimizers=(None, None), callbacks=(), resume=None,
          save_steps: int | None = None, tok=None):
    args = TrainingArguments(output_dir=str(out), max_steps=steps, per_device_train_batch_size=4, learning_rate=1e-3,
                             report_to=[], use_cpu=True, disable_tqdm=True, logging_strategy="no",
                             save_strategy="steps" if save_steps else "no", save_steps=save_steps or 500)
    trainer = Trainer(model=model, args=args, train_dataset=dataset, processing_class=tok, optimizers=optimizers,
                      callbacks=list(callbacks))
    trainer.train(resume_from_checkpoint=resume)
    return trainer


class MeasureR(TrainerCallback):
    """r_l = ||W_l after - W_l before|| / ||W_l before|| of every optimizer step, from the weights."""

    def __init__(self):
        self.r: list[list[float]] = []

    def on_pre_optimizer_step(self, args, state, control, model=None, **kwargs):
        self.before = [torch.cat([p.detach().flatten().double() for p in layer.parameters()])
                       for layer in find_layers(model)]

    def on_optimizer_step(self, args, state, control, model=None, **kwargs):
        after = [torch.cat([p.detach().flatten().double() for p in layer.parameters()]) for layer in find_layers(model)]
        self.r.append([float((a - b).norm() / b.norm()) for a, b in zip(after, self.before)])


# -- EqualStep as the Trainer's optimizer --------------------------------------------------------

def uneven(tok) -> GPT2LMHeadModel:
    """`gpt2` with the first block's weights 3x larger: AdamW's step, about the same size in every
    block, is then a 3x smaller relative update r there unless the control equalises it."""
    model = gpt2(tok)
    with torch.no_grad():
        for p in find_layers(model)[0].parameters():
            p.mul_(3.0)
    return model


def controlled(model):
    opt = EqualStep(torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01), model)
    return opt, torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1.0 - step / 8)


@pytest.mark.slow
def test_equal_step_in_a_trainer_equalises_every_layer_and_resumes_bit_identically(tok, dataset, tmp_path):
    model = uneven(tok)
    opt, scheduler = controlled(model)
    r = MeasureR()
    trainer = train(model, dataset, tmp_path / "a", optimizers=(opt, scheduler), callbacks=[r], save_steps=3)
    measured = np.array(r.r)
    assert measured.shape == (STEPS, 4) and (measured > 0).all()
    spread = (measured.max(1) - measured.min(1)) / measured.mean(1)
    assert spread.max() < 1e-4, f"measured r_l differ across layers by up to {spread.max():.2g}: {measured}"
    assert trainer.optimizer.optimizer is opt  # accelerate's wrapper around it, stepping it
    assert opt.param_groups[0]["lr"] == pytest.approx(1e-3 * (1 - STEPS / 8))  # the scheduler drove it
    assert opt.log["step"] == list(range(1, STEPS + 1))

    plain = MeasureR()  # the same training without the control: the layers' steps differ
    train(uneven(tok), dataset, tmp_path / "p", steps=2, callbacks=[plain])
    plain_spread = np.ptp(plain.r, axis=1) / np.mean(plain.r, axis=1)
    assert plain_spread.min() > 0.5, plain.r

    # the checkpoint of step 3 (optimizer.pt through accelerate, torch.load(weights_only=True) on
    # resume) restores the control's state: the resumed run ends on the same bits
    resumed = uneven(tok)
    ropt, rsched = controlled(resumed)
    train(resumed, dataset, tmp_path / "b", optimizers=(ropt, rsched), resume=str(tmp_path / "a" / "checkpoint-3"))
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), resumed.parameters()))
    assert ropt.log["step"] == opt.log["step"] and torch.equal(ropt.log["r_after"], opt.log["r_after"])


# -- the depth profile callback --------------------------------------------------------------------

@pytest.mark.slow
def test_callback_records_the_profile_along_step_and_leaves_training_alone(tok, dataset, tmp_path):
    threads = torch.get_num_threads()
    model = gpt2(tok, dropout=0.1)
    callback = DepthProfileCallback(every=2, output=tmp_path / "profile.nc", probe_size=8)
    train(model, dataset, tmp_path / "out", callbacks=[callback], tok=tok)
    assert torch.get_num_threads() == threads
    without = gpt2(tok, dropout=0.1)
    train(without, dataset, tmp_path / "out2", tok=tok)
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), without.parameters()))

    ds = results.read(tmp_path / "profile.nc")  # checksum verified, every variable has units
    assert ds["step"].values.tolist() == [0, 2, 4, 6]
    assert dict(ds.sizes) == {"step": 4, "seq": 8, "layer": 4}
    assert ds.attrs["probe"] == "bbc" and ds.attrs["seq_len"] == 64 and ds.attrs["every"] == 2
    for name in ("rep_change_cos", "rep_change_cka", "rep_change_local", "null_rep_change_cos", "rel_update"):
        assert ds[name].dims == ("step", "layer")
        values = ds[name].values
        assert np.abs(values[0]).max() < 1e-6, f"{name} at step 0 (the starting weights themselves): {values[0]}"
        assert (values[1:] > 0).all(), f"{name}: {values}"
    rel = ds["rel_update"].values
    assert (np.diff(rel, axis=0) > 0).all()  # AdamW keeps moving every layer away from the start
    cos = ds["rep_change_cos"].values.mean(1)
    assert (np.diff(cos) > 0).all(), cos
    assert (ds["slope_lo"] <= ds["slope"]).all() and (ds["slope"] <= ds["slope_hi"]).all()
    assert ds["slope"].values[0] == 0 and np.isnan(ds["rel_slope"].values[0])
    assert ds["semantic_deviation"].dims == ("layer",) and (ds["semantic_deviation"] > 0).all()
    assert ds.attrs["profile_seconds"] > 0 and ds.attrs["train_seconds"] > 0
    assert ds["rep_change_cos"].attrs["units"] == results.VARIABLES["rep_change_cos"][0]


class Clock:
    """A stand-in for the time module: the test says how long steps and profiles take."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        return self.now


def _events(callback, model, max_steps, clock, step_seconds, sequence_seconds, tok=None, later_steps=None):
    """Drive the callback's Trainer events by hand: `max_steps` steps of `step_seconds` each (after
    the calibration: `later_steps` if given), and profiles of `sequence_seconds` per probe sequence."""
    real_capture = integrations.capture

    def timed_capture(pre, post, probe, **kwargs):
        clock.now += sequence_seconds * probe["input_ids"].shape[0]
        return real_capture(pre, post, probe, **kwargs)

    state = TrainerState(max_steps=max_steps)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(integrations, "time", clock)
        mp.setattr(integrations, "capture", timed_capture)
        callback.on_train_begin(None, state, None, model=model, processing_class=tok)
        for step in range(1, max_steps + 1):
            clock.now += step_seconds if later_steps is None or step <= CALIBRATION_STEPS else later_steps
            state.global_step = step
            callback.on_step_end(None, state, None, model=model)
        callback.on_train_end(None, state, None, model=model)


def test_default_interval_is_derived_from_the_measured_costs(tok, caplog):
    probe = {"input_ids": torch.randint(3, len(tok), (4, 16), generator=torch.Generator().manual_seed(1))}
    model = gpt2(tok)
    callback = DepthProfileCallback(probe)
    _events(callback, model, 100, Clock(), step_seconds=0.5, sequence_seconds=0.19)
    # 100 steps of 0.5 s: 4 s of the 10% budget planned for (PLAN_SHARE); profiles of 0.76 s: step 0
    # (taken once the first steps are timed), every 25 steps, and the end
    assert callback.every == 25 and callback._attrs["probe"] == "tensors"
    assert [s for s, _, _ in callback._records] == [0, 25, 50, 75, 100]
    assert callback.profile_seconds <= 0.1 * 100 * 0.5

    # steps that turn faster after the calibration: the steps so far project 30.8 s of training,
    # whose planned budget (2.46 s) pays for three profiles of 0.76 s, so those at 50 and 75 are skipped
    faster = DepthProfileCallback(probe)
    _events(faster, model, 100, Clock(), step_seconds=0.5, sequence_seconds=0.19, later_steps=0.3)
    assert faster.every == 25 and [s for s, _, _ in faster._records] == [0, 25, 100]
    assert faster.profile_seconds <= 0.1 * (CALIBRATION_STEPS * 0.5 + (100 - CALIBRATION_STEPS) * 0.3)

    short = DepthProfileCallback(probe)
    with caplog.at_level(logging.WARNING, logger="depthcore.integrations"):
        _events(short, model, 10, Clock(), step_seconds=0.5, sequence_seconds=0.25)
    assert short.every == 10 and [s for s, _, _ in short._records] == [0, 10]
    assert "take 40% of the training, above max_overhead=0.1" in caplog.text


def test_default_probe_size_is_derived_from_the_measured_costs(tok):
    callback = DepthProfileCallback()
    _events(callback, gpt2(tok), 100, Clock(), step_seconds=0.5, sequence_seconds=0.08, tok=tok)
    # 4 s planned; measuring 4 sequences (0.32 s) leaves 3.68 s, which pays for 5 profiles of
    # 9 sequences (0.72 s each): every 25 steps, 3.92 s in all
    ds = callback.dataset()
    assert ds.attrs["probe"] == "bbc" and ds.attrs["probe_size"] == 9 and dict(ds.sizes)["seq"] == 9
    assert callback.every == 25 and ds["step"].values.tolist() == [0, 25, 50, 75, 100]
    assert callback.profile_seconds == pytest.approx(3.92)



@settings(max_examples=200, deadline=None)
@given(seconds=st.floats(1e-4, 10.0), budget=st.floats(-1.0, 1e3), largest=st.integers(1, 64))
def test_default_probe_size_fits_its_profiles_in_the_budget(seconds, budget, largest):
    n = integrations.default_probe_size(seconds, budget, largest)
    assert min(integrations.MIN_PROBE, largest) <= n <= largest
    if n > integrations.MIN_PROBE:  # above the floor, MIN_PROFILES profiles of n sequences fit
        assert integrations.MIN_PROFILES * n * seconds <= budget * (1 + 1e-9)
    if n < largest:  # and one sequence more would not
        assert integrations.MIN_PROFILES * (n + 1) * seconds > budget * (1 - 1e-9) or n == integrations.MIN_PROBE


@settings(max_examples=200, deadline=None)
@given(cost=st.floats(1e-3, 1e3), step=st.floats(1e-3, 10.0), steps=st.integers(1, 10**5),
       overhead=st.floats(0.01, 0.9), other=st.floats(0.0, 10.0))
def test_default_every_spends_at_most_the_budget_and_no_less_than_needed(cost, step, steps, overhead, other):
    every = default_every(cost, step, steps, overhead, other)
    assert 1 <= every <= steps
    profiles = 1 + math.ceil(steps / every)  # step 0, the multiples of every, the last step
    budget = overhead * steps * step - other
    if every < steps or profiles * cost <= budget:
        assert profiles * cost <= budget * (1 + 1e-9)
    if every > 1:  # one step less would cost more than the budget
        assert (1 + math.ceil(steps / (every - 1))) * cost > budget * (1 - 1e-9)


def test_texts_probe_is_tokenised_with_the_trainers_tokenizer(tok):
    texts = ["The film won three awards.", "Shares of the chip maker fell.", "A new phone, a new screen."]
    callback = DepthProfileCallback(texts, every=1, seq_len=16)
    model = gpt2(tok)
    callback.on_train_begin(None, TrainerState(max_steps=1), None, model=model, processing_class=tok)
    ds = callback.dataset()
    assert dict(ds.sizes)["seq"] == 3 and ds.attrs["probe"] == "texts" and ds.attrs["seq_len"] <= 16
    assert ds["step"].values.tolist() == [0]


BAD = {
    "every-zero": (dict(every=0), "every=0 must be an integer >= 1"),
    "every-float": (dict(every=2.5), "every=2.5 must be an integer"),
    "overhead": (dict(max_overhead=1.5), r"max_overhead=1.5 must be a fraction .* in \(0, 1\)"),
    "probe-one-text": (dict(probe=["only one"]), "at least 2"),
    "probe-empty-text": (dict(probe=["a", ""]), "non-empty texts"),
    "probe-type": (dict(probe=5), "probe is a int"),
    "probe-no-ids": (dict(probe={"ids": torch.zeros(2, 3)}), "needs 'input_ids'"),
    "probe-one-row": (dict(probe={"input_ids": torch.zeros(1, 3, dtype=torch.long)}), "at least 2"),
    "probe-mask": (dict(probe={"input_ids": torch.zeros(2, 3, dtype=torch.long), "attention_mask": torch.ones(2, 2)}),
                   "attention_mask must be a tensor of input_ids' shape"),
    "probe-size-with-probe": (dict(probe=["a b", "c d"], probe_size=4), "probe_size sizes the default BBC probe"),
    "seq-len-with-tensors": (dict(probe={"input_ids": torch.zeros(2, 3, dtype=torch.long)}, seq_len=8),
                             "a probe of tensors has its own length"),
    "output": (dict(output=5), "must be a file path"),
}


@pytest.mark.parametrize("kwargs, match", BAD.values(), ids=BAD.keys())
def test_bad_arguments_raise_naming_the_fix(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DepthProfileCallback(**kwargs)


def test_a_trainer_without_a_tokenizer_is_told_what_to_pass(tok):
    with pytest.raises(ValueError, match=r"pass Trainer\(processing_class=tokenizer\)"):
        DepthProfileCallback().on_train_begin(None, TrainerState(max_steps=1), None, model=gpt2(tok))
    with pytest.raises(RuntimeError, match="has recorded nothing yet"):
        DepthProfileCallback().dataset()


# -- numerics --------------------------------------------------------------------------------------

NUMERICS = textwrap.dedent("""
    import json, os, random, sys, tempfile
    import numpy as np, torch
    from transformers import GPT2Config, GPT2LMHeadModel, TrainerState

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(n_layer=2, n_embd=16, n_head=2, vocab_size=64, n_positions=16,
                                       bos_token_id=0, eos_token_id=0, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0))
    batch = torch.randint(0, 64, (2, 8), generator=torch.Generator().manual_seed(0))

    def state():
        return {"threads": torch.get_num_threads(), "interop": torch.get_num_interop_threads(),
                "deterministic": torch.are_deterministic_algorithms_enabled(),
                "matmul": torch.get_float32_matmul_precision(), "dtype": str(torch.get_default_dtype()),
                "grad": torch.is_grad_enabled(), "mkldnn": torch.backends.mkldnn.enabled,
                "cudnn": [torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic],
                "tf32": torch.backends.cuda.matmul.allow_tf32, "capability": torch.backends.cpu.get_cpu_capability(),
                "env": {k: os.environ.get(k) for k in ("ATEN_CPU_CAPABILITY", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA",
                                                        "OMP_NUM_THREADS", "MKL_NUM_THREADS")},
                "torch_rng": torch.get_rng_state().sum().item(), "numpy_rng": str(np.random.get_state()[1][:4]),
                "random": random.getstate()[1][:4]}

    before = state()
    import depthcore, depthcore.integrations
    from depthcore.integrations import DepthProfileCallback, EqualStep
    opt = EqualStep(torch.optim.AdamW(model.parameters(), lr=1e-3), model)
    callback = DepthProfileCallback({"input_ids": batch}, every=1, output=os.path.join(tempfile.mkdtemp(), "p.nc"))
    s = TrainerState(max_steps=1)
    callback.on_train_begin(None, s, None, model=model)
    model(input_ids=batch, labels=batch).loss.backward()
    opt.step()
    s.global_step = 1
    callback.on_step_end(None, s, None, model=model)
    callback.on_train_end(None, s, None, model=model)
    after = state()
    print(json.dumps({k: [before[k], after[k]] for k in before if before[k] != after[k]}))
""")


@pytest.mark.slow
def test_importing_and_using_the_integrations_leaves_the_users_numerics_alone():
    from depthcore import numerics

    drop = set(numerics.PINNED) | {numerics.NATIVE, "DEPTHCORE_SESSION_PINNED", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    out = subprocess.run([sys.executable, "-c", NUMERICS], env=env, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {}


# -- the documentation's snippet ------------------------------------------------------------------

def snippet(path: Path, heading: str) -> str:
    """The python code blocks of one `## heading` section of a markdown file, joined."""
    text = path.read_text(encoding="utf-8")
    section = re.split(r"^## ", text, flags=re.M)
    body = next((s for s in section if s.startswith(heading + "\n")), None)
    assert body is not None, f"{path} has no section '## {heading}'"
    blocks = re.findall(r"^```python\n(.*?)^```", body, flags=re.M | re.S)
    assert blocks, f"{path} '## {heading}' has no python code block"
    return "\n".join(blocks)


@pytest.mark.slow
def test_the_training_loop_snippet_in_the_docs_runs_as_written(tmp_path, monkeypatch):
    code = snippet(ROOT / "docs" / "your-finetune.md", "In your training loop")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "docs/your-finetune.md", "exec"), namespace)
    ds = results.read(tmp_path / "profile.nc")
    assert ds["step"].values[0] == 0 and ds["step"].values[-1] == namespace["trainer"].state.global_step
    assert (ds["rel_update"].values[-1] > 0).all()
