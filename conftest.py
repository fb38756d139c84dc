"""depthcore's own suite. Its pytest plugin (depthcore.pytest_plugin) comes from the package's
pytest11 entry point; pyproject.toml's `depthcore_suite = true` turns on the suite's session
behaviour there. Here: the short flags the suite's docs and workflows use, and what tests/ and
bench/ both use."""

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("depthcore")
    group.addoption("--gpu", dest="depthcore_gpu", action="store_true", default=False,
                    help="short for --depthcore-gpu (depthcore's own suite)")
    group.addoption("--no-run-cache", dest="depthcore_no_run_cache", action="store_true", default=False,
                    help="short for --depthcore-no-run-cache (depthcore's own suite)")


@pytest.fixture(scope="session")
def large_vocab_model(tmp_path_factory) -> str:
    """A directory holding a model outside the registry whose head costs 16x its blocks: a
    random-init Llama of width 32, 2 blocks and a tied 250k-token head, with the tiny zoo's tokenizer."""
    import torch
    import transformers as tf

    from depthcore import data

    tok = data.tiny_tokenizer()
    where = tmp_path_factory.mktemp("large-vocab")
    config = tf.LlamaConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                            num_key_value_heads=2, max_position_embeddings=64, vocab_size=250_000,
                            tie_word_embeddings=True, pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                            eos_token_id=tok.eos_token_id)
    torch.manual_seed(0)
    tf.LlamaForCausalLM(config).save_pretrained(where)
    tok.save_pretrained(where)
    return str(where)
