"""Which floating point a process computes with: kernel pinning and the numerics fingerprint.

torch picks its CPU kernels by instruction set (ATen's vectorised ops: AVX2 or AVX-512; MKL's
sgemm: a different code path per CPU vendor and ISA), and the C library supplies some scalar
maths. Two machines then differ by an ulp here and there, and training amplifies it: the
stored baselines are bit-exact only on machines whose kernels give the same bits.

`pin()` caps the kernel libraries, each only where the user has not set it:

- ``ATEN_CPU_CAPABILITY=avx2`` (torch's own kernels: AVX-512 machines compute as AVX2 ones),
- ``MKL_CBWR=AVX2,STRICT`` (MKL's conditional numerical reproducibility; MKL honours the AVX2
  branch on Intel CPUs only and falls back to its AUTO branch elsewhere, so on AMD it changes
  nothing; only ``COMPATIBLE`` is common to all vendors, and it costs SSE2-speed gemm),
- ``ONEDNN_MAX_CPU_ISA=AVX2``.

What pinning does not guarantee (measured, docs/design.md "Numerics"): equal bits on every
x86 CPU. A second 2-core x86 machine, pinned the same way, differed from the baselines' machine
in the small gemms (n=3, n=7), exp and erf, while the large gemm, bmm, softmax, layer norm,
attention and AdamW agreed; none of those four is governed by an environment variable. So
pinning is paid for only where it buys the baselines' bits: the pytest plugin pins a session
when the pinned fingerprint (computed in a subprocess, `pinned_fingerprint`) equals the stored
baselines' (`should_pin`); otherwise the session runs the native kernels, and the baselines are
compared within the measured numerics noise (baselines.py). depthcore's own commands (`run`,
`sweep`, `demo`), importing depthcore and its training-loop integrations (`depthcore.integrations`)
never pin: a user's numerics are theirs.
``DEPTHCORE_NATIVE_NUMERICS=1`` forbids pinning everywhere.

Thread count matters too (torch splits large reductions per thread): the pytest plugin runs a
CPU session on ``DEPTHCORE_THREADS`` threads (default 2, the CI runner's cores).

`fingerprint()` hashes the bits of a fixed computation that touches each kernel family a run
uses; `parts()` gives each family's own hash, so two machines can see which family differs
(`depthcore numerics`). The fingerprint is part of the zoo's and the run cache's keys, so a
cache shared between unlike machines never mixes their results, and of every baseline.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import subprocess
import sys

PINNED = {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "AVX2,STRICT", "ONEDNN_MAX_CPU_ISA": "AVX2"}
NATIVE = "DEPTHCORE_NATIVE_NUMERICS"


def pinnable() -> bool:
    """x86 and not opted out with DEPTHCORE_NATIVE_NUMERICS=1."""
    return os.environ.get(NATIVE, "") in ("", "0") and platform.machine().lower() in ("x86_64", "amd64")


def pin() -> None:
    """Set the kernel caps above (where unset), if `pinnable()`. Acts only before torch's first kernel.

    depthcore's test session calls it where it buys the baselines' bits; nothing else in depthcore
    does. In a script of one's own (a Trainer with `depthcore.integrations`, say), call it first,
    before torch computes anything, to compute with the kernels the baselines were made with."""
    if pinnable():
        for key, value in PINNED.items():
            os.environ.setdefault(key, value)


def pinned() -> bool:
    """Whether this process runs with depthcore's caps (set by `pin` or by the user)."""
    return all(os.environ.get(k) == v for k, v in PINNED.items())


def describe() -> str:
    """One line: what decides this process's floating point (for reports and baseline attrs)."""
    import torch

    env = ", ".join(f"{k}={os.environ.get(k, '-')}" for k in PINNED)
    return (f"torch {torch.__version__}, {platform.machine()}, kernels {torch.backends.cpu.get_cpu_capability()}, "
            f"{torch.get_num_threads()} threads, {env}")


def _computations():
    """(name, tensor) for each kernel family, in a fixed order (the fingerprint hashes them in it)."""
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(0)
    x = torch.randn(37, 300, generator=g)
    w = torch.randn(300, 129, generator=g, requires_grad=True)
    yield "gemm 37x300x129", x @ w
    for n in (3, 7, 16):  # small matrices take other paths
        yield f"small gemm n={n}", torch.randn(n, 300, generator=g) @ torch.randn(300, n, generator=g)
    yield "bmm", torch.randn(4, 65, 96, generator=g) @ torch.randn(4, 96, 33, generator=g)
    for name, f in (("exp", torch.exp), ("tanh", torch.tanh), ("erf", torch.erf), ("log1p", torch.log1p),
                    ("sigmoid", torch.sigmoid), ("gelu", F.gelu), ("silu", F.silu)):
        yield name, f(x.abs() if f is torch.log1p else x)
    yield "softmax", torch.softmax(x, -1)
    yield "layer_norm", F.layer_norm(x, (300,))
    yield "sum of 2^20", torch.randn(1 << 20, generator=g).sum()  # split per thread
    q, k, v = (torch.randn(2, 4, 50, 16, generator=g) for _ in range(3))
    yield "causal SDPA", F.scaled_dot_product_attention(q, k, v, is_causal=True)
    opt = torch.optim.AdamW([w], lr=1e-2, fused=True)  # as train.make_optimizer and zoo pretraining
    for _ in range(3):
        loss = F.cross_entropy(F.gelu(x @ w), torch.arange(37) % 129)
        loss.backward()
        opt.step()
        opt.zero_grad()
    yield "fused AdamW x3", w


@functools.lru_cache(maxsize=None)
def _hashes(threads: int) -> tuple[str, tuple[tuple[str, str], ...]]:
    import torch

    whole = hashlib.sha256(f"{torch.__version__}|{platform.machine()}|{threads}".encode())
    parts = []
    for name, t in _computations():
        raw = t.detach().contiguous().numpy().tobytes()
        whole.update(raw)
        parts.append((name, hashlib.sha256(raw).hexdigest()[:10]))
    return whole.hexdigest()[:16], tuple(parts)


def fingerprint() -> str:
    """16 hex digits; equal on two machines when their kernels give the same bits (same torch, threads)."""
    import torch

    return _hashes(torch.get_num_threads())[0]


def parts() -> dict[str, str]:
    """Each kernel family's own hash (10 hex digits), in the fingerprint's order."""
    import torch

    return dict(_hashes(torch.get_num_threads())[1])


def pinned_fingerprint(threads: int) -> str | None:
    """The fingerprint this machine has when pinned, at `threads` threads (a subprocess: the caps act
    only before torch's first kernel); None where pinning is not possible."""
    if not pinnable():
        return None
    env = {**os.environ, **{k: os.environ.get(k, v) for k, v in PINNED.items()}}
    out = subprocess.run([sys.executable, "-m", "depthcore.numerics", "--threads", str(threads), "--json"],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["fingerprint"]


def should_pin(targets: set[str], threads: int) -> bool:
    """Whether pinning makes this machine compute the bits of a baseline made with one of `targets`."""
    return bool(targets) and pinned_fingerprint(threads) in targets


def report(as_json: bool = False) -> str:
    """`depthcore numerics`: the fingerprint, what decides it, and each family's hash."""
    info = {"fingerprint": fingerprint(), "describe": describe(), "parts": parts()}
    if as_json:
        return json.dumps(info)
    width = max(map(len, info["parts"]))
    return "\n".join([f"fingerprint {info['fingerprint']}", info["describe"]]
                     + [f"  {k.ljust(width)}  {v}" for k, v in info["parts"].items()])


if __name__ == "__main__":  # `python -m depthcore.numerics`: what pinned_fingerprint runs
    from depthcore.cli import main

    sys.exit(main(["numerics", *sys.argv[1:]]))
