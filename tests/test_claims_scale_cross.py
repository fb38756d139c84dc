"""`claims.scale_narrowing`, `claims.cross_agreement` and `claims.width_by_architecture` at the
boundaries of their rules, on synthetic runs (the width rule also calibrated)."""

import numpy as np
import pytest
from synthetic import edge, fake_run

from depthcore import claims, results, stats
from depthcore.config import RunSpec
from depthcore.criteria import CONTROL_INERT_BELOW

S, N, L = 3, 12, 6
DEPTH = stats.depth(L)


pytestmark = pytest.mark.usefixtures("fewer_resamples")  # tests/conftest.py: 200 resamples


def profiles(slope, offset=0.1, noise=0.01, seed=0):
    return offset + slope * DEPTH + noise * np.random.default_rng(seed).standard_normal((S, N, L))


def cell(model, profile, strength=0.3):
    spec = RunSpec(model, condition="equal_step", optimizer="sgd")
    return [fake_run(spec.replace(seed=s), profile=profile[s], control_strength=strength) for s in range(S)]


def scale(small_gap, large_par_slope, strength=0.3):
    """Small pair: sequential slope 0.2 vs parallel 0.2 - small_gap; large pair: 0.2 vs large_par_slope."""
    return claims.scale_narrowing(cell("tiny-gpt2-64", profiles(0.2), strength),
                                  cell("tiny-neox-64", profiles(0.2 - small_gap, seed=1), strength),
                                  cell("tiny-gpt2-128", profiles(0.2, seed=2), strength),
                                  cell("tiny-neox-128", profiles(large_par_slope, seed=3), strength))


def test_scale_both_large_slopes_positive_and_the_gap_narrows():
    v = scale(small_gap=0.2, large_par_slope=0.2)
    assert (v.verdict, v.strict) == ("reproduced", "gap narrows")
    assert v.numbers["abs_gap_change"][2] < 0


def test_scale_verdict_at_the_large_parallel_slope_lower_bound():
    base = profiles(0.0, seed=3)
    below, above = edge(lambda t: stats.profile_ci(base + t * DEPTH, DEPTH)[1] > 0, -0.1, 0.1)
    no, yes = (claims.scale_narrowing(cell("tiny-gpt2-64", profiles(0.2)), cell("tiny-neox-64", profiles(0.0, seed=1)),
                                      cell("tiny-gpt2-128", profiles(0.2, seed=2)),
                                      cell("tiny-neox-128", base + t * DEPTH)) for t in (below, above))
    assert no.verdict.startswith("inconclusive (underpowered: ") and yes.verdict == "reproduced"
    falling = claims.scale_narrowing(cell("tiny-gpt2-64", profiles(0.2)), cell("tiny-neox-64", profiles(0.0, seed=1)),
                                     cell("tiny-gpt2-128", profiles(0.2, seed=2)),
                                     cell("tiny-neox-128", base - 0.05 * DEPTH))
    assert falling.verdict == "not reproduced"


def test_scale_gap_that_widens_does_not_narrow():
    v = scale(small_gap=0.0, large_par_slope=0.05)
    assert v.strict == "gap does not narrow" and v.numbers["abs_gap_change"][2] >= 0


@pytest.mark.parametrize("strength,inert", [(CONTROL_INERT_BELOW - 1e-4, True), (CONTROL_INERT_BELOW + 1e-4, False)])
def test_scale_control_inert_overrides_both_readings(strength, inert):
    v = scale(small_gap=0.2, large_par_slope=0.2, strength=strength)
    assert ((v.verdict, v.strict) == ("control inert", "control inert")) == inert


def cross(local, sensitivity, deviation):
    """A cell of three full fine-tuning runs with the given per-layer profiles (plus per-sequence noise)."""
    out = []
    for s in range(S):
        rng = np.random.default_rng(s)
        ds = fake_run(RunSpec("tiny-gpt2-64", seed=s), profile=0.1 + 0.01 * rng.random((N, L)),
                      local=np.asarray(local) + 0.01 * rng.random((N, L)))
        ds = ds.assign_coords(ls_seq=np.arange(N))
        results.put(ds, "sensitivity_seq", ("ls_seq", "layer"), np.asarray(sensitivity) + 0.01 * rng.random((N, L)))
        results.put(ds, "semantic_deviation_seq", ("seq", "layer"), np.asarray(deviation) + 0.01 * rng.random((N, L)))
        out.append(ds)
    return out


RISING, FALLING = np.linspace(0.1, 1.0, L), np.linspace(1.0, 0.1, L)


def test_cross_signs_follow_the_profiles():
    v = claims.cross_agreement(cross(RISING, FALLING, RISING), "A~B -, A~C +, B~C -")
    assert v.verdict == "A~B -, A~C +, B~C -" and v.reproduced
    assert v.numbers["set_A"] == "4-5-6" and v.numbers["set_C"] == "4-5-6" and v.numbers["overlap_AB"] == 0.0


def test_cross_unrelated_profiles_read_as_question_marks():
    flat = np.full(L, 0.5)
    v = claims.cross_agreement(cross(RISING, flat, flat), "A~B -, A~C +, B~C -")
    assert v.verdict == "A~B ?, A~C ?, B~C ?" and not v.reproduced


# --------------------------------------------------------------------------- width_by_architecture
# The units are the families: a grid shaped like the tiny tier's (9 families, each on its language-
# modelling objective and on cls, 3 seeds; family f3 an encoder on mlm), widths written in place.

WF, WS = 9, 3


@pytest.fixture(scope="module")
def width_grid():
    runs = []
    for f in range(WF):
        for objective in ("mlm" if f == 3 else "clm", "cls"):
            for s in range(WS):
                r = fake_run(RunSpec(f"tiny-f{f}-64", objective=objective, seed=s))
                r.attrs["family"] = f"f{f}"
                runs.append(r)
    return runs


def judge_widths(runs, widths):
    """width_by_architecture of `runs` given widths [families, 2 (lm, cls), seeds], in the grid's order."""
    for r, w in zip(runs, np.asarray(widths, dtype=float).reshape(-1)):
        r.variables["width"].values = np.float64(w)  # in place: a Dataset assignment costs a copy
    return claims.width_by_architecture(runs)


def widths_of(family=0.0, kind=0.0, interaction=0.0, seed=0.0, rng=0):
    """[WF, 2, WS] widths 3 + a_f + (∓kind/2) ± g_f + e: family effects a_f, interaction g_f and
    seed noise e standard normal (seeded) times the given scales."""
    rng = np.random.default_rng(rng)
    a, g = rng.standard_normal((2, WF))
    lat = 3 + family * a[:, None] + np.array([-kind / 2, kind / 2]) + interaction * np.stack([g, -g], 1)
    return lat[..., None] + seed * rng.standard_normal((WF, 2, WS))


def test_width_decided_at_the_extremes(width_grid):
    by_family = np.broadcast_to(np.arange(WF, dtype=float)[:, None, None], (WF, 2, WS))
    v = judge_widths(width_grid, by_family)
    assert v.numbers["share_difference"] == (1.0, 1.0, 1.0) and v.verdict == "reproduced"
    assert v.numbers["families"] == WF and v.numbers["runs"] == WF * 2 * WS
    by_kind = np.broadcast_to(np.array([2.0, 5.0])[None, :, None], (WF, 2, WS))
    v = judge_widths(width_grid, by_kind)
    assert v.numbers["share_difference"] == (-1.0, -1.0, -1.0) and v.verdict == "not reproduced"
    assert judge_widths(width_grid, np.full((WF, 2, WS), 4.0)).verdict == "inconclusive (every run has the same width)"


def test_width_units_are_families_not_runs(width_grid):
    # cells whose seeds agree: three times the runs add nothing, the interval stays where it was
    few = judge_widths(width_grid, widths_of(family=1.0, kind=1.5, interaction=0.8))
    many = claims.width_by_architecture(width_grid * 3)
    assert many.numbers["share_difference"] == pytest.approx(few.numbers["share_difference"], abs=1e-12)
    assert many.numbers["runs"] == 3 * WF * 2 * WS
    # a family of two models is one unit: its cells average into the family's
    split = [r.copy() for r in width_grid[:2 * WS]]
    for r in split:
        r.attrs["model"] = "tiny-f0b-64"
    v = claims.width_by_architecture(width_grid + split)
    assert v.numbers["families"] == WF and v.numbers["runs"] == (WF + 1) * 2 * WS


def spec_seed(run):
    return results.spec_of(run)["seed"]


def test_width_chance_levels_are_what_no_effect_explains():
    from depthcore.claims.paper_a import _width_components

    rng = np.random.default_rng(0)
    n = 20000

    def table(family, kind):
        a, g = rng.standard_normal((2, n, WF, 1))
        cells = family * a + np.array([-kind / 2, kind / 2]) + 0.8 * np.concatenate([g, -g], -1)
        runs = cells[..., None] + 0.7 * rng.standard_normal((n, WF, 2, WS))
        Y = runs.mean(-1)
        ss = ((runs - Y[..., None]) ** 2).sum((-1, -2))
        return Y, np.full((n, WF), 1 / WS), ss, np.full((n, WF), 2.0 * (WS - 1))

    def mean_and_se(x):
        return x.mean(), x.std() / np.sqrt(x.size)

    # no family effect: what the families' means spread is seed noise, v/2 on average
    p = _width_components(*table(family=0.0, kind=1.5))
    m, se = mean_and_se(p["family"])
    assert abs(m) < 3 * se and (p["family"] + p["family_chance"]).mean() > 10 * se
    # no kind effect: the square of its mean difference is what the families' spread puts there
    p = _width_components(*table(family=1.0, kind=0.0))
    m, se = mean_and_se(p["objective"])
    assert abs(m) < 3 * se and (p["objective"] + p["objective_chance"]).mean() > 10 * se
    # the components sum to the variance of one run's width about the grand mean, on average
    Y, c, ss, df = table(family=1.0, kind=1.5)
    truth = 1.0 + 1.5 ** 2 / 4 + 0.8 ** 2 + 0.7 ** 2
    m, se = mean_and_se(_width_components(Y, c, ss, df)["total"])
    assert abs(m - truth) < 3 * se


def test_width_permutation_chance_level_is_not_that_of_a_crossed_table():
    # eta^2 of g labels shuffled over n values averages (g - 1)/(n - 1); over the (family, kind)
    # table it is not the chance level of a family when the kind has an effect, which takes its
    # share of the total: eta^2 - (g - 1)/(n - 1) then averages below 0 (why the rule does not use it)
    rng = np.random.default_rng(1)
    n = 2 * WF
    families = np.repeat(np.arange(WF), 2)

    def eta2(values, labels):
        means = np.stack([values[..., labels == f].mean(-1) for f in range(WF)], -1)
        between = 2 * ((means - values.mean(-1, keepdims=True)) ** 2).sum(-1)
        return between / ((values - values.mean(-1, keepdims=True)) ** 2).sum(-1)

    noise = rng.standard_normal((20000, n))
    shuffled = eta2(noise, rng.permutation(families))
    assert shuffled.mean() == pytest.approx((WF - 1) / (n - 1), abs=3 * shuffled.std() / np.sqrt(shuffled.size))
    with_kind = eta2(noise + 1.5 * np.tile([-0.5, 0.5], WF), families) - (WF - 1) / (n - 1)
    assert with_kind.mean() < -10 * with_kind.std() / np.sqrt(with_kind.size)


def test_width_at_the_lower_bound(width_grid):
    base = widths_of(kind=1.5, interaction=0.8, seed=0.7, rng=3)
    effect = widths_of(family=1.0, rng=4) - 3

    def judge(t):
        return judge_widths(width_grid, base + t * effect)

    below, above = edge(lambda t: judge(t).numbers["share_difference"][1] > 0, 0.0, 20.0)
    no, yes = judge(below), judge(above)
    assert no.numbers["share_difference"][1] <= 0 < yes.numbers["share_difference"][1]
    assert no.numbers["share_difference"][2] > 0
    assert no.verdict == "inconclusive (underpowered: more families)" and yes.verdict == "reproduced"
    assert isinstance(no.numbers["families_needed"], int) and no.numbers["families_needed"] > WF


def test_width_at_the_upper_bound(width_grid):
    base = widths_of(family=1.0, interaction=0.8, seed=0.7, rng=5)
    effect = np.broadcast_to(np.array([-0.5, 0.5])[None, :, None], (WF, 2, WS))

    def judge(t):
        return judge_widths(width_grid, base + t * effect)

    above, below = edge(lambda t: judge(t).numbers["share_difference"][2] < 0, 0.0, 20.0)
    no, yes = judge(above), judge(below)
    assert no.numbers["share_difference"][2] >= 0 > yes.numbers["share_difference"][2]
    assert no.numbers["share_difference"][1] < 0
    assert no.verdict.startswith("inconclusive (") and yes.verdict == "not reproduced"


def test_width_is_deterministic(width_grid):
    w = widths_of(family=1.0, kind=1.5, interaction=0.8, seed=0.7)
    assert judge_widths(width_grid, w).numbers == judge_widths(width_grid, w).numbers


def test_width_refusals(width_grid):
    judge_widths(width_grid, widths_of(family=1.0, kind=1.5, interaction=0.8, seed=0.7))
    other_tau = width_grid[0].copy()
    other_tau["tau"] = 0.05
    with pytest.raises(ValueError, match="different thresholds tau"):
        claims.width_by_architecture([other_tau] + width_grid[1:])
    with pytest.raises(ValueError, match=">= 3 model families"):
        claims.width_by_architecture(width_grid[:2 * 2 * WS])
    no_cls = [r for r in width_grid if not (r.attrs["family"] == "f1" and r.attrs["objective"] == "cls")]
    with pytest.raises(ValueError, match=r"both objective kinds .* missing: f1 \(cls\)"):
        claims.width_by_architecture(no_cls)
    with pytest.raises(ValueError, match="run >= 2 seeds per cell"):
        claims.width_by_architecture([r for r in width_grid if spec_seed(r) == 0])


# Calibration through width_by_architecture itself: widths of a latent mu + a_f ∓ kind/2 ± g_f + e,
# rounded and clipped to the 6 layers of the tiny zoo; a_f, g_f, e normal with the given sds.
# MEASURED puts the tiny tier's measured components on the observed scale (family 1.107, objective
# kind 0.514, interaction 0.720, seed 0.633 layers^2: d = 0.1995); each null gives the kind the
# family's component, by a larger kind effect or by a smaller family spread.
MEASURED = {"mu": 3.813, "family": 1.225, "kind": 1.645, "interaction": 0.978, "seed": 0.833}
NULLS = {"null (kind raised)": {**MEASURED, "kind": 2.3648}, "null (family lowered)": {**MEASURED, "family": 0.8342}}
LAYERS = 6


def observed_share_difference(mu, family, kind, interaction, seed, n=400_000):
    """The population d of rounded, clipped widths: its components by Monte Carlo over families
    and exact sums over the seeds' noise (a family's (lm, cls) cell means, variance within them)."""
    from scipy.stats import norm

    rng = np.random.default_rng(7)
    a, g = rng.standard_normal((2, n, 1))
    latent = mu + family * a + np.array([-kind / 2, kind / 2]) + interaction * np.concatenate([g, -g], 1)
    edges = np.concatenate([[-np.inf], np.arange(LAYERS) + 0.5, [np.inf]])  # width w from latent in [w - ½, w + ½)
    prob = np.diff(norm.cdf((edges - latent[..., None]) / seed), axis=-1)  # [n, 2, LAYERS + 1]
    w = np.arange(LAYERS + 1)
    mean, var = prob @ w, prob @ w ** 2 - (prob @ w) ** 2
    rows, cols, grand = mean.mean(1), mean.mean(0), mean.mean()
    fam, obj = rows.var(), ((cols - grand) ** 2).mean()
    inter = ((mean - rows[:, None] - cols + grand) ** 2).mean()
    return (fam - obj) / (fam + obj + inter + var.mean())


def latent_widths(p, rng):
    a, g = rng.standard_normal((2, WF, 1))
    latent = p["mu"] + p["family"] * a + np.array([-p["kind"] / 2, p["kind"] / 2]) \
        + p["interaction"] * np.concatenate([g, -g], 1)
    return np.clip(np.round(latent[..., None] + p["seed"] * rng.standard_normal((WF, 2, WS))), 0, LAYERS)


@pytest.mark.slow
def test_width_calibration(width_grid, monkeypatch):
    monkeypatch.setattr(stats, "N_BOOT", 1000)  # the verdict's own resamples
    sims = 1000
    slack = 1.96 * np.sqrt(0.05 * 0.95 / sims)  # Monte-Carlo error of a rate of 5%
    table = {}
    for name, p in {**NULLS, "measured": MEASURED}.items():
        truth = observed_share_difference(**p)
        rng = np.random.default_rng(0)
        verdicts = [judge_widths(width_grid, latent_widths(p, rng)) for _ in range(sims)]
        iv = np.array([v.numbers["share_difference"] for v in verdicts])
        said = [v.verdict for v in verdicts]
        table[name] = {"d": truth, "reproduced": said.count("reproduced") / sims,
                       "not reproduced": said.count("not reproduced") / sims,
                       "coverage": float(np.mean((iv[:, 1] <= truth) & (truth <= iv[:, 2]))),
                       "mde": float(np.median([v.numbers["mde"] for v in verdicts]))}
    print("\n" + "\n".join(f"{k}: " + ", ".join(f"{m} {x:.4f}" for m, x in row.items()) for k, row in table.items()))
    assert table["measured"]["d"] == pytest.approx(0.1995, abs=0.005)
    for name in NULLS:
        row = table[name]
        assert abs(row["d"]) < 0.005
        assert row["reproduced"] + row["not reproduced"] <= 0.05 + slack, (name, row)
        assert row["coverage"] >= 0.95 - slack, (name, row)
    row = table["measured"]
    assert row["coverage"] >= 0.95 - slack and row["not reproduced"] <= 0.025 + slack, row
