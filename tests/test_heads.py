"""depthcore.heads: which class carries each objective's head, the last-token classification head
for families transformers has none for, and the seeded initialisation of new head weights.

Models are built from toy configs with random weights (no pretraining, no download); each test
takes well under a second. Loading a causal checkpoint into these heads: tests/test_zoo.py.
"""

from __future__ import annotations

import pytest
import torch
import transformers as tf

from depthcore import heads


@pytest.mark.parametrize("model_type,objective,expected", [
    ("gpt2", "clm", tf.AutoModelForCausalLM),
    ("bert", "mlm", tf.AutoModelForMaskedLM),
    ("gpt2", "cls", tf.AutoModelForSequenceClassification),
    ("bert", "cls", tf.AutoModelForSequenceClassification),
])
def test_model_class_is_transformers_own_where_it_has_one(model_type, objective, expected):
    assert heads.model_class(model_type, objective) is expected


@pytest.mark.parametrize("model_type,backbone", [("codegen", "CodeGenModel"), ("mamba", "MambaModel"),
                                                 ("mamba2", "Mamba2Model"), ("rwkv", "RwkvModel")])
def test_families_without_a_classification_head_get_ours(model_type, backbone):
    cls = heads.model_class(model_type, "cls")
    assert issubclass(cls, heads._LastTokenClassification) and issubclass(cls, tf.PreTrainedModel)
    assert cls.backbone_class is getattr(tf, backbone)
    assert heads.model_class(model_type, "cls") is cls  # built once
    with pytest.raises(KeyError):
        heads.model_class(model_type, "seq2seq")


def _codegen_cls(seed: int = 0):
    torch.manual_seed(seed)
    config = tf.CodeGenConfig(n_embd=32, n_layer=2, n_head=2, n_positions=16, n_ctx=16, rotary_dim=8, vocab_size=64,
                              pad_token_id=0, num_labels=5, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    return heads.model_class("codegen", "cls")(config).eval()


def test_last_token_head_scores_the_last_real_tokens_final_hidden_state():
    model = _codegen_cls()
    ids = torch.randint(1, 64, (3, 10), generator=torch.Generator().manual_seed(0))
    lengths = torch.tensor([10, 7, 3])
    mask = (torch.arange(10)[None, :] < lengths[:, None]).long()
    ids = ids * mask  # padded with pad_token_id 0 at the end
    labels = torch.tensor([4, 0, 2])
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
        h = model.transformer(input_ids=ids, attention_mask=mask).last_hidden_state
        expected = model.score(h[torch.arange(3), lengths - 1])
        by_pad_id = model(input_ids=ids).logits  # no mask: the last non-pad token
    assert out.logits.shape == (3, 5)
    torch.testing.assert_close(out.logits, expected, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(out.loss, torch.nn.functional.cross_entropy(expected, labels), rtol=1e-6, atol=1e-6)
    # causal attention: what follows the last real token does not reach it, so the pad ids find the same token
    torch.testing.assert_close(by_pad_id, out.logits, rtol=1e-5, atol=1e-6)
    assert model.score.bias is None


def _bert_cls():
    config = tf.BertConfig(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
                           vocab_size=64, max_position_embeddings=16, num_labels=5, initializer_range=0.05)
    return tf.BertForSequenceClassification(config)


NEW = ["classifier.weight", "classifier.bias", "bert.pooler.dense.weight", "bert.embeddings.LayerNorm.weight"]


def test_new_parameters_are_seeded_normal_weights_zero_biases_and_unit_norms():
    model = _bert_cls()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    rng_state = torch.random.get_rng_state()
    heads.init_new_parameters(model, NEW + ["not.a.parameter"], seed=3)
    assert torch.equal(torch.random.get_rng_state(), rng_state)  # the caller's random stream is untouched
    params = dict(model.named_parameters())
    assert (params["classifier.bias"] == 0).all() and (params["bert.embeddings.LayerNorm.weight"] == 1).all()
    torch.manual_seed(3)  # the draws: N(0, initializer_range), in the names' sorted order
    for name in sorted(n for n in NEW if n.endswith("dense.weight") or n == "classifier.weight"):
        assert torch.equal(params[name], torch.empty_like(params[name]).normal_(0.0, 0.05)), name
    for name, value in before.items():  # everything else as it was
        if name not in NEW:
            assert torch.equal(params[name], value), name


def test_new_parameters_depend_on_the_seed_only():
    a, b, c = _bert_cls(), _bert_cls(), _bert_cls()
    for model, seed in ((a, 1), (b, 1), (c, 2)):
        heads.init_new_parameters(model, NEW, seed=seed)
    assert torch.equal(a.classifier.weight, b.classifier.weight)
    assert not torch.equal(a.classifier.weight, c.classifier.weight)
