"""The test run as a whole: the backends it leaves out, said once at the top and at the end,
and the slow tests started first.

Kept free of the project's imports, so that its own test can load it alone.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("KEYPROJ_TEST_DATABASE_URL")
NO_POSTGRES = "KEYPROJ_TEST_DATABASE_URL is not set: PostgreSQL runs of these tests are skipped"
REDIS_URL = os.environ.get("KEYPROJ_TEST_REDIS_URL")
NO_REDIS = "KEYPROJ_TEST_REDIS_URL is not set: the worker tests on Redis are skipped"


def left_out() -> list[str]:
    """A warning for each backend whose tests this run skips."""
    return [
        f"WARNING: {reason}"
        for url, reason in ((POSTGRES_URL, NO_POSTGRES), (REDIS_URL, NO_REDIS))
        if not url
    ]


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The backends this run tests on, and loudly those it leaves out."""
    lines = []
    if POSTGRES_URL:
        shown = make_url(POSTGRES_URL).render_as_string(hide_password=True)
        lines.append(f"PostgreSQL tests: {shown}")
    if REDIS_URL:
        lines.append(f"Redis worker tests: {REDIS_URL}")
    return lines + left_out()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """The backends left out again beside the result, where a long run's reader looks (on
    xdist, the controller's summary is the one shown)."""
    warnings = left_out()
    if warnings:
        terminalreporter.write_sep("=", "backends left out", yellow=True, bold=True)
        for line in warnings:
            terminalreporter.write_line(line, yellow=True, bold=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked slow first, so that on several workers they run side by side early
    rather than one after another at the end (the order is otherwise kept)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
