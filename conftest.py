"""depthcore's own suite. Its pytest plugin (depthcore.pytest_plugin) comes from the package's
pytest11 entry point; pyproject.toml's `depthcore_suite = true` turns on the suite's session
behaviour there. Here: the short flags the suite's docs and workflows use."""


def pytest_addoption(parser):
    group = parser.getgroup("depthcore")
    group.addoption("--gpu", dest="depthcore_gpu", action="store_true", default=False,
                    help="short for --depthcore-gpu (depthcore's own suite)")
    group.addoption("--no-run-cache", dest="depthcore_no_run_cache", action="store_true", default=False,
                    help="short for --depthcore-no-run-cache (depthcore's own suite)")
