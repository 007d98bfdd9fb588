"""The units every ledger test's rows name."""

from __future__ import annotations

import pytest

from tests.builders.ledger import ledger_units


@pytest.fixture
def units(session):
    ledger_units(session)
