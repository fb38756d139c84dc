"""depthcore.tinyzoo: names, configs, the pretraining schedule, cache keys, and how a pretrained
model lands in the cache (once, atomically).

No real pretraining here (`_pretrain` is replaced where a model would be made): the real one,
tiny-gpt2-64 with its meta.json, is tests/test_zoo.py's module fixture.
"""

from __future__ import annotations

import json
import math

import pytest

from depthcore import data, layers, tinyzoo
from depthcore.config import UnknownModel


def test_names():
    assert len(tinyzoo.TINY_NAMES) == len(tinyzoo.TINY_FAMILIES) * len(tinyzoo.TINY_WIDTHS)
    assert len(tinyzoo.tiny_names()) == len(tinyzoo.TINY_FAMILIES)
    assert set(tinyzoo.tiny_names(None)) == set(tinyzoo.TINY_NAMES)
    assert tinyzoo.tiny_names(128)[0] == "tiny-gpt2-128" and all(n.endswith("-128") for n in tinyzoo.tiny_names(128))
    assert tinyzoo.parse_name("tiny-mamba2-128") == ("mamba2", 128)


@pytest.mark.parametrize("family", tinyzoo.TINY_FAMILIES)
def test_configs_share_the_tokenizer_depth_and_width(family):
    config = tinyzoo.tiny_config(family, 64)
    assert (config.hidden_size, config.num_hidden_layers) == (64, tinyzoo.TINY_LAYERS)
    assert (config.vocab_size, config.pad_token_id) == (data.TOKENIZER_VOCAB, 0)
    assert config.model_type in layers.FAMILIES
    assert tinyzoo.tiny_config(family, 128, n_layers=2).hidden_size == 128


def test_unknown_family_and_name():
    with pytest.raises(UnknownModel, match="no tiny-zoo family 'gpt3'"):
        tinyzoo.tiny_config("gpt3", 64)
    with pytest.raises(UnknownModel, match="unknown model 'tiny-gpt2-96'"):
        tinyzoo.tiny_path("tiny-gpt2-96")


def test_schedule_warms_up_linearly_then_decays_to_the_floor():
    s = tinyzoo.PretrainSettings()  # 800 steps, 80 of warmup, peak 3e-3, floor 10%
    lrs = [tinyzoo._lr_at(step, s) for step in range(s.steps)]
    warm = int(s.warmup_frac * s.steps)
    assert lrs[0] == pytest.approx(s.lr / warm) and lrs[warm - 1] == pytest.approx(s.lr)
    assert all(b > a for a, b in zip(lrs[:warm], lrs[1:warm]))
    assert lrs[warm] == pytest.approx(s.lr)
    assert all(b <= a for a, b in zip(lrs[warm:], lrs[warm + 1:]))
    assert lrs[-1] == pytest.approx(s.lr * (s.min_lr_frac + (1 - s.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * 719 / 720))))
    assert min(lrs[warm:]) >= s.min_lr_frac * s.lr


def test_settings_per_family():
    assert tinyzoo.pretrain_settings("tiny-gpt2-64") == tinyzoo.PretrainSettings()
    bert = tinyzoo.pretrain_settings("tiny-bert-128")
    assert (bert.steps, bert.mlm_probability) == (1200, 0.3)
    assert tinyzoo.pretrain_settings("tiny-rwkv-64").batch_size == 32


def test_cache_key_changes_with_the_model_and_its_settings(tmp_cache, monkeypatch):
    path = tinyzoo.tiny_path("tiny-gpt2-64")
    assert path.parent == tmp_cache / "zoo" and path.name.startswith("tiny-gpt2-64-")
    assert tinyzoo.tiny_path("tiny-gpt2-64") == path
    key = path.name.rsplit("-", 1)[1]
    assert len(key) == 16 and tinyzoo.tiny_path("tiny-gpt2-128").name.rsplit("-", 1)[1] != key
    monkeypatch.setitem(tinyzoo._TINY_SETTINGS, "gpt2", tinyzoo.PretrainSettings(steps=801))
    assert tinyzoo.tiny_path("tiny-gpt2-64").name.rsplit("-", 1)[1] != key


def test_a_model_is_pretrained_once_and_lands_whole(tmp_cache, monkeypatch):
    made = []

    def pretrain(name, dest):
        made.append(name)
        if len(made) == 1:
            (dest / "half-written").write_text("x")
            raise RuntimeError("killed")
        (dest / "meta.json").write_text(json.dumps({"name": name}))
        return {"name": name}

    monkeypatch.setattr(tinyzoo, "_pretrain", pretrain)
    with pytest.raises(RuntimeError, match="killed"):
        tinyzoo.ensure_pretrained("tiny-opt-64")
    dest = tinyzoo.tiny_path("tiny-opt-64")
    assert not dest.exists() and not list(dest.parent.glob(".tiny-opt-64-*")), "a failed pretraining leaves nothing"
    assert tinyzoo.ensure_pretrained("tiny-opt-64") == dest
    assert tinyzoo.pretrain_all(["tiny-opt-64"]) == [{"name": "tiny-opt-64"}]  # served from the cache
    assert made == ["tiny-opt-64", "tiny-opt-64"] and not (dest / "half-written").exists()
