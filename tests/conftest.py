"""The shared builders and fixtures come from the ``tests.builders`` plugin."""

pytest_plugins = ["tests.builders"]
