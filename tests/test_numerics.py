"""Tests for depthcore.numerics (pinning, the fingerprint and its parts) and for a whole bench
session on numerics other than the baselines' (simulated on this machine)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from depthcore import numerics
from depthcore.pytest_plugin import PIN_DECISION, baseline_numerics

ROOT = Path(__file__).resolve().parent.parent
X86 = numerics.platform.machine().lower() in ("x86_64", "amd64")


def _clean_env(**env) -> dict:
    """This environment without any kernel cap, pinning decision or opt-out, plus `env`."""
    drop = set(numerics.PINNED) | {numerics.NATIVE, PIN_DECISION}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **env}


def _python(code: str, **env) -> str:
    out = subprocess.run([sys.executable, "-c", code], env=_clean_env(**env), capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


@pytest.mark.slow
def test_importing_depthcore_leaves_the_users_numerics_alone():
    assert _python("import os, depthcore, depthcore.engine; print(os.environ.get('MKL_CBWR', '-'))") == "-"


@pytest.mark.skipif(not X86, reason="pinning applies to x86 only")
def test_pin_respects_the_users_setting_and_the_opt_out():
    code = "import os; from depthcore import numerics; numerics.pin(); print(os.environ.get('MKL_CBWR', '-'))"
    assert _python(code) == "AVX2,STRICT"
    assert _python(code, MKL_CBWR="COMPATIBLE") == "COMPATIBLE"
    assert _python(code, DEPTHCORE_NATIVE_NUMERICS="1") == "-"


def test_fingerprint_is_stable_and_names_the_thread_count():
    threads = torch.get_num_threads()
    first = numerics.fingerprint()
    numerics._hashes.cache_clear()
    assert numerics.fingerprint() == first  # the same bits twice
    assert re.fullmatch(r"[0-9a-f]{16}", first), first  # 16 lower-case hex digits
    try:
        torch.set_num_threads(threads + 1)
        assert numerics.fingerprint() != first  # reductions split per thread: another key
    finally:
        torch.set_num_threads(threads)
    assert f"{threads} threads" in numerics.describe()


def test_parts_name_every_kernel_family_in_the_fingerprints_order():
    parts = numerics.parts()
    assert list(parts)[:5] == ["gemm 37x300x129", "small gemm n=3", "small gemm n=7", "small gemm n=16", "bmm"]
    assert {"exp", "erf", "softmax", "layer_norm", "causal SDPA", "fused AdamW x3"} <= set(parts)
    assert all(re.fullmatch(r"[0-9a-f]{10}", v) for v in parts.values())


@pytest.mark.slow
def test_depthcore_numerics_command_prints_the_parts():
    out = subprocess.run([sys.executable, "-m", "depthcore", "numerics", "--threads", "1", "--json"],
                         env=_clean_env(), capture_output=True, text=True, check=True)
    info = json.loads(out.stdout)
    assert re.fullmatch(r"[0-9a-f]{16}", info["fingerprint"]) and "1 threads" in info["describe"]
    assert len(info["parts"]) == len(numerics.parts())


@pytest.mark.slow
@pytest.mark.skipif(not X86, reason="pinning applies to x86 only")
def test_should_pin_only_where_pinning_gives_the_baselines_bits():
    pinned = numerics.pinned_fingerprint(1)
    assert numerics.should_pin({pinned, "0" * 16}, 1)
    assert not numerics.should_pin({"0" * 16}, 1)
    assert not numerics.should_pin(set(), 1)


@pytest.mark.slow
def test_this_session_pins_exactly_where_that_gives_the_baselines_bits():
    if os.environ.get(PIN_DECISION) is None:
        pytest.skip("not run by depthcore's pytest plugin on CPU")
    gives_their_bits = numerics.should_pin(baseline_numerics(ROOT), torch.get_num_threads())
    assert os.environ[PIN_DECISION] == ("1" if gives_their_bits else "0")
    assert numerics.pinned() or not gives_their_bits


def test_the_baselines_name_one_numerics_per_tier():
    found = baseline_numerics(ROOT)
    assert found and all(re.fullmatch(r"[0-9a-f]{16}", f) for f in found)


# A slice of the tiny tier with paper C's selection (layers chosen from d_l, where layers 3 and 4
# of tiny-gpt2-64 are near-tied), a rank-based claim (LoRA vs full: Spearman over 6 layers) and a
# shape statistic near its threshold (OPT cls).
FOREIGN_SLICE = ("(test_semantic_freezing or test_deviation_ablation or test_first_n_frozen or "
                 "test_lora_predicts_full) and tiny-gpt2-64 or test_output_proximal and tiny-opt-64-cls")


@pytest.mark.slow
def test_a_bench_session_on_foreign_numerics_passes_naming_the_sensitive_cells(tmp_path):
    """Native kernels on one thread: numerics other than the baselines' on any machine (the thread
    count alone changes the fingerprint). The zoo is pretrained again under them, every run
    recomputed; the session must pass, compare numbers within the measured noise, and name the
    cells whose verdict moved."""
    env = _clean_env(DEPTHCORE_THREADS="1", DEPTHCORE_NATIVE_NUMERICS="1", DEPTHCORE_CACHE=str(tmp_path / "cache"),
                     HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    cmd = [sys.executable, "-m", "pytest", "bench", "-m", "tiny", "-k", FOREIGN_SLICE, "-p", "no:cacheprovider",
           "--depthcore-obtained", str(tmp_path / "obtained")]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    text = out.stdout + out.stderr
    assert out.returncode == 0, text[-6000:]
    assert "native kernels" in text and re.search(r"\d+ passed", text)
    assert re.search(r"(\d+) baselines were made with other numerics than this session's", text), text[-4000:]
    assert re.search(r"\b0 for structure only", text)  # every one compared by value, within the noise
    summary = re.search(r"numerics-sensitive: (\d+) of (\d+) verdicts", text)
    rows = json.loads((tmp_path / "obtained" / "verdicts.json").read_text())
    assert summary and int(summary.group(2)) == len(rows), text[-4000:]
    judged = {r["test"].split("::")[-1] for r in rows}
    assert {f"{t}[tiny-tiny-gpt2-64]" for t in ("test_semantic_freezing", "test_deviation_ablation",
                                                "test_first_n_frozen", "test_lora_predicts_full")} <= judged
    assert "test_output_proximal[tiny-tiny-opt-64-cls]" in judged
    sensitive = [r for r in rows if r.get("numerics")]
    assert len(sensitive) == int(summary.group(1))
    for r in sensitive:  # named in the summary with both verdicts and numbers
        assert r["test"] in text and r["numerics"].startswith("sensitive") and ": recorded " in r["numerics"]
