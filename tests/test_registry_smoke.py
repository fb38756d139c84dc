"""The GPU tiers' code paths on CPU, and architectures outside the family table.

Every registry entry (small, medium and large tiers) is built from its architecture's config
at 2 blocks and width 32-64 with random weights (tests/hubcache.py), written into a local
Hugging Face hub cache in the hub's own layout, found there by its registry name with
HF_HUB_OFFLINE=1, and run through `engine.run` for two steps with the equal-step control on:
no hub model's code path runs first on a GPU runner. Then architectures transformers knows
but depthcore's family table does not load, train, profile and report from a local directory.
"""

import numpy as np
import pytest
import transformers as tf

from depthcore import claims, cli, engine, results, zoo
from depthcore.config import RunSpec
from depthcore.layers import attention_targets, detect_block_type, family_of

from hubcache import LAYERS, RECIPES, build, point_hub_cache, reduced_config, save_to_hub_cache

# two optimizer steps, every diagnostic on a handful of sequences
TWO_STEPS = dict(steps=2, batch_size=2, seq_len=16, probe_size=4, eval_size=4, ls_size=2, log_every=1)


# runs, and the tokenizer (tests/conftest.py `tok`), go to this module's own empty cache
pytestmark = [pytest.mark.usefixtures("tmp_cache"), pytest.mark.slow]  # fine-tunes every architecture


@pytest.fixture(scope="module")
def hub(tmp_path_factory, tok):
    """A hub cache holding every registry entry in miniature; large-tier ones sharded as published."""
    root = tmp_path_factory.mktemp("hub")
    for name, info in zoo.REGISTRY.items():
        model = build(reduced_config(name, tok), "mlm" if info.kind == "encoder" else "clm")
        save_to_hub_cache(root, info.hf_id, model, tok, max_shard_size="200KB" if info.tier == "large" else None)
    return root


def test_every_registry_entry_has_a_recipe():
    assert sorted(RECIPES) == sorted(zoo.REGISTRY)


@pytest.mark.parametrize("name", list(zoo.REGISTRY))
def test_registry_entry_runs_two_equal_steps_from_the_hub_cache(name, hub, monkeypatch):
    point_hub_cache(monkeypatch, hub)
    info = zoo.REGISTRY[name]
    assert zoo.is_cached(name) and zoo.is_cached(info.hf_id)
    objective = info.objectives[0]
    run = engine.run(RunSpec(model=name, objective=objective, condition="equal_step", optimizer="sgd", **TWO_STEPS))
    assert run.sizes["layer"] == LAYERS
    assert run.attrs["block_type"] == info.block_type and run.attrs["family"] == info.family
    loaded, _, _ = zoo.load(name, objective)
    assert family_of(loaded.config).block_type == info.block_type  # the table's type agrees with the config's flags
    assert claims.control_is_equal(run) < 1e-3  # the control acted on this architecture's blocks
    for var in ("rel_update", "rep_change_cos", "rep_change_local", "sensitivity", "task_position"):
        assert np.isfinite(run[var].values).all(), var


def test_hub_id_resolves_offline_and_a_cut_download_is_not_cached(hub, monkeypatch, tmp_path):
    point_hub_cache(monkeypatch, hub)
    model, _, info = zoo.load("EleutherAI/pythia-2.8b", "clm")
    assert info.name == "pythia-2.8b" and type(model).__name__ == "GPTNeoXForCausalLM"
    # a sharded download missing one shard: config and index present, weights incomplete
    repo = next(hub.glob("models--EleutherAI--pythia-6.9b"))
    shard = sorted((repo / "snapshots").glob("*/model-00001-of-*.safetensors"))[0]
    shard.unlink()
    assert not zoo.is_cached("pythia-6.9b")
    with pytest.raises(zoo.ModelNotCached, match="download EleutherAI/pythia-6.9b"):
        zoo.load("pythia-6.9b", "clm")


# Architectures outside the family table: (config, what its config says of the block type, the
# block type of a run: the config's, or where it says nothing, read off the loaded model's block).
UNLISTED = {
    "stablelm": (tf.StableLmConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=2,
                                   num_key_value_heads=2, max_position_embeddings=64, use_parallel_residual=False),
                 "sequential", "sequential"),
    "falcon": (tf.FalconConfig(hidden_size=32, num_hidden_layers=3, num_attention_heads=2, parallel_attn=True,
                               new_decoder_architecture=False, multi_query=True, alibi=False), "parallel", "parallel"),
    "phi": (tf.PhiConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=2,
                         max_position_embeddings=64), "unknown", "parallel"),
    "roberta": (tf.RobertaConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=2,
                                 max_position_embeddings=80), "unknown", "sequential"),
}


@pytest.fixture(scope="module")
def unlisted(tmp_path_factory, tok):
    """Local checkpoint directories of the UNLISTED architectures, random weights, tiny tokenizer."""
    dirs = {}
    for model_type, (config, *_) in UNLISTED.items():
        assert model_type not in engine.FAMILIES
        for key, value in dict(vocab_size=len(tok), pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                               eos_token_id=tok.eos_token_id).items():
            setattr(config, key, value)
        kind = family_of(config).kind
        path = tmp_path_factory.mktemp(model_type)
        build(config, "mlm" if kind == "encoder" else "clm").save_pretrained(path)
        tok.save_pretrained(path)
        dirs[model_type] = path
    return dirs


@pytest.mark.parametrize("model_type", list(UNLISTED))
def test_unlisted_architecture_loads_trains_profiles_and_reports(model_type, unlisted, tmp_path, capsys):
    config, stated, block_type = UNLISTED[model_type]
    info = zoo.model_info(str(unlisted[model_type]))
    assert (info.family, info.block_type, info.n_layers) == (model_type, stated, 3)
    objective = info.objectives[0]
    assert objective == ("mlm" if model_type == "roberta" else "clm")
    run = engine.run(RunSpec(model=str(unlisted[model_type]), objective=objective, **TWO_STEPS))
    assert run.attrs["block_type"] == block_type and run.sizes["layer"] == 3
    assert np.isfinite(run["rel_update"].values).all() and (run["rel_update"].values > 0).all()
    results.write(run, tmp_path / "run.nc")
    assert cli.main(["report", str(tmp_path / "run.nc"), "-o", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report" / "index.html").stat().st_size > 0


@pytest.mark.parametrize("model_type", list(UNLISTED))
def test_unlisted_architecture_lora_adapts_its_attention(model_type, unlisted):
    path = str(unlisted[model_type])
    loaded, _, info = zoo.load(path, zoo.model_info(path).objectives[0])
    targets = attention_targets(loaded)
    assert targets and all("attn" in t.lower() or "attention" in t.lower() for t in targets)
    assert zoo.lora_target_modules(path) == targets
    run = engine.run(RunSpec(model=path, objective=info.objectives[0], lora=True, **TWO_STEPS))
    moved = run["rel_update"].values
    assert np.isfinite(moved).all() and (moved > 0).all()  # every block has adapted attention


@pytest.mark.parametrize("model_type", list(UNLISTED))
def test_unlisted_architecture_block_type_is_detected_and_agrees_with_its_config(model_type, unlisted):
    _, stated, block_type = UNLISTED[model_type]
    path = str(unlisted[model_type])
    model, _, info = zoo.load(path, zoo.model_info(path).objectives[0])
    assert info.block_type == block_type  # where the config is silent, load reads it off the block
    detected, why = detect_block_type(model)
    assert detected == block_type, why  # and where the config says, the block agrees
