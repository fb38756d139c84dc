"""depthcore.report: figure content, cells and verdicts, splitting concatenated files, the HTML page.

All from synthetic results (tests/synthetic.py): no model, no training.
"""

import functools

import numpy as np
import pytest
from synthetic import fake_run

from depthcore import claims, report, results
from depthcore.config import RunSpec

BASE = RunSpec("tiny-gpt2-64", optimizer="sgd")


pytestmark = pytest.mark.usefixtures("fewer_resamples")  # tests/conftest.py: 200 resamples


@functools.cache
def _grid():
    runs = [fake_run(BASE.replace(model=m, condition=c, seed=s))
            for m in ("tiny-gpt2-64", "tiny-neox-64") for c in ("standard", "equal_step") for s in (0, 1)]
    runs += [fake_run(BASE.replace(freeze=f)) for f in ((4, 5, 6), (1, 2, 3))]
    runs += [fake_run(BASE.replace(optimizer="adamw", lora=True, lr=lr)) for lr in (2e-4, 1e-3)]
    return runs


def grid():
    """2 families x 2 conditions x 2 seeds, + 2 freeze runs, + 2 LoRA runs (copies: tests may not share state)."""
    return [r.copy(deep=True) for r in _grid()]


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_profile_figure_one_panel_per_family_conditions_overlaid():
    fig = report.profile_figure(grid())
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 2
    for ax, family in zip(axes, ("gpt2", "gpt_neox")):
        assert family in ax.get_title()
        assert len(ax.get_lines()) == 2  # standard, equal_step (freeze and LoRA runs are not full FT)
        assert legend_texts(ax) == ["standard (2 seeds)", "equal_step (2 seeds)"]
        assert len(ax.collections) == 2  # one CI band per line
        assert ax.get_xlabel() == report.DEPTH_LABEL and "dimensionless" in ax.get_ylabel()
        std, ctrl = ax.get_lines()
        assert std.get_linestyle() == "-" and ctrl.get_linestyle() == "--"
        assert len(std.get_xdata()) == 6
        # the line is the mean over seeds and sequences of the per-sequence values
        assert std.get_ydata()[-1] > ctrl.get_ydata()[-1]


def test_profile_figure_variants_get_colors_and_names():
    runs = [fake_run(BASE.replace(objective=o, condition=c)) for o in ("clm", "cls") for c in ("standard", "equal_step")]
    (ax,) = [a for a in report.profile_figure(runs).axes if a.get_visible()]
    assert legend_texts(ax) == ["clm standard", "clm equal_step", "cls standard", "cls equal_step"]
    colors = [line.get_color() for line in ax.get_lines()]
    assert colors[0] == colors[1] != colors[2] == colors[3]


def test_forest_one_row_per_cell_with_null():
    runs = grid()
    fig = report.forest_figure(runs)
    slope, rel = fig.axes  # absolute slope, relative slope
    labels = [t.get_text() for t in slope.get_yticklabels()]
    assert len(labels) == 6  # 4 plain cells + 2 freeze cells; LoRA runs are left out
    assert "tiny-gpt2-64/clm/standard/sgd (n=2)" in labels
    assert legend_texts(rel) == ["standard", "matched random null", "equal_step"]
    assert "slope" in slope.get_xlabel() and "[Δ per unit depth]" in slope.get_xlabel()
    assert "relative slope" in rel.get_xlabel()
    for ax in (slope, rel):  # one marker line per cell and one per null: 12 errorbar containers
        assert len(ax.containers) == 12


def test_lora_figure_one_line_per_run():
    fig = report.lora_figure(grid())
    (ax,) = [a for a in fig.axes if a.get_visible()]
    assert len(ax.get_lines()) == 2
    assert legend_texts(ax) == ["0.0002", "0.001"]
    assert "|ΔW|" in ax.get_ylabel() and ax.get_xlabel() == report.DEPTH_LABEL


def test_freeze_figure_bars_per_variant():
    fig = report.freeze_figure(grid())
    (ax,) = [a for a in fig.axes if a.get_visible()]
    ticks = [t.get_text().split("\n")[0] for t in ax.get_xticklabels()]
    assert ticks == ["full FT", "layers 1,2,3 frozen", "layers 4,5,6 frozen"]
    assert len(ax.patches) == 6  # new-domain and old-domain bars per variant
    assert legend_texts(ax) == ["new domain, before fine-tuning", "old domain, before fine-tuning",
                                "new domain (fine-tuned on)", "old domain (forgetting)"]
    assert "nats" in ax.get_ylabel()


def test_no_freeze_or_lora_runs_no_such_figure():
    runs = [fake_run(BASE)]
    assert report.freeze_figure(runs) is None and report.lora_figure(runs) is None


def test_verdicts_on_cells():
    vs = claims.verdicts(grid())
    names = sorted((v.claim, v.model) for v in vs)
    assert names == [("control_comparable", "tiny-gpt2-64"), ("control_comparable", "tiny-neox-64"),
                     ("equal_step", "tiny-gpt2-64"), ("equal_step", "tiny-neox-64"),
                     ("local_vs_propagated", "tiny-gpt2-64"), ("local_vs_propagated", "tiny-neox-64"),
                     ("lora_locus", "tiny-gpt2-64"), ("output_proximal", "tiny-gpt2-64"),
                     ("output_proximal", "tiny-neox-64")]
    # each standard cell's local_vs_propagated row follows its output_proximal row
    order = [v.claim for v in vs if v.claim in ("output_proximal", "local_vs_propagated")]
    assert order == ["output_proximal", "local_vs_propagated"] * 2
    # each equal-step cell's control_comparable row follows its equal_step row
    assert [v.claim for v in vs if v.claim in ("equal_step", "control_comparable")] == ["equal_step",
                                                                                        "control_comparable"] * 2
    eq = {v.model: v for v in vs if v.claim == "equal_step"}
    assert eq["tiny-gpt2-64"].expected == "retained" and eq["tiny-neox-64"].numbers["seeds"] == 2


def test_split_runs_round_trips_a_sweep_file(tmp_path):
    runs = grid()
    ds = results.concat(runs, provenance=True)
    results.write(ds, tmp_path / "sweep.nc")
    back = report.load_runs([tmp_path])
    assert len(back) == len(runs)
    for a, b in zip(runs, back):
        assert b.attrs["label"] == a.attrs["label"] and b.attrs["family"] == a.attrs["family"]
        assert set(b.data_vars) == set(a.data_vars)
        np.testing.assert_array_equal(a["rep_change_cos_seq"].values, b["rep_change_cos_seq"].values)


def test_split_runs_of_plain_concat_recovers_family():
    (back,) = report.split_runs(results.concat([fake_run(BASE.replace(model="minilm", objective="mlm"))]))
    assert back.attrs["family"] == "bert"


def test_a_local_checkpoint_is_named_by_its_directory(tmp_path):
    ckpt = tmp_path / "a" / "long" / "path" / "my-finetune"
    ckpt.mkdir(parents=True)
    runs = [fake_run(BASE.replace(model=str(ckpt), condition=c)) for c in ("standard", "equal_step")]
    for back in report.split_runs(results.concat(runs)):
        assert back.attrs["model"] == "my-finetune" and back.attrs["label"].startswith("my-finetune/")
        assert results.spec_of(back)["model"] == str(ckpt), "the full path stays in the result"
    (ax,) = [a for a in report.profile_figure(runs).axes if a.get_visible()]
    assert ax.get_title().endswith(": my-finetune") and str(tmp_path) not in ax.get_title()


def test_load_runs_errors(tmp_path):
    with pytest.raises(results.ResultError, match="no sweep.nc and no runs"):
        report.load_runs([tmp_path])
    with pytest.raises(results.ResultError, match="no such directory or .nc file"):
        report.load_runs([tmp_path / "nope"])


def test_write_report(tmp_path):
    index = report.write_report(grid(), tmp_path / "rep")
    text = index.read_text()
    for name in ("depth-profile.png", "slope-forest.png", "lora-delta.png", "freeze.png"):
        assert (tmp_path / "rep" / name).stat().st_size > 1000
        assert f"src='{name}'" in text
    assert "output_proximal" in text and "<table>" in text
    assert "equal_step" in (tmp_path / "rep" / "verdicts.txt").read_text()
    assert "<a href='design.md'>design.md</a>" in text, "the page links its definitions"
    assert (tmp_path / "rep" / "design.md").read_text() == report.DESIGN.read_text()


def test_report_without_the_design_document_names_it(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "DESIGN", tmp_path / "absent.md")
    text = report.write_report(grid()[:2], tmp_path / "rep").read_text()
    assert "docs/design.md in the depthcore repository" in text and not (tmp_path / "rep" / "design.md").exists()


def test_plot_profile(tmp_path):
    fig = report.plot_profile(fake_run(BASE), tmp_path / "p.png")
    (ax,) = fig.axes
    assert legend_texts(ax) == ["end-to-end Δ_l", "local Δ_l", "matched random null"]
    assert (tmp_path / "p.png").exists()


def test_adjusted_counts_adjust_each_claims_cells_for_many_comparisons():
    rows = [{"claim": "output_proximal", "tier": "tiny", "verdict": "reproduced", "expected": "reproduced", "p": p}
            for p in (0.001, 0.02, 0.04)]
    rows.append({"claim": "output_proximal", "tier": "tiny", "verdict": "not reproduced", "expected": "reproduced",
                 "p": 0.5})
    rows.append({"claim": "local_vs_propagated", "tier": "tiny", "verdict": "x", "expected": "", "p": 0.01})
    # BH over 4 cells: 0.004, 0.04, 0.0533, 0.5 -> two of the three reproductions stay at 5%
    assert report.adjusted_counts(rows) == ["output_proximal (tiny): reproduced 3/4, 2 after adjustment"]
