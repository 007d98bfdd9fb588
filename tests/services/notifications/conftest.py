"""The county of one warning case (as in tests/services/cases) and a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.builders.county import County
from tests.builders.notifications import SmtpServer
from tests.builders.ports import free_port


@pytest.fixture
def county(county: County) -> County:
    """The plant project, someone in every lane of its case, and its open warning; committed."""
    return county.with_warning_case()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server on a free port."""
    server = SmtpServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server() -> Iterator[SmtpServer]:
    """An SMTP server that is down until the test starts it."""
    server = SmtpServer(free_port())
    yield server
    server.stop()
