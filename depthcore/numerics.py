"""The same floating point on every x86 CPU: pinned kernels and a numerics fingerprint.

torch picks its CPU kernels by instruction set (ATen's vectorised ops: AVX2 or AVX-512; MKL's
sgemm: a different code path per CPU, AMD and Intel included). Two CPUs then differ by an ulp
here and there, and 800 pretraining steps, or a fine-tune at a high learning rate, amplify it:
the first CI run on a machine other than the one that wrote the tiny baselines moved
tiny-gpt2-128's equal-step SGD control factors by up to 25% and tiny-neox-64's runs by ~10%,
while the other models stayed within 1e-3.

`pin()` (called when depthcore is imported, before torch runs a kernel) caps every kernel
library at AVX2, a level all x86 CPUs of the last decade have, each only where the user has
not set it:

- ``ATEN_CPU_CAPABILITY=avx2`` (torch's own kernels),
- ``MKL_CBWR=AVX2,STRICT`` (MKL's conditional numerical reproducibility, strict mode: the same
  gemm results whatever the CPU, the thread count or the memory alignment),
- ``ONEDNN_MAX_CPU_ISA=AVX2``.

``DEPTHCORE_NATIVE_NUMERICS=1`` leaves all three alone (the fastest kernels; results then
match only machines of the same kind). Measured on a 2-core AMD EPYC (AVX2): a GPT-2 d=128,
6-layer training step took 102-105 ms pinned vs 107 ms unpinned, so pinning costs nothing there.

Thread count still matters (torch splits large reductions per thread): the pytest plugin runs
on ``DEPTHCORE_THREADS`` threads (default 2, the CI runner's cores).

`fingerprint()` hashes the bits of a fixed computation that touches each kernel family a run
uses (gemm, vectorised transcendental ops, softmax, layer norm, attention, a threaded
reduction, an AdamW step). It is part of the zoo's and the run cache's keys, so a cache shared
between unlike machines never mixes their results, and of every baseline, so a machine whose
numerics differ from the baselines' is told so instead of failing on float noise.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform

PINNED = {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "AVX2,STRICT", "ONEDNN_MAX_CPU_ISA": "AVX2"}
NATIVE = "DEPTHCORE_NATIVE_NUMERICS"


def pin() -> None:
    """Set the kernel caps above (where unset), unless DEPTHCORE_NATIVE_NUMERICS=1 or not x86."""
    if os.environ.get(NATIVE, "") not in ("", "0") or platform.machine().lower() not in ("x86_64", "amd64"):
        return
    for key, value in PINNED.items():
        os.environ.setdefault(key, value)


def describe() -> str:
    """One line: what decides this process's floating point (for reports and baseline attrs)."""
    import torch

    env = ", ".join(f"{k}={os.environ.get(k, '-')}" for k in PINNED)
    return (f"torch {torch.__version__}, {platform.machine()}, kernels {torch.backends.cpu.get_cpu_capability()}, "
            f"{torch.get_num_threads()} threads, {env}")


@functools.lru_cache(maxsize=None)
def _fingerprint(threads: int) -> str:
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(0)
    h = hashlib.sha256(f"{torch.__version__}|{platform.machine()}|{threads}".encode())

    def put(t: torch.Tensor) -> None:
        h.update(t.detach().contiguous().numpy().tobytes())

    x = torch.randn(37, 300, generator=g)
    w = torch.randn(300, 129, generator=g, requires_grad=True)
    put(x @ w)
    for n in (3, 7, 16):  # MKL takes another path for small matrices
        put(torch.randn(n, 300, generator=g) @ torch.randn(300, n, generator=g))
    put(torch.randn(4, 65, 96, generator=g) @ torch.randn(4, 96, 33, generator=g))
    for f in (torch.exp, torch.tanh, torch.erf, torch.log1p, torch.sigmoid, F.gelu, F.silu):
        put(f(x.abs() if f is torch.log1p else x))
    put(torch.softmax(x, -1))
    put(F.layer_norm(x, (300,)))
    put(torch.randn(1 << 20, generator=g).sum())  # split per thread
    q, k, v = (torch.randn(2, 4, 50, 16, generator=g) for _ in range(3))
    put(F.scaled_dot_product_attention(q, k, v, is_causal=True))
    opt = torch.optim.AdamW([w], lr=1e-2, fused=True)  # as train.make_optimizer and zoo pretraining
    for _ in range(3):
        loss = F.cross_entropy(F.gelu(x @ w), torch.arange(37) % 129)
        loss.backward()
        opt.step()
        opt.zero_grad()
    put(w)
    return h.hexdigest()[:16]


def fingerprint() -> str:
    """16 hex digits; equal on two machines when their kernels give the same bits (same torch)."""
    import torch

    return _fingerprint(torch.get_num_threads())
