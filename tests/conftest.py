"""Fixtures shared by the unit tests."""

import functools

import pytest
import torch

from depthcore import cache, data, stats


@pytest.fixture(scope="module")
def tmp_cache(tmp_path_factory):
    """A module's own empty depthcore cache (tiny tokenizer, zoo, runs), restored afterwards."""
    before = cache._override
    cache.set_cache_root(tmp_path_factory.mktemp("depthcore-cache"))
    yield cache.cache_root()
    cache.set_cache_root(before)


@pytest.fixture(scope="module")
def tok():
    """The tiny zoo's tokenizer, from the cache the module has when it first asks: the real one,
    or, in a module that uses `tmp_cache` first (`pytest.mark.usefixtures`), trained into that."""
    return data.tiny_tokenizer()


def random_gpt2(tok, seed: int = 0):
    """A random 4-layer GPT-2 (width 32, no dropout) with `tok`'s vocabulary and special ids, in eval mode."""
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    cfg = GPT2Config(n_layer=4, n_embd=32, n_head=2, vocab_size=len(tok), n_positions=64,
                     pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                     resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    return GPT2LMHeadModel(cfg).eval()


@pytest.fixture(scope="module")
def tiny_gpt2(tok):
    """`tiny_gpt2(seed=0)`: `random_gpt2` with the module's tokenizer (no pretraining, no download)."""
    return functools.partial(random_gpt2, tok)


@pytest.fixture
def fewer_resamples(monkeypatch):
    """CIs with 200 resamples instead of stats.N_BOOT: the same rules, 5x faster."""
    monkeypatch.setattr(stats, "N_BOOT", 200)


@pytest.fixture
def keep_threads():
    """torch's thread count as it was before the test, whatever the test sets."""
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)
