# Root conftest: load depthcore's pytest plugin (options, tiers, run store, baselines, verdicts).
pytest_plugins = ["depthcore.pytest_plugin"]
