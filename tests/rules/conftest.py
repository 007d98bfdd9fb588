"""The rules' county adds a county leader, who heads project teams (GS3)."""

from __future__ import annotations

import pytest

from tests.builders.county import County


@pytest.fixture
def county(county: County) -> County:
    """The county with its leader 李明 (副县长)."""
    return county.with_leader()
