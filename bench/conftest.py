"""Fixtures shared by the bench modules (the plugin's fixtures come from depthcore's pytest plugin,
its pytest11 entry point, in the suite mode pyproject.toml's `depthcore_suite = true` sets)."""

import pytest
import torch
from known import KNOWN

from depthcore.pytest_plugin import updating


@pytest.fixture
def one_thread():
    """Timings side by side on one thread: less noise from a shared machine's other cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


RECORDED_TIERS = ("tiny", "real")  # the tiers whose findings bench/known.py holds (the CPU tiers)


@pytest.fixture
def recorded(request):
    """This case's recorded finding (bench/known.py: verdict, stricter reading, numbers).

    `verdicts.judge(verdict, recorded)` fails on any change from it (on other numerics: on any
    change beyond numerics noise), so a move between two verdicts that both differ from the
    paper's turns the suite red too. A case of a recorded tier with no entry fails: a missing
    entry would silently drop the check. None for a GPU tier's case, and under
    --update-baselines or --force-update-baselines (a new case, about to be recorded).
    """
    name = request.node.name
    if name in KNOWN:
        return KNOWN[name]
    tier = next((t for t in RECORDED_TIERS if request.node.get_closest_marker(t)), None)
    if tier is None or updating(request.config):
        return None
    pytest.fail(f"{name}: no recorded finding in bench/known.py; record it with `pytest bench -k "
                f"'{request.node.originalname}' --update-baselines`, then `python bench/record_known.py`", pytrace=False)
