"""Tests for depthcore.numerics: kernel pinning and the numerics fingerprint."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import torch

from depthcore import numerics


def test_importing_depthcore_pinned_the_kernels_where_unset():
    if numerics.platform.machine().lower() not in ("x86_64", "amd64") or os.environ.get(numerics.NATIVE):
        pytest.skip("pinning applies to x86 without DEPTHCORE_NATIVE_NUMERICS")
    for key in numerics.PINNED:
        assert os.environ.get(key), key
    assert torch.backends.cpu.get_cpu_capability() in ("AVX2", "DEFAULT")  # never AVX512


def _env_after_import(**env) -> str:
    code = "import os, depthcore; print(os.environ.get('MKL_CBWR', '-'))"
    clean = {k: v for k, v in os.environ.items() if k not in numerics.PINNED and k != numerics.NATIVE}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.skipif(numerics.platform.machine().lower() not in ("x86_64", "amd64"), reason="x86 only")
def test_pin_respects_the_users_setting_and_the_opt_out():
    assert _env_after_import() == "AVX2,STRICT"
    assert _env_after_import(MKL_CBWR="COMPATIBLE") == "COMPATIBLE"
    assert _env_after_import(DEPTHCORE_NATIVE_NUMERICS="1") == "-"


def test_fingerprint_is_stable_and_names_the_thread_count():
    threads = torch.get_num_threads()
    first = numerics.fingerprint()
    numerics._fingerprint.cache_clear()
    assert numerics.fingerprint() == first  # the same bits twice
    assert len(first) == 16 and int(first, 16) >= 0
    try:
        torch.set_num_threads(threads + 1)
        assert numerics.fingerprint() != first  # reductions split per thread: another key
    finally:
        torch.set_num_threads(threads)
    assert f"{threads} threads" in numerics.describe()
