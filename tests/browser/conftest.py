"""The browser that a module's tests share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.builders.browser import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, started once for the module; each test opens its own context."""
    with chromium() as started:
        yield started
