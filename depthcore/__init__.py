"""depthcore: a pytest-style benchmark and regression suite for the depth profile of fine-tuning."""

from depthcore.config import RunSpec

__all__ = ["RunSpec", "run", "cached_run", "diff", "find_layers", "EqualStep"]


def __getattr__(name):  # lazy: importing depthcore (e.g. as a pytest plugin) must not import torch
    if name in ("run", "cached_run"):
        from depthcore import engine

        return getattr(engine, name)
    if name == "diff":  # the module, callable as its function `diff.diff` (depthcore/diff.py says why)
        import depthcore.diff

        return depthcore.diff
    if name == "find_layers":
        from depthcore.layers import find_layers

        return find_layers
    if name == "EqualStep":
        from depthcore.control import EqualStep

        return EqualStep
    raise AttributeError(f"module 'depthcore' has no attribute {name!r}")
