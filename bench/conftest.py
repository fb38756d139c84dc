"""Fixtures shared by the bench modules (the plugin's fixtures come from the root conftest)."""

import pytest
import torch
from known import KNOWN


@pytest.fixture
def one_thread():
    """Timings side by side on one thread: less noise from a shared machine's other cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def recorded(request):
    """This case's recorded finding (bench/known.py: verdict, stricter reading, numbers), or None.

    `verdicts.judge(verdict, recorded)` fails on any change from it (on other numerics: on any
    change beyond numerics noise), so a move between two verdicts that both differ from the
    paper's turns the suite red too.
    """
    return KNOWN.get(request.node.name)
