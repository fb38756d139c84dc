"""Tests for depthcore.config: RunSpec validation, its JSON round trip and its cache key.

The key (with the source hash) names a run in the cache, so two claims matter most: equal
runs get equal keys whatever order the caller listed frozen layers in, and a change to any
field gives another key (else the cache would serve one run's result for another).
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depthcore.config import (CONDITIONS, DEVICES, DOMAINS, DTYPES, GRANULARITIES, OBJECTIVES, OPTIMIZERS, RunSpec,
                              SpecError, model_name)

PROPERTY = settings(max_examples=50, deadline=None)  # deadline off: 2 shared cores, timings jitter
BASE = RunSpec(model="tiny-gpt2-64")
NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/.", min_size=1, max_size=20)
POSITIVE = st.floats(min_value=1e-8, max_value=10.0, allow_nan=False, allow_infinity=False)


# --- validation: every error names the field and how to fix it ---------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"objective": "seq2seq"}, r"RunSpec\.objective='seq2seq' is not known; use one of 'clm', 'mlm', 'cls'"),
        ({"condition": "equal"}, r"RunSpec\.condition='equal' is not known; use one of 'standard', 'equal_step'"),
        ({"optimizer": "adam"}, r"RunSpec\.optimizer='adam' is not known; use one of 'adamw', 'sgd'"),
        ({"control_granularity": "block"}, r"control_granularity='block' is not known; use one of 'layer', 'tensor'"),
        ({"dtype": "float16"}, r"RunSpec\.dtype='float16' is not known; use one of 'float32', 'bfloat16'"),
        ({"device": "mps"}, r"RunSpec\.device='mps' is not known; use one of 'cpu', 'cuda'"),
        ({"steps": 0}, r"RunSpec\.steps=0 must be a positive integer"),
        ({"steps": -3}, r"RunSpec\.steps=-3 must be a positive integer"),
        ({"batch_size": 0}, r"RunSpec\.batch_size=0 must be a positive integer"),
        ({"seq_len": 0}, r"RunSpec\.seq_len=0 must be a positive integer"),
        ({"log_every": 0}, r"RunSpec\.log_every=0 must be a positive integer"),
        ({"probe_size": 0}, r"RunSpec\.probe_size=0 must be a positive integer"),
        ({"lora_r": 0}, r"RunSpec\.lora_r=0 must be a positive integer"),
        ({"lr": 0.0}, r"RunSpec\.lr=0\.0 must be positive \(or None for the registry default\)"),
        ({"lr": -1e-4}, r"RunSpec\.lr=-0\.0001 must be positive"),
        ({"qlora": True}, r"qlora=True needs lora=True"),
        ({"control_target": "median"}, r"control_target='median': use 'mean' or a positive number"),
        ({"control_target": 0.0}, r"control_target=0\.0: use 'mean' or a positive number"),
        ({"control_target": -0.01}, r"control_target=-0\.01: use 'mean' or a positive number"),
        ({"control_target": float("nan")}, r"control_target=nan: use 'mean' or a positive number"),
        ({"control_target": True}, r"control_target=True: use 'mean' or a positive number"),
        ({"control_target": float("inf")}, r"control_target=inf: use 'mean' or a positive number"),
        ({"domain": "sport"}, r"RunSpec\.domain='sport' is not known; use one of 'business', .*'tech', 'python'"),
        ({"domain": "tech", "objective": "cls"}, r"domain='tech': 'cls' classifies all five categories; domain "
                                                 r"applies to objectives 'clm' and 'mlm' only"),
        ({"domain": "python", "objective": "cls"}, r"domain applies to objectives 'clm' and 'mlm' only"),
        ({"mask_rate": 0.0, "objective": "mlm"}, r"RunSpec\.mask_rate=0\.0 must be a fraction strictly between 0 and 1"),
        ({"mask_rate": 1.0, "objective": "mlm"}, r"RunSpec\.mask_rate=1\.0 must be a fraction strictly between"),
        ({"mask_rate": float("nan"), "objective": "mlm"}, r"RunSpec\.mask_rate=nan must be a fraction"),
        ({"mask_rate": True, "objective": "mlm"}, r"RunSpec\.mask_rate=True must be a fraction"),
        ({"mask_rate": 0.4}, r"RunSpec\.mask_rate=0\.4: mask_rate applies to objective 'mlm' only; leave it at 0\.15 "
                             r"for 'clm'"),
        ({"mask_rate": 0.3, "objective": "cls"}, r"mask_rate applies to objective 'mlm' only"),
        ({"warmup_frac": 1.0}, r"RunSpec\.warmup_frac=1\.0 must be a fraction of the steps in \[0, 1\)"),
        ({"warmup_frac": -0.1}, r"RunSpec\.warmup_frac=-0\.1 must be a fraction"),
        ({"warmup_frac": float("nan")}, r"RunSpec\.warmup_frac=nan must be a fraction"),
        ({"weight_decay": -1e-3}, r"RunSpec\.weight_decay=-0\.001 must be >= 0"),
        ({"weight_decay": float("inf")}, r"RunSpec\.weight_decay=inf must be >= 0"),
        ({"grad_clip": -1.0}, r"RunSpec\.grad_clip=-1\.0 must be >= 0 \(max global gradient norm; 0 is off\)"),
        ({"grad_clip": True}, r"RunSpec\.grad_clip=True must be >= 0"),
        ({"eval_size": 0}, r"RunSpec\.eval_size=0 must be a positive integer \(or None for the model's default\)"),
        ({"ls_size": 2.0}, r"RunSpec\.ls_size=2\.0 must be a positive integer"),
        ({"ls_size": 49}, r"RunSpec\.ls_size=49 > probe_size=48: .* raise probe_size or lower ls_size"),
    ],
    ids=lambda v: json.dumps(v, default=str) if isinstance(v, dict) else None,
)
def test_invalid_field_is_a_spec_error_that_names_the_fix(changes, message):
    with pytest.raises(SpecError, match=message):
        RunSpec(model="tiny-gpt2-64", **changes)


def test_spec_error_is_a_value_error():
    # callers that only know the standard library still catch it
    with pytest.raises(ValueError):
        RunSpec(model="m", steps=0)


def test_from_dict_rejects_unknown_keys_and_lists_the_known_ones():
    d = {**BASE.to_dict(), "learning_rate": 1e-3, "stepz": 3}
    with pytest.raises(SpecError, match=r"unknown RunSpec field\(s\) \['learning_rate', 'stepz'\]; known fields: .*'lr'"):
        RunSpec.from_dict(d)


def test_from_json_rejects_unknown_keys():
    with pytest.raises(SpecError, match=r"unknown RunSpec field\(s\) \['epochs'\]"):
        RunSpec.from_json(json.dumps({"model": "m", "epochs": 2}))


def test_valid_choices_are_accepted():
    for objective in OBJECTIVES:
        for condition in CONDITIONS:
            for optimizer in OPTIMIZERS:
                assert RunSpec(model="m", objective=objective, condition=condition, optimizer=optimizer).objective == objective
    for g in GRANULARITIES:
        assert RunSpec(model="m", control_granularity=g).control_granularity == g
    assert RunSpec(model="m", lora=True, qlora=True).qlora
    assert RunSpec(model="m", control_target=0.01).control_target == 0.01
    for domain in DOMAINS:
        assert RunSpec(model="m", domain=domain).domain == domain
        assert RunSpec(model="m", objective="mlm", domain=domain, mask_rate=0.4).mask_rate == 0.4
    assert RunSpec(model="m", objective="cls", mask_rate=0.15).mask_rate == 0.15  # the default is no choice


def test_mask_rate_and_domain_in_the_label():
    assert RunSpec("m", objective="mlm").label == "m/mlm/standard/adamw/s0"
    assert RunSpec("m", objective="mlm", mask_rate=0.4, domain="python").label == "m/mlm/standard/adamw/python/m0.4/s0"
    assert RunSpec("m", objective="mlm", mask_rate=1 / 3).label == "m/mlm/standard/adamw/m0.333333/s0"


def test_mask_rate_is_a_float():
    # mask_rate is stored as a float, so a Fraction and the float it equals are one run, one cache key
    from fractions import Fraction

    assert RunSpec("m", objective="mlm", mask_rate=Fraction(1, 2)).key() == RunSpec("m", objective="mlm", mask_rate=0.5).key()


@pytest.mark.parametrize("name", ["compile", "delta_rank"])
def test_switches_must_be_bools(name):
    with pytest.raises(SpecError, match=rf"RunSpec.{name}='yes' must be True or False"):
        RunSpec(model="m", **{name: "yes"})


def test_spec_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        BASE.steps = 3  # type: ignore[misc]


# --- JSON round trip ----------------------------------------------------------------------


@st.composite
def specs(draw) -> RunSpec:
    lora = draw(st.booleans())
    objective = draw(st.sampled_from(OBJECTIVES))
    return RunSpec(
        model=draw(NAME),
        objective=objective,
        condition=draw(st.sampled_from(CONDITIONS)),
        optimizer=draw(st.sampled_from(OPTIMIZERS)),
        lr=draw(st.none() | POSITIVE),
        steps=draw(st.integers(1, 10_000)),
        batch_size=draw(st.integers(1, 512)),
        seq_len=draw(st.integers(1, 4096)),
        seed=draw(st.integers(0, 2**31 - 1)),
        warmup_frac=draw(st.floats(0.0, 1.0, exclude_max=True)),  # RunSpec refuses 1.0
        weight_decay=draw(st.floats(0.0, 1.0)),
        grad_clip=draw(st.floats(0.0, 10.0)),
        freeze=tuple(draw(st.lists(st.integers(1, 48), max_size=6, unique=True))),
        train_only_layers=draw(st.booleans()),
        domain=None if objective == "cls" else draw(st.none() | st.sampled_from(DOMAINS)),
        mask_rate=draw(st.floats(0.01, 0.99)) if objective == "mlm" else 0.15,
        lora=lora,
        lora_r=draw(st.integers(1, 256)),
        lora_alpha=draw(st.integers(1, 512)),
        lora_targets=tuple(draw(st.lists(NAME, min_size=1, max_size=4))),
        qlora=lora and draw(st.booleans()),
        control_target=draw(st.just("mean") | POSITIVE),
        control_granularity=draw(st.sampled_from(GRANULARITIES)),
        log_every=draw(st.integers(1, 100)),
        probe_size=draw(st.integers(1, 1024)),
        device=draw(st.sampled_from(DEVICES)),
        dtype=draw(st.sampled_from(DTYPES)),
        compile=draw(st.booleans()),
        delta_rank=draw(st.booleans()),
    )


@PROPERTY
@given(specs())
def test_json_round_trip_is_exact(spec):
    back = RunSpec.from_json(spec.to_json())
    assert back == spec
    assert back.key() == spec.key()
    assert back.to_json() == spec.to_json()
    assert RunSpec.from_dict(spec.to_dict()) == spec


def test_to_json_is_canonical():
    # sorted keys: the key must not depend on the field order of the dataclass
    d = json.loads(BASE.to_json())
    assert list(d) == sorted(d)
    assert set(d) == {f.name for f in dataclasses.fields(RunSpec)}


# --- the cache key ------------------------------------------------------------------------


@PROPERTY
@given(st.lists(st.integers(1, 48), min_size=1, max_size=8, unique=True).flatmap(
    lambda xs: st.tuples(st.just(xs), st.permutations(xs))))
def test_freeze_order_is_normalised(orders):
    a, b = orders
    sa, sb = RunSpec(model="m", freeze=tuple(a)), RunSpec(model="m", freeze=tuple(b))
    assert sa.freeze == tuple(sorted(a))
    assert sa == sb
    assert sa.key() == sb.key()
    assert hash(sa) == hash(sb)


def test_freeze_accepts_a_list():
    assert RunSpec(model="m", freeze=[3, 1]).freeze == (1, 3)  # type: ignore[arg-type]
    assert RunSpec.from_dict({"model": "m", "freeze": [3, 1]}).key() == RunSpec(model="m", freeze=(1, 3)).key()


# one other valid value per field; qlora needs lora, so its pair is built from a LoRA spec
OTHER = {
    "model": "tiny-gpt2-128",
    "objective": "mlm",
    "condition": "equal_step",
    "optimizer": "sgd",
    "lr": 1e-3,
    "steps": 41,
    "batch_size": 4,
    "seq_len": 32,
    "seed": 1,
    "warmup_frac": 0.2,
    "weight_decay": 0.01,
    "grad_clip": 0.0,
    "freeze": (1,),
    "train_only_layers": True,
    "domain": "python",
    "mask_rate": 0.4,
    "lora": True,
    "lora_r": 8,
    "lora_alpha": 16,
    "lora_targets": ("q_proj",),
    "qlora": True,
    "control_target": 0.01,
    "control_granularity": "tensor",
    "log_every": 10,
    "probe_size": 16,
    "eval_size": 8,
    "ls_size": 4,
    "device": "cuda",
    "dtype": "bfloat16",
    "compile": True,
    "delta_rank": True,
}


def test_other_values_cover_every_field():
    # a new RunSpec field must be added to OTHER, so the next test covers it
    assert set(OTHER) == {f.name for f in dataclasses.fields(RunSpec)}


@pytest.mark.parametrize("field", sorted(OTHER))
def test_key_changes_with_every_field(field):
    base = {"qlora": BASE.replace(lora=True), "mask_rate": BASE.replace(objective="mlm")}.get(field, BASE)
    other = base.replace(**{field: OTHER[field]})
    assert getattr(other, field) != getattr(base, field)
    assert other.key() != base.key()
    assert other.replace(**{field: getattr(base, field)}).key() == base.key()


def test_key_is_stable():
    # the key names files on disk: it must not depend on the process (no hash() salt)
    assert BASE.key() == RunSpec(model="tiny-gpt2-64").key()
    assert len(BASE.key()) == 16
    assert int(BASE.key(), 16) >= 0


def test_a_local_checkpoint_is_named_by_its_directory(tmp_path, monkeypatch):
    ckpt = tmp_path / "checkpoints" / "my-finetune"
    ckpt.mkdir(parents=True)
    assert model_name(str(ckpt)) == "my-finetune"
    assert model_name(str(ckpt) + "/") == "my-finetune"
    monkeypatch.chdir(ckpt.parent)
    assert model_name("my-finetune") == "my-finetune"
    assert model_name(".") == "checkpoints"
    spec = RunSpec(model=str(ckpt), objective="cls")
    assert spec.label == "my-finetune/cls/standard/adamw/s0"
    assert spec.model == str(ckpt), "the spec keeps the full path"


@pytest.mark.parametrize("name", ["tiny-gpt2-64", "minilm", "EleutherAI/pythia-160m", "gpt2"])
def test_registry_names_and_hub_ids_are_named_as_given(name):
    assert model_name(name) == name
    assert RunSpec(model=name).label.startswith(name + "/")
