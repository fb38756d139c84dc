"""Fixtures shared by the bench modules (the plugin's fixtures come from the root conftest)."""

import pytest
import torch


@pytest.fixture
def one_thread():
    """Timings side by side on one thread: less noise from a shared machine's other cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
