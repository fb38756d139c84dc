"""The `Verdict` every claim returns, its check against the paper and the recorded finding, and the
wording of what an interval decides (docs/design.md "Verdict rules", "Intervals")."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from depthcore import stats
from depthcore.criteria import CLS_ACCURACY_FLOOR, LEVELLED_OFF
from depthcore.noise import Noise
from depthcore.results import spec_of


def outcome(verdict: str) -> str:
    """A verdict less the seed count an inconclusive one names ("~4 seeds"): that count is a number,
    which moves with the measured variances, not the outcome; recorded findings compare outcomes."""
    return re.sub(r"~\d+ seeds", "~N seeds", verdict)


class ClaimNotReproduced(AssertionError):
    """Raised by bench tests when a claim's verdict differs from the paper's; recorded as strict xfail."""


class VerdictChanged(AssertionError):
    """Raised when a verdict or its stricter reading differs from the one recorded in bench/known.py."""


@dataclass
class Verdict:
    """One claim judged on one cell (docs/design.md "Verdict rules").

    `verdict` is always the paper's own criterion; `strict` is the project's stricter reading
    beside it ("" when the claim has none). `expected` is what the paper says, or "" for a
    question of ours that no paper answers.
    """

    claim: str
    model: str
    verdict: str  # by the paper's criterion, e.g. "reproduced", "retained", "inconclusive", "control inert"
    expected: str  # what the paper says; "" when no paper asks
    numbers: dict = field(default_factory=dict)
    tier: str = "tiny"
    objective: str = ""
    optimizer: str = ""
    strict: str = ""  # the project's stricter reading, e.g. "steeper than null"; "" when none
    numerics: str = ""  # "sensitive: recorded ..." when other numerics moved the verdict within noise (check)
    spec: str = ""  # one run of the cell (RunSpec JSON): bench/record_known.py re-runs it to check determinism
    fingerprint: str = ""  # the numerics fingerprint the cell's runs were computed with

    @property
    def reproduced(self) -> bool:
        return self.verdict == self.expected

    def numbers_text(self) -> str:
        def fmt(v):
            if isinstance(v, tuple):
                return f"{v[0]:+.4f} [{v[1]:+.4f}, {v[2]:+.4f}]"
            return f"{v:.4g}" if isinstance(v, float) else str(v)

        return "; ".join(f"{k} {fmt(v)}" for k, v in self.numbers.items())

    def row(self) -> dict:
        """The verdict table's row (`report.VERDICT_COLUMNS`); verdicts.json and bench/known.py keep it."""
        row = dict(claim=self.claim, tier=self.tier, model=self.model, objective=self.objective,
                   optimizer=self.optimizer, verdict=self.verdict, strict=self.strict, expected=self.expected,
                   numbers=self.numbers_text())
        for key in ("control_strength", "mde", "p"):
            if key in self.numbers:
                row[key] = self.numbers[key]
        for key in ("numerics", "spec", "fingerprint"):
            if getattr(self, key):
                row[key] = getattr(self, key)
        return row

    def check(self, recorded: dict | None = None, noise: Noise | None = None, moved: str = "") -> None:
        """Assert the verdict against the paper and, when given, against the recorded finding.

        Args:
            recorded: None, or the measured finding of bench/known.py,
                {"verdict": str, "strict": str, "numbers": str}.
            noise: None when the run was computed with the recorded finding's own numerics;
                else the tier's measured numerics noise (noise.py), within which a changed verdict
                is numerics-sensitive rather than changed.
            moved: with `noise`, the spec fields derived from data that moved (e.g. paper C's
                selected layers, from a near-tie): the verdict then compares other runs than the
                recorded one, so its numbers are not comparable and a change is numerics-sensitive.

        Raises:
            VerdictChanged: `recorded` is given and the verdict or the stricter reading differs
                from it (the message gives both, with their numbers); with `noise`, only when some
                number moved beyond it. A change within it sets `numerics` (recorded and obtained)
                and the test keeps the recorded outcome.
            ClaimNotReproduced: otherwise, when the paper expects a verdict (`expected` not "")
                and this is not it (or, when numerics-sensitive, the recorded one was not); a
                recorded non-reproduction is a strict xfail in the bench.
        """
        __tracebackhide__ = True
        where = f"{self.claim} [{self.model} {self.objective} {self.optimizer}]"
        verdict = self.verdict
        if recorded is not None and ((outcome(self.verdict), outcome(self.strict))
                                     != (outcome(recorded["verdict"]), outcome(recorded["strict"]))):
            if noise is None:
                beyond = None
            elif moved:
                beyond = []  # other runs than the recorded ones: their numbers cannot be held to the recorded
            else:
                beyond = noise.beyond_numbers(recorded.get("numbers", ""), self.numbers_text())
            change = (f"verdict changed from the recorded {recorded['verdict']!r} (stricter reading "
                      f"{recorded['strict']!r}; {recorded.get('numbers', '')}) to {self.verdict!r} (stricter reading "
                      f"{self.strict!r}; {self.numbers_text()})")
            if beyond is None or beyond:
                why = "" if beyond is None else "; beyond numerics noise: " + "; ".join(beyond)
                raise VerdictChanged(f"{where}: {change}{why}")
            via = f" (derived from data: {moved})" if moved else ""
            self.numerics = (f"sensitive{via}: recorded {recorded['verdict']} / {recorded['strict'] or '-'} "
                             f"({recorded.get('numbers', '')})")
            verdict = recorded["verdict"]
        if self.expected and verdict != self.expected:
            raise ClaimNotReproduced(f"{where}: {verdict}, paper says {self.expected}: {self.numbers_text()}")


def seq_array(runs: list[xr.Dataset], var: str) -> np.ndarray:
    """[S, N, L]: one per-sequence profile per run (runs = training seeds of one cell)."""
    return np.stack([r.variables[var].values for r in runs])  # .variables: no DataArray built per run


def scalars(runs: list[xr.Dataset], var: str) -> np.ndarray:
    """[S]: one per-run scalar per training seed."""
    return np.array([float(r.variables[var].values) for r in runs])


def cell_of(runs: list[xr.Dataset]) -> dict:
    """The Verdict fields naming the cell of `runs`: model, objective, optimizer, tier, and the first
    run's spec and numerics fingerprint."""
    a = runs[0].attrs
    return dict(model=a["model"], objective=a["objective"], optimizer=a["optimizer"], tier=a["tier"],
                spec=str(a.get("spec", "")), fingerprint=str(a.get("numerics", "")))


def lost_share(arm: np.ndarray, reference: np.ndarray, before: np.ndarray) -> stats.Interval:
    """(L_arm - L_ref) / (L_before - L_ref) per seed, with its t-interval over seeds: the share of
    the reference arm's held-out improvement that the arm loses (negative: it does better)."""
    return stats.seed_ci((arm - reference) / (before - reference))


def signed(iv: stats.Interval, above: str, below: str) -> str:
    """`above` when the interval lies above 0, `below` when below it, else what would decide it."""
    return above if iv[1] > 0 else below if iv[2] < 0 else undecided(iv)


def in_regime(v: Verdict, *arms: list[xr.Dataset]) -> Verdict:
    """`v` as its row reads it: "not trained (...)" in both readings when a classifier of the cell
    (runs with `accuracy`) stayed below `criteria.CLS_ACCURACY_FLOOR` in some run; the statistic's
    numbers stay, with the lowest accuracy (`accuracy_min`) beside them."""
    accuracy = [float(r.variables["accuracy"].values) for arm in arms for r in arm if "accuracy" in r.variables]
    if not accuracy:
        return v
    v = dataclasses.replace(v, numbers={**v.numbers, "accuracy_min": min(accuracy)})
    if min(accuracy) >= CLS_ACCURACY_FLOOR:
        return v
    return _not_judged(v, f"not trained (held-out accuracy below {CLS_ACCURACY_FLOOR:g})")


def _not_judged(v: Verdict, why: str) -> Verdict:
    """`v` with `why` in place of both readings (a stricter reading only where it has one)."""
    return dataclasses.replace(v, verdict=why, strict=why if v.strict else "")


def further_drop(all_blocks: list[xr.Dataset], doubled: list[xr.Dataset]) -> tuple[float, float]:
    """(drop, further): the all-blocks arm's held-out loss drop (before - after, mean over seeds)
    and how much more the same runs at twice the steps drop it (mean over seeds).

    Raises:
        ValueError: `doubled` is not `all_blocks` at twice the steps over the same seeds in the
            same order (every other spec field equal).
    """
    def spec(run, steps=1):
        s = spec_of(run)
        return {**s, "steps": s["steps"] * steps}

    if [spec(r, 2) for r in all_blocks] != [spec(r) for r in doubled] or not all_blocks:
        raise ValueError(f"levelled off: the doubled arm must be the all-blocks runs at twice the steps, same seeds "
                         f"in the same order; got {[spec_of(r)['steps'] for r in doubled]} steps over seeds "
                         f"{[spec_of(r)['seed'] for r in doubled]} against {[spec_of(r)['steps'] for r in all_blocks]} "
                         f"over {[spec_of(r)['seed'] for r in all_blocks]}; run RunSpec.replace(steps=2 * steps) "
                         "of each all-blocks run")
    before = scalars(all_blocks, "heldout_loss_before")
    drop = float((before - scalars(all_blocks, "heldout_loss")).mean())
    return drop, float((before - scalars(doubled, "heldout_loss")).mean()) - drop


def levelled(v: Verdict, all_blocks: list[xr.Dataset], doubled: list[xr.Dataset] | None) -> Verdict:
    """`v` as a claim about quality after fine-tuning reads it: "not levelled off (...)" in both
    readings when twice the steps lower the all-blocks arm's held-out loss further by
    `criteria.LEVELLED_OFF` of its drop or more (`further_drop`); the statistic's numbers stay,
    with `further_from_doubling` (that share) beside. Without `doubled` the regime is unknown and
    the numbers say so (`levelled_off` "not checked")."""
    if doubled is None:
        return dataclasses.replace(v, numbers={**v.numbers, "levelled_off": "not checked"})
    drop, further = further_drop(all_blocks, doubled)
    share = further / drop if drop > 0 else float("nan")
    v = dataclasses.replace(v, numbers={**v.numbers, "further_from_doubling": share})
    if further < LEVELLED_OFF * drop:
        return v
    return _not_judged(v, "not levelled off (twice the steps still lower the held-out loss: train longer)")


def undecided(iv: stats.Interval, effect: float | None = None) -> str:
    """"inconclusive (underpowered: …)": the seeds at which `effect` (default the estimate) would be
    decided with 80% power at the measured variances, or that more probe sequences would be needed."""
    target = abs(iv[0] if effect is None else effect)
    if target == 0:
        return "inconclusive (no effect measured)"
    n = stats.seeds_needed(iv, target)
    if n is not None:
        return f"inconclusive (underpowered: ~{n} seeds)"
    probe_only = stats.Interval(iv[0], 0.0, iv.probe_var, iv.seeds, iv.probes, iv.ci)
    if iv.probe_var > 0 and stats.mde(probe_only) >= target:
        return "inconclusive (underpowered: more probe sequences)"
    return f"inconclusive (underpowered: > {stats.MAX_SEEDS} seeds)"


def decidability(*intervals: stats.Interval) -> dict:
    """The numbers every verdict carries about its deciding intervals: `mde` (the largest of their
    minimum detectable effects at 80% power) and `p` (the largest p-value: a verdict that needs all
    of them holds at the level of the weakest)."""
    return {"mde": max(stats.mde(iv) for iv in intervals), "p": max(stats.p_value(iv) for iv in intervals)}
