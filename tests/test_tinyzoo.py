"""depthcore.tinyzoo: names, configs, the pretraining schedule, cache keys, and how a pretrained
model lands in the cache (once, atomically).

No full pretraining here (`_pretrain` is replaced where a model would be made, or cut to a few
steps): the real one, tiny-gpt2-64 with its meta.json, is tests/test_zoo.py's module fixture.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import torch
from safetensors.torch import load_file

from depthcore import data, layers, tinyzoo
from depthcore.config import RunSpec, UnknownModel
from depthcore.train import NonFiniteLoss


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


def test_pretraining_follows_the_schedule_and_decays_matrices_only():
    s = tinyzoo.PretrainSettings()
    spec = RunSpec(model="tiny-gpt2-64", steps=s.steps, weight_decay=s.weight_decay)
    strategy = tinyzoo.Pretraining(spec, s, tokenizer=None)
    assert [strategy.lr_at(spec, s.lr)(k) for k in range(s.steps)] == [tinyzoo._lr_at(k, s) for k in range(s.steps)]
    _, _, config = tinyzoo._build_tiny("tiny-gpt2-64")
    named = list(tinyzoo.head_class("gpt2").from_config(config).named_parameters())
    decay, rest = strategy.optimizer(spec, named, s.lr).param_groups
    assert (decay["weight_decay"], rest["weight_decay"], decay["betas"]) == (s.weight_decay, 0.0, s.betas)
    names = {id(p): n for n, p in named}
    assert {names[id(p)] for p in decay["params"]} == {n for n, p in named if p.ndim >= 2 and "emb" not in n}
    assert len(decay["params"]) + len(rest["params"]) == len(named)


def test_masked_pretraining_draws_fresh_masks_every_step(monkeypatch):
    seen = []
    monkeypatch.setattr(tinyzoo.Local, "loss", lambda self, forward, batch: seen.append(batch) or torch.zeros(()))
    s = tinyzoo.pretrain_settings("tiny-bert-64")
    spec = RunSpec(model="tiny-bert-64", objective="mlm", mask_rate=s.mlm_probability)
    tok = data.tiny_tokenizer()
    x = {"input_ids": torch.randint(5, len(tok), (8, 64), generator=torch.Generator().manual_seed(0))}
    first = tinyzoo.Pretraining(spec, s, tok)
    first.loss(None, x), first.loss(None, x), tinyzoo.Pretraining(spec, s, tok).loss(None, x)
    masked = [b["labels"] != -100 for b in seen]
    assert not torch.equal(masked[0], masked[1]) and torch.equal(masked[0], masked[2])  # fresh, and seeded
    assert abs(float(masked[0].float().mean()) - s.mlm_probability) < 0.06  # 512 tokens at 30%
    assert torch.equal(seen[0]["labels"][masked[0]], x["input_ids"][masked[0]])


def short(monkeypatch, name: str, **settings) -> None:
    """Pretrain `name` for a few steps only, on 64 of the corpus' windows and evaluated on 64."""
    family = tinyzoo.parse_name(name)[0]
    monkeypatch.setitem(tinyzoo._TINY_SETTINGS, family, dataclasses.replace(
        tinyzoo.pretrain_settings(name), **{"steps": 6, "batch_size": 2, "log_every": 4, **settings}))
    tokens = data.pretraining_tokens
    monkeypatch.setattr(tinyzoo.data, "pretraining_tokens", lambda *a: tuple(t[:64] for t in tokens(*a)))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tiny-gpt2-64", "tiny-bert-64"])
def test_pretraining_goes_through_run_steps_and_is_deterministic(name, tmp_path, monkeypatch):
    short(monkeypatch, name)
    specs = []
    run_steps = tinyzoo.run_steps
    monkeypatch.setattr(tinyzoo, "run_steps", lambda *a, **k: specs.append(a[3]) or run_steps(*a, **k))
    a, b = (tinyzoo._pretrain(name, tmp_path / d) for d in "ab")
    assert [(s.steps, s.batch_size, s.objective) for s in specs] == [(6, 2, "mlm" if "bert" in name else "clm")] * 2
    assert [step for step, _ in a["loss_curve"]] == [4, 6] and a["loss_curve"] == b["loss_curve"]
    wa, wb = (load_file(tmp_path / d / "model.safetensors") for d in "ab")
    assert wa.keys() == wb.keys() and all(torch.equal(wa[k], wb[k]) for k in wa)


@pytest.mark.slow
def test_pretraining_stops_on_non_finite_weights_and_writes_nothing(tmp_path, monkeypatch):
    short(monkeypatch, "tiny-gpt2-64", lr=1e39)  # past float32: the first update makes the weights inf
    with pytest.raises(NonFiniteLoss, match="non-finite .* of tiny-gpt2-64/clm"):
        tinyzoo._pretrain("tiny-gpt2-64", tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


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
