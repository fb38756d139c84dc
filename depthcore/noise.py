"""Numerics noise: how far results move when only the floating point changes, measured, and
the tolerance that follows from it on a machine whose numerics differ from the baselines'.

A machine whose kernels give other bits (another CPU, thread count or torch; numerics.py)
re-pretrains the tiny zoo and re-runs every fine-tune with them, and training amplifies the
ulps. How far that moves each stored variable and each verdict number is measured once per
tier by running it under two numerics on one machine (`bench/measure_noise.py`, docs/design.md
"Numerics") and stored beside the baselines as `numerics-noise.json`.

One deviation measure serves both: for an expected value e, an obtained o and the scale s of
that quantity (the median |e| over all its values in the tier), dev = |o - e| / (|e| + s). The
noise of a quantity is the largest dev measured in any cell of the tier (a baseline file, a
verdict); on foreign numerics a value agrees when its dev is at most MARGIN times that, or
when it is within the tolerance of the baselines' own numerics (never stricter than those). A
quantity the measurement never saw gets the largest noise of its kind (variables, verdict
numbers), and one of a kind never measured at all is not judged.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FILE = "numerics-noise.json"
MARGIN = 2.0  # one pair of numerics measured; another machine may move values up to twice as far


def scale(values) -> float:
    """The typical size of a quantity: median of its finite |values| (0 when none are non-zero)."""
    v = np.abs(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else 0.0


def deviation(expected, obtained, s: float) -> np.ndarray:
    """|o - e| / (|e| + s), elementwise; 0 where equal (NaN equal to NaN), inf where only e + s is 0."""
    e, o = np.asarray(expected, dtype=float), np.asarray(obtained, dtype=float)
    diff = np.abs(o - e)
    same = (o == e) | (np.isnan(o) & np.isnan(e))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dev = np.where(same, 0.0, diff / (np.abs(e) + s))
    return np.where(np.isnan(dev) & ~same, np.inf, dev)


NUMBER = re.compile(r"^([+-]?[0-9.]+(?:e[+-]?\d+)?|[+-]?inf|nan)(?: \[([^,]+), ([^\]]+)\])?$")


def parse_numbers(text: str) -> dict[str, tuple[float, ...] | str]:
    """A verdict's numbers as written by `Verdict.numbers_text` ("slope +0.1 [+0.05, +0.2]; seeds 3")
    back into {key: (estimate, lo, hi) or (value,)}; values that are not numbers (layer sets) stay text."""
    out: dict[str, tuple[float, ...] | str] = {}
    for item in filter(None, (p.strip() for p in text.split(";"))):
        key, _, value = item.partition(" ")
        m = NUMBER.match(value.strip())
        out[key] = tuple(float(g) for g in m.groups() if g is not None) if m else value.strip()
    return out


@dataclass
class Noise:
    """A tier's measured numerics noise (numerics-noise.json): per stored variable and per
    verdict number, {"scale": s, "typical": median over cells of each cell's largest deviation,
    "worst": the largest deviation in any cell}. Every cell is judged with the worst: which cells
    training amplifies most depends on the perturbation, so on another machine any cell can be
    the one that moved most here."""

    variables: dict[str, dict] = field(default_factory=dict)
    numbers: dict[str, dict] = field(default_factory=dict)
    between: list[str] = field(default_factory=list)  # the two fingerprints measured
    how: str = ""

    @staticmethod
    def _limit(pool: dict[str, dict], name: str) -> float:
        """MARGIN times the quantity's worst deviation; one never measured takes the worst of its
        kind (stored variables, or verdict numbers), and none measured of its kind allows anything."""
        known = pool.get(name)
        return MARGIN * (known["worst"] if known else max((q["worst"] for q in pool.values()), default=math.inf))

    def variable_limit(self, name: str) -> float:
        return self._limit(self.variables, name)

    def beyond_variable(self, name: str, expected, obtained) -> np.ndarray:
        """Flat indices of the values of `name` that moved more than numerics noise allows."""
        known = self.variables.get(name)
        dev = deviation(expected, obtained, known["scale"] if known else scale(expected))
        return np.flatnonzero(dev.ravel() > self.variable_limit(name))

    def beyond_numbers(self, recorded: str, obtained: str) -> list[str]:
        """The verdict numbers (text, as recorded) that moved more than numerics noise allows, one line each.

        Only estimates with an interval are judged: a number without one is a mean of a stored
        variable (held-out losses, compared as that variable in the baseline file, per run), a
        function of the intervals (p, mde) or a setting (lr, seeds); a layer set follows from the
        numbers. A mean over seeds of a chaotic training quantity has no resolution of its own to
        judge its move by."""
        rec, obt = parse_numbers(recorded), parse_numbers(obtained)
        lines = []
        for key in rec.keys() & obt.keys():
            r, o = rec[key], obt[key]
            if isinstance(r, str) or isinstance(o, str) or len(r) != len(o) or len(r) == 1:
                continue
            known = self.numbers.get(key)
            s, limit = (known["scale"] if known else scale(r)), self._limit(self.numbers, key)
            dev = float(np.max(deviation(r, o, s)))
            if dev > limit:
                lines.append(f"{key}: recorded {_fmt(r)}, here {_fmt(o)} (moved {dev:.3g} of |value| + scale "
                             f"{s:.3g}; numerics noise allows {limit:.3g})")
        return sorted(lines)

    def to_json(self) -> str:
        return json.dumps({"how": self.how, "between": self.between, "margin": MARGIN,
                           "variables": self.variables, "numbers": self.numbers}, indent=1, sort_keys=True)

    def merge(self, other: "Noise") -> "Noise":
        """The noise of both measurements (e.g. two machines against the same baselines): per quantity the
        larger scale, typical and worst deviation, so that whatever either allows, the merge allows."""
        def both(a: dict[str, dict], b: dict[str, dict]) -> dict[str, dict]:
            return {q: {k: max(a.get(q, b.get(q))[k], b.get(q, a.get(q))[k]) for k in ("scale", "typical", "worst")}
                    for q in sorted(a.keys() | b.keys())}

        return Noise(both(self.variables, other.variables), both(self.numbers, other.numbers),
                     sorted(set(self.between) | set(other.between)), f"{self.how}; and {other.how}")

    @classmethod
    def measure(cls, variables: dict[str, dict[str, tuple]], numbers: dict[str, dict[str, tuple]], **info) -> "Noise":
        """From {quantity: {cell: (expected values, obtained values)}}: the scale over all cells,
        each cell's largest deviation, their median and maximum (3 significant digits)."""
        def summarise(pairs: dict[str, dict[str, tuple]]) -> dict[str, dict]:
            out = {}
            for q, cells in sorted(pairs.items()):
                s = scale(np.concatenate([np.ravel(e) for e, _ in cells.values()]))
                devs = [float(np.max(deviation(e, o, s))) for e, o in cells.values()]
                out[q] = {"scale": _round(s), "typical": _round(float(np.median(devs))), "worst": _round(max(devs))}
            return out

        return cls(summarise(variables), summarise(numbers), **info)


def _round(x: float) -> float:
    return float(f"{x:.3g}") if math.isfinite(x) else 1e300


def _fmt(v: tuple[float, ...]) -> str:
    return f"{v[0]:+.4g} [{v[1]:+.4g}, {v[2]:+.4g}]" if len(v) == 3 else f"{v[0]:.4g}"


def load(path: Path) -> Noise | None:
    """The noise file at `path`, or None when the tier has none (then nothing can be compared by value)."""
    if not path.is_file():
        return None
    d = json.loads(path.read_text())
    return Noise(d["variables"], d["numbers"], d.get("between", []), d.get("how", ""))


def for_baseline(path: Path) -> Path:
    """Where a baseline's tier keeps its noise: baselines/<tier>/<device>/numerics-noise.json."""
    return path.parent.parent / FILE
