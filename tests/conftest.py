"""Fixtures shared by the unit tests."""

import pytest

from depthcore import cache


@pytest.fixture(scope="module")
def tmp_cache(tmp_path_factory):
    """A module's own empty depthcore cache (tiny tokenizer, zoo, runs), restored afterwards."""
    before = cache._override
    cache.set_cache_root(tmp_path_factory.mktemp("depthcore-cache"))
    yield cache.cache_root()
    cache.set_cache_root(before)
