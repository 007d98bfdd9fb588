"""The ``keyproj`` command as the tests run it."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import Result

Run = Callable[..., Result]  # the ``run`` fixture: run("scan", "--date", "2026-11-23")
