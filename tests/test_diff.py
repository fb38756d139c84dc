"""`depthcore diff BASE TUNED` and `depthcore run --save-model`: a pair of checkpoints profiled as a
run profiles its model before and after fine-tuning, on tiny-gpt2-64 and its own fine-tunes (full
and LoRA, saved by `depthcore run --save-model`); every refused input."""

import contextlib
import dataclasses
import io
import json
import shutil

import numpy as np
import pytest
import torch

import depthcore
from depthcore import cli, diff, engine, results, zoo
from depthcore.config import RunSpec

pytestmark = pytest.mark.slow  # each module fixture fine-tunes a model (full, LoRA) to diff against

BASE = "tiny-gpt2-64"
# a few steps, and few held-out and LS/TP sequences: what is compared here is the profile
SPEC = RunSpec(BASE, steps=4, batch_size=4, seq_len=32, probe_size=8, eval_size=4, ls_size=2)
PROBE = dict(probe_size=8, seq_len=32, null_draws=2)


def run_cli(*argv):
    try:
        return cli.main([str(a) for a in argv])
    except SystemExit as e:
        return e.code


def saved_run(spec, path):
    """The run's result, its fine-tuned model saved into `path` as `depthcore run --save-model` saves it
    (the command's plumbing: tests/test_cli.py)."""
    return engine.run(spec, on_trained=lambda model, tok: cli.save_model(model, tok, path, spec.model))


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    """(directory, the run's result) of a 4-step full fine-tune of BASE."""
    path = tmp_path_factory.mktemp("full") / "model"
    return path, saved_run(SPEC, path)


@pytest.fixture(scope="module")
def adapter(tmp_path_factory):
    """(directory, the run's result) of a 4-step LoRA fine-tune of BASE; the directory holds its peft adapter."""
    path = tmp_path_factory.mktemp("lora") / "adapter"
    return path, saved_run(dataclasses.replace(SPEC, lora=True), path)


@pytest.fixture(scope="module")
def cli_diff(tuned, tmp_path_factory):
    """(the command's output, the result file) of `depthcore diff BASE <the full fine-tune>`."""
    out = tmp_path_factory.mktemp("diff") / "d.nc"
    argv = ["diff", BASE, tuned[0], "--probe-size", "8", "--seq-len", "32", "--null-draws", "2", "-o", out]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert run_cli(*argv) == 0
    return printed.getvalue(), out


@pytest.fixture(scope="module")
def tuned_diff(cli_diff):
    return results.read(cli_diff[1])


def test_a_diff_of_a_runs_saved_model_measures_what_the_run_measured(tuned, tuned_diff):
    _, run = tuned
    d = tuned_diff
    for var in ("rep_change_cos_seq", "rep_change_local_seq", "rep_change_cka", "semantic_deviation_seq",
                "rel_update", "dW_absmean", "weight_norm"):
        np.testing.assert_allclose(d[var].values, run[var].values, rtol=1e-6, atol=1e-9, err_msg=var)
    # the first null draw is the run's own null (engine.null_model with seed 0)
    np.testing.assert_allclose(d["null_rep_change_cos_draws"].values[0], run["null_rep_change_cos_seq"].values,
                               rtol=1e-6, atol=1e-9)
    assert d.sizes["null_draw"] == 2 and not np.allclose(*d["null_rep_change_cos_draws"].values)
    np.testing.assert_allclose(float(d.null_slope), d["null_slope_draw"].values.mean())
    assert float(d.excess_slope_lo) < float(d.excess_slope) < float(d.excess_slope_hi)
    assert float(d.probe_loss_tuned) < float(d.probe_loss_base)  # trained on the same domain
    for name, (units, _) in results.VARIABLES.items():
        if name in d:
            assert d[name].attrs["units"] == units


def test_weight_change_by_kind_and_its_effective_rank(tuned_diff):
    d = tuned_diff
    assert list(d["kind"].values) == ["attention", "mlp", "norm", "embedding"]  # GPT-2's head is the embedding
    assert (d["kind_rel_update"].values > 0).all() and (d["rel_update"].values > 0).all()
    # every matrix of a full fine-tune changes: its ΔW has many directions, though fewer than a Gaussian's
    assert (d["dW_erank"].values > 1).all() and (d["dW_erank"].values < d["dW_erank_gauss"].values).all()
    assert (d["dW_erank_gauss"].values <= 64).all()
    assert d.attrs["base_weights"] != d.attrs["tuned_weights"] and d.attrs["base_weights"].startswith("sha256:")


def test_a_lora_adapter_applied_to_its_base_gives_the_lora_runs_profile(adapter):
    path, run = adapter
    assert json.loads((path / "adapter_config.json").read_text())["base_model_name_or_path"] == BASE
    d = depthcore.diff(BASE, str(path), **PROBE)
    np.testing.assert_allclose(d["rep_change_cos_seq"].values, run["rep_change_cos_seq"].values, rtol=1e-6,
                               atol=1e-9)
    np.testing.assert_allclose(d["dW_absmean"].values, run["dW_absmean"].values, rtol=1e-6)  # the adapted matrices
    kinds = dict(zip(d["kind"].values, d["kind_rel_update"].values))
    assert kinds["attention"] > 0 and kinds["mlp"] == kinds["norm"] == kinds["embedding"] == 0
    assert (d["dW_erank"].values >= 1).all() and (d["dW_erank"].values <= 16).all()  # rank r = 16 at most
    assert d.attrs["tuned_adapter"] == 1


def test_a_zero_diff_is_zero_everywhere():
    d = depthcore.diff(BASE, BASE, **PROBE)
    for var in ("rep_change_cos_seq", "rep_change_local_seq", "null_rep_change_cos_draws", "rel_update",
                "kind_rel_update", "dW_erank", "dW_erank_gauss"):
        assert (d[var].values == 0).all(), var
    assert float(d.slope) == 0 and float(d.width) == 0 and np.isnan(float(d.rel_slope))
    assert diff.verdicts(d) == []


def test_the_cli_writes_result_and_plot_and_report_reads_it(cli_diff, tmp_path):
    text, out = cli_diff
    assert "output_proximal" in text and "local_vs_propagated" in text and "by kind: attention" in text
    assert out.with_suffix(".png").stat().st_size > 1000
    assert run_cli("report", out, "-o", tmp_path / "rep") == 0
    table = (tmp_path / "rep" / "verdicts.txt").read_text()
    assert "output_proximal" in table and "null_draws 2" in table and "probe_loss_base" in table
    assert (tmp_path / "rep" / "diff-1.png").stat().st_size > 1000
    assert "1 checkpoint diffs" in (tmp_path / "rep" / "index.html").read_text()


def test_a_probe_file_of_lines_or_jsonl(tuned, tmp_path):
    docs = ["The film won three awards at the festival last night, its director said.",
            "A new phone chip doubles battery life, according to the company's engineers."]
    (tmp_path / "p.txt").write_text("\n".join(docs) + "\n\n")
    (tmp_path / "p.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in docs))
    assert diff.read_probe_file(tmp_path / "p.txt") == diff.read_probe_file(tmp_path / "p.jsonl") == docs
    a = depthcore.diff(BASE, str(tuned[0]), probe_file=tmp_path / "p.jsonl", **PROBE)
    assert a.sizes["seq"] == 2  # one sequence per document (each under 32 tokens)
    assert "p.jsonl (sha256:" in a.attrs["probe"] and (a["rep_change_cos"].values > 0).all()


# --------------------------------------------------------------------------- refused inputs


@pytest.fixture(scope="module")
def others(tuned, tmp_path_factory, tok, tiny_gpt2):
    """Checkpoints a diff with BASE refuses: another shape; the fine-tune with another tokenizer."""
    out = tmp_path_factory.mktemp("others")
    small = tiny_gpt2()
    small.save_pretrained(out / "small")
    tok.save_pretrained(out / "small")
    shutil.copytree(tuned[0], out / "other-tok")
    spec = json.loads((out / "other-tok" / "tokenizer.json").read_text())
    vocab = spec["model"]["vocab"]
    a, b = sorted(vocab, key=vocab.get)[300:302]  # two ordinary tokens swap ids: same size, other ids
    vocab[a], vocab[b] = vocab[b], vocab[a]
    (out / "other-tok" / "tokenizer.json").write_text(json.dumps(spec))
    return out


def refused(capsys, tmp_path, *argv):
    out = tmp_path / "refused.nc"
    rc = run_cli("diff", *argv, "--probe-size", "8", "--seq-len", "32", "-o", out)
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert not out.exists() and not out.with_suffix(".png").exists()  # nothing written
    return err


def test_refuses_another_architecture(capsys, tmp_path, others):
    err = refused(capsys, tmp_path, BASE, others / "small")
    assert "BASE (tiny-gpt2-64) has 6 blocks of 64, TUNED" in err and "4 of 32" in err


def test_refuses_another_tokenizer(capsys, tmp_path, others):
    assert "tokenize the probe text differently" in refused(capsys, tmp_path, BASE, others / "other-tok")


def test_refuses_an_adapter_for_another_base(capsys, tmp_path, others, adapter):
    err = refused(capsys, tmp_path, others / "small", adapter[0])
    assert "is a peft adapter for 'tiny-gpt2-64', not for BASE" in err


@pytest.mark.parametrize("content,message", [(None, "no such file"), ("\n  \n", "no document in it"),
                                             ('{"txt": "a"}\n', ':1: not a JSON object with a "text" string')])
def test_refuses_a_missing_or_empty_probe_file(capsys, tmp_path, content, message):
    path = tmp_path / "probe.jsonl"
    if content is not None:
        path.write_text(content)
    assert message in refused(capsys, tmp_path, BASE, BASE, "--probe-file", path)


def test_refuses_a_hub_model_not_in_the_cache_with_its_fetch_command(capsys, tmp_path):
    if zoo.is_cached("pythia-160m"):
        pytest.skip("pythia-160m is in the local Hugging Face cache here")
    assert "hf download EleutherAI/pythia-160m" in refused(capsys, tmp_path, "pythia-160m", BASE)


def test_save_model_refuses_a_directory_in_use(tmp_path, capsys):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "x").write_text("mine")
    assert run_cli("run", "--model", BASE, "--save-model", tmp_path / "m", "-o", tmp_path / "r.nc") == 2
    assert "exists and is not an empty directory" in capsys.readouterr().err
    assert not (tmp_path / "r.nc").exists()
