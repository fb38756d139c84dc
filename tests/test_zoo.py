"""depthcore.zoo: names, errors, offline hub handling, and one real tiny-zoo pretraining.

The module fixture pretrains tiny-gpt2-64 into a temp cache once (~45 s on 2 CPU cores);
every test that needs a pretrained model reuses it.
"""

from __future__ import annotations

import json

import pytest
import torch
import transformers as tf

from depthcore import cache, data, layers, tinyzoo, zoo
from depthcore.config import TINY_LR


@pytest.fixture(scope="module")
def gpt2(tmp_cache):
    """tiny-gpt2-64, pretrained for real into the temp cache."""
    model, tok, info = zoo.load("tiny-gpt2-64", "clm")
    return model, tok, info, tinyzoo.tiny_path("tiny-gpt2-64")


def test_unknown_model_lists_names():
    with pytest.raises(zoo.UnknownModel) as err:
        zoo.load("no-such-model", "clm")
    msg = str(err.value)
    for name in ["tiny-gpt2-64", "tiny-rwkv-128", "minilm", "pythia-160m", "opt-6.7b", "hf download"]:
        assert name in msg


@pytest.mark.parametrize(
    "name,objective,works",
    [("tiny-gpt2-64", "mlm", "clm, cls"), ("tiny-mamba2-64", "mlm", "clm, cls"), ("minilm", "clm", "mlm, cls"), ("tiny-bert-64", "clm", "mlm, cls")],
)
def test_wrong_objective(name, objective, works, tmp_cache):
    with pytest.raises(zoo.ObjectiveNotSupported, match=f"supports: {works}"):
        zoo.load(name, objective)
    if name.startswith("tiny-") and name != "tiny-gpt2-64":
        assert not zoo.is_cached(name), "the objective is checked before any pretraining"


def test_missing_hub_model_says_how_to_fetch():
    missing = [n for n in ["pythia-6.9b", "opt-6.7b", "rwkv-1b5", "mamba-1.4b"] if not zoo.is_cached(n)]
    if not missing:
        pytest.skip("every candidate is in the local Hugging Face cache")
    name = missing[0]
    hf_id = zoo.REGISTRY[name].hf_id
    with pytest.raises(zoo.ModelNotCached) as err:
        zoo.load(name, "clm")
    assert isinstance(err.value, RuntimeError)
    assert f"hf download {hf_id}" in str(err.value)
    assert zoo.fetch_command(name) == f"hf download {hf_id}"
    assert not zoo.is_cached(hf_id)  # the hub id resolves like the name


def test_registry_is_consistent():
    assert len(zoo.REGISTRY) == 20
    for info in zoo.REGISTRY.values():
        assert info.block_type == layers.FAMILIES[info.family].block_type
        assert info.tier in ("small", "medium", "large") and info.params > 100e6
        assert set(info.lr) == {"adamw", "sgd"}
        assert zoo.model_info(info.hf_id) == info
    assert zoo.REGISTRY["pythia-160m"].block_type == "parallel"
    assert zoo.REGISTRY["opt-125m"].block_type == "sequential"
    assert zoo.REGISTRY["mamba-130m"].block_type == "ssm" and zoo.REGISTRY["rwkv-169m"].block_type == "rnn"


def test_tiny_zoo_info():
    blocks = {zoo.model_info(n).block_type for n in tinyzoo.tiny_names()}
    assert blocks == {"sequential", "parallel", "ssm", "rnn"}
    info = zoo.model_info("tiny-neox-128")
    assert (info.family, info.block_type, info.d_model, info.n_layers) == ("gpt_neox", "parallel", 128, 6)
    for name in tinyzoo.TINY_NAMES:
        for opt in ("adamw", "sgd"):
            assert zoo.model_info(name).lr_for(opt) > 0
    # the rate of a run without RunSpec.lr (engine.run): an objective's own rate ("sgd/cls" in
    # config.TINY_LR) overrides the optimizer's
    gpt2 = zoo.model_info("tiny-gpt2-64")
    assert gpt2.lr_for("sgd", "cls") == TINY_LR["gpt2"]["sgd/cls"]
    assert gpt2.lr_for("sgd", "clm") == gpt2.lr_for("sgd") == TINY_LR["gpt2"]["sgd"]
    assert TINY_LR["gpt2"]["sgd/cls"] != TINY_LR["gpt2"]["sgd"]


def test_lora_targets():
    assert zoo.lora_target_modules("gpt2") == ["attn.c_attn", "attn.c_proj"]
    assert zoo.lora_target_modules("tiny-llama-64") == ["k_proj", "o_proj", "q_proj", "v_proj"]
    assert zoo.lora_target_modules("bert", ("q_proj", "custom")) == ["attention.self.query", "custom"]


@pytest.mark.parametrize("family", ["codegen", "mamba2", "rwkv", "gpt2"])
def test_cls_from_a_causal_checkpoint(family, tmp_path):
    """Families without a transformers classification head get ours; the body loads, the head is seeded."""
    config = tinyzoo.tiny_config(family, 64, n_layers=2)
    torch.manual_seed(0)
    lm = tf.AutoModelForCausalLM.from_config(config)
    lm.save_pretrained(tmp_path)
    data.tiny_tokenizer().save_pretrained(tmp_path)
    model, tok, info = zoo.load(str(tmp_path), "cls", seed=3)
    assert info.source == "path" and info.family == config.model_type and info.n_layers == 2
    assert not model.training and model.config.pad_token_id == tok.pad_token_id
    body = {k: v for k, v in lm.state_dict().items() if "lm_head" not in k}
    mine = model.state_dict()
    assert all(torch.equal(v, mine[k]) for k, v in body.items() if k in mine)
    assert sum(k in mine for k in body) >= len(body) - 1  # all but a tied/unused embedding name
    again, _, _ = zoo.load(str(tmp_path), "cls", seed=3)
    other, _, _ = zoo.load(str(tmp_path), "cls", seed=4)
    assert torch.equal(model.score.weight, again.score.weight)
    assert not torch.equal(model.score.weight, other.score.weight)
    batch = data.make_split("cls", tok, "probe", seq_len=32, n=8)
    with torch.no_grad():
        out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], labels=batch["labels"])
    assert out.logits.shape == (8, 5) and torch.isfinite(out.loss)
    # pooling uses the last real token: padding more does not change the logits
    padded = torch.nn.functional.pad(batch["input_ids"], (0, 8), value=tok.pad_token_id)
    mask = torch.nn.functional.pad(batch["attention_mask"], (0, 8))
    with torch.no_grad():
        out2 = model(input_ids=padded, attention_mask=mask)
    assert torch.allclose(out.logits, out2.logits, atol=1e-5)


def test_minilm_mlm_and_cls():
    mlm, tok, info = zoo.load("minilm", "mlm", seed=0)
    assert info.source == "package" and len(layers.find_layers(mlm)) == 6
    assert type(mlm).__name__ == "BertForMaskedLM"
    # the decoder is tied to the (pretrained) word embeddings; only the transform and bias are new
    assert mlm.cls.predictions.decoder.weight.data_ptr() == mlm.bert.embeddings.word_embeddings.weight.data_ptr()
    again, _, _ = zoo.load("minilm", "mlm", seed=0)
    assert torch.equal(mlm.cls.predictions.transform.dense.weight, again.cls.predictions.transform.dense.weight)
    cls, _, _ = zoo.load("minilm", "cls", seed=0)
    assert cls.config.num_labels == 5 and cls.config.id2label[4] == "tech"


# --------------------------------------------------------------------------- the real pretraining


@pytest.mark.slow
def test_pretrained_meta(gpt2):
    model, tok, info, path = gpt2
    meta = json.loads((path / "meta.json").read_text())
    assert meta["heldout_loss"] < meta["unigram_loss"] - 0.5, "pretraining must clearly beat a unigram model"
    assert meta["steps"] == tinyzoo.pretrain_settings("tiny-gpt2-64").steps
    assert meta["tokens_seen"] == meta["steps"] * meta["settings"]["batch_size"] * meta["settings"]["seq_len"]
    assert len(meta["layer_weight_norms"]) == 6 and all(w > 0 for w in meta["layer_weight_norms"])
    assert meta["wall_seconds"] > 0 and meta["params"] == info.params
    assert meta["loss_curve"][-1][0] == meta["steps"]
    assert path.parent == cache.cache_root() / "zoo" and path.name.startswith("tiny-gpt2-64-")
    assert not list(path.parent.glob(".tiny-gpt2-64-*")), "no temp directory left behind"
    assert zoo.is_cached("tiny-gpt2-64")
    norms = [float(torch.sqrt(sum(p.double().pow(2).sum() for p in b.parameters()))) for b in layers.find_layers(model)]
    assert norms == pytest.approx(meta["layer_weight_norms"], rel=1e-6)


@pytest.mark.slow
def test_loaded_model(gpt2):
    model, tok, info, _ = gpt2
    assert not model.training
    assert model.config.pad_token_id == tok.pad_token_id == 0
    assert all(p.dtype == torch.float32 for p in model.parameters())
    assert (info.name, info.source, info.tier, info.kind) == ("tiny-gpt2-64", "tiny", "tiny", "decoder")
    batch = data.make_split("clm", tok, "heldout", seq_len=64, n=16)
    with torch.no_grad():
        loss = model(**batch).loss
    assert loss < data.unigram_loss(tok, 64)


@pytest.mark.slow
def test_load_twice_is_identical(gpt2):
    model, _, _, path = gpt2
    meta = (path / "meta.json").read_text()
    again, _, _ = zoo.load("tiny-gpt2-64", "clm")
    assert (path / "meta.json").read_text() == meta, "served from the cache, not pretrained again"
    a, b = model.state_dict(), again.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.slow
def test_cls_head_is_seeded(gpt2):
    model, _, _, _ = gpt2
    c0, _, _ = zoo.load("tiny-gpt2-64", "cls", seed=0)
    c0b, _, _ = zoo.load("tiny-gpt2-64", "cls", seed=0)
    c1, _, _ = zoo.load("tiny-gpt2-64", "cls", seed=1)
    assert torch.equal(c0.score.weight, c0b.score.weight)
    assert not torch.equal(c0.score.weight, c1.score.weight)
    assert torch.equal(c0.transformer.h[3].mlp.c_fc.weight, model.transformer.h[3].mlp.c_fc.weight)


@pytest.mark.slow
def test_zoo_status(gpt2):
    rows = {r["name"]: r for r in zoo.zoo_status()}
    assert set(rows) == {*tinyzoo.TINY_NAMES, *zoo.PACKAGE_MODELS, *zoo.REGISTRY}
    assert rows["tiny-gpt2-64"]["cached"] and rows["tiny-gpt2-64"]["available"]
    assert rows["minilm"]["available"]
    for r in rows.values():
        if r["source"] == "hub" and not r["cached"]:
            assert r["fetch"] == f"hf download {r['hf_id']}" and not r["available"]
