"""The county of one warning case on the plant project, whose linked leader instructs on it."""

from __future__ import annotations

import pytest

from tests.builders.county import County


@pytest.fixture
def county(county: County) -> County:
    """The plant project, someone in every lane of its case, its warning and its linked leader."""
    county.with_warning_case()
    county.link_leader("leader01")
    return county
