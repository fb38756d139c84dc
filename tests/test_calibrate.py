"""depthcore.calibrate: the draws keep the stored cells' variance, the harness catches a rule that
decides too often, and every verdict rule on the repository's baselines decides a null cell in at
most 7% of 2,000 synthetic cells, its interval covering the truth in at least 93% but for the one
named in COVERAGE_BELOW (docs/statistics.md)."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from depthcore import calibrate, stats
from depthcore.claims import Verdict
from depthcore.cli import main

BASELINES = Path(__file__).resolve().parent.parent / "baselines"
OUTPUT_PROXIMAL = calibrate.RULES[0]


def _cell(rule=OUTPUT_PROXIMAL, tier="tiny"):
    paths = sorted((BASELINES / tier / "cpu").glob(rule.files.format(tier=tier)))
    return calibrate.Cell(rule, paths[0])


def test_noise_free_fill_writes_the_centers_into_every_seed_and_sequence():
    cell = _cell()
    cell.fill(cell.centers, None)
    for run in cell.arms[0]:
        np.testing.assert_allclose(run["rep_change_cos_seq"].values, np.broadcast_to(
            cell.centers[(0, "rep_change_cos_seq")], run["rep_change_cos_seq"].shape))


def test_draws_keep_the_stored_cells_seed_and_probe_variance():
    """Averaged over draws, the per-seed slope's variance over seeds and the jackknife probe variance
    are those of the stored cell (the probe level's a little larger: its sequence effects carry the
    seeds' residual once more, by (1 + 1/S) at most)."""
    cell = _cell()
    depth = cell.depth
    stored = stats.profile_ci(cell.data[(0, "rep_change_cos_seq")], depth)
    rng = np.random.default_rng(0)
    seed_var, probe_var = [], []
    for _ in range(600):
        cell.fill(cell.centers, rng)
        iv = stats.profile_ci(np.stack([r["rep_change_cos_seq"].values for r in cell.arms[0]]), depth)
        seed_var.append(iv.seed_var)
        probe_var.append(iv.probe_var)
    assert np.mean(seed_var) == pytest.approx(stored.seed_var, rel=0.15)
    assert stored.probe_var * 0.85 <= np.mean(probe_var) <= stored.probe_var * (1 + 1 / cell.seeds) * 1.15


def test_the_harness_catches_a_rule_that_decides_from_the_seeds_range():
    """The percentile bootstrap over 3 seeds is their [min, max]: the harness must measure it deciding far
    more than 5% of null cells, through the same path as every rule."""

    def min_max(arms):
        per_seed = stats.fit_slope(np.stack([r["rep_change_cos_seq"].values.mean(0) for r in arms[0]]),
                                   arms[0][0]["depth"].values)
        iv = (float(per_seed.mean()), float(per_seed.min()), float(per_seed.max()))
        verdict = "reproduced" if iv[1] > 0 else "not reproduced" if iv[2] < 0 else "inconclusive"
        return Verdict("min_max", model="m", verdict=verdict, expected="reproduced", numbers={"slope": iv})

    rule = dataclasses.replace(OUTPUT_PROXIMAL, name="min_max", judge=min_max)
    row = calibrate.calibrate_rule(rule, "tiny", [_cell(rule)], sims=400)
    assert row["false_decision"] > 0.15


def test_calibration_is_deterministic_across_worker_counts():
    rules = ("deviation_ablation", "first_n_frozen")  # in RULES order, as the rows come
    one = calibrate.calibrate(BASELINES, sims=20, tiers=("tiny",), workers=1, rules=rules)
    two = calibrate.calibrate(BASELINES, sims=20, tiers=("tiny",), workers=2, rules=rules)
    assert one == two
    assert [r["rule"] for r in one] == list(rules)


def test_command_prints_the_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "cal.json"
    assert main(["calibrate", "--sims", "3", "--tier", "tiny", "--rule", "first_n_frozen", "--baselines",
                 str(BASELINES), "--json", str(out), "--workers", "1"]) == 0
    rows = json.loads(out.read_text())
    assert [(r["rule"], r["tier"], r["sims"]) for r in rows] == [("first_n_frozen", "tiny", 3)]
    assert {"rule", "tier", "seeds", "false_decision", "coverage", "power"} <= set(rows[0])
    assert "first_n_frozen" in capsys.readouterr().out


def test_command_without_baselines_says_where_to_run_it(tmp_path, capsys):
    assert main(["calibrate", "--baselines", str(tmp_path / "none")]) == 2
    assert "run from the repository root or pass --baselines" in capsys.readouterr().err


def test_an_unknown_rule_is_named_with_the_known_ones():
    with pytest.raises(ValueError, match="no rule named .'nope'.*output_proximal"):
        calibrate.calibrate(BASELINES, sims=1, rules=("nope",))


@pytest.mark.slow
def test_every_rule_decides_at_most_7_percent_of_null_cells():
    """2,000 cells per rule and tier at seed 0: a true rate of 5% is measured to +-0.005 (one standard
    error), so 0.07 allows four of them."""
    rows = calibrate.calibrate(BASELINES, sims=calibrate.SIMS, seed=0)
    assert {r["rule"] for r in rows if r["tier"] == "tiny"} == {rule.name for rule in calibrate.RULES}
    assert {f"{r['rule']} [{r['tier']}]": r["false_decision"] for r in rows if r["false_decision"] > 0.07} == {}
    # a 95% interval, within Monte-Carlo error and the small bias of nonlinear statistics; but one
    # measured below (docs/statistics.md): a fix, or any other rule falling below, turns this red
    assert {f"{r['rule']} [{r['tier']}]" for r in rows if r["coverage"] < 0.93} == COVERAGE_BELOW


# The real tier's one lora_locus cell (8 runs, 30 layers): its Fisher-z jackknife interval covers
# 0.91 of effect cells while deciding 0.01 of null cells.
COVERAGE_BELOW = {"lora_locus [real]"}
